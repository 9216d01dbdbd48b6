// The TLS handshake as the SDK will do it (SNI, trusted CA, client certificate, ALPN h2), taken apart so that each
// failure has its own id: plaintext or HTTP/1.x server, untrusted chain (and whether a configured CA replaced the
// public roots, docs/research/common-failures.md#trust-mistakes), name mismatch, expired certificate, client certificate required or rejected (TLS 1.3 alerts arrive
// after the handshake, docs/research/common-failures.md#client-certificates), ALPN, silent server. It runs in up to three handshakes:
//  1. inspect: no client certificate, verification reported instead of enforced, so the chain is seen even when bad;
//  2. default roots: only when the chain is untrusted under a configured CA, to prove the CA replaced public roots;
//  3. mTLS: the client certificate is sent only to a server the first handshake verified, with verification enforced.
// When TLS is off it still sends one ClientHello (no certificate) to catch "the server speaks TLS but TLS is off".
// When the Worker is judged, its view of the same server is added (worker-view.ts).
import { isIP } from 'node:net';
import type { CheckResult } from '../../pipeline/types.js';
import { fail, skip } from '../../pipeline/check.js';
import { acceptedCasEvidence, mismatchText, readAcceptedCas } from './accepted-cas.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { budget, silentHandshakeAfterMs, slowAnswerAfterMs } from '../../net/deadline.js';
import { probeTls, type TlsProbeOptions, type TlsProbeResult, type TlsSession } from '../../net/tls-probe.js';
import { guessPeer } from '../../net/peer-bytes.js';
import { formatHostPort } from '../../text/host-port.js';
import type { ConnectedSocket } from '../../net/tcp-connect.js';
import {
  type PemFacts,
  type EndpointFacts,
  type ProxyFacts,
  type TcpFacts,
  type TlsFacts,
  KEPT,
  defineStage,
} from '../../facts.js';
import { httpConnect } from '../../net/http-connect.js';
import { type TlsRun, type ProbeBase, postHandshakeWait, isCertificateDemand } from './session.js';
import { oneLineName, summarizeCertificate } from '../../knowledge/x509.js';
import { afterInspect, clientCertVerdict, clientIssuer } from './client-certificate.js';
import { withWorkerView } from './worker-view.js';
import { plaintextProbe } from './plaintext.js';
import { handshakeFailure } from './handshake-failure.js';
import { chainChecks, nameCheck, workerDifferences, alpnCheck } from './server-certificate.js';

const PLAINTEXT_PROBE_MS = 1000;

export const tlsStage = defineStage({
  id: 'tls',
  title: 'TLS handshake',
  needs: ['config', 'pem', 'endpoint', 'tcp'],
  async run(ctx) {
    const { config, pem, endpoint, tcp } = ctx.facts;
    const route = tunnelRoute(ctx.optionalFacts.proxy, endpoint);
    if (route === 'none')
      return {
        checks: [
          skip('tls.handshake.no-tunnel', 'The proxy refused the tunnel (see the proxy stage): no handshake to try'),
        ],
      };
    const target = route?.target ?? tcp.reachable[0];
    if (!target) return { checks: [skip('tls.handshake.no-address', 'No address accepted a TCP connection')] };
    const servername = isIP(endpoint.serverName) ? undefined : endpoint.serverName;
    const base = {
      address: target.address,
      family: target.family,
      port: endpoint.port,
      verifyName: endpoint.serverName,
      ...(servername ? { servername } : {}),
      signal: ctx.signal,
      silentAfterMs: silentHandshakeAfterMs(target.connectMs),
      ...(route ? { openConnection: route.open } : {}),
    };
    const where = route?.where ?? formatHostPort(target.address, endpoint.port);
    // The tcp stage's connection to this address (or the proxy stage's tunnel), if it kept one: the first probe saves
    // a connect with it.
    const reuseConnection = (): ConnectedSocket | undefined => {
      if (route) return ctx.run.take<ConnectedSocket>(KEPT.proxyTunnel);
      const handed = ctx.run.take<ConnectedSocket>(KEPT.tcpConnection);
      if (handed?.attempt.address === target.address && handed.attempt.port === endpoint.port) return handed;
      handed?.socket.destroy();
      return undefined;
    };
    const slowAnswer = {
      afterMs: slowAnswerAfterMs(target.connectMs),
      notify: (waitedMs: number) =>
        ctx.trouble(
          `no TLS handshake with ${where} after ${waitedMs} ms (its TCP connect took ${target.connectMs} ms)`
        ),
    };

    if (!config.tls.value) {
      ctx.progress(`Checking whether ${where} speaks TLS`);
      return plaintextProbe(
        config,
        { ...base, slowAnswer, reuseConnection },
        where,
        Math.min(PLAINTEXT_PROBE_MS, ctx.timeoutMs)
      );
    }
    ctx.progress(`TLS handshake with ${where}${servername ? ` (SNI ${servername})` : ''}`);
    const clock = budget(ctx.timeoutMs);
    const outcome = await new TlsDiagnosis(
      config,
      pem,
      endpoint,
      tcp,
      { ...base, slowAnswer, reuseConnection },
      where,
      ctx.timeoutMs,
      ctx.now(),
      ctx.options.expiryWarnDays
    ).run(ctx.signal);
    if (ctx.options.stack === 'client') return outcome;
    const facts = { ...ctx.facts, ...(outcome.facts ? { tls: outcome.facts } : {}) };
    const checks = await withWorkerView(outcome.checks, {
      facts,
      env: ctx.options.env,
      signal: ctx.signal,
      timeoutMs: Math.max(clock.remaining(), 1),
    });
    return { ...outcome, checks };
  },
});

/**
 * The Client reaches the server through a proxy: every handshake runs in a CONNECT tunnel of its own, as grpc-js
 * opens one per connection. `none` when the proxy refused; undefined when the path is direct.
 */
function tunnelRoute(
  proxy: ProxyFacts | undefined,
  endpoint: EndpointFacts
):
  | {
      target: { address: string; family: 4 | 6; connectMs: number };
      where: string;
      open: NonNullable<TlsProbeOptions['openConnection']>;
    }
  | 'none'
  | undefined {
  if (!proxy || proxy.route === 'direct') return undefined;
  if (proxy.route === 'none' || !proxy.proxy || !proxy.authority) return 'none';
  const { host, port, credentials } = proxy.proxy;
  const authority = proxy.authority;
  const secret = credentials?.reveal();
  return {
    target: { address: endpoint.host, family: isIP(endpoint.host) === 6 ? 6 : 4, connectMs: proxy.connectMs ?? 0 },
    where: `${formatHostPort(endpoint.host, endpoint.port)} via proxy ${proxy.proxy.shown}`,
    open: async (bounds) => {
      const tunnel = await httpConnect(
        { host, port, ...(secret !== undefined ? { credentials: secret } : {}) },
        authority,
        bounds,
        { keepOpen: true }
      );
      if (tunnel.socket) return { ...tunnel.tcp, socket: tunnel.socket };
      // The proxy answered the stage before it with 200; a refusal now is a connect failure for this handshake.
      return { ...tunnel.tcp, outcome: tunnel.tcp.outcome === 'connected' ? 'error' : tunnel.tcp.outcome };
    },
  };
}

// ---- TLS on: up to three handshakes, each part judging what it saw ------------------------------------------------

class TlsDiagnosis implements TlsRun {
  readonly checks: CheckResult[] = [];
  /** Some handshake's HTTP/2 preface drew HTTP/2 frames back: the server speaks HTTP/2 over TLS. */
  #answeredHttp2 = false;
  edgeAnswer?: TlsRun['edgeAnswer'];
  closedAfterClientCert?: TlsRun['closedAfterClientCert'];
  inspectAfter?: string;
  inspectAnsweredHttp2?: boolean;
  readonly clock: ReturnType<typeof budget>;
  readonly trust: string;
  readonly caName: string | undefined;

  constructor(
    readonly config: ResolvedConfig,
    readonly pem: PemFacts,
    readonly endpoint: EndpointFacts,
    readonly tcp: TcpFacts,
    readonly base: ProbeBase,
    readonly where: string,
    timeoutMs: number,
    readonly now: Date,
    readonly warnDays: number
  ) {
    this.clock = budget(timeoutMs);
    this.caName = config.serverCa?.source.name;
    this.trust =
      pem.serverCaPem !== undefined
        ? `the CA from ${this.caName}`
        : "Node's default roots (the Worker uses the OS trust store instead)";
  }

  async run(signal: AbortSignal): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
    const outcome = await this.#handshakes();
    await this.#explainClientCertVerdict(signal);
    if (this.checks.some((c) => c.status === 'fail')) return { checks: this.checks };
    return outcome;
  }

  /**
   * After a client-certificate verdict that is a failure or inconclusive, asks the server in clear (TLS 1.2) which CAs
   * it accepts: evidence for the verdict, and the proof that turns a bare hang-up after the certificate into a
   * rejection (docs/research/middleboxes.md#client-certificate-rejection).
   */
  async #explainClientCertVerdict(signal: AbortSignal): Promise<void> {
    const index = this.checks.findIndex(
      (c) =>
        c.id === 'tls.client-cert.rejected' ||
        c.id === 'tls.client-cert.required' ||
        (c.id === 'tls.client-cert.inconclusive' && this.closedAfterClientCert !== undefined) ||
        (c.id === 'tls.handshake.alert' && this.clientPair() !== undefined)
    );
    const found = index >= 0 ? this.checks[index] : undefined;
    if (!found || this.clock.remaining() < 100) return;
    const accepted = await readAcceptedCas(this, this.clock.remaining(), signal);
    const mismatch = mismatchText(this, accepted);
    const withEvidence = { ...found, evidence: [...found.evidence, ...acceptedCasEvidence(accepted)] };
    if (found.id === 'tls.client-cert.inconclusive' && (mismatch || this.inspectAnsweredHttp2)) {
      const why =
        mismatch ?? 'without a certificate the same server answers HTTP/2, so it is this certificate it refuses';
      this.checks[index] = fail(
        'tls.client-cert.rejected',
        `${this.where} rejected the client certificate ${this.pem.clientCert ? oneLineName(this.pem.clientCert.subject) : ''}: it closed the connection right after receiving it, without a TLS alert (${why})`.replace(
          'certificate :',
          'certificate:'
        ),
        {
          ...(found.durationMs !== undefined ? { durationMs: found.durationMs } : {}),
          evidence: withEvidence.evidence,
          fix: `Use a client certificate issued by a CA the server accepts${accepted.kind === 'listed' ? ` (${accepted.names.join(' or ')})` : ''}, or have the server (on Temporal Cloud: tcld namespace accepted-client-ca add) accept ${clientIssuer(this)}; also check that the certificate is not expired and allows clientAuth.`,
        }
      );
      return;
    }
    this.checks[index] = mismatch ? { ...withEvidence, message: `${found.message}: ${mismatch}` } : withEvidence;
  }

  async #handshakes(): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
    const inspect = await this.probe({ ...this.#ca(), rejectUnauthorized: false });
    const client = this.clientPair();

    if (inspect.reached !== 'established' || !inspect.session) {
      const alert = inspect.failure?.alert;
      // TLS 1.2 servers (OpenSSL, Go) refuse a missing certificate inside the handshake, with handshake_failure (40),
      // the alert that also means "no shared cipher": only the handshake with the certificate tells them apart
      // (docs/research/middleboxes.md#client-certificate-rejection).
      const certDemanded = alert && (isCertificateDemand(alert) || alert.name === 'handshake failure');
      if (!(certDemanded && client)) {
        handshakeFailure(this, inspect, false);
        return { checks: this.checks };
      }
      // TLS 1.2 servers demand the certificate inside the handshake: only the mTLS handshake can get further.
      const mtls = await this.probe({ ...this.#ca(), rejectUnauthorized: true, clientCert: client });
      if (mtls.reached !== 'established' || !mtls.session) {
        handshakeFailure(this, mtls, true, inspect);
        return { checks: this.checks };
      }
      return this.#judgeSession(mtls, mtls, true);
    }
    return this.#judgeSession(inspect, undefined, false);
  }

  async #judgeSession(
    inspect: TlsProbeResult,
    mtlsDone: TlsProbeResult | undefined,
    certDemanded: boolean
  ): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
    const session = inspect.session as TlsSession;
    const verified = await chainChecks(this, inspect, session);
    const named = await nameCheck(this, inspect, session);
    if (verified && named) workerDifferences(this, session);
    alpnCheck(this, inspect, session);

    let demanded = certDemanded;
    if (!mtlsDone) demanded = afterInspect(this, inspect) || demanded;
    const client = this.clientPair();
    if (client) {
      const mtls =
        mtlsDone ??
        (verified && named
          ? await this.probe({ ...this.#ca(), rejectUnauthorized: true, clientCert: client })
          : undefined);
      if (!mtls)
        this.checks.push(
          skip(
            'tls.client-cert.not-sent',
            'The client certificate was not presented: the server did not pass verification, so the doctor does not send it'
          )
        );
      else if (mtls.reached !== 'established') handshakeFailure(this, mtls, true);
      else clientCertVerdict(this, mtls);
    }

    if (this.checks.some((c) => c.status === 'fail')) return { checks: this.checks };
    return {
      checks: this.checks,
      facts: {
        mode: 'tls',
        protocol: session.protocol,
        cipher: session.cipher,
        alpn: session.alpn,
        authorized: session.authorized && !session.identityError,
        peerChain: session.chain.map(summarizeCertificate),
        // Not when only the mTLS handshake got through (a TLS 1.2 server demanding a certificate): Core's would differ.
        ...(certDemanded ? {} : { sentChain: session.chain }),
        clientCertRequested: demanded,
        answeredHttp2: this.#answeredHttp2,
        address: this.base.address,
        ...(this.base.servername ? { serverName: this.base.servername } : {}),
        ...(this.edgeAnswer ? { edgeAnswer: this.edgeAnswer } : {}),
        ...(this.closedAfterClientCert ? { closedAfterClientCert: this.closedAfterClientCert } : {}),
      },
    };
  }

  async probe(
    extra: Pick<TlsProbeOptions, 'ca' | 'rejectUnauthorized' | 'clientCert'> & { servername?: string },
    postHandshake = true
  ): Promise<TlsProbeResult> {
    const timeoutMs = this.clock.remaining();
    const probe = await probeTls({
      ...this.base,
      ...extra,
      timeoutMs,
      postHandshakeWaitMs: postHandshake ? postHandshakeWait(timeoutMs) : 0,
    });
    const after = probe.after;
    if (
      (after?.outcome === 'server-data' && guessPeer(after.first) === 'http2') ||
      after?.outcome === 'http-answer' ||
      ((after?.outcome === 'quiet' || after?.outcome === 'closed' || after?.outcome === 'reset') && after.settings)
    )
      this.#answeredHttp2 = true;
    return probe;
  }

  clientPair(): { cert: string; key: string } | undefined {
    const { clientCertPem, clientKeyPem } = this.pem;
    // The only place the key leaves its Secret: handed to node:tls for the handshake.
    return clientCertPem !== undefined && clientKeyPem !== undefined
      ? { cert: clientCertPem, key: clientKeyPem.reveal() }
      : undefined;
  }

  #ca(): { ca?: string } {
    return this.pem.serverCaPem !== undefined ? { ca: this.pem.serverCaPem } : {};
  }
}
