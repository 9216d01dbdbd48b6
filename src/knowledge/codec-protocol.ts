// The codec server protocol (samples-go codec-server/protocol.md): `POST /encode` and `POST /decode` take and return
// Payloads as protobuf JSON, `{"payloads":[{"metadata":{"encoding":"<base64>"},"data":"<base64>"}]}`. Pure rules for
// reading a codec server's answer; the stage does the HTTP.

export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

export interface HttpAnswer {
  status: number;
  contentType?: string;
  body: string;
}

export type CodecAnswer =
  | { kind: 'ok'; payloads: JsonPayload[] }
  /** 401/403: `authConfigured` tells a missing credential from a rejected one. */
  | { kind: 'auth'; status: number }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed' }
  | { kind: 'server-error'; status: number }
  | { kind: 'unexpected-status'; status: number }
  | { kind: 'html' }
  | { kind: 'not-json' }
  | { kind: 'no-payloads'; keys: string[] };

/** A payload as the SDK's default converter writes a JSON string; its bytes must survive encode → decode unchanged. */
export function probePayload(text: string): JsonPayload {
  return {
    metadata: { encoding: Buffer.from('json/plain').toString('base64') },
    data: Buffer.from(JSON.stringify(text)).toString('base64'),
  };
}

export function payloadsBody(payloads: JsonPayload[]): string {
  return JSON.stringify({ payloads });
}

/** Reads a codec server's answer to `/decode` or `/encode`. */
export function classifyCodecAnswer(answer: HttpAnswer): CodecAnswer {
  const { status } = answer;
  if (status === 401 || status === 403) return { kind: 'auth', status };
  if (status === 404) return { kind: 'not-found' };
  if (status === 405) return { kind: 'method-not-allowed' };
  if (status >= 500) return { kind: 'server-error', status };
  if (status < 200 || status > 299) return { kind: 'unexpected-status', status };
  if (isHtml(answer)) return { kind: 'html' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.body);
  } catch {
    return { kind: 'not-json' };
  }
  if (!isRecord(parsed)) return { kind: 'no-payloads', keys: [] };
  const payloads = parsed.payloads;
  // proto3 JSON omits empty repeated fields, so `{}` is a valid answer to an empty request.
  if (payloads === undefined && Object.keys(parsed).length === 0) return { kind: 'ok', payloads: [] };
  if (!Array.isArray(payloads) || !payloads.every(isJsonPayload))
    return { kind: 'no-payloads', keys: Object.keys(parsed) };
  return { kind: 'ok', payloads };
}

/** Whether two payloads carry the same bytes and the same metadata (compared decoded, so base64 padding may differ). */
export function samePayload(a: JsonPayload, b: JsonPayload): boolean {
  if (!sameBytes(a.data, b.data)) return false;
  const keys = new Set([...Object.keys(a.metadata ?? {}), ...Object.keys(b.metadata ?? {})]);
  return [...keys].every((key) => sameBytes(a.metadata?.[key], b.metadata?.[key]));
}

/** A short, printable view of a payload for evidence: the encoding and the data, decoded when it is text. */
export function describePayload(payload: JsonPayload): string {
  const encoding = payload.metadata?.encoding
    ? Buffer.from(payload.metadata.encoding, 'base64').toString('utf8')
    : 'none';
  const data = Buffer.from(payload.data ?? '', 'base64');
  return `encoding ${encoding}, ${data.length} bytes of data`;
}

function isHtml(answer: HttpAnswer): boolean {
  if (answer.contentType?.toLowerCase().includes('text/html')) return true;
  return /^\s*<(!doctype|html|head|body)/i.test(answer.body);
}

function sameBytes(a: string | undefined, b: string | undefined): boolean {
  return Buffer.from(a ?? '', 'base64').equals(Buffer.from(b ?? '', 'base64'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isJsonPayload(value: unknown): value is JsonPayload {
  if (!isRecord(value)) return false;
  if (value.data !== undefined && typeof value.data !== 'string') return false;
  if (value.metadata === undefined) return true;
  return isRecord(value.metadata) && Object.values(value.metadata).every((v) => typeof v === 'string');
}
