// Name resolution the way the SDK does it, bounded. Both SDK stacks use getaddrinfo: grpc-js calls
// `dns.lookup(host, { all: true })` (resolver-dns.js) and Core uses the OS resolver, so the default here is the same
// call. With `servers` (the --dns-server option, and how tests make Cloud names resolve to loopback) a c-ares Resolver
// asks those servers instead; `Resolver.setServers` never affects dns.lookup, so connections made by this process to a
// name must use `createLookup(servers)` (docs/research/node-platform.md#resolver-servers).
import { promises as dns } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { WaitExpired, bounded, budget, type Bounds } from './deadline.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Why a name did not resolve, in the terms a fix needs. */
export type DnsFailureKind =
  'not-found' | 'no-data' | 'server-failure' | 'timeout' | 'refused' | 'bad-server' | 'other';

export interface DnsFailure {
  kind: DnsFailureKind;
  /** The resolver's code, e.g. ENOTFOUND, ENODATA, ESERVFAIL, EAI_AGAIN, ETIMEOUT. */
  code: string;
  message: string;
}

export interface Resolution {
  via: 'system' | 'servers';
  servers?: string[];
  durationMs: number;
  /** In the order the SDK would try them (system) or A then AAAA (servers). Empty on failure. */
  addresses: ResolvedAddress[];
  /** CNAME hops from the name to the canonical name (servers only: getaddrinfo does not report them). */
  cnameChain: string[];
  /** The last CNAME target, when it does not exist (NXDOMAIN): a dangling CNAME (servers only). */
  missingTarget?: string;
  failure?: DnsFailure;
}

export interface ResolveOptions extends Bounds {
  /** `host:port` DNS servers to ask instead of the system resolver. */
  servers?: readonly string[];
}

const MAX_CNAME_HOPS = 8;

export async function resolveHost(host: string, options: ResolveOptions): Promise<Resolution> {
  const clock = budget(options.timeoutMs);
  const servers = options.servers && options.servers.length > 0 ? [...options.servers] : undefined;
  const outcome = servers ? await viaServers(host, servers, options) : await viaSystem(host, options);
  return {
    ...outcome,
    via: servers ? 'servers' : 'system',
    ...(servers ? { servers } : {}),
    durationMs: clock.elapsed(),
  };
}

type Outcome = Pick<Resolution, 'addresses' | 'cnameChain' | 'missingTarget' | 'failure'>;

async function viaSystem(host: string, bounds: Bounds): Promise<Outcome> {
  try {
    // getaddrinfo runs on the libuv threadpool and cannot be cancelled; the bound only stops the wait.
    const answers = await bounded(dns.lookup(host, { all: true }), bounds);
    return { addresses: answers.map(toResolved), cnameChain: [] };
  } catch (error) {
    return { addresses: [], cnameChain: [], failure: classify(error) };
  }
}

async function viaServers(host: string, servers: string[], bounds: Bounds): Promise<Outcome> {
  let resolver: dns.Resolver;
  try {
    resolver = newResolver(servers, bounds.timeoutMs);
  } catch (error) {
    return {
      addresses: [],
      cnameChain: [],
      failure: { kind: 'bad-server', code: 'EINVAL', message: errorMessage(error) },
    };
  }
  try {
    const [v4, v6, { chain, missingTarget }] = await bounded(
      Promise.all([settle(resolver.resolve4(host)), settle(resolver.resolve6(host)), cnameChain(resolver, host)]),
      bounds,
      () => resolver.cancel()
    );
    const addresses = [
      ...(v4.ok ? v4.value.map((address) => ({ address, family: 4 as const })) : []),
      ...(v6.ok ? v6.value.map((address) => ({ address, family: 6 as const })) : []),
    ];
    if (addresses.length > 0) return { addresses, cnameChain: chain };
    const failures = [v4, v6].filter((r): r is { ok: false; error: unknown } => !r.ok).map((r) => classify(r.error));
    // NXDOMAIN beats NODATA beats the rest: one family may be missing while the name still exists.
    const failure = failures.find((f) => f.kind === 'not-found') ??
      failures.find((f) => f.kind !== 'no-data') ??
      failures[0] ?? { kind: 'no-data' as const, code: 'ENODATA', message: `${host} has no A or AAAA records` };
    return { addresses: [], cnameChain: chain, ...(missingTarget ? { missingTarget } : {}), failure };
  } catch (error) {
    return { addresses: [], cnameChain: [], failure: classify(error) };
  }
}

function newResolver(servers: readonly string[], timeoutMs: number): dns.Resolver {
  // c-ares doubles the per-try timeout on each retry: two tries of a third each fit the budget.
  const resolver = new dns.Resolver({ timeout: Math.max(100, Math.floor(timeoutMs / 3)), tries: 2 });
  resolver.setServers([...servers]);
  return resolver;
}

/**
 * Follows the CNAME records from `host`. When the last target is itself NXDOMAIN the CNAME dangles: a recursive
 * resolver answers NXDOMAIN with the CNAME, dnsmasq answers NOERROR with the CNAME alone, and both read "no address"
 * for the name asked (docs/research/middleboxes.md#resolvers).
 */
async function cnameChain(resolver: dns.Resolver, host: string): Promise<{ chain: string[]; missingTarget?: string }> {
  const chain: string[] = [];
  let name = host;
  for (let hop = 0; hop < MAX_CNAME_HOPS; hop += 1) {
    const next = await settle(resolver.resolveCname(name));
    if (!next.ok && name !== host && classify(next.error).kind === 'not-found') return { chain, missingTarget: name };
    const target = next.ok ? next.value[0] : undefined;
    if (!target || chain.includes(target)) break;
    chain.push(target);
    name = target;
  }
  return { chain };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error })
  );
}

function toResolved(answer: LookupAddress): ResolvedAddress {
  return { address: answer.address, family: answer.family === 6 ? 6 : 4 };
}

const KIND_OF_CODE: Record<string, DnsFailureKind> = {
  ENOTFOUND: 'not-found',
  ENODATA: 'no-data',
  ESERVFAIL: 'server-failure',
  EAI_AGAIN: 'server-failure',
  EAI_FAIL: 'server-failure',
  ETIMEOUT: 'timeout',
  ECANCELLED: 'timeout',
  ECONNREFUSED: 'refused',
  EREFUSED: 'refused',
};

function classify(error: unknown): DnsFailure {
  if (error instanceof WaitExpired) return { kind: 'timeout', code: 'ETIMEOUT', message: error.message };
  const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'ERROR';
  return { kind: KIND_OF_CODE[code] ?? 'other', code, message: errorMessage(error) };
}

function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect / tls.connect / http2.connect that asks `servers` (or getaddrinfo when none are given),
 * so connections by name go where the dns stage said. Node 20 calls it with `{ all: true }` (autoSelectFamily).
 */
export function createLookup(
  servers: readonly string[] | undefined,
  timeoutMs = 5000
): (hostname: string, options: LookupOptions, callback: LookupCallback) => void {
  return (hostname, options, callback) => {
    if (isIP(hostname) || !servers || servers.length === 0) {
      dns.lookup(hostname, { ...options, all: true }).then(
        (answers) => reply(answers, options, callback),
        (error: NodeJS.ErrnoException) => callback(error, [])
      );
      return;
    }
    const controller = new AbortController();
    resolveHost(hostname, { servers, signal: controller.signal, timeoutMs }).then(
      (resolution) => {
        if (resolution.failure) {
          const error = Object.assign(new Error(`${resolution.failure.code} ${hostname}`), {
            code: resolution.failure.code,
            hostname,
          }) as NodeJS.ErrnoException;
          callback(error, []);
          return;
        }
        const wanted =
          options.family === 4 || options.family === 6
            ? resolution.addresses.filter((a) => a.family === options.family)
            : resolution.addresses;
        reply(wanted, options, callback);
      },
      (error: NodeJS.ErrnoException) => callback(error, [])
    );
  };
}

function reply(answers: readonly LookupAddress[], options: LookupOptions, callback: LookupCallback): void {
  if (options.all) {
    callback(
      null,
      answers.map((a) => ({ address: a.address, family: a.family }))
    );
    return;
  }
  const first = answers[0];
  if (!first) {
    callback(Object.assign(new Error('no addresses'), { code: 'ENOTFOUND' }) as NodeJS.ErrnoException, []);
    return;
  }
  callback(null, first.address, first.family);
}
