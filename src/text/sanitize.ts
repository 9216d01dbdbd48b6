// Text from servers, files and error objects is untrusted: it may carry ANSI escapes, control characters or megabytes.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One printable line (newlines become ' ⏎ '), without terminal escapes, at most `max` characters. */
export function sanitize(text: unknown, max = 500): string {
  const raw = typeof text === 'string' ? text : String(text);
  const clean = raw
    .slice(0, max * 4)
    .replace(ANSI, '')
    .replace(/\r?\n|\r/g, ' ⏎ ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

/**
 * For a value the user typed (an address, a namespace): as `sanitize`, except that a value carrying control characters
 * or escape sequences is shown quoted with them escaped (`"local\u0007host:7233"`). Stripped, it would look clean and
 * hide why it fails.
 */
export function visible(text: string, max = 300): string {
  return DAMAGE.test(text) ? sanitize(quoted(text), max) : sanitize(text, max);
}

/** `text` in double quotes with every character that `sanitize` would strip written as an escape, so it stays seen. */
export function quoted(text: string): string {
  // JSON escapes the C0 controls; the rest (DEL, C1, zero-width and bidi marks) are escaped here.
  return JSON.stringify(text).replace(UNESCAPED, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
// eslint-disable-next-line no-control-regex
const UNESCAPED = /[\u007f-\u009f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const DAMAGE = new RegExp(`${ANSI.source}|${CONTROL.source}|[\r\n\t]`);
