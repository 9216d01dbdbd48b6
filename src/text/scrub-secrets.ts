// The last line of defence before anything leaves the process. The report model already carries only fingerprints
// (Secret prints as [redacted]); this catches what a future check might echo by mistake: a private key block, its
// base64-encoded form, a bearer token, or (when the CLI knows them) the exact secret values the user passed.

export const REDACTED_KEY = '[redacted private key]';
export const REDACTED_TOKEN = '[redacted]';

// Armor may be damaged (sanitize turns newlines into ' ⏎ ', users paste literal \n, truncation drops the END line),
// so the block runs to its END armor or, failing that, over everything that can belong to a key body.
const PRIVATE_KEY =
  /-{0,5}BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-{0,5}(?:[\s\S]*?-{0,5}END (?:[A-Z0-9]+ )*PRIVATE KEY-{0,5}|(?:[A-Za-z0-9+/=:,. \t-]|\\[nr]|⏎|\r?\n)*)/g;
/** base64 of "-----BEGIN": a PEM file encoded once more (a common way keys end up in CI variables). */
const BASE64_PEM = /LS0tLS1CRUdJTi[A-Za-z0-9+/=]{20,}/g;
/** `Bearer <token>`; placeholders such as "Bearer <key>" or the doubled "Bearer Bearer" in fix texts stay. */
const BEARER = /\b(Bearer)(\s+)(?![<[])([A-Za-z0-9\-._~+/]{8,}=*)/gi;

/** Shortest secret value that is replaced verbatim; shorter values would match ordinary words. */
const MIN_KNOWN_SECRET = 6;
/** Lines of a multi-line secret (a PEM body) at least this long are replaced one by one, too. */
const MIN_SECRET_LINE = 16;

/** Replaces private key blocks, base64-encoded PEM, bearer tokens and the given secret values in text. */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  let out = text
    .replace(PRIVATE_KEY, REDACTED_KEY)
    .replace(BASE64_PEM, REDACTED_KEY)
    .replace(BEARER, `$1$2${REDACTED_TOKEN}`);
  for (const fragment of knownFragments(known)) out = out.split(fragment).join(REDACTED_TOKEN);
  return out;
}

/** The same scrub over every string inside a JSON-like value; keeps the structure (and so valid JSON) intact. */
export function scrubDeep<T>(value: T, known: readonly string[] = []): T {
  if (typeof value === 'string') return scrubSecrets(value, known) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubDeep(item, known)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubDeep(item, known)])) as T;
  }
  return value;
}

/** Each secret whole, then each long line of it, longest first so a line never leaves half of a longer match. */
function knownFragments(known: readonly string[]): string[] {
  const fragments = new Set<string>();
  for (const secret of known) {
    const trimmed = secret.trim();
    if (trimmed.length >= MIN_KNOWN_SECRET) fragments.add(trimmed);
    for (const line of secret.split(/\r?\n|\\n/)) {
      const body = line.trim();
      if (body.length >= MIN_SECRET_LINE) fragments.add(body);
    }
  }
  return [...fragments].sort((a, b) => b.length - a.length);
}
