// Which HTTP CONNECT proxy each SDK stack takes to a target, as each stack decides it
// (docs/research/middleboxes.md#http-connect-proxies):
// - Client (grpc-js): lower-case `grpc_proxy`, else `https_proxy`, else `http_proxy`; only an `http:` URL counts (any
//   other scheme or an unparsable URL means direct); `no_grpc_proxy`, else `no_proxy`, split on `,` WITHOUT trimming,
//   each entry an IPv4 CIDR or a host suffix (`host.endsWith(entry)`, so an empty entry bypasses everything);
//   `user:pass@` becomes `Proxy-Authorization: Basic`; the CONNECT authority is `host:port` as split from the address.
// - Worker (Core): no variable at all; only `NativeConnectionOptions.proxy` (here `--worker-proxy`).
// Pure: the environment and settings come in as values.
import { isIPv4 } from 'node:net';
import { Secret } from '../text/secret.js';
import { splitHostPort } from '../text/host-port.js';
import { withoutUrlPassword } from '../text/secret-registry.js';

export type ProxyStack = 'client' | 'worker';

export interface ProxyEndpoint {
  host: string;
  port: number;
  /** `user:password` as sent in `Proxy-Authorization: Basic`; a Secret, never shown. */
  credentials?: Secret;
  /** The proxy URL with the password replaced by `***`, safe to show. */
  shown: string;
  /** Where it came from: the variable or the flag. */
  from: string;
}

export type ProxyPath =
  | { kind: 'direct'; why: string }
  | {
      kind: 'proxy';
      proxy: ProxyEndpoint;
      /** What follows CONNECT, as this stack writes it. */
      authority: string;
      why: string;
    };

/** A trap in the proxy settings: a warning of the proxy stage. */
export interface ProxyTrap {
  id: string;
  message: string;
  fix: string;
  evidence: Record<string, string>;
}

type Env = Record<string, string | undefined>;

const CLIENT_PROXY_VARS = ['grpc_proxy', 'https_proxy', 'http_proxy'] as const;
const UPPER_CASE_VARS = ['GRPC_PROXY', 'HTTPS_PROXY', 'HTTP_PROXY', 'NO_GRPC_PROXY', 'NO_PROXY'] as const;
const BYPASS_VARS = ['no_grpc_proxy', 'no_proxy'] as const;

/** Whether anything could route a stack through a proxy or name a proxy trap: a variable of either case, or the flag. */
export function proxySettingsPresent(env: Env, workerProxy: boolean): boolean {
  return (
    workerProxy || [...CLIENT_PROXY_VARS, ...UPPER_CASE_VARS, ...BYPASS_VARS].some((name) => env[name] !== undefined)
  );
}
const HTTP_DEFAULT_PORT = 80;

/** The proxy URL with its password as `***` (and sanitised of anything but printable ASCII). */
export function redactProxyUrl(raw: string): string {
  // The registry's one rule for a password in a URL (with or without a scheme, '@' or '/' in the password).
  return withoutUrlPassword(raw)
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 200);
}

/** The passwords in the proxy settings, for the output boundary's verbatim scrub. */
export function proxyPasswords(env: Env, workerProxy: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of [...CLIENT_PROXY_VARS.map((n) => env[n]), workerProxy, ...UPPER_CASE_VARS.map((n) => env[n])]) {
    if (!raw) continue;
    try {
      const url = new URL(raw.includes('://') ? raw : `http://${raw}`);
      if (url.password) out.push(url.password, decodeURIComponent(url.password));
    } catch {
      // An unparsable URL is used by nobody; its text is never shown either (only its variable's name).
    }
  }
  return [...new Set(out)];
}

/** The Client's path to `address` (`host:port`), as grpc-js's http_proxy.ts decides it. */
export function clientProxyPath(env: Env, address: string, defaultPort: number): ProxyPath {
  const name = CLIENT_PROXY_VARS.find((n) => env[n]);
  if (!name) return { kind: 'direct', why: 'no grpc_proxy, https_proxy or http_proxy is set' };
  const raw = env[name] ?? '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'direct', why: `${name} is not a URL grpc-js can parse, so it is ignored` };
  }
  if (url.protocol !== 'http:')
    return { kind: 'direct', why: `${name} uses ${url.protocol}//, which grpc-js ignores (it takes http:// only)` };
  const { host, port } = splitHostPort(address, defaultPort);
  const bypass = noProxyMatch(env, host);
  if (bypass) return { kind: 'direct', why: `${bypass.variable} entry "${bypass.entry}" matches ${host}` };
  const credentials = url.username
    ? new Secret(url.password ? safeDecode(`${url.username}:${url.password}`) : url.username)
    : undefined;
  return {
    kind: 'proxy',
    proxy: {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : HTTP_DEFAULT_PORT,
      ...(credentials ? { credentials } : {}),
      shown: redactProxyUrl(raw),
      from: name,
    },
    // grpc-js joins the split host and port without brackets.
    authority: `${host}:${port}`,
    why: `${name} is set`,
  };
}

/** The Worker's path: NativeConnectionOptions.proxy only, given to the doctor as `--worker-proxy`. */
export function workerProxyPath(workerProxy: string | undefined, address: string, defaultPort: number): ProxyPath {
  if (!workerProxy) return { kind: 'direct', why: 'no --worker-proxy given; the Worker reads no proxy variable' };
  const parsed = parseWorkerProxy(workerProxy);
  if (!parsed) return { kind: 'direct', why: '--worker-proxy is not http://[user:password@]host:port' };
  const { host, port } = splitHostPort(address, defaultPort);
  return {
    kind: 'proxy',
    proxy: { ...parsed, shown: redactProxyUrl(workerProxy), from: '--worker-proxy' },
    authority: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    why: '--worker-proxy is set (NativeConnectionOptions.proxy)',
  };
}

/** `http://[user:password@]host:port` or `host:port`; the port is required, as Core requires it. */
export function parseWorkerProxy(
  raw: string
): { host: string; port: number; credentials?: Secret; username?: string } | undefined {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' || !url.port || !url.hostname) return undefined;
  const username = safeDecode(url.username);
  const credentials = url.username ? new Secret(`${username}:${safeDecode(url.password)}`) : undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port),
    ...(credentials ? { credentials, username } : {}),
  };
}

/** The NativeConnectionOptions.proxy object for `--worker-proxy` (the password revealed for the SDK only). */
export function workerProxyOption(
  raw: string
): { type: 'http-connect'; targetHost: string; basicAuth?: { username: string; password: string } } | undefined {
  const parsed = parseWorkerProxy(raw);
  if (!parsed) return undefined;
  const targetHost = `${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}:${parsed.port}`;
  if (!parsed.credentials) return { type: 'http-connect', targetHost };
  const pair = parsed.credentials.reveal();
  const colon = pair.indexOf(':');
  return {
    type: 'http-connect',
    targetHost,
    basicAuth: { username: pair.slice(0, colon), password: pair.slice(colon + 1) },
  };
}

interface NoProxyMatch {
  variable: string;
  entry: string;
}

function noProxyEntries(env: Env): { variable: string; entries: string[] } | undefined {
  const variable = env.no_grpc_proxy ? 'no_grpc_proxy' : env.no_proxy ? 'no_proxy' : undefined;
  return variable ? { variable, entries: (env[variable] ?? '').split(',') } : undefined;
}

function noProxyMatch(env: Env, host: string): NoProxyMatch | undefined {
  const list = noProxyEntries(env);
  if (!list) return undefined;
  for (const entry of list.entries) {
    const cidr = parseCidr(entry);
    if (isIPv4(host) && cidr && inCidr(cidr, host)) return { variable: list.variable, entry };
    if (host.endsWith(entry)) return { variable: list.variable, entry };
  }
  return undefined;
}

function parseCidr(entry: string): { ip: number; prefix: number } | undefined {
  const parts = entry.split('/');
  if (parts.length !== 2 || !isIPv4(parts[0] ?? '')) return undefined;
  const prefix = Number.parseInt(parts[1] ?? '', 10);
  if (Number.isNaN(prefix) || prefix < 0 || prefix > 32) return undefined;
  return { ip: ipv4ToInt(parts[0] ?? ''), prefix };
}

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => (acc << 8) + Number.parseInt(octet, 10), 0);
}

function inCidr(cidr: { ip: number; prefix: number }, host: string): boolean {
  const mask = -1 << (32 - cidr.prefix);
  return (ipv4ToInt(host) & mask) === (cidr.ip & mask);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The traps in these settings for this target: variables only one stack (or neither) reads, an ignored scheme, a
 * `no_proxy` entry that does not match because of its spaces, `http_proxy` carrying a TLS target, and two stacks on
 * two paths. `judged` limits the stack comparison to what is being judged.
 */
export function proxyTraps(
  env: Env,
  address: string,
  defaultPort: number,
  tls: boolean,
  client: ProxyPath,
  worker: ProxyPath,
  judged: readonly ProxyStack[]
): ProxyTrap[] {
  const traps: ProxyTrap[] = [];
  const { host } = splitHostPort(address, defaultPort);
  const upperOnly = UPPER_CASE_VARS.filter((n) => env[n] && !env[n.toLowerCase()]);
  const upperProxies = upperOnly.filter((n) => !n.startsWith('NO_'));
  if (upperProxies.length && client.kind === 'direct' && judged.includes('client')) {
    traps.push({
      id: 'proxy.env.upper-case-ignored',
      message: `${upperProxies.join(', ')} ${upperProxies.length > 1 ? 'are' : 'is'} set in upper case only: the Client (grpc-js) reads lower-case names only and connects directly`,
      fix: `If the Client must use this proxy, set ${upperProxies.map((n) => n.toLowerCase()).join(' / ')} (lower case); the Worker reads neither and needs NativeConnectionOptions.proxy.`,
      evidence: Object.fromEntries(upperProxies.map((n) => [n, redactProxyUrl(env[n] ?? '')])),
    });
  }
  const upperNoProxy = upperOnly.filter((n) => n.startsWith('NO_'));
  if (upperNoProxy.length && client.kind === 'proxy' && judged.includes('client')) {
    traps.push({
      id: 'proxy.env.upper-case-ignored',
      message: `${upperNoProxy.join(', ')} is set in upper case only: grpc-js does not read it, so it bypasses nothing`,
      fix: `Set ${upperNoProxy.map((n) => n.toLowerCase()).join(' / ')} (lower case) for the bypass to apply to the Client.`,
      evidence: Object.fromEntries(upperNoProxy.map((n) => [n, sanitizeShort(env[n] ?? '')])),
    });
  }
  const chosen = CLIENT_PROXY_VARS.find((n) => env[n]);
  if (chosen && judged.includes('client')) {
    const raw = env[chosen] ?? '';
    let protocol: string | undefined;
    try {
      protocol = new URL(raw).protocol;
    } catch {
      traps.push({
        id: 'proxy.env.unparsable',
        message: `${chosen} is not a URL grpc-js can parse: the Client ignores it and connects directly`,
        fix: `Write ${chosen} as http://[user:password@]host:port.`,
        evidence: { variable: chosen },
      });
    }
    if (protocol && protocol !== 'http:') {
      traps.push({
        id: 'proxy.env.scheme-ignored',
        message: `${chosen} is ${redactProxyUrl(raw)}: grpc-js takes only http:// proxy URLs, so the Client ignores it and connects directly`,
        fix: `Write ${chosen} as http://host:port (the CONNECT request to the proxy is plain HTTP; TLS to the server still runs inside the tunnel).`,
        evidence: { [chosen]: redactProxyUrl(raw) },
      });
    }
    if (chosen === 'http_proxy' && tls && client.kind === 'proxy') {
      traps.push({
        id: 'proxy.env.http-proxy-for-tls',
        message: `http_proxy carries this TLS connection: grpc-js falls back to http_proxy when grpc_proxy and https_proxy are unset, unlike most tools`,
        fix: `If the Client should not use ${client.proxy.shown} for Temporal, add ${host} to no_grpc_proxy; if it should, set grpc_proxy to make that explicit.`,
        evidence: { http_proxy: client.proxy.shown, tls: 'on' },
      });
    }
  }
  const list = noProxyEntries(env);
  if (list && judged.includes('client')) {
    const spaced = list.entries.filter((e) => e !== e.trim() && e.trim() !== '');
    const missed = spaced.filter((e) => host.endsWith(e.trim()) && !host.endsWith(e));
    if (spaced.length) {
      traps.push({
        id: 'proxy.no-proxy.untrimmed',
        message: `${list.variable} has entries with spaces (${spaced.map((e) => JSON.stringify(e)).join(', ')}): grpc-js does not trim them${missed.length ? `, so ${host} is NOT bypassed although it looks listed` : ', so they match nothing'}`,
        fix: `Remove the spaces after the commas in ${list.variable} (e.g. "${list.entries.map((e) => e.trim()).join(',')}").`,
        evidence: { [list.variable]: sanitizeShort(env[list.variable] ?? '') },
      });
    }
    if (list.entries.some((e) => e === '') && CLIENT_PROXY_VARS.some((n) => env[n])) {
      traps.push({
        id: 'proxy.no-proxy.empty-entry',
        message: `${list.variable} has an empty entry (a doubled or trailing comma): grpc-js matches it as a suffix of every host, so the Client never uses the proxy`,
        fix: `Remove the empty entry from ${list.variable}.`,
        evidence: { [list.variable]: sanitizeShort(env[list.variable] ?? '') },
      });
    }
  }
  if (judged.includes('client') && judged.includes('worker') && !samePath(client, worker)) {
    const exposed = client.kind === 'proxy' ? client.proxy.from : worker.kind === 'proxy' ? worker.proxy.from : '';
    traps.push({
      id: 'proxy.stacks.differ',
      message: `The two stacks take different paths: Client ${describePath(client)}, Worker ${describePath(worker)}`,
      fix: `Give both stacks the same route: for the Worker set NativeConnectionOptions.proxy (--worker-proxy here) to the Client's proxy, or for the Client unset ${exposed || 'the proxy variable'} / list ${host} in no_grpc_proxy.`,
      evidence: { client: describePath(client), worker: describePath(worker) },
    });
  }
  return traps;
}

/** Whether two paths reach the server the same way (the same proxy, or both direct). */
export function samePath(a: ProxyPath, b: ProxyPath): boolean {
  if (a.kind === 'direct' || b.kind === 'direct') return a.kind === b.kind;
  return a.proxy.host === b.proxy.host && a.proxy.port === b.proxy.port;
}

/** One line: `direct` or `via PROXY (from VAR)`. */
export function describePath(path: ProxyPath): string {
  return path.kind === 'direct' ? 'direct' : `via ${path.proxy.shown} (from ${path.proxy.from})`;
}

function sanitizeShort(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

/**
 * Whether the stack the stages follow (the Worker's with `--stack worker`, else the Client's) reaches `host:port`
 * through a proxy: then the proxy, not this machine, resolves and connects, and a direct failure is not that path's.
 */
export function followedPathIsProxied(
  options: { env: Env; stack: string },
  workerProxy: string | undefined,
  endpoint: { host: string; port: number }
): boolean {
  const address = `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
  const path =
    options.stack === 'worker'
      ? workerProxyPath(workerProxy, address, endpoint.port)
      : clientProxyPath(options.env, address, endpoint.port);
  return path.kind === 'proxy';
}
