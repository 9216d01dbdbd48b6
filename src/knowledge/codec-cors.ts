// The browser's CORS check (WHATWG Fetch §4.8 "CORS-preflight fetch", §4.9 "CORS check") applied to a codec server's
// answers, as pure rules. The Web UI calls `POST <endpoint>/decode` with `Content-Type: application/json` and
// `X-Namespace`, plus `Authorization` when codec auth is set: neither `application/json` nor the other two are
// CORS-safelisted, so every call is preflighted. POST itself is a safelisted method, so Allow-Methods never blocks it.

export type HeaderValue = string | string[] | undefined;

/** Response headers, names lowercased (as node:http gives them). */
export type ResponseHeaders = Record<string, HeaderValue>;

/** The request headers the Web UI sends to the codec server, as a browser names them in the preflight. */
export function webUiRequestHeaders(withAuth: boolean): string[] {
  return withAuth ? ['content-type', 'x-namespace', 'authorization'] : ['content-type', 'x-namespace'];
}

export type CorsProblem =
  /** The preflight itself must answer 2xx; servers that put OPTIONS behind auth or routes answer 401/404. */
  | { rule: 'preflight-status'; status: number }
  | { rule: 'allow-origin'; origin: string; got?: string }
  | { rule: 'allow-headers'; missing: string[]; got?: string };

/** Whether `Access-Control-Allow-Origin` lets a page at `origin` read the response (credentials not included). */
export function allowsOrigin(origin: string, headers: ResponseHeaders): boolean {
  const value = single(headers['access-control-allow-origin']);
  return value === '*' || value === origin;
}

/** The problems a browser at `origin` would find in this preflight answer; empty when it may go on to POST. */
export function evaluatePreflight(
  origin: string,
  requested: readonly string[],
  status: number,
  headers: ResponseHeaders
): CorsProblem[] {
  const problems: CorsProblem[] = [];
  if (status < 200 || status > 299) problems.push({ rule: 'preflight-status', status });
  if (!allowsOrigin(origin, headers)) {
    const got = joined(headers['access-control-allow-origin']);
    problems.push({ rule: 'allow-origin', origin, ...(got !== undefined ? { got } : {}) });
  }
  const missing = missingAllowedHeaders(requested, headers);
  if (missing.length) {
    const got = joined(headers['access-control-allow-headers']);
    problems.push({ rule: 'allow-headers', missing, ...(got !== undefined ? { got } : {}) });
  }
  return problems;
}

/**
 * Requested headers that `Access-Control-Allow-Headers` does not allow. Names compare case-insensitively; `*` allows
 * every header except `Authorization`, which must always be named (Fetch §4.8 step 7.10).
 */
export function missingAllowedHeaders(requested: readonly string[], headers: ResponseHeaders): string[] {
  const allowed = new Set(list(headers['access-control-allow-headers']).map((h) => h.toLowerCase()));
  return requested.filter((name) => {
    const lower = name.toLowerCase();
    if (allowed.has(lower)) return false;
    return !(allowed.has('*') && lower !== 'authorization');
  });
}

/**
 * With "Include cross-origin credentials" on in the Web UI, a browser rejects `*` in Allow-Origin and treats it as a
 * literal name in Allow-Headers. A server that says `Allow-Credentials: true` intends that mode but breaks it.
 */
export function wildcardWithCredentials(headers: ResponseHeaders): string[] {
  if (single(headers['access-control-allow-credentials'])?.toLowerCase() !== 'true') return [];
  const wildcards: string[] = [];
  if (single(headers['access-control-allow-origin']) === '*') wildcards.push('Access-Control-Allow-Origin');
  if (list(headers['access-control-allow-headers']).includes('*')) wildcards.push('Access-Control-Allow-Headers');
  return wildcards;
}

/** A header a browser reads as one value: repeated or comma-joined values fail the CORS check. */
function single(value: HeaderValue): string | undefined {
  if (value === undefined || Array.isArray(value))
    return Array.isArray(value) && value.length === 1 ? value[0]?.trim() : undefined;
  return value.includes(',') ? undefined : value.trim();
}

function joined(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function list(value: HeaderValue): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}
