// Resolves the host as the SDK will (getaddrinfo, both families, OS order), or through --dns-server when given, and
// says what a failure means for a Temporal address: for *.tmprl.cloud a missing name means a wrong namespace-derived
// host (docs/research/common-failures.md#wrong-cloud-host-names); a timeout or SERVFAIL may be transient, but the SDK cannot connect either.
import { followedPathIsProxied } from '../knowledge/proxy-rules.js';
import type { CheckResult } from '../pipeline/types.js';
import { evidence, fail, pass } from '../pipeline/check.js';
import { resolveHost, type DnsFailure, type Resolution, type ResolvedAddress } from '../net/resolve.js';
import { DEFAULT_GRPC_PORT } from '../knowledge/temporal-endpoints.js';
import { defineStage, type EndpointFacts, type DnsFacts } from '../facts.js';
import { settingRef } from '../config/setting-names.js';

export type { ResolvedAddress };

export const dnsStage = defineStage({
  id: 'dns',
  title: 'DNS resolution',
  needs: ['endpoint'],
  async run(ctx) {
    const endpoint = ctx.facts.endpoint;
    if (endpoint.ipLiteral !== undefined) {
      const addresses: ResolvedAddress[] = [{ address: endpoint.host, family: endpoint.ipLiteral }];
      return {
        checks: [
          pass('dns.lookup.ip-literal', `${endpoint.host} is an IP address; nothing to resolve`, {
            evidence: evidence({ address: endpoint.host }),
          }),
        ],
        facts: { addresses, cnameChain: [], via: 'ip-literal' },
      };
    }

    const servers = ctx.options.dnsServers;
    ctx.progress(`Resolving ${endpoint.host}${servers?.length ? ` via ${servers.join(', ')}` : ''}`);
    const bounds = { signal: ctx.signal, timeoutMs: ctx.timeoutMs };
    const webHost = webCounterpart(endpoint);
    const [main, web] = await Promise.all([
      resolveHost(endpoint.host, { ...bounds, ...(servers ? { servers } : {}) }),
      webHost ? resolveHost(webHost, { ...bounds, ...(servers ? { servers } : {}) }) : Promise.resolve(undefined),
    ]);
    const context = evidence({
      resolver:
        main.via === 'servers'
          ? `DNS servers ${main.servers?.join(', ')} (--dns-server; the SDK itself uses the OS resolver)`
          : 'OS resolver (getaddrinfo), as the SDK',
      'web counterpart':
        webHost && web
          ? `${webHost}: ${web.failure ? `${web.failure.code} (the Web UI host is not where gRPC is served)` : web.addresses.map((a) => a.address).join(', ')}`
          : undefined,
    });

    if (main.failure) {
      const check = failureCheck(
        endpoint,
        main,
        main.failure,
        context,
        settingRef(ctx.optionalFacts.config?.address, 'address')
      );
      // Through a proxy the proxy resolves the name, not this machine: the stages after this one still run.
      const proxied = followedPathIsProxied(
        ctx.options,
        ctx.optionalFacts.config?.workerProxy?.value.reveal(),
        endpoint
      );
      return proxied
        ? {
            checks: [check],
            facts: { addresses: [], cnameChain: [], via: main.via === 'servers' ? 'servers' : 'system' },
          }
        : { checks: [check] };
    }

    const checks: CheckResult[] = [resolvedCheck(endpoint, main, context)];
    const families = familiesNote(endpoint, main.addresses);
    if (families) checks.push(families);
    const facts: DnsFacts = {
      addresses: main.addresses,
      cnameChain: main.cnameChain,
      via: main.via,
      ...(main.servers ? { servers: main.servers } : {}),
    };
    return { checks, facts };
  },
});

function webCounterpart(endpoint: EndpointFacts): string | undefined {
  return endpoint.kind === 'cloud-namespace' && endpoint.cloud?.namespaceId ? `web.${endpoint.host}` : undefined;
}

function resolvedCheck(
  endpoint: EndpointFacts,
  resolution: Resolution,
  context: ReturnType<typeof evidence>
): CheckResult {
  const list = resolution.addresses.map((a) => a.address);
  const shown = list.length > 4 ? `${list.slice(0, 4).join(', ')} and ${list.length - 4} more` : list.join(', ');
  return pass('dns.lookup.resolved', `${endpoint.host} resolves to ${shown} in ${resolution.durationMs} ms`, {
    durationMs: resolution.durationMs,
    evidence: [
      ...evidence({
        addresses: resolution.addresses.map((a) => `${a.address} (IPv${a.family})`).join(', '),
        'CNAME chain':
          resolution.cnameChain.length > 0 ? [endpoint.host, ...resolution.cnameChain].join(' → ') : undefined,
        order:
          resolution.via === 'system'
            ? 'as the OS returns them; the SDK tries them in this order'
            : 'A records first, then AAAA',
        took: `${resolution.durationMs} ms`,
      }),
      ...context,
    ],
  });
}

/** Loopback names that resolve to one family only are how "works with 127.0.0.1, fails with localhost" starts (docs/research/common-failures.md#localhost-and-ipv6). */
function familiesNote(endpoint: EndpointFacts, addresses: ResolvedAddress[]): CheckResult | undefined {
  const v4 = addresses.filter((a) => a.family === 4).length;
  const v6 = addresses.length - v4;
  const first = addresses[0];
  if (!first) return undefined;
  const onlyLoopbackV6 = v4 === 0 && addresses.every((a) => a.address === '::1');
  const text = onlyLoopbackV6
    ? `${endpoint.host} resolves only to ::1; a server listening on 127.0.0.1 only is unreachable by this name`
    : v4 === 0
      ? `${endpoint.host} resolves to IPv6 addresses only`
      : v6 === 0
        ? `${endpoint.host} resolves to IPv4 addresses only`
        : `${endpoint.host} resolves to both IPv4 and IPv6; the SDK tries ${first.address} first`;
  return pass('dns.addresses.families', text, { evidence: evidence({ IPv4: v4, IPv6: v6, first: first.address }) });
}

function failureCheck(
  endpoint: EndpointFacts,
  resolution: Resolution,
  failure: DnsFailure,
  context: ReturnType<typeof evidence>,
  address: string
): CheckResult {
  const host = endpoint.host;
  const waited = `${resolution.durationMs} ms`;
  const details = {
    durationMs: resolution.durationMs,
    cause: { name: 'Error', code: failure.code, message: failure.message },
    evidence: [...evidence({ host, code: failure.code, waited }), ...context],
  };
  const isCloud = host.toLowerCase().endsWith('.tmprl.cloud');
  const target = resolution.missingTarget;
  if (target && (failure.kind === 'not-found' || failure.kind === 'no-data')) {
    // The name exists as an alias; what is missing is its target (a deleted load balancer, a typo in the record).
    const chain = [host, ...resolution.cnameChain].join(' → ');
    return fail(
      'dns.lookup.dangling-cname',
      `${host} is a CNAME to ${target}, which does not exist (NXDOMAIN): ${host} has no address`,
      {
        ...details,
        evidence: [...evidence({ host, 'CNAME chain': chain, 'missing target': target }), ...details.evidence.slice(1)],
        fix: `The CNAME record of ${resolution.cnameChain.length > 1 ? (resolution.cnameChain.at(-2) ?? host) : host} points at ${target}, which does not exist: ask the owner of the DNS zone to point it at the current host (the target may have been renamed or deleted), or set ${address} to a name that resolves.`,
      }
    );
  }
  switch (failure.kind) {
    case 'not-found':
      return fail('dns.lookup.not-found', `${host} does not exist (${failure.code})`, {
        ...details,
        fix: isCloud
          ? `The namespace-derived host ${host} does not exist: copy the gRPC endpoint from the namespace page in the Cloud UI (<name>.<account-id>.tmprl.cloud:${DEFAULT_GRPC_PORT}) into ${address}; check the namespace name and account id for typos.`
          : `Check ${address} for a typo; the name must resolve from this machine (inside a container, localhost is the container itself: use host.docker.internal or the service name).`,
      });
    case 'no-data':
      return fail('dns.lookup.no-data', `${host} exists but has no IPv4 or IPv6 address (${failure.code})`, {
        ...details,
        fix: `Point ${address} at a host name that has A or AAAA records; ${host} exists in DNS but has no address (it may be a mail-only or delegation-only name).`,
      });
    case 'server-failure':
      if (failure.code === 'ESERVFAIL')
        // An answer, not silence: the resolver is reachable but cannot resolve this name (a broken zone, failed
        // DNSSEC validation, unreachable authoritative servers, or a CNAME loop) (docs/research/middleboxes.md#resolvers).
        return fail(
          'dns.lookup.server-failure',
          `${host} could not be resolved: the DNS server answered SERVFAIL (it is reachable, but cannot resolve this name)`,
          {
            ...details,
            fix: `The resolver${resolution.via === 'servers' ? ' given with --dns-server' : ''} answers, so the network to it works: the zone of ${host} is broken (DNSSEC, lame delegation, a CNAME loop) or the resolver cannot reach its authoritative servers. Ask the owner of the DNS zone, or compare with another resolver (--dns-server 1.1.1.1:53).`,
          }
        );
    // getaddrinfo's EAI_AGAIN covers both silence and SERVFAIL: said as it is.
    // fallthrough
    case 'timeout':
    case 'refused':
      return fail(
        'dns.lookup.timeout',
        `${host} could not be resolved: ${failure.kind === 'timeout' ? `no DNS answer within ${waited}` : `the DNS server failed (${failure.code})`}`,
        {
          ...details,
          fix: `This may be transient: rerun in a minute. If it persists, check this machine's DNS (/etc/resolv.conf${resolution.via === 'servers' ? ' or the --dns-server given' : ''}) and VPN; the SDK cannot connect until ${host} resolves.`,
        }
      );
    case 'bad-server':
      return fail('dns.lookup.bad-server', `The DNS server setting is not usable: ${failure.message}`, {
        ...details,
        fix: 'Give --dns-server as host:port (for example 127.0.0.1:53 or [::1]:53).',
      });
    default:
      return fail('dns.lookup.failed', `${host} could not be resolved (${failure.code})`, {
        ...details,
        fix: `Check ${address} and this machine's DNS configuration; the SDK cannot connect until ${host} resolves.`,
      });
  }
}
