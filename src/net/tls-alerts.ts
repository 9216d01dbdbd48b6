// TLS alerts as Node/OpenSSL report them. OpenSSL puts the alert in the error code
// (ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED) and in the message ("... SSL alert number 116"); both are read here.
// If a test pinning these fails after a Node/OpenSSL upgrade, revisit this file.

export interface TlsAlert {
  /** RFC 8446 §6 alert number, when known. */
  number?: number;
  /** e.g. "certificate required" */
  name: string;
}

/** RFC 8446 §6 / RFC 7301 alert descriptions by name, as OpenSSL spells them in codes (lower case, spaces). */
const ALERT_NUMBERS: Record<string, number> = {
  'close notify': 0,
  'unexpected message': 10,
  'bad record mac': 20,
  'record overflow': 22,
  'handshake failure': 40,
  'bad certificate': 42,
  'unsupported certificate': 43,
  'certificate revoked': 44,
  'certificate expired': 45,
  'certificate unknown': 46,
  'illegal parameter': 47,
  'unknown ca': 48,
  'access denied': 49,
  'decode error': 50,
  'decrypt error': 51,
  'protocol version': 70,
  'insufficient security': 71,
  'internal error': 80,
  'inappropriate fallback': 86,
  'user canceled': 90,
  'missing extension': 109,
  'unsupported extension': 110,
  'unrecognized name': 112,
  'bad certificate status response': 113,
  'unknown psk identity': 115,
  'certificate required': 116,
  'no application protocol': 120,
};

/** The alert the peer sent, when `error` is a received TLS alert. */
export function receivedAlert(error: unknown): TlsAlert | undefined {
  const code = (error as { code?: unknown }).code;
  const rawMessage = (error as { message?: unknown } | undefined)?.message;
  const message = typeof rawMessage === 'string' ? rawMessage : '';
  const fromCode = typeof code === 'string' ? /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code)?.[1] : undefined;
  const fromMessage = /(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+?)(?::|$)/i.exec(message)?.[1];
  const name = (fromCode?.replace(/_/g, ' ') ?? fromMessage)?.toLowerCase().trim();
  const numberText = /SSL alert number (\d+)/.exec(message)?.[1];
  if (!name && !numberText) return undefined;
  const number = numberText !== undefined ? Number(numberText) : name ? ALERT_NUMBERS[name] : undefined;
  const resolvedName = name ?? Object.entries(ALERT_NUMBERS).find(([, n]) => n === number)?.[0] ?? `alert ${number}`;
  return number === undefined ? { name: resolvedName } : { number, name: resolvedName };
}

/** Alerts a server sends when it does not accept the client certificate it was given. */
export const CLIENT_CERT_REJECTION_ALERTS: ReadonlySet<string> = new Set([
  'bad certificate',
  'unsupported certificate',
  'certificate revoked',
  'certificate expired',
  'certificate unknown',
  'unknown ca',
  'access denied',
]);

/** OpenSSL codes that mean the peer's bytes were not TLS at all (a plaintext server). */
export const NOT_TLS_CODES: ReadonlySet<string> = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_RECORD_LAYER_FAILURE',
  'ERR_SSL_UNSUPPORTED_PROTOCOL',
]);

/** Node's authorizationError codes that mean "the chain does not lead to a CA you trust". */
export const UNTRUSTED_CHAIN_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
]);

/** The alert's name for its number (RFC 8446 §6), e.g. 40 → "handshake failure". */
export function receivedAlertNumber(number: number): string {
  return Object.entries(ALERT_NUMBERS).find(([, n]) => n === number)?.[0] ?? `alert ${number}`;
}

/** How a TLS socket's error ended an exchange after the handshake: a received alert, a reset, or a close. */
export type SocketEnd =
  | { outcome: 'alert'; ms: number; alert: TlsAlert; message: string; code?: string }
  | { outcome: 'closed' | 'reset'; ms: number; message: string; code?: string };

export function socketEndOf(error: NodeJS.ErrnoException, ms: number): SocketEnd {
  const alert = receivedAlert(error);
  const code = error.code ? { code: error.code } : {};
  if (alert) return { outcome: 'alert', ms, alert, message: error.message, ...code };
  return { outcome: error.code === 'ECONNRESET' ? 'reset' : 'closed', ms, message: error.message, ...code };
}
