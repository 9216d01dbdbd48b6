// What the Web UI and the Temporal CLI do with a codec endpoint, as pure rules: they expand `{namespace}`, then append
// `/decode` or `/encode` to the string as given (samples-go codec-server/protocol.md). So the endpoint must be the base
// URL: a `/decode` suffix, a query or a fragment all end up in front of the appended path.

export type CodecOperation = 'decode' | 'encode';

/** The Web UI of `temporal server start-dev`. */
export const DEFAULT_UI_ORIGIN = 'http://localhost:8233';
/** The Temporal Cloud Web UI, which calls the codec server from the user's browser. */
export const CLOUD_UI_ORIGIN = 'https://cloud.temporal.io';

const NAMESPACE_PLACEHOLDER = '{namespace}';
const OPERATION_SUFFIX = /\/(decode|encode)\/*$/i;
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A codec endpoint the doctor can probe: already expanded and, where a rule failed, corrected. */
export interface CodecEndpoint {
  /** Base URL without a trailing slash; clients append `/decode` and `/encode`. */
  base: string;
  protocol: 'http:' | 'https:';
  /** Host name or IP, without IPv6 brackets. */
  hostname: string;
  port: number;
  isLoopback: boolean;
}

export type CodecUrlIssue =
  | { rule: 'invalid'; reason: string }
  | { rule: 'scheme'; scheme?: string; suggestion?: string }
  | { rule: 'operation-suffix'; suffix: string; suggestion: string }
  | { rule: 'query-or-fragment'; part: string; suggestion: string }
  | { rule: 'userinfo' }
  | { rule: 'mixed-content'; httpsOrigins: string[] };

export interface CodecUrlAnalysis {
  /** The endpoint after `{namespace}` expansion, safe to print: a user:password part is redacted. */
  expanded: string;
  /** What to probe; absent when the URL cannot be used at all (invalid, not http/https). */
  endpoint?: CodecEndpoint;
  issues: CodecUrlIssue[];
}

/**
 * Checks a codec endpoint as the clients will use it. `uiOrigins` are the Web UI origins that call it: a page served
 * over https may not call a plain-http codec server (mixed content), except on a loopback host.
 */
export function analyzeCodecEndpoint(raw: string, namespace: string, uiOrigins: readonly string[]): CodecUrlAnalysis {
  const expanded = redactUserinfo(raw.trim().split(NAMESPACE_PLACEHOLDER).join(namespace));
  const issues: CodecUrlIssue[] = [];
  if (!HAS_SCHEME.test(expanded)) {
    const guess = `${isLoopbackHost(hostOf(expanded)) ? 'http' : 'https'}://${expanded}`;
    issues.push({ rule: 'scheme', ...(URL.canParse(guess) ? { suggestion: guess } : {}) });
    return { expanded, issues };
  }
  let url: URL;
  try {
    url = new URL(expanded);
  } catch {
    issues.push({ rule: 'invalid', reason: 'not a URL' });
    return { expanded, issues };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    issues.push({ rule: 'scheme', scheme: url.protocol.slice(0, -1) });
    return { expanded, issues };
  }

  // fetch() refuses a URL with credentials in it ("Request cannot be constructed from a URL that includes credentials").
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    issues.push({ rule: 'userinfo' });
  }
  if (url.search || url.hash) {
    const part = [url.search, url.hash].filter(Boolean).join('');
    url.search = '';
    url.hash = '';
    issues.push({ rule: 'query-or-fragment', part, suggestion: withoutTrailingSlash(url.href) });
  }
  const suffix = OPERATION_SUFFIX.exec(url.pathname);
  if (suffix) {
    url.pathname = url.pathname.slice(0, suffix.index);
    issues.push({
      rule: 'operation-suffix',
      suffix: `/${suffix[1] ?? ''}`,
      suggestion: withoutTrailingSlash(url.href),
    });
  }

  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const endpoint: CodecEndpoint = {
    base: withoutTrailingSlash(url.href),
    protocol: url.protocol,
    hostname,
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
    isLoopback: isLoopbackHost(hostname),
  };
  if (endpoint.protocol === 'http:' && !endpoint.isLoopback) {
    issues.push({ rule: 'mixed-content', httpsOrigins: uiOrigins.filter((o) => o.startsWith('https:')) });
  }
  return { expanded, endpoint, issues };
}

/** The URL a client calls for one operation. */
export function operationUrl(endpoint: CodecEndpoint, operation: CodecOperation): string {
  return `${endpoint.base}/${operation}`;
}

/**
 * Browsers treat loopback as a secure context, so an https page may call http://localhost (W3C Secure Contexts §3.2).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Temporal Cloud endpoints: `<ns>.<acct>.tmprl.cloud` and the regional `<region>.<cloud>.api.temporal.io`. */
export function isCloudAddress(address: string): boolean {
  const host = hostOf(address).toLowerCase().replace(/\.$/, '');
  return host.endsWith('.tmprl.cloud') || host.endsWith('.api.temporal.io');
}

export interface UiOrigins {
  origins: string[];
  /** The given origin when it is not an http(s) origin; the default stands in for it. */
  invalid?: string;
}

/**
 * The Web UI origins whose browsers call the codec server: the given one (or the start-dev UI) and, for a Cloud
 * address, the Cloud UI as well.
 */
export function webUiOrigins(address: string, uiOrigin: string | undefined): UiOrigins {
  const parsed = uiOrigin !== undefined && URL.canParse(uiOrigin) ? new URL(uiOrigin) : undefined;
  const usable = parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') ? parsed.origin : undefined;
  const origins = [usable ?? DEFAULT_UI_ORIGIN];
  if (isCloudAddress(address) && origins[0] !== CLOUD_UI_ORIGIN) origins.push(CLOUD_UI_ORIGIN);
  return uiOrigin !== undefined && !usable ? { origins, invalid: uiOrigin } : { origins };
}

/** Host part of `host:port`, `[v6]:port` or a scheme-less URL-ish string. */
function hostOf(text: string): string {
  const authority = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  const bracketed = /^\[([^\]]*)\]/.exec(authority);
  if (bracketed) return bracketed[1] ?? '';
  return authority.split(':')[0] ?? '';
}

/** Keeps a password written into the URL out of every report; the parse below still sees that there was one. */
function redactUserinfo(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1[redacted]@');
}

function withoutTrailingSlash(href: string): string {
  return href.replace(/\/+$/, '');
}
