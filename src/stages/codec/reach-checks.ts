// Can this machine reach the codec server's host at all: DNS, TCP, and for https the TLS handshake. The same bounded
// probes as the dns, tcp and tls stages (src/net), aimed at the codec host instead of the Temporal frontend.
import { isIP } from 'node:net';
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, warn } from '../../pipeline/check.js';
import { resolveHost, type DnsFailure, type ResolvedAddress } from '../../net/resolve.js';
import { tcpConnect, type TcpAttempt } from '../../net/tcp-connect.js';
import { probeTls, type TlsProbeResult } from '../../net/tls-probe.js';
import type { CodecEndpoint } from '../../knowledge/codec-url.js';
import type { CodecClient } from './codec-client.js';
import { formatHostPort } from '../../text/host-port.js';

export interface Reach {
  checks: CheckResult[];
  /** The address to send HTTP to; absent when the host cannot be reached (or, for https, not trusted). */
  address?: ResolvedAddress;
}

/** At most this many resolved addresses are tried, as a client falls back from one to the next. */
const MAX_ADDRESSES = 3;

/** Fail only on what every client rejects: an expired or not-yet-valid certificate, or a name it is not valid for. */
const ALWAYS_REJECTED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

export async function reachChecks(endpoint: CodecEndpoint, client: CodecClient, settingName: string): Promise<Reach> {
  const checks: CheckResult[] = [];
  const resolved = await resolveCodecHost(endpoint, client, settingName);
  if (resolved.check) checks.push(resolved.check);
  if (!resolved.addresses) return { checks };

  client.ctx.progress(`Connecting to the codec server at ${endpoint.hostname}:${endpoint.port}`);
  const attempts: TcpAttempt[] = [];
  for (const candidate of resolved.addresses.slice(0, MAX_ADDRESSES)) {
    const bounds = { signal: client.ctx.signal, timeoutMs: client.nextTimeoutMs() };
    const tls = endpoint.protocol === 'https:' ? await probeTls(tlsOptions(endpoint, candidate, bounds)) : undefined;
    const attempt = tls?.tcp ?? (await tcpConnect({ ...candidate, port: endpoint.port }, bounds));
    attempts.push(attempt);
    if (attempt.outcome !== 'connected') {
      if (client.ctx.signal.aborted) break;
      continue;
    }
    checks.push(
      pass(
        'codec.tcp.connects',
        `Connected to the codec server at ${formatHostPort(candidate.address, endpoint.port)}`,
        {
          evidence: attemptEvidence(attempts),
          durationMs: attempt.ms,
        }
      )
    );
    if (!tls) return { checks, address: candidate };
    const tlsChecks = tlsResultChecks(tls, endpoint, settingName);
    checks.push(...tlsChecks);
    return tlsChecks.every((c) => c.status === 'pass') ? { checks, address: candidate } : { checks };
  }
  const last = attempts[attempts.length - 1];
  const where = `${endpoint.hostname}:${endpoint.port}`;
  checks.push(
    fail(
      'codec.tcp.connects',
      `Cannot connect to the codec server at ${where}: ${last?.code ?? last?.outcome ?? 'no address'}`,
      {
        evidence: attemptEvidence(attempts),
        durationMs: attempts.reduce((sum, a) => sum + a.ms, 0),
        fix:
          last?.outcome === 'refused'
            ? `Start the codec server, or fix the host and port in ${settingName}: nothing listens on ${where}.`
            : `Check that ${where} is reachable from here (firewall, VPN, security group); rerun with a larger --timeout if it is only slow.`,
      }
    )
  );
  return { checks };
}

async function resolveCodecHost(
  endpoint: CodecEndpoint,
  client: CodecClient,
  settingName: string
): Promise<{ addresses?: ResolvedAddress[]; check?: CheckResult }> {
  const host = endpoint.hostname;
  const family = isIP(host);
  if (family === 4 || family === 6) return { addresses: [{ address: host, family }] };

  client.ctx.progress(`Resolving the codec server ${host}`);
  const servers = client.ctx.options.dnsServers;
  const resolution = await resolveHost(host, {
    signal: client.ctx.signal,
    timeoutMs: client.nextTimeoutMs(),
    ...(servers ? { servers } : {}),
  });
  const seen = evidence({
    host,
    via: resolution.via === 'servers' ? `DNS servers ${resolution.servers?.join(', ')}` : 'system resolver',
  });
  const { failure } = resolution;
  if (failure) {
    return {
      check: fail('codec.dns.resolves', `Codec server host ${host} does not resolve: ${describeDnsFailure(failure)}`, {
        evidence: seen,
        durationMs: resolution.durationMs,
        cause: { code: failure.code, message: failure.message },
        fix:
          failure.kind === 'not-found'
            ? `Fix the host name in ${settingName}: ${host} does not exist in DNS.`
            : `Check the DNS of this machine for ${host} (or the name in ${settingName}); rerun with a larger --timeout if the resolver is slow.`,
      }),
    };
  }
  return {
    addresses: resolution.addresses,
    check: pass(
      'codec.dns.resolves',
      `Codec server host ${host} resolves to ${resolution.addresses.map((a) => a.address).join(', ')}`,
      {
        evidence: seen,
        durationMs: resolution.durationMs,
      }
    ),
  };
}

function tlsOptions(
  endpoint: CodecEndpoint,
  target: ResolvedAddress,
  bounds: { signal: AbortSignal; timeoutMs: number }
) {
  return {
    ...bounds,
    ...target,
    port: endpoint.port,
    ...(isIP(endpoint.hostname) ? {} : { servername: endpoint.hostname }),
    verifyName: endpoint.hostname,
    // Browsers offer both; a codec server is plain HTTPS, so nothing after the handshake is worth waiting for.
    alpn: ['h2', 'http/1.1'],
    rejectUnauthorized: false,
    postHandshakeWaitMs: 0,
  };
}

/**
 * Judges the handshake as a browser would, with one limit: Node trusts its own CA bundle (plus NODE_EXTRA_CA_CERTS),
 * while browsers and the Temporal CLI trust the system store. An unknown CA is therefore inconclusive, not a failure.
 */
function tlsResultChecks(tls: TlsProbeResult, endpoint: CodecEndpoint, settingName: string): CheckResult[] {
  const where = `${endpoint.hostname}:${endpoint.port}`;
  if (!tls.session) {
    const failure = tls.failure;
    const plainHttp = tls.received.guess === 'http1';
    return [
      fail(
        'codec.tls.handshake',
        plainHttp
          ? `The codec server at ${where} answers plain HTTP, not TLS`
          : `TLS handshake with the codec server at ${where} failed: ${failure?.code ?? failure?.kind ?? 'no answer'}`,
        {
          evidence: evidence({ server: where, 'first bytes from server': tls.received.guess }),
          durationMs: tls.ms,
          ...(failure ? { cause: { message: failure.message, ...(failure.code ? { code: failure.code } : {}) } } : {}),
          fix: plainHttp
            ? `Set ${settingName} to http://${where}, or serve the codec server over TLS (the Web UI on https needs https).`
            : `Check that ${where} serves HTTPS (TLS 1.2 or later); rerun with a larger --timeout if it is only slow.`,
        }
      ),
    ];
  }
  const { session } = tls;
  const leaf = session.chain[0];
  const seen = evidence({
    server: where,
    protocol: session.protocol,
    subject: leaf?.subject.replace(/\n/g, ', '),
    'subject alt names': leaf?.subjectAltName,
    issuer: leaf?.issuer.replace(/\n/g, ', '),
    'valid to': leaf?.validTo,
  });
  const details = { evidence: seen, durationMs: tls.handshakeMs ?? tls.ms };
  const checks: CheckResult[] = [];
  if (session.identityError) {
    checks.push(
      fail('codec.tls.server-name', `The codec server's certificate is not valid for ${endpoint.hostname}`, {
        ...details,
        cause: { message: session.identityError },
        fix: `Serve a certificate whose subject alternative names include ${endpoint.hostname}, or set ${settingName} to a name the certificate covers.`,
      })
    );
  }
  const chainError = session.authorizationError;
  if (chainError && ALWAYS_REJECTED.has(chainError)) {
    checks.push(
      fail('codec.tls.certificate-valid', `The codec server's certificate is not valid now (${chainError})`, {
        ...details,
        fix: `Renew the codec server's certificate at ${where}: browsers and the Temporal CLI reject it.`,
      })
    );
  } else if (chainError) {
    checks.push(
      warn(
        'codec.tls.chain.inconclusive',
        `Node's CA bundle does not trust the codec server's certificate (${chainError})`,
        {
          ...details,
          fix: `If browsers also reject https://${where}, serve a certificate from a CA they trust; if your CA is only in the system store, rerun with NODE_EXTRA_CA_CERTS=<ca.pem> to check the rest of the codec server.`,
        }
      )
    );
  }
  if (checks.length === 0) {
    checks.push(
      pass(
        'codec.tls.handshake',
        `TLS handshake with the codec server at ${where} succeeded (${session.protocol})`,
        details
      )
    );
  }
  return checks;
}

const DNS_FAILURE_TEXT: Record<DnsFailure['kind'], string> = {
  'not-found': 'no such name',
  'no-data': 'no A or AAAA records',
  'server-failure': 'the DNS server failed',
  timeout: 'no answer from DNS',
  refused: 'the DNS server refused the query',
  'bad-server': 'the DNS server setting is invalid',
  other: 'lookup failed',
};

function describeDnsFailure(failure: DnsFailure): string {
  return `${DNS_FAILURE_TEXT[failure.kind]} (${failure.code})`;
}

function attemptEvidence(attempts: TcpAttempt[]): ReturnType<typeof evidence> {
  return attempts.map((a) => ({
    label: formatHostPort(a.address, a.port),
    value:
      a.outcome === 'connected'
        ? `connected in ${a.ms} ms`
        : `${a.outcome}${a.code ? ` (${a.code})` : ''} after ${a.ms} ms`,
  }));
}
