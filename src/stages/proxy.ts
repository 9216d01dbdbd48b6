// The path each SDK stack takes to the server (knowledge/proxy-rules.ts: grpc-js's variables for the Client, only
// NativeConnectionOptions.proxy for the Worker), the traps in the proxy settings, and for each judged path through a
// proxy one real `CONNECT host:port` with the proxy's credentials, its answer classified: 200, 403, 407, 502/503/504,
// silence, a non-HTTP answer. The tunnel of the path the later stages follow is kept open for the tls stage, so the
// handshake runs through the very proxy the SDK uses (docs/research/middleboxes.md#http-connect-proxies).
import type { CheckResult } from '../pipeline/types.js';
import { evidence, fail, pass, skip, warn } from '../pipeline/check.js';
import { httpConnect, type ConnectResult } from '../net/http-connect.js';
import type { ConnectedSocket } from '../net/tcp-connect.js';
import { formatHostPort } from '../text/host-port.js';
import {
  clientProxyPath,
  describePath,
  proxyTraps,
  workerProxyPath,
  type ProxyEndpoint,
  type ProxyPath,
  type ProxyStack,
  proxySettingsPresent,
} from '../knowledge/proxy-rules.js';
import { KEPT, defineStage, type ProxyFacts } from '../facts.js';

export const NO_PROXY_REASON = 'No proxy applies: direct';

export const proxyStage = defineStage({
  id: 'proxy',
  title: 'Proxy (HTTP CONNECT)',
  needs: ['config', 'endpoint'],
  // Without any proxy variable or --worker-proxy there is nothing to say: the stage is left out of the report, which
  // then reads as it did before the stage existed.
  appliesTo: (facts, options) => proxySettingsPresent(options.env, facts.config?.workerProxy !== undefined),
  async run(ctx) {
    const { config, endpoint } = ctx.facts;
    const address = formatHostPort(endpoint.host, endpoint.port);
    const paths = resolvePaths(ctx.options.env, config.workerProxy?.value.reveal(), address, endpoint.port);
    const judged: ProxyStack[] =
      ctx.options.stack === 'both' ? ['client', 'worker'] : [ctx.options.stack === 'worker' ? 'worker' : 'client'];
    const followed: ProxyStack = ctx.options.stack === 'worker' ? 'worker' : 'client';
    const traps = proxyTraps(
      ctx.options.env,
      address,
      endpoint.port,
      config.tls.value,
      paths.client,
      paths.worker,
      judged
    ).map((t) => warn(t.id, t.message, { evidence: evidence(t.evidence), fix: t.fix }));

    const facts: ProxyFacts = { paths, followed, route: 'direct' };
    const toCheck = proxiedPaths(paths, judged);
    if (toCheck.length === 0) {
      return { checks: traps.length ? traps : [skip('proxy.not-used', NO_PROXY_REASON)], facts };
    }

    const checks: CheckResult[] = [...traps];
    const clock = { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
    const results = await Promise.all(
      toCheck.map(async (one) => {
        ctx.progress(`CONNECT ${one.path.authority} through ${one.path.proxy.shown}`);
        const keepOpen = one.stacks.includes(followed);
        const credentials = one.path.proxy.credentials?.reveal();
        const result = await httpConnect(
          {
            host: one.path.proxy.host,
            port: one.path.proxy.port,
            ...(credentials !== undefined ? { credentials } : {}),
          },
          one.path.authority,
          clock,
          { keepOpen }
        );
        return { one, result };
      })
    );
    for (const { one, result } of results) {
      checks.push(judgeConnect(one, result, config.tls.value));
      if (!one.stacks.includes(followed)) continue;
      if (result.socket) {
        const { socket } = result;
        ctx.run.keep<ConnectedSocket>(KEPT.proxyTunnel, { socket, attempt: result.tcp }, () => {
          socket.destroy();
        });
        facts.route = 'tunnel';
        facts.connectMs = result.tcp.ms + (result.answerMs ?? 0);
      } else {
        facts.route = 'none';
      }
      facts.proxy = one.path.proxy;
      facts.authority = one.path.authority;
    }
    return { checks, facts };
  },
});

function resolvePaths(
  env: Record<string, string | undefined>,
  workerProxy: string | undefined,
  address: string,
  port: number
): Record<ProxyStack, ProxyPath> {
  return { client: clientProxyPath(env, address, port), worker: workerProxyPath(workerProxy, address, port) };
}

interface PathToCheck {
  path: Extract<ProxyPath, { kind: 'proxy' }>;
  stacks: ProxyStack[];
}

/** The proxied paths of the judged stacks; one CONNECT when both stacks use the same proxy and credentials. */
function proxiedPaths(paths: Record<ProxyStack, ProxyPath>, judged: ProxyStack[]): PathToCheck[] {
  const out: PathToCheck[] = [];
  for (const stack of judged) {
    const path = paths[stack];
    if (path.kind !== 'proxy') continue;
    const same = out.find(
      (o) =>
        o.path.proxy.host === path.proxy.host &&
        o.path.proxy.port === path.proxy.port &&
        o.path.authority === path.authority &&
        o.path.proxy.credentials?.reveal() === path.proxy.credentials?.reveal()
    );
    if (same) same.stacks.push(stack);
    else out.push({ path, stacks: [stack] });
  }
  return out;
}

/** The check of one CONNECT; ids of a path only the Worker takes carry `.worker.` like every Worker-only check. */
function judgeConnect(one: PathToCheck, result: ConnectResult, tls: boolean): CheckResult {
  const { path, stacks } = one;
  const proxy = path.proxy;
  const workerOnly = stacks.length === 1 && stacks[0] === 'worker';
  const id = (rule: string): string => (workerOnly ? `proxy.worker.connect.${rule}` : `proxy.connect.${rule}`);
  const who = stacks.map((s) => (s === 'client' ? 'Client' : 'Worker')).join(' and ');
  const setting = settingOf(proxy, workerOnly);
  const where = `${formatHostPort(proxy.host, proxy.port)}`;
  const durationMs = result.tcp.ms + (result.answerMs ?? 0);
  const ev = evidence({
    stack: who,
    proxy: proxy.shown,
    from: proxy.from,
    'proxy address': formatHostPort(result.tcp.address, proxy.port),
    'TCP to the proxy': result.tcp.outcome === 'connected' ? `connected in ${result.tcp.ms} ms` : describeTcp(result),
    request: `CONNECT ${path.authority}`,
    credentials: proxy.credentials ? 'sent (Proxy-Authorization: Basic)' : 'none',
    answer:
      result.answer.kind === 'status'
        ? `${result.answer.statusLine} after ${result.answerMs ?? 0} ms`
        : result.answer.kind === 'unreachable'
          ? undefined
          : describeAnswer(result),
  });
  const details = { durationMs, evidence: ev };
  const answer = result.answer;
  if (answer.kind === 'unreachable') {
    return fail(id('unreachable'), `The ${who}'s proxy ${where} (from ${proxy.from}) ${describeTcp(result)}`, {
      ...details,
      ...(result.tcp.code
        ? { cause: { name: 'Error', code: result.tcp.code, message: result.tcp.message ?? result.tcp.code } }
        : {}),
      fix: `Start the proxy or correct ${setting}; if this network needs no proxy, remove ${setting}.`,
    });
  }
  if (answer.kind === 'silent') {
    return fail(id('silent'), `The ${who}'s proxy ${where} accepted the connection but never answered CONNECT`, {
      ...details,
      fix: `Something that is not an HTTP proxy listens at ${where} (or it hangs): check the port in ${setting}.`,
    });
  }
  if (answer.kind === 'closed') {
    return fail(id('closed'), `The ${who}'s proxy ${where} closed the connection without answering CONNECT`, {
      ...details,
      fix: `Check that ${where} is an HTTP CONNECT proxy and that it accepts this machine; correct ${setting}.`,
    });
  }
  if (answer.kind === 'not-http') {
    return fail(id('not-http'), `The ${who}'s proxy ${where} answered CONNECT with something that is not HTTP`, {
      ...details,
      fix: `${where} is not an HTTP CONNECT proxy (a TLS, SOCKS or other server answered): correct the port in ${setting}; an https:// or socks proxy cannot be used by this stack.`,
    });
  }
  const status = answer.status;
  if (status === 200) {
    return pass(
      id('ok'),
      `The ${who} ${stacks.length > 1 ? 'reach' : 'reaches'} ${path.authority} through ${proxy.shown}: CONNECT answered 200 in ${durationMs} ms`,
      details
    );
  }
  if (status === 407) {
    return fail(
      id('auth-required'),
      proxy.credentials
        ? `The proxy ${where} rejected the credentials in ${proxy.from} (407 Proxy Authentication Required)`
        : `The proxy ${where} requires credentials and ${proxy.from} has none (407 Proxy Authentication Required)`,
      {
        ...details,
        fix: workerOnly
          ? 'Set the right basicAuth in NativeConnectionOptions.proxy (here --worker-proxy http://user:password@host:port).'
          : `Put the proxy's user and password in ${proxy.from}: http://user:password@${where} (URL-encode special characters).`,
      }
    );
  }
  if (status === 403) {
    return fail(id('forbidden'), `The proxy ${where} refuses CONNECT to ${path.authority} (403 Forbidden)`, {
      ...details,
      fix: `The proxy's rules do not allow ${path.authority}: ask its administrator to allow CONNECT to this host and port ${tls ? '' : '(many proxies allow CONNECT to port 443 only) '}or bypass the proxy for it (${workerOnly ? 'drop NativeConnectionOptions.proxy' : 'no_grpc_proxy'}).`,
    });
  }
  if (status === 502 || status === 503 || status === 504) {
    return fail(
      id('upstream-failed'),
      `The proxy ${where} could not reach ${path.authority} (${answer.statusLine.replace(/^HTTP\/\S+ /, '')})`,
      {
        ...details,
        fix: `The proxy cannot connect to the server: check the address (${path.authority}) and that the server runs and is reachable from the proxy's network.`,
      }
    );
  }
  return fail(id('status'), `The proxy ${where} answered CONNECT ${path.authority} with ${answer.statusLine}`, {
    ...details,
    fix: `Check the proxy's rules for ${path.authority}, or bypass it (${setting}).`,
  });
}

function settingOf(proxy: ProxyEndpoint, workerOnly: boolean): string {
  return workerOnly ? 'NativeConnectionOptions.proxy (--worker-proxy)' : proxy.from;
}

function describeTcp(result: ConnectResult): string {
  const tcp = result.tcp;
  if (tcp.outcome === 'connected') return `connected in ${tcp.ms} ms`;
  if (tcp.outcome === 'refused') return `refused the connection (nothing listens on port ${tcp.port})`;
  if (tcp.outcome === 'timeout') return `gave no answer to the TCP connect in ${tcp.ms} ms`;
  return `could not be reached: ${tcp.message ?? tcp.code ?? tcp.outcome}`;
}

function describeAnswer(result: ConnectResult): string {
  const a = result.answer;
  if (a.kind === 'silent') return `nothing within ${a.waitedMs} ms`;
  if (a.kind === 'closed') return a.reset ? 'connection reset' : 'connection closed';
  if (a.kind === 'not-http') return `bytes ${a.firstBytesHex}`;
  return '';
}

/** How each stack reaches the server, for reports: `direct` or `via PROXY (from VAR)`. */
export function describePaths(facts: ProxyFacts): Record<ProxyStack, string> {
  return { client: describePath(facts.paths.client), worker: describePath(facts.paths.worker) };
}
