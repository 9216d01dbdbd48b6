// X.501 distinguished names in DER, as a TLS 1.2 CertificateRequest lists them and as certificates carry them: read
// with a small bounded TLV walker (no library; every length is checked against what is left, so hostile input only
// ever gives `undefined`).

interface Tlv {
  tag: number;
  /** Offsets into the buffer: the value, and the end of the whole element. */
  start: number;
  end: number;
  /** The element's first byte (tag). */
  from: number;
}

function readTlv(der: Uint8Array, at: number, limit: number): Tlv | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at] as number;
  let length = der[at + 1] as number;
  let start = at + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || start + octets > limit) return undefined;
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (der[start + i] as number);
    start += octets;
  }
  const end = start + length;
  if (end > limit) return undefined;
  return { tag, start, end, from: at };
}

function children(der: Uint8Array, parent: Tlv, max = 64): Tlv[] | undefined {
  const out: Tlv[] = [];
  let at = parent.start;
  while (at < parent.end) {
    if (out.length >= max) return undefined;
    const child = readTlv(der, at, parent.end);
    if (!child) return undefined;
    out.push(child);
    at = child.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const SET = 0x31;
const OID = 0x06;

/** The DER of a certificate's issuer and subject names (whole SEQUENCE elements), for byte-exact comparison. */
export function certificateNames(certDer: Uint8Array): { issuer: Uint8Array; subject: Uint8Array } | undefined {
  const cert = readTlv(certDer, 0, certDer.length);
  if (cert?.tag !== SEQUENCE) return undefined;
  const tbs = children(certDer, cert)?.[0];
  if (tbs?.tag !== SEQUENCE) return undefined;
  const fields = children(certDer, tbs);
  if (!fields) return undefined;
  // version [0] is optional; then serial, signature algorithm, issuer, validity, subject.
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const issuer = fields[offset + 2];
  const subject = fields[offset + 4];
  if (issuer?.tag !== SEQUENCE || subject?.tag !== SEQUENCE) return undefined;
  return { issuer: certDer.subarray(issuer.from, issuer.end), subject: certDer.subarray(subject.from, subject.end) };
}

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

function oidText(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || bytes.length > 40) return undefined;
  const first = bytes[0] as number;
  const parts = [Math.min(2, Math.floor(first / 40)), first - Math.min(2, Math.floor(first / 40)) * 40];
  let value = 0;
  for (let i = 1; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/**
 * A DER Name as one line, most specific last as OpenSSL prints it ("O=Acme, CN=Acme Client CA"); undefined for bytes
 * that are not a Name. Values are returned raw: sanitize before showing.
 */
export function nameText(der: Uint8Array): string | undefined {
  const name = readTlv(der, 0, der.length);
  if (name?.tag !== SEQUENCE || name.end !== der.length) return undefined;
  const sets = children(der, name);
  if (!sets) return undefined;
  const parts: string[] = [];
  for (const set of sets) {
    if (set.tag !== SET) return undefined;
    for (const attribute of children(der, set) ?? []) {
      const [type, value] = children(der, attribute) ?? [];
      if (attribute.tag !== SEQUENCE || type?.tag !== OID || !value) return undefined;
      const oid = oidText(der.subarray(type.start, type.end));
      if (!oid) return undefined;
      const raw = der.subarray(value.start, value.end);
      // BMPString is UTF-16BE; the string types users meet are otherwise ASCII or UTF-8.
      if (value.tag === 0x1e && raw.length % 2 !== 0) return undefined;
      const text =
        value.tag === 0x1e ? Buffer.from(raw).swap16().toString('utf16le') : Buffer.from(raw).toString('utf8');
      parts.push(`${ATTRIBUTE_NAMES[oid] ?? oid}=${text}`);
    }
  }
  return parts.join(', ');
}

export function sameName(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}
