// The secrets of one run, from every source (flags, environment, temporal.toml, inline PEM, files read, the codec
// token, proxy passwords), and the one scrub that applies them to any text before it leaves the process. The rules
// (encoded forms, short values) are described in docs/outputs.md#secrets.
import { Secret } from './secret.js';
import { sanitize } from './sanitize.js';
import { REDACTED_TOKEN, scrubPatterns } from './scrub-secrets.js';

/** Values at least this long are replaced wherever they appear, also inside longer words. */
export const MIN_ANYWHERE = 8;
/** Values shorter than this are never replaced: they would match ordinary text and tell nobody anything. */
export const MIN_SECRET = 3;
/** Lines of a multi-line secret (a PEM body) at least this long are replaced one by one, too. */
const MIN_SECRET_LINE = 16;

/**
 * Short values that are also ordinary words of the doctor's own output (report keys, stage ids, statuses) or of
 * English: replacing them would damage the report (`"checks": …` renamed) and reveal the value by inference, while a
 * "secret" that is a common word protects nothing. Numbers are in the same class.
 */
const COMMON_WORDS = new Set(
  `pass warn fail skip skipped passed failed status stages stage checks check id ids title message fix evidence target
  notes note sdk sdks error errors name code value values source kind flag env profile profiles default derived true
  false null none undefined yes no on off ok client worker both config pem endpoint dns tcp tls grpc namespace codec
  address auth token key keys secret password user admin root test demo local localhost http https json text markdown
  junit github bearer basic the and for not was has with from you your are but all can had her one our out get set
  new now old see two way who use any may its let say she too via per yet run ran runs what when why how here there
  this that then than them they these those more most some such only also just into over under after before again
  stack stacks repeat fleet report reports results result attempt attempts shown flaky tool version node platform
  root cause message duration durationms startedat schemaversion rootcause corroboratedby`
    .split(/\s+/)
    .filter(Boolean)
);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The ways a value travels in text besides itself: base64 (with and without padding), base64url, URL-encoded. */
export function encodedForms(value: string): string[] {
  const base64 = Buffer.from(value, 'utf8').toString('base64');
  const url = encodeURIComponent(value);
  return [
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(value, 'utf8').toString('base64url'),
    url,
    url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    url.replace(/%20/g, '+'),
  ].filter((form) => form !== value);
}

/** Is `value` too short or too common to be replaced (see COMMON_WORDS)? */
export function isUnscrubbable(value: string): boolean {
  if (value.length < MIN_SECRET) return true;
  if (value.length >= MIN_ANYWHERE) return false;
  return /^[\d.,:-]+$/.test(value) || COMMON_WORDS.has(value.toLowerCase());
}

export class SecretRegistry {
  readonly #values = new Set<string>();
  #compiled?: { anywhere: string[]; whole?: RegExp };

  /** A secret value as given (a Secret, or a raw string from a source that has no Secret yet). */
  add(value: string | Secret | undefined): this {
    const raw = value instanceof Secret ? value.reveal() : value;
    if (!raw) return this;
    // Trimmed: the whitespace that made a library refuse the value stays visible around [redacted].
    if (raw.trim()) this.#values.add(raw.trim());
    // A PEM key (or any multi-line secret) is also scrubbed line by line: servers and tools quote it in pieces.
    for (const line of raw.split(/\r?\n|\\n/)) {
      const body = line.trim();
      if (body.length >= MIN_SECRET_LINE) this.#values.add(body);
    }
    this.#compiled = undefined;
    return this;
  }

  addAll(values: Iterable<string | Secret | undefined>): this {
    for (const value of values) this.add(value);
    return this;
  }

  /** An `Authorization` value: the whole header value, and `<credentials>` of `<scheme> <credentials>` alone. */
  addAuthorization(value: string | Secret | undefined): this {
    const raw = value instanceof Secret ? value.reveal() : value;
    if (!raw) return this;
    this.add(raw);
    const match = /^\s*([A-Za-z][\w.-]*)\s+(\S.*?)\s*$/.exec(raw);
    if (match) {
      const [, scheme, credentials] = match as unknown as [string, string, string];
      this.add(credentials);
      // Basic: base64 of user:password; the password is the secret part.
      if (scheme.toLowerCase() === 'basic') {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon >= 0) this.add(decoded.slice(colon + 1));
      }
    }
    return this;
  }

  /** The password of `scheme://user:password@host` or `user:password@host` (proxy URLs, addresses). */
  addUrlCredentials(value: string | undefined): this {
    const password = urlPassword(value);
    if (password) {
      this.add(password);
      // WHATWG URL and the user may leave it percent-encoded; both forms are the same secret.
      try {
        this.add(decodeURIComponent(password));
      } catch {
        // Not valid percent-encoding: the raw form is already registered.
      }
    }
    return this;
  }

  /** Every value of another registry (a fleet's runs into the CLI's one). */
  merge(other: SecretRegistry): this {
    for (const value of other.#values) this.#values.add(value);
    this.#compiled = undefined;
    return this;
  }

  get size(): number {
    return this.#values.size;
  }

  /** Private key blocks, bearer tokens and every registered value, in every encoded form, replaced in `text`. */
  scrub(text: string): string {
    const { anywhere, whole } = this.#compile();
    // Known values first, so `Bearer <token>` goes as one piece; then the patterns for what nobody registered.
    let out = text;
    for (const fragment of anywhere) if (out.includes(fragment)) out = out.split(fragment).join(REDACTED_TOKEN);
    if (whole) out = out.replace(whole, REDACTED_TOKEN);
    return scrubPatterns(out);
  }

  /** Text a server, a file or an SDK controls: scrubbed, made one printable line of at most `max`, scrubbed again. */
  untrusted(text: unknown, max = 500): string {
    // Scrubbed before the cut, so a secret cut in half cannot survive as a prefix.
    return this.scrub(sanitize(this.scrub(typeof text === 'string' ? text : String(text)), max));
  }

  /** The same scrub over every string value inside a JSON-like value; keys and structure stay. */
  scrubDeep<T>(value: T): T {
    if (typeof value === 'string') return this.scrub(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.scrubDeep(item)) as T;
    if (value !== null && typeof value === 'object' && !(value instanceof Secret)) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.scrubDeep(item)])) as T;
    }
    return value;
  }

  /** Scrubs an Error's message, details and causes in place (SDK errors are shown from these fields). */
  scrubError<T>(error: T): T {
    for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; depth++) {
      current.message = this.scrub(current.message);
      const withDetails = current as { details?: unknown };
      if (typeof withDetails.details === 'string') withDetails.details = this.scrub(withDetails.details);
      current = current.cause;
    }
    return error;
  }

  #compile(): { anywhere: string[]; whole?: RegExp } {
    if (this.#compiled) return this.#compiled;
    const anywhere = new Set<string>();
    const short = new Set<string>();
    for (const value of this.#values) {
      for (const form of [value, ...encodedForms(value)]) {
        if (isUnscrubbable(form)) continue;
        (form.length >= MIN_ANYWHERE ? anywhere : short).add(form);
      }
    }
    const alternatives = [...short].sort((a, b) => b.length - a.length).map(escapeRegExp);
    // A short value counts only as a whole token: not inside a word, a host name (`myns.acct12`) or a longer value.
    const whole = alternatives.length
      ? new RegExp(
          `(?<![\\p{L}\\p{N}_.\\-])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}_\\-]|\\.[\\p{L}\\p{N}])`,
          'gu'
        )
      : undefined;
    this.#compiled = { anywhere: [...anywhere].sort((a, b) => b.length - a.length), ...(whole ? { whole } : {}) };
    return this.#compiled;
  }
}

/** `user:password@` in a URL or a scheme-less `host:port`; the password runs to the last '@' of the authority. */
export function urlPassword(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const authority = authorityOf(value);
  const at = authority.lastIndexOf('@');
  if (at < 0) return undefined;
  const userinfo = authority.slice(0, at);
  const colon = userinfo.indexOf(':');
  return colon >= 0 && colon < userinfo.length - 1 ? userinfo.slice(colon + 1) : undefined;
}

/** `scheme://user:pw@host:port/path` → `user:pw@host:port`; without a scheme, everything before the path. */
function authorityOf(value: string): string {
  const rest = value.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '');
  // The path starts at the first '/' after the last '@' (a password may contain '/').
  const at = rest.lastIndexOf('@');
  const slash = rest.indexOf('/', at < 0 ? 0 : at);
  return slash < 0 ? rest : rest.slice(0, slash);
}

/** `value` with the password of its userinfo replaced: `http://user:***@proxy:3128`. Values without one stay. */
export function withoutUrlPassword(value: string): string {
  const password = urlPassword(value);
  if (!password) return value;
  const schemeMatch = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value);
  const scheme = schemeMatch ? schemeMatch[0] : '';
  const authority = authorityOf(value);
  const at = authority.lastIndexOf('@');
  const user = authority.slice(0, authority.indexOf(':'));
  return `${scheme}${user}:***@${authority.slice(at + 1)}${value.slice(scheme.length + authority.length)}`;
}

/** The pattern scrub plus the given values (the library's `scrubSecrets(text, known)`). */
export function scrubSecrets(text: string, known: readonly string[] = []): string {
  return new SecretRegistry().addAll(known).scrub(text);
}

/** `scrubSecrets` over every string value inside a JSON-like value; keeps the structure (and so valid JSON) intact. */
export function scrubDeep<T>(value: T, known: readonly string[] = []): T {
  return new SecretRegistry().addAll(known).scrubDeep(value);
}

/** The registry of the run that produced a report, so every renderer (CLI or library) applies the same values. */
const ATTACHED = new WeakMap<object, SecretRegistry>();

export function attachSecrets<T extends object>(doc: T, registry: SecretRegistry): T {
  ATTACHED.set(doc, registry);
  return doc;
}

/** The registry attached to `doc`, else one that knows only the patterns (private keys, bearer tokens). */
export function secretsOf(doc: unknown): SecretRegistry {
  return (doc !== null && typeof doc === 'object' && ATTACHED.get(doc)) || new SecretRegistry();
}
