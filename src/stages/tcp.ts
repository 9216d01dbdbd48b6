// Connects to every resolved address at once, as the SDK may try any of them (grpc-js and Core both fall back between
// families). Passes when all connect, warns when only some do (the SDK still connects, after a refused or slow try: the
// "localhost → ::1 refused, 127.0.0.1 fine" case, docs/research/common-failures.md#localhost-and-ipv6), fails when none
// do.
import type { Socket } from 'node:net';
import type { CheckResult, RunScope } from '../pipeline/types.js';
import { evidence, fail, pass, skip, warn } from '../pipeline/check.js';
import { tcpConnect, type ConnectedSocket, type TcpAttempt, type TcpOutcome } from '../net/tcp-connect.js';
import { isInContainer } from '../net/container.js';
import { DEFAULT_GRPC_PORT } from '../knowledge/temporal-endpoints.js';
import { formatHostPort } from '../text/host-port.js';
import { KEPT, defineStage, type EndpointFacts, type TcpFacts } from '../facts.js';
import { settingRef } from '../config/setting-names.js';
import { followedPathIsProxied } from '../knowledge/proxy-rules.js';
import { slowAnswerAfterMs } from '../net/deadline.js';

const OUTCOME_TEXT: Record<TcpOutcome, string> = {
  connected: 'connected',
  refused: 'refused',
  timeout: 'timed out',
  unreachable: 'unreachable',
  reset: 'reset by the peer',
  error: 'failed',
};

export const tcpStage = defineStage({
  id: 'tcp',
  title: 'TCP connect',
  needs: ['dns', 'endpoint'],
  async run(ctx) {
    const { dns, endpoint } = ctx.facts;
    const port = endpoint.port;
    if (dns.addresses.length === 0)
      return {
        checks: [
          skip(
            'tcp.connect.no-address',
            `${endpoint.host} did not resolve here; the proxy resolves it for the stack that goes through it`
          ),
        ],
        facts: { reachable: [], port, attempts: [] },
      };
    ctx.progress(`Connecting to ${dns.addresses.map((a) => formatHostPort(a.address, port)).join(', ')}`);
    const { dialled, skipped } = addressesToDial(dns.addresses);
    // Once one address connected, the others get what the SDKs give a family before racing the next (grpc-js's and
    // Node's autoSelectFamily delay, 250 ms) or many round trips of the one that answered, not the stage's whole
    // budget: an address that stays silent then cannot turn the verdict (a warn at most) but held it for seconds.
    const race = new AbortController();
    const stopRace = (): void => race.abort();
    if (ctx.signal.aborted) race.abort();
    else ctx.signal.addEventListener('abort', stopRace, { once: true });
    let raceTimer: NodeJS.Timeout | undefined;
    const opened = await Promise.all(
      dialled.map((a) =>
        tcpConnect(
          { address: a.address, family: a.family, port },
          { signal: race.signal, timeoutMs: ctx.timeoutMs },
          { keepOpen: true }
        ).then((attempt) => {
          if (attempt.outcome === 'connected' && !raceTimer)
            raceTimer = setTimeout(stopRace, Math.max(FAMILY_RACE_MS, slowAnswerAfterMs(attempt.ms)));
          return attempt;
        })
      )
    ).finally(() => {
      clearTimeout(raceTimer);
      ctx.signal.removeEventListener('abort', stopRace);
    });
    const attempts: TcpAttempt[] = opened.map(({ socket: _socket, ...attempt }) => attempt);
    const connected = attempts.filter((a) => a.outcome === 'connected');
    const failed = attempts.filter((a) => a.outcome !== 'connected');
    const perAddress = evidence({
      ...Object.fromEntries(attempts.map((a) => [formatHostPort(a.address, port), describeAttempt(a)])),
      'not dialled':
        skipped > 0
          ? `${skipped} more address${skipped === 1 ? '' : 'es'} (at most ${MAX_ADDRESSES_DIALLED} are dialled)`
          : undefined,
    });
    const durationMs = Math.max(0, ...attempts.map((a) => a.ms));
    const addressName = settingRef(ctx.optionalFacts.config?.address, 'address');

    if (connected.length === 0) {
      const check = noneCheck(endpoint, attempts, perAddress, durationMs, addressName, ctx.options.env);
      // The followed stack reaches the server through a proxy, not directly: the stages after this one still run, over
      // the proxy stage's tunnel.
      const proxied = followedPathIsProxied(
        ctx.options,
        ctx.optionalFacts.config?.workerProxy?.value.reveal(),
        endpoint
      );
      return proxied ? { checks: [check], facts: { reachable: [], port, attempts } } : { checks: [check] };
    }

    const reachable = connected
      .map((a) => ({ address: a.address, family: a.family, connectMs: a.ms }))
      .sort((x, y) => x.connectMs - y.connectMs);
    keepFastestSocket(ctx.run, opened, reachable[0]?.address);
    const facts: TcpFacts = { reachable, port, attempts };
    const checks: CheckResult[] = [];
    if (failed.length === 0) {
      checks.push(
        pass(
          'tcp.connect.ok',
          `Connected to ${connected.map((a) => `${formatHostPort(a.address, port)} in ${a.ms} ms`).join(', ')}`,
          { durationMs, evidence: perAddress }
        )
      );
    } else {
      const firstTried = attempts[0];
      const slowFallback = failed.some((a) => a.outcome === 'timeout');
      checks.push(
        warn(
          'tcp.connect.partial',
          `${failed.map((a) => `${formatHostPort(a.address, port)} ${OUTCOME_TEXT[a.outcome]}`).join(', ')}; ${connected.map((a) => formatHostPort(a.address, port)).join(', ')} connected`,
          {
            durationMs,
            evidence: [
              ...perAddress,
              ...evidence({
                'tried first': firstTried ? formatHostPort(firstTried.address, port) : undefined,
                effect: slowFallback
                  ? 'the SDK connects only after the unanswered address times out'
                  : 'the SDK falls back to the address that works',
              }),
            ],
            fix: partialFix(endpoint, failed, connected, addressName),
          }
        )
      );
    }
    return { checks, facts };
  },
});

/**
 * A name with hundreds of records would otherwise get a socket per record at once (1,000 records: 996 sockets and
 * listener warnings). grpc-js tries addresses one after another; a sample keeps the verdict and the evidence readable.
 */
export const MAX_ADDRESSES_DIALLED = 16;

/** grpc-js's pick_first and Node's autoSelectFamilyAttemptTimeout wait this long before trying the next address. */
export const FAMILY_RACE_MS = 250;

/** The first addresses in resolver order, both families kept when both exist. */
export function addressesToDial<T extends { family: 4 | 6 }>(addresses: T[]): { dialled: T[]; skipped: number } {
  if (addresses.length <= MAX_ADDRESSES_DIALLED) return { dialled: addresses, skipped: 0 };
  const half = MAX_ADDRESSES_DIALLED / 2;
  const v4 = addresses.filter((a) => a.family === 4);
  const v6 = addresses.filter((a) => a.family === 6);
  const fromV6 = Math.min(v6.length, Math.max(half, MAX_ADDRESSES_DIALLED - v4.length));
  const chosen = new Set<T>([...v6.slice(0, fromV6), ...v4.slice(0, MAX_ADDRESSES_DIALLED - fromV6)]);
  const dialled = addresses.filter((a) => chosen.has(a));
  return { dialled, skipped: addresses.length - dialled.length };
}

/** The tls stage would open the same connection again a moment later: keep the fastest one for it, close the rest. */
function keepFastestSocket(
  scope: RunScope,
  opened: Array<TcpAttempt & { socket?: Socket }>,
  fastest: string | undefined
): void {
  for (const { socket, ...attempt } of opened) {
    if (!socket) continue;
    if (attempt.address === fastest && scope.kept(KEPT.tcpConnection) === undefined) {
      scope.keep<ConnectedSocket>(KEPT.tcpConnection, { socket, attempt }, () => {
        socket.destroy();
      });
    } else {
      socket.destroy();
    }
  }
}

function describeAttempt(a: TcpAttempt): string {
  if (a.outcome === 'connected') return `connected in ${a.ms} ms`;
  if (a.outcome === 'timeout') return `no answer in ${a.ms} ms`;
  return `${OUTCOME_TEXT[a.outcome]} after ${a.ms} ms${a.code ? ` (${a.code})` : ''}`;
}

function partialFix(
  endpoint: EndpointFacts,
  failed: TcpAttempt[],
  connected: TcpAttempt[],
  addressName: string
): string {
  const works = connected[0];
  const v6Refused = failed.every((a) => a.family === 6) && connected.every((a) => a.family === 4);
  if (works && v6Refused && endpoint.kind === 'localhost') {
    return `The server listens on IPv4 only while ${endpoint.host} also resolves to IPv6: set ${addressName} to ${formatHostPort(works.address, endpoint.port)}, or make the server listen on both families.`;
  }
  if (works)
    return `Set ${addressName} to ${formatHostPort(works.address, endpoint.port)} to skip the addresses that fail, or fix the server's listeners / firewall for ${failed.map((a) => a.address).join(', ')}.`;
  return 'Fix the listeners or the firewall for the addresses that fail.';
}

function noneCheck(
  endpoint: EndpointFacts,
  attempts: TcpAttempt[],
  perAddress: ReturnType<typeof evidence>,
  durationMs: number,
  addressName: string,
  env: Record<string, string | undefined>
): CheckResult {
  const target = formatHostPort(endpoint.host, endpoint.port);
  const outcomes = new Set(attempts.map((a) => a.outcome));
  const only = outcomes.size === 1 ? [...outcomes][0] : undefined;
  const first = attempts[0];
  const cause = first?.code ? { cause: { name: 'Error', code: first.code, message: first.message ?? first.code } } : {};
  const details = { durationMs, evidence: perAddress, ...cause };
  const local =
    endpoint.kind === 'localhost' || (endpoint.ipLiteral !== undefined && /^(127\.|::1$)/.test(endpoint.host));
  const container =
    local && isInContainer(env)
      ? ` Inside a container ${endpoint.host} is the container itself: to reach a server on the host use host.docker.internal:${endpoint.port} (Docker Desktop, or --add-host=host.docker.internal:host-gateway on Linux).`
      : '';

  if (only === 'refused') {
    const devServer =
      local && endpoint.port === DEFAULT_GRPC_PORT
        ? ' For local development start one with `temporal server start-dev`.'
        : '';
    const byName = endpoint.ipLiteral === undefined;
    const family = attempts.every((a) => a.family === 6) ? 6 : attempts.every((a) => a.family === 4) ? 4 : undefined;
    if (byName && family === 6) {
      // An AAAA-only name in front of a server listening on IPv4 only: "nothing listens" would send the user to the
      // wrong place (docs/research/middleboxes.md#resolvers).
      return fail(
        'tcp.connect.refused',
        `Connection to ${target} refused on its IPv6 address${attempts.length > 1 ? 'es' : ''} (${attempts.map((a) => a.address).join(', ')}): ${endpoint.host} has only AAAA (IPv6) records, and nothing listens on IPv6 port ${endpoint.port}`,
        {
          ...details,
          fix: `The server probably listens on IPv4 only: add an A record for ${endpoint.host}, make the server listen on IPv6 too ([::]:${endpoint.port}), or set ${addressName} to its IPv4 address.${container}`,
        }
      );
    }
    return fail('tcp.connect.refused', `Connection to ${target} refused: nothing listens on port ${endpoint.port}`, {
      ...details,
      fix: `Start the Temporal server, or set ${addressName} to where it listens.${devServer}${container}`,
    });
  }
  if (only === 'timeout') {
    return fail('tcp.connect.timeout', `No answer from ${target} within ${durationMs} ms`, {
      ...details,
      fix: `A firewall, security group or VPN drops the packets, or the host is down: check that port ${endpoint.port} is open from this network to ${endpoint.host}${endpoint.kind.startsWith('cloud') ? ' (Temporal Cloud needs outbound TCP 7233)' : ''}.${container}`,
    });
  }
  if (only === 'unreachable') {
    return fail(
      'tcp.connect.unreachable',
      `${target} is unreachable from this machine (${first?.code ?? 'no route'})`,
      {
        ...details,
        fix: `This machine has no route to ${endpoint.host}: check the network, VPN or IPv6 connectivity${attempts.every((a) => a.family === 6) ? ' (only IPv6 addresses were tried)' : ''}.${container}`,
      }
    );
  }
  if (only === 'reset') {
    return fail('tcp.connect.reset', `${target} resets every connection`, {
      ...details,
      fix: `Something at ${target} accepts and immediately resets connections (a proxy or firewall rule, or a server refusing this client's address): check the server's allow-list and any proxy in between.`,
    });
  }
  return fail(
    'tcp.connect.failed',
    `Could not connect to ${target}: ${attempts.map((a) => `${a.address} ${OUTCOME_TEXT[a.outcome]}`).join(', ')}`,
    {
      ...details,
      fix: `Check that the server runs and that port ${endpoint.port} is reachable from here, or set ${addressName} to where it listens.${container}`,
    }
  );
}
