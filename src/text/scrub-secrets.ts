// The patterns that find a secret without knowing its value: a private key block, its base64-encoded form, a bearer
// token, a `token=…` pair. The run's known values (every source) are added by secret-registry.ts, which uses these.

export const REDACTED_KEY = '[redacted private key]';
export const REDACTED_TOKEN = '[redacted]';

// Armor may be damaged (sanitize turns newlines into ' ⏎ ', users paste literal \n, truncation drops the END line),
// so the block runs to its END armor or, failing that, over everything that can belong to a key body.
const PRIVATE_KEY =
  /-{0,5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-{0,5}(?:[\s\S]*?-{0,5}END (?:[A-Z0-9]+ )*PRIVATE KEY-{0,5}|(?:[A-Za-z0-9+/=:,. \t-]|\\[nr]|⏎|\r?\n)*)/g;
/** base64 of "-----BEGIN": a PEM file encoded once more (a common way keys end up in CI variables). */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]{20,}/g;
/** `Bearer <token>`; placeholders such as "Bearer <key>" or the doubled "Bearer Bearer" in fix texts stay. */
const BEARER = /\b(Bearer)(\s+)(?![<[])([\p{L}\p{N}\-._~+/]{8,}=*)/giu;

/** `token=…`, `api_key: …`, `password=…` in pasted or echoed text; placeholders (`<key>`, `[redacted]`, `$VAR`) stay. */
const NAMED_CREDENTIAL =
  /\b((?:access_|refresh_|id_)?token|api[_-]?key|apikey|password|passwd|secret)(=|:\s?)(?![<[$])([^\s"'&,;<>]{4,})/giu;

/** Replaces private key blocks, base64-encoded PEM, bearer tokens and `token=…` pairs: no known values needed. */
export function scrubPatterns(text: string): string {
  return text
    .replace(PRIVATE_KEY, REDACTED_KEY)
    .replace(BASE64_PEM, REDACTED_KEY)
    .replace(BEARER, `$1$2${REDACTED_TOKEN}`)
    .replace(NAMED_CREDENTIAL, `$1$2${REDACTED_TOKEN}`);
}
