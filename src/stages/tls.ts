// The TLS handshake as the SDK will do it (SNI, trusted CA, client certificate, ALPN h2), taken apart so that each
// failure has its own id: plaintext or HTTP/1.x server, untrusted chain (and whether a configured CA replaced the
// public roots, docs/research/common-failures.md#trust-mistakes), name mismatch, expired certificate, client
// certificate required or rejected (TLS 1.3 alerts arrive after the handshake,
// docs/research/common-failures.md#client-certificates), ALPN, silent server. It runs in up to three handshakes:
//  1. inspect: no client certificate, verification reported instead of enforced, so the chain is seen even when bad;
//  2. default roots: only when the chain is untrusted under a configured CA, to prove the CA replaced public roots;
//  3. mTLS: the client certificate is sent only to a server the first handshake verified, with verification enforced.
// When TLS is off it still sends one ClientHello (no certificate) to catch "the server speaks TLS but TLS is off".
import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { defineStage, type CheckResult, type Evidence } from '../pipeline/types.js';
import { evidence, fail, pass, skip, warn } from '../pipeline/check.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { describeSource } from '../report/safe-target.js';
import { budget, slowAnswerAfterMs } from '../net/deadline.js';
import { probeTls, type TlsProbeOptions, type TlsProbeResult, type TlsSession } from '../net/tls-probe.js';
import { guessPeer, httpStatusLine, hexPreview, type PeerGuess } from '../net/peer-bytes.js';
import { CLIENT_CERT_REJECTION_ALERTS, NOT_TLS_CODES, UNTRUSTED_CHAIN_CODES, type TlsAlert } from '../net/tls-alerts.js';
import { isoDate, oneLineName } from '../knowledge/pem-forensics.js';
import { formatHostPort } from '../knowledge/temporal-endpoints.js';
import type { PemFacts } from './pem.js';
import { nameOf, type EndpointFacts } from './endpoint.js';
import { KEPT_TCP_CONNECTION, type TcpFacts } from './tcp.js';
import type { ConnectedSocket } from '../net/tcp-connect.js';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  isCa: boolean;
}
export type TlsFacts =
  | {
      mode: 'plaintext';
      /** A probe found a TLS server although TLS is off. */ serverSpeaksTls?: boolean;
      /** What answered the probe's ClientHello: HTTP/2 frames (a plaintext HTTP/2 server, as gRPC is), HTTP/1.x, nothing, ... */
      peer?: PeerGuess | 'silent' | 'closed';
    }
  | {
      mode: 'tls';
      protocol: string;
      cipher: string;
      alpn: string | false;
      authorized: boolean;
      peerChain: CertificateSummary[];
      /**
       * The chain as the server sent it on the inspect handshake (no client certificate, ALPN h2, the SNI the SDK
       * sends): the handshake Core makes, so the Worker view judges these instead of shaking hands again.
       */
      sentChain?: X509Certificate[];
      /** True when the server answered the HTTP/2 preface sent after a handshake with HTTP/2 frames. */
      answeredHttp2?: boolean;
      /** True when the server demanded a client certificate (it sent certificate_required without one). */
      clientCertRequested: boolean;
      /** The address the handshake went to, and the SNI sent (absent for IP literals). */
      address?: string;
      serverName?: string;
    };

/** Budget for the ClientHello probe when TLS is off: a TLS server answers within one round trip. */
const PLAINTEXT_PROBE_MS = 1000;

export const tlsStage = defineStage({
  id: 'tls',
  title: 'TLS handshake',
  needs: ['config', 'pem', 'endpoint', 'tcp'],
  async run(ctx) {
    const { config, pem, endpoint, tcp } = ctx.facts;
    const target = tcp.reachable[0];
    if (!target) return { checks: [skip('tls.handshake.no-address', 'No address accepted a TCP connection')] };
    const servername = isIP(endpoint.serverName) ? undefined : endpoint.serverName;
    const base = {
      address: target.address,
      family: target.family,
      port: endpoint.port,
      verifyName: endpoint.serverName,
      ...(servername ? { servername } : {}),
      signal: ctx.signal,
    };
    const where = formatHostPort(target.address, endpoint.port);
    // The tcp stage's connection to this address, if it kept one: the first probe saves a connect with it.
    const reuseConnection = (): ConnectedSocket | undefined => {
      const handed = ctx.run.take<ConnectedSocket>(KEPT_TCP_CONNECTION);
      if (handed?.attempt.address === target.address && handed.attempt.port === endpoint.port) return handed;
      handed?.socket.destroy();
      return undefined;
    };
    const slowAnswer = {
      afterMs: slowAnswerAfterMs(target.connectMs),
      notify: (waitedMs: number) => ctx.trouble(`no TLS handshake with ${where} after ${waitedMs} ms (its TCP connect took ${target.connectMs} ms)`),
    };

    if (!config.tls.value) {
      ctx.progress(`Checking whether ${where} speaks TLS`);
      return plaintextProbe(config, { ...base, slowAnswer, reuseConnection }, where, Math.min(PLAINTEXT_PROBE_MS, ctx.timeoutMs));
    }
    ctx.progress(`TLS handshake with ${where}${servername ? ` (SNI ${servername})` : ''}`);
    return new TlsDiagnosis(config, pem, endpoint, tcp, { ...base, slowAnswer, reuseConnection }, where, ctx.timeoutMs, ctx.now(), ctx.options.expiryWarnDays).run();
  },
});

type ProbeBase = Pick<TlsProbeOptions, 'address' | 'family' | 'port' | 'verifyName' | 'servername' | 'signal' | 'slowAnswer' | 'reuseConnection'>;

// ---- TLS off ------------------------------------------------------------------------------------------------------

async function plaintextProbe(config: ResolvedConfig, base: ProbeBase, where: string, timeoutMs: number): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
  // Verification is off here, so no client certificate is ever sent on this probe; and as the chain verdict is unused,
  // nothing is trusted (no root store to load).
  const probe = await probeTls({ ...base, timeoutMs, ca: [], rejectUnauthorized: false, postHandshakeWaitMs: 0 });
  const tlsSource = describeSource(config.tls.source);
  if (probe.reached === 'established' || probe.received.guess === 'tls') {
    const leaf = probe.session?.chain[0];
    return {
      checks: [
        fail('tls.server.speaks-tls', `${where} speaks TLS, but TLS is off (${tlsSource})`, {
          durationMs: probe.ms,
          evidence: evidence({
            'answered ClientHello': probe.session ? `${probe.session.protocol} handshake in ${probe.handshakeMs} ms` : 'with a TLS record',
            'server certificate': leaf ? oneLineName(leaf.subject) : undefined,
            tls: `off (${tlsSource})`,
          }),
          fix: `Turn TLS on: pass --tls (or TEMPORAL_TLS=true)${whatTurnedTlsOff(config)}, and give --tls-ca-path if the server uses a private CA. A plaintext client sees only a reset or "Failed to connect before the deadline" from this server.`,
        }),
      ],
    };
  }
  const guess = probe.received.guess;
  const peer: Exclude<NonNullable<Extract<TlsFacts, { mode: 'plaintext' }>['peer']>, 'tls'> =
    guess ?? (probe.failure?.kind === 'timeout' ? 'silent' : 'closed');
  const answered: Record<typeof peer, string> = {
    http2: 'answered with HTTP/2 frames (a plaintext HTTP/2 server, as gRPC is)',
    http1: `answered with plaintext HTTP/1.x${httpStatusLine(probe.received.first) ? ` (${httpStatusLine(probe.received.first)})` : ''}`,
    unknown: `answered with non-TLS bytes (${hexPreview(probe.received.first)})`,
    silent: `sent nothing in ${probe.ms} ms`,
    closed: 'closed the connection without answering',
  };
  return {
    checks: [
      skip('tls.mode.plaintext', `TLS is off (${tlsSource}); a TLS ClientHello to ${where} got no TLS answer`, {
        durationMs: probe.ms,
        evidence: evidence({ tls: `off (${tlsSource})`, 'ClientHello probe': `${where} ${answered[peer]}`, waited: `${probe.ms} ms` }),
      }),
    ],
    facts: { mode: 'plaintext', serverSpeaksTls: false, peer },
  };
}

/** " and remove X" naming the setting that turned TLS off, when it was not just the default. */
function whatTurnedTlsOff(config: ResolvedConfig): string {
  const source = config.tls.source;
  if (source.kind === 'default' || source.kind === 'derived') return '';
  return source.kind === 'profile' ? ` and remove ${source.name} from the profile` : ` and remove ${source.name}=false`;
}

// ---- TLS on -------------------------------------------------------------------------------------------------------

class TlsDiagnosis {
  readonly #checks: CheckResult[] = [];
  /** Some handshake's HTTP/2 preface drew HTTP/2 frames back: the server speaks HTTP/2 over TLS. */
  #answeredHttp2 = false;
  readonly #clock: ReturnType<typeof budget>;
  readonly #trust: string;
  readonly #caName: string | undefined;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly pem: PemFacts,
    private readonly endpoint: EndpointFacts,
    private readonly tcp: TcpFacts,
    private readonly base: ProbeBase,
    private readonly where: string,
    timeoutMs: number,
    private readonly now: Date,
    private readonly warnDays: number
  ) {
    this.#clock = budget(timeoutMs);
    this.#caName = config.serverCa?.source.name;
    this.#trust = pem.serverCaPem !== undefined ? `the CA from ${this.#caName}` : "Node's default roots (the Worker uses the OS trust store instead)";
  }

  async run(): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
    const inspect = await this.#probe({ ...(this.pem.serverCaPem !== undefined ? { ca: this.pem.serverCaPem } : {}), rejectUnauthorized: false });
    const client = this.#clientPair();

    if (inspect.reached !== 'established' || !inspect.session) {
      const certDemanded = inspect.failure?.alert && isCertificateDemand(inspect.failure.alert);
      if (!(certDemanded && client)) {
        this.#handshakeFailure(inspect, false);
        return { checks: this.#checks };
      }
      // TLS 1.2 servers demand the certificate inside the handshake: only the mTLS handshake can get further.
      const mtls = await this.#probe({ ...(this.pem.serverCaPem !== undefined ? { ca: this.pem.serverCaPem } : {}), rejectUnauthorized: true, clientCert: client });
      if (mtls.reached !== 'established' || !mtls.session) {
        this.#handshakeFailure(mtls, true);
        return { checks: this.#checks };
      }
      return this.#judgeSession(mtls, mtls, true);
    }
    return this.#judgeSession(inspect, undefined, false);
  }

  async #judgeSession(inspect: TlsProbeResult, mtlsDone: TlsProbeResult | undefined, certDemanded: boolean): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
    const session = inspect.session as TlsSession;
    const verified = await this.#chainChecks(inspect, session);
    const named = this.#nameCheck(inspect, session);
    if (verified && named) this.#workerDifferences(session);
    this.#alpnCheck(inspect, session);

    let demanded = certDemanded;
    if (!mtlsDone) demanded = this.#afterInspect(inspect) || demanded;
    const client = this.#clientPair();
    if (client) {
      if (mtlsDone) this.#clientCertVerdict(mtlsDone);
      else if (verified && named) this.#clientCertVerdict(await this.#probe({ ...(this.pem.serverCaPem !== undefined ? { ca: this.pem.serverCaPem } : {}), rejectUnauthorized: true, clientCert: client }));
      else this.#checks.push(skip('tls.client-cert.not-sent', 'The client certificate was not presented: the server did not pass verification, so the doctor does not send it'));
    }

    if (this.#checks.some((c) => c.status === 'fail')) return { checks: this.#checks };
    return {
      checks: this.#checks,
      facts: {
        mode: 'tls',
        protocol: session.protocol,
        cipher: session.cipher,
        alpn: session.alpn,
        authorized: session.authorized && !session.identityError,
        peerChain: session.chain.map(summarise),
        // Not when only the mTLS handshake got through (a TLS 1.2 server demanding a certificate): Core's would differ.
        ...(certDemanded ? {} : { sentChain: session.chain }),
        clientCertRequested: demanded,
        answeredHttp2: this.#answeredHttp2,
        address: this.base.address,
        ...(this.base.servername ? { serverName: this.base.servername } : {}),
      },
    };
  }

  async #probe(extra: Pick<TlsProbeOptions, 'ca' | 'rejectUnauthorized' | 'clientCert'>, postHandshake = true): Promise<TlsProbeResult> {
    const timeoutMs = this.#clock.remaining();
    const probe = await probeTls({ ...this.base, ...extra, timeoutMs, postHandshakeWaitMs: postHandshake ? postHandshakeWait(timeoutMs) : 0 });
    if (probe.after?.outcome === 'server-data' && guessPeer(probe.after.first) === 'http2') this.#answeredHttp2 = true;
    return probe;
  }

  #clientPair(): { cert: string; key: string } | undefined {
    const { clientCertPem, clientKeyPem } = this.pem;
    // The only place the key leaves its Secret: handed to node:tls for the handshake.
    return clientCertPem !== undefined && clientKeyPem !== undefined ? { cert: clientCertPem, key: clientKeyPem.reveal() } : undefined;
  }

  #context(probe: TlsProbeResult, extra: Record<string, string | number | undefined> = {}): Evidence[] {
    return evidence({
      address: this.where,
      'server name (SNI)': this.base.servername ?? `none (IP literal; certificate checked for ${this.base.verifyName})`,
      trust: this.#trust,
      waited: `${probe.ms} ms`,
      ...extra,
    });
  }

  // ---- handshake did not complete --------------------------------------------------------------------------------

  #handshakeFailure(probe: TlsProbeResult, clientCertSent: boolean): void {
    const failure = probe.failure;
    const received = probe.received;
    const durationMs = probe.ms;
    const cause = failure ? { cause: { name: 'Error', ...(failure.code ? { code: failure.code } : {}), message: failure.message } } : {};
    const tlsName = nameOf('tls', this.config.tlsExplicit ?? this.config.tls);

    if (probe.reached === 'tcp') {
      this.#checks.push(
        fail('tls.connect.failed', `Could not reconnect to ${this.where} for the TLS handshake: ${probe.tcp.outcome}`, {
          durationMs,
          evidence: this.#context(probe, { tcp: `${probe.tcp.outcome} after ${probe.tcp.ms} ms` }),
          fix: 'The server stopped accepting connections between the tcp and tls checks: rerun; if it repeats, the server or a load balancer is flapping.',
          ...(probe.tcp.code ? { cause: { name: 'Error', code: probe.tcp.code, message: probe.tcp.message ?? probe.tcp.code } } : {}),
        })
      );
      return;
    }
    if (received.guess === 'http1') {
      const status = httpStatusLine(received.first);
      this.#checks.push(
        fail('tls.server.http1', `${this.where} answered the TLS handshake with plaintext HTTP/1.x${status ? ` (${status})` : ''}: it is a web server, not a TLS gRPC endpoint`, {
          durationMs,
          evidence: this.#context(probe, { 'first bytes': status ?? hexPreview(received.first) }),
          ...cause,
          fix: `Point ${nameOf('address', this.config.address)} at the Temporal frontend's gRPC port (7233 by default), not a web UI or HTTP service port.`,
        })
      );
      return;
    }
    if (received.guess === 'http2' || received.guess === 'unknown' || (failure?.code !== undefined && NOT_TLS_CODES.has(failure.code))) {
      const what = received.guess === 'http2' ? 'with HTTP/2 frames: a plaintext HTTP/2 server, as gRPC is' : `in plaintext (${hexPreview(received.first)})`;
      this.#checks.push(
        fail('tls.server.plaintext', `${this.where} does not speak TLS: it answered the ClientHello ${what}`, {
          durationMs,
          evidence: this.#context(probe, { 'first bytes': hexPreview(received.first), tls: `on (${describeSource(this.config.tls.source)})` }),
          ...cause,
          fix: `Turn TLS off for this server (--tls=false, or remove ${tlsName})${this.config.apiKey ? '; note that the API key then travels unencrypted' : ''}, or point ${nameOf('address', this.config.address)} at the server's TLS port.`,
        })
      );
      return;
    }
    if (failure?.kind === 'timeout') {
      this.#checks.push(
        fail('tls.handshake.timeout', `${this.where} accepted TCP but ${received.bytes === 0 ? 'sent nothing' : `stalled after ${received.bytes} bytes`} within ${durationMs} ms of the TLS ClientHello`, {
          durationMs,
          evidence: this.#context(probe, { 'bytes received': received.bytes }),
          fix: `Something accepts connections on port ${this.endpoint.port} but does not complete TLS (a firewall or proxy that swallows traffic, a wrong port, or an overloaded server). The Worker hangs forever here and the Client fails after 10 s; check the port and anything between you and the server.`,
        })
      );
      return;
    }
    if (failure?.kind === 'alert' && failure.alert) {
      this.#alertDuringHandshake(probe, failure.alert, clientCertSent, cause);
      return;
    }
    if (failure?.kind === 'verify') {
      // Only the enforced (mTLS) handshake raises these; the inspect handshake already reported the chain.
      this.#checks.push(
        fail('tls.server-chain.untrusted', `Server certificate did not verify during the mTLS handshake (${failure.code ?? failure.message})`, {
          durationMs,
          evidence: this.#context(probe),
          ...cause,
          fix: `Point ${this.#caName ?? '--tls-ca-path'} at the CA that issued the server certificate.`,
        })
      );
      return;
    }
    if (failure?.kind === 'reset' || failure?.kind === 'closed') {
      this.#checks.push(
        fail(`tls.handshake.${failure.kind}`, `${this.where} ${failure.kind === 'reset' ? 'reset' : 'closed'} the connection during the TLS handshake without a TLS alert`, {
          durationMs,
          evidence: this.#context(probe, { 'bytes received': received.bytes }),
          ...cause,
          fix: `The server or something in front of it dropped the ClientHello: a proxy or firewall filtering TLS, a server that expects another server name (SNI ${this.base.servername ?? 'none'}), or a plaintext server that hangs up on TLS (try --tls=false).`,
        })
      );
      return;
    }
    this.#checks.push(
      fail('tls.handshake.failed', `TLS handshake with ${this.where} failed: ${failure?.message ?? 'unknown error'}`, {
        durationMs,
        evidence: this.#context(probe),
        ...cause,
        fix: 'Check the TLS settings against what the server expects; rerun with -o markdown and attach the report if the cause is unclear.',
      })
    );
  }

  #alertDuringHandshake(probe: TlsProbeResult, alert: TlsAlert, clientCertSent: boolean, cause: object): void {
    const details = { durationMs: probe.ms, evidence: this.#context(probe, { alert: alertText(alert) }), ...cause };
    if (alert.name === 'no application protocol') {
      this.#checks.push(
        fail('tls.alpn.no-h2', `${this.where} refused ALPN h2 (${alertText(alert)}): it does not serve HTTP/2 over TLS, so gRPC cannot run`, {
          ...details,
          fix: 'Point the address at the gRPC port, or configure the load balancer / TLS terminator in front of Temporal to offer ALPN h2 (HTTP/2).',
        })
      );
      return;
    }
    if (isCertificateDemand(alert) && !clientCertSent) {
      this.#checks.push(this.#certificateRequired(probe, alert));
      return;
    }
    if (clientCertSent && CLIENT_CERT_REJECTION_ALERTS.has(alert.name)) {
      this.#checks.push(this.#certificateRejected(probe, alert));
      return;
    }
    if (alert.name === 'unrecognized name') {
      this.#checks.push(
        fail('tls.server-name.unrecognized', `${this.where} does not serve the server name ${this.base.servername ?? '(none sent)'} (${alertText(alert)})`, {
          ...details,
          fix: `Set ${nameOf('tlsServerName', this.config.serverName)} to the name the server is configured for (on Temporal Cloud, the namespace endpoint <name>.<account-id>.tmprl.cloud).`,
        })
      );
      return;
    }
    this.#checks.push(
      fail('tls.handshake.alert', `${this.where} aborted the TLS handshake with ${alertText(alert)}`, {
        ...details,
        fix:
          alert.name === 'protocol version' || alert.name === 'insufficient security' || alert.name === 'handshake failure'
            ? 'Client and server share no TLS version or cipher suite: the SDK needs TLS 1.2 or 1.3 with modern ciphers; update the server or the TLS terminator in front of it.'
            : 'Check the server logs for why it rejected the handshake; rerun with -o markdown and attach the report if the cause is unclear.',
      })
    );
  }

  // ---- server chain and name -------------------------------------------------------------------------------------

  /** Returns whether the chain is trusted. */
  async #chainChecks(probe: TlsProbeResult, session: TlsSession): Promise<boolean> {
    const leaf = session.chain[0];
    const chainEvidence = [...this.#context(probe, { protocol: session.protocol, cipher: session.cipher }), ...chainEvidenceOf(session.chain)];
    if (session.authorized) {
      this.#checks.push(
        pass('tls.server-chain.trusted', `Server certificate ${leaf ? oneLineName(leaf.subject) : ''} chains to ${this.#trust}; ${session.protocol} handshake in ${probe.handshakeMs} ms`, {
          durationMs: probe.ms,
          evidence: chainEvidence,
        })
      );
      return true;
    }
    const code = session.authorizationError ?? 'UNKNOWN';
    if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
      const expired = code === 'CERT_HAS_EXPIRED';
      const cert = session.chain.find((c) => (expired ? new Date(c.validTo) < this.now : new Date(c.validFrom) > this.now)) ?? leaf;
      this.#checks.push(
        fail(expired ? 'tls.server-cert.expired' : 'tls.server-cert.not-yet-valid', expired ? `Server certificate ${cert ? oneLineName(cert.subject) : ''} expired on ${cert ? isoDate(cert.validTo) : 'an earlier date'}` : `Server certificate ${cert ? oneLineName(cert.subject) : ''} is not valid until ${cert ? isoDate(cert.validFrom) : 'a later date'}`, {
          durationMs: probe.ms,
          evidence: [...chainEvidence, ...evidence({ now: this.now.toISOString() })],
          cause: { name: 'Error', code, message: code },
          fix: expired
            ? 'The server operator must renew the server certificate (both SDK stacks refuse it); nothing on the client side fixes this.'
            : "Check this machine's clock (NTP); if the clock is right, the server certificate was issued for the future and must be reissued.",
        })
      );
      return false;
    }
    if (UNTRUSTED_CHAIN_CODES.has(code)) {
      await this.#untrusted(probe, session, code, chainEvidence);
      return false;
    }
    this.#checks.push(
      fail('tls.server-chain.invalid', `Server certificate chain is invalid (${code})`, {
        durationMs: probe.ms,
        evidence: chainEvidence,
        cause: { name: 'Error', code, message: code },
        fix: 'The server sends a certificate chain that no client accepts (bad signature, wrong key usage or a broken intermediate): the server operator must fix the chain.',
      })
    );
    return false;
  }

  async #untrusted(probe: TlsProbeResult, session: TlsSession, code: string, chainEvidence: Evidence[]): Promise<void> {
    const leaf = session.chain[0];
    const issuer = leaf ? oneLineName(leaf.issuer) : 'unknown';
    const cause = { name: 'Error', code, message: code };
    if (this.pem.serverCaPem !== undefined && this.#caName) {
      // A CA setting replaces the public roots (docs/research/common-failures.md#trust-mistakes): prove it with one
      // more handshake on default roots.
      const publicRoots = await this.#probe({ rejectUnauthorized: false }, false);
      if (publicRoots.session?.authorized) {
        this.#checks.push(
          fail('tls.server-chain.untrusted', `Server certificate chains to a public root, but ${this.#caName} replaces the public roots with its own CA`, {
            durationMs: probe.ms + publicRoots.ms,
            evidence: [...chainEvidence, ...evidence({ 'with default roots': `verifies (checked in ${publicRoots.ms} ms)`, 'configured CA': this.#caSubjects() })],
            cause,
            fix: `Remove ${this.#caName}: this server's certificate is publicly trusted, and a server CA setting replaces the default roots instead of adding to them (the classic Temporal Cloud mistake: the CA that signs your client certificates is not the server's CA).`,
          })
        );
        return;
      }
      this.#checks.push(
        fail('tls.server-chain.untrusted', `Server certificate (issued by ${issuer}) is not signed by the CA in ${this.#caName}`, {
          durationMs: probe.ms + publicRoots.ms,
          evidence: [...chainEvidence, ...evidence({ 'configured CA': this.#caSubjects(), 'with default roots': 'does not verify either' })],
          cause,
          fix: `Point ${this.#caName} at the CA that issued the server certificate (${issuer}); the file given holds a different CA.`,
        })
      );
      return;
    }
    this.#checks.push(
      fail('tls.server-chain.untrusted', `Server certificate (issued by ${issuer}) does not chain to a trusted root`, {
        durationMs: probe.ms,
        evidence: chainEvidence,
        cause,
        fix: `The server uses a private or self-signed CA: set --tls-ca-path (or TEMPORAL_TLS_SERVER_CA_CERT_PATH) to the CA that issued it (${issuer}). If it is a public CA, this machine's trust store is missing it (install ca-certificates).`,
      })
    );
  }

  #caSubjects(): string {
    return this.pem.serverCaCerts.map((c) => oneLineName(c.subject)).join('; ') || 'unknown';
  }

  /** Returns whether the certificate is valid for the server name. */
  #nameCheck(probe: TlsProbeResult, session: TlsSession): boolean {
    const leaf = session.chain[0];
    const names = leaf ? sanList(leaf) : [];
    const verifyName = this.base.verifyName;
    if (!session.identityError) {
      this.#checks.push(pass('tls.server-name.matches', `Server certificate is valid for ${verifyName}`, { durationMs: probe.ms, evidence: evidence({ 'server name': verifyName, 'certificate names': names.join(', ') || undefined }) }));
      return true;
    }
    const dnsNames = names.filter((n) => n.startsWith('DNS:')).map((n) => n.slice(4)).filter((n) => !n.includes('*'));
    const serverNameSetting = nameOf('tlsServerName', this.config.serverName);
    const suggestion = dnsNames[0];
    const fix = this.config.serverName
      ? `${serverNameSetting} is ${verifyName}, which the certificate does not name: set it to one of ${names.join(', ') || 'the names on the certificate'}${suggestion ? ` (for example ${suggestion})` : ''}.`
      : suggestion
        ? `Connect by a name on the certificate, or set ${serverNameSetting} to ${suggestion}${dnsNames.length > 1 ? ` (the certificate also names ${dnsNames.slice(1).join(', ')})` : ''}. Disabling host verification is not possible in the TypeScript SDK.`
        : `The certificate names ${names.join(', ') || 'nothing usable'}: have the server certificate reissued with ${verifyName} in its subjectAltName.`;
    this.#checks.push(
      fail('tls.server-name.mismatch', `Server certificate is not valid for ${verifyName}; it names ${names.join(', ') || leaf?.subject || 'nothing'}`, {
        durationMs: probe.ms,
        evidence: evidence({ 'server name': verifyName, 'certificate names': names.join(', ') || '(none)', subject: leaf ? oneLineName(leaf.subject) : undefined }),
        cause: { name: 'Error', code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: session.identityError },
        fix,
      })
    );
    return false;
  }

  /**
   * Server certificates the Client accepts but the Worker (rustls/webpki) refuses
   * (docs/research/sdk-stacks.md#where-the-stacks-disagree).
   */
  #workerDifferences(session: TlsSession): void {
    const leaf = session.chain[0];
    if (!leaf) return;
    if (!leaf.subjectAltName) {
      this.#checks.push(
        warn('tls.server-cert.cn-only', `Server certificate ${oneLineName(leaf.subject)} has no subjectAltName: the Client accepts it (CN fallback) but the Worker fails with NotValidForName`, {
          evidence: evidence({ subject: oneLineName(leaf.subject) }),
          fix: 'Have the server certificate reissued with the host name in subjectAltName (DNS:...); modern TLS stacks ignore the CN.',
        })
      );
    }
    if (leaf.ca && session.chain.length === 1) {
      this.#checks.push(
        warn('tls.server-cert.ca-as-leaf', `Server certificate ${oneLineName(leaf.subject)} is a CA certificate (CA:TRUE) used as the server certificate: the Worker fails with CaUsedAsEndEntity`, {
          evidence: evidence({ subject: oneLineName(leaf.subject) }),
          fix: 'Issue the server a leaf certificate (basicConstraints CA:FALSE) from that CA instead of serving the CA certificate itself (openssl req -x509 makes CA:TRUE by default).',
        })
      );
    }
    const daysLeft = Math.floor((new Date(leaf.validTo).getTime() - this.now.getTime()) / 86_400_000);
    if (daysLeft >= 0 && daysLeft < this.warnDays) {
      this.#checks.push(
        warn('tls.server-cert.expiring', `Server certificate ${oneLineName(leaf.subject)} expires in ${daysLeft} days (${isoDate(leaf.validTo)})`, {
          evidence: evidence({ 'valid to': isoDate(leaf.validTo), now: this.now.toISOString() }),
          fix: 'Ask the server operator to renew the server certificate before it expires; both SDK stacks refuse an expired one.',
        })
      );
    }
  }

  #alpnCheck(probe: TlsProbeResult, session: TlsSession): void {
    if (session.alpn === 'h2') {
      this.#checks.push(pass('tls.alpn.h2', 'Server negotiated ALPN h2 (HTTP/2)', { durationMs: probe.ms, evidence: evidence({ ALPN: 'h2' }) }));
    } else if (session.alpn === false) {
      this.#checks.push(
        warn('tls.alpn.not-negotiated', 'Server negotiated no ALPN protocol: the Client works, but the Worker fails with H2NotNegotiated', {
          durationMs: probe.ms,
          evidence: evidence({ offered: 'h2', negotiated: 'none' }),
          fix: 'Configure the TLS terminator or load balancer in front of Temporal to negotiate ALPN h2 (grpc-go >= 1.67 clients also require it).',
        })
      );
    } else {
      this.#checks.push(
        fail('tls.alpn.no-h2', `Server negotiated ALPN ${session.alpn}, not h2: gRPC needs HTTP/2`, {
          durationMs: probe.ms,
          evidence: evidence({ offered: 'h2', negotiated: session.alpn }),
          fix: 'Point the address at the gRPC port, or configure the TLS terminator in front of Temporal to offer h2.',
        })
      );
    }
  }

  // ---- after the handshake: client certificates ----------------------------------------------------------------

  /** Reads what the server did after the certificate-less handshake; returns whether it demanded a certificate. */
  #afterInspect(probe: TlsProbeResult): boolean {
    const after = probe.after;
    const hasClientCert = this.#clientPair() !== undefined;
    if (!after) return false;
    if (after.outcome === 'alert') {
      if (isCertificateDemand(after.alert)) {
        if (!hasClientCert) this.#checks.push(this.#certificateRequired(probe, after.alert));
        return true;
      }
      if (!hasClientCert) {
        this.#checks.push(
          fail('tls.session.alert', `${this.where} sent ${alertText(after.alert)} right after the handshake`, {
            durationMs: probe.ms,
            evidence: this.#context(probe, { alert: alertText(after.alert), 'after handshake': `${after.ms} ms` }),
            cause: { name: 'Error', ...(after.code ? { code: after.code } : {}), message: after.message },
            fix: 'The server rejected the connection after the handshake; if it expects mTLS, set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH).',
          })
        );
      }
      return false;
    }
    if ((after.outcome === 'closed' || after.outcome === 'reset') && !hasClientCert) {
      this.#checks.push(
        warn('tls.client-cert.inconclusive', `${this.where} ${after.outcome === 'reset' ? 'reset' : 'closed'} the connection ${after.ms} ms after the handshake, without a TLS alert`, {
          durationMs: probe.ms,
          evidence: this.#context(probe, { 'after handshake': `${after.outcome} after ${after.ms} ms` }),
          fix: 'The server may require a client certificate (mTLS) and drop clients without one: if so, set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH); the grpc check below shows whether requests get through.',
        })
      );
      return false;
    }
    if (after.outcome === 'server-data' && after.first.subarray(0, 5).toString('latin1') === 'HTTP/') {
      this.#checks.push(
        fail('tls.server.http1', `${this.where} speaks HTTP/1.x over TLS (${httpStatusLine(after.first) ?? 'HTTP/1.x response'}), not HTTP/2 gRPC`, {
          durationMs: probe.ms,
          evidence: this.#context(probe, { 'first response': httpStatusLine(after.first) ?? hexPreview(after.first) }),
          fix: `Point ${nameOf('address', this.config.address)} at the Temporal frontend's gRPC port; this is an HTTPS web server or a load balancer listener without HTTP/2.`,
        })
      );
    }
    return false;
  }

  #clientCertVerdict(probe: TlsProbeResult): void {
    const subject = this.pem.clientCert ? oneLineName(this.pem.clientCert.subject) : 'configured';
    if (probe.reached !== 'established') {
      this.#handshakeFailure(probe, true);
      return;
    }
    const after = probe.after;
    if (after?.outcome === 'alert') {
      this.#checks.push(isCertificateDemand(after.alert) || CLIENT_CERT_REJECTION_ALERTS.has(after.alert.name) ? this.#certificateRejected(probe, after.alert) : fail('tls.session.alert', `${this.where} sent ${alertText(after.alert)} after the mTLS handshake`, {
        durationMs: probe.ms,
        evidence: this.#context(probe, { alert: alertText(after.alert) }),
        cause: { name: 'Error', ...(after.code ? { code: after.code } : {}), message: after.message },
        fix: 'Check the server logs for why it dropped the connection after the handshake.',
      }));
      return;
    }
    if (after?.outcome === 'closed' || after?.outcome === 'reset') {
      this.#checks.push(
        warn('tls.client-cert.inconclusive', `${this.where} ${after.outcome === 'reset' ? 'reset' : 'closed'} the connection ${after.ms} ms after receiving the client certificate ${subject}, without a TLS alert`, {
          durationMs: probe.ms,
          evidence: [...this.#context(probe, { 'after handshake': `${after.outcome} after ${after.ms} ms` }), ...this.#clientCertEvidence()],
          fix: `The server most likely rejected the client certificate (some servers hang up without an alert): check that the CA that issued it (${this.#clientIssuer()}) is accepted by the server or namespace (tcld namespace accepted-client-ca list), and that it is not expired or filtered out.`,
        })
      );
      return;
    }
    const how = after?.outcome === 'server-data' ? 'the server answered the HTTP/2 preface' : `no rejection within ${after?.ms ?? 0} ms`;
    this.#checks.push(pass('tls.client-cert.accepted', `Server accepted the client certificate ${subject} (${how})`, { durationMs: probe.ms, evidence: [...this.#context(probe), ...this.#clientCertEvidence()] }));
  }

  #certificateRequired(probe: TlsProbeResult, alert: TlsAlert): CheckResult {
    const cloudApiKey = this.endpoint.kind === 'cloud-namespace' && this.config.apiKey !== undefined;
    return fail('tls.client-cert.required', `${this.where} requires a client certificate (${alertText(alert)}) and none is configured`, {
      durationMs: probe.ms,
      evidence: this.#context(probe, { alert: alertText(alert), 'API key': this.config.apiKey ? `set (${this.config.apiKey.source.name})` : undefined }),
      cause: { name: 'Error', message: `server sent ${alertText(alert)}` },
      fix: cloudApiKey
        ? `This namespace endpoint authenticates with mTLS, so the API key is not enough here: either use the regional endpoint shown on the namespace page (<region>.<cloud>.api.temporal.io:7233) for API keys, or set --tls-cert-path and --tls-key-path to a client certificate signed by a CA uploaded to the namespace.`
        : 'Set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH) to a client certificate and key signed by a CA the server accepts.',
    });
  }

  #certificateRejected(probe: TlsProbeResult, alert: TlsAlert): CheckResult {
    const subject = this.pem.clientCert ? oneLineName(this.pem.clientCert.subject) : 'configured';
    return fail('tls.client-cert.rejected', `${this.where} rejected the client certificate ${subject} (${alertText(alert)})`, {
      durationMs: probe.ms,
      evidence: [...this.#context(probe, { alert: alertText(alert) }), ...this.#clientCertEvidence()],
      cause: { name: 'Error', message: `server sent ${alertText(alert)}` },
      fix: `The server does not accept this certificate: its issuer (${this.#clientIssuer()}) must be a CA the server trusts (on Temporal Cloud, upload it with tcld namespace accepted-client-ca add), the certificate must not be expired, must allow clientAuth, and must pass any certificate filters.`,
    });
  }

  #clientIssuer(): string {
    return this.pem.clientCert ? oneLineName(this.pem.clientCert.issuer) : 'unknown';
  }

  #clientCertEvidence(): Evidence[] {
    const cert = this.pem.clientCert;
    return cert ? evidence({ 'client certificate': oneLineName(cert.subject), 'client issuer': oneLineName(cert.issuer), 'client valid to': isoDate(cert.validTo) }) : [];
  }
}

// ---- helpers ------------------------------------------------------------------------------------------------------

/** Long enough for an alert to come back over one more round trip, short enough not to slow a healthy run. */
function postHandshakeWait(remainingMs: number): number {
  return Math.max(0, Math.min(500, remainingMs - 50));
}

function isCertificateDemand(alert: TlsAlert): boolean {
  return alert.name === 'certificate required';
}

function alertText(alert: TlsAlert): string {
  return `TLS alert ${alert.number ?? '?'} ${alert.name.replace(/ /g, '_')}`;
}

function sanList(cert: X509Certificate): string[] {
  return cert.subjectAltName ? cert.subjectAltName.split(', ') : [];
}

function summarise(cert: X509Certificate): CertificateSummary {
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    subjectAltNames: sanList(cert),
    validFrom: isoDate(cert.validFrom),
    validTo: isoDate(cert.validTo),
    fingerprint256: cert.fingerprint256,
    isCa: cert.ca,
  };
}

function chainEvidenceOf(chain: X509Certificate[]): Evidence[] {
  return chain.flatMap((cert, i) => {
    const s = summarise(cert);
    const prefix = chain.length > 1 ? `certificate ${i + 1} ` : 'certificate ';
    return evidence({
      [`${prefix}subject`]: s.subject,
      [`${prefix}SANs`]: s.subjectAltNames.join(', ') || undefined,
      [`${prefix}issuer`]: s.issuer,
      [`${prefix}valid`]: `${s.validFrom} to ${s.validTo}`,
      [`${prefix}SHA-256`]: s.fingerprint256,
    });
  });
}
