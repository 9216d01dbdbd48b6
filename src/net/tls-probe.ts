// One bounded TLS handshake to one address, reporting everything a diagnosis needs: the raw bytes the server sent (to
// tell a plaintext or HTTP/1.x server from a TLS one), the negotiated session, the server's chain, and what the server
// did right after the handshake. TLS 1.3 servers that reject or require a client certificate complete the handshake
// first and only then send their alert (docs/research/common-failures.md#client-certificates,
// docs/research/middleboxes.md#client-certificate-rejection), so after secureConnect the probe sends the HTTP/2 client
// preface a gRPC client would send and waits briefly for an alert, a close, or the server's first frame.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { X509Certificate } from 'node:crypto';
import {
  checkServerIdentity,
  connect as tlsConnect,
  createSecureContext,
  type DetailedPeerCertificate,
  type SecureContext,
  type TLSSocket,
} from 'node:tls';
import { armSlowAnswer, budget, type Bounds, type SlowAnswerWatch } from './deadline.js';
import { stillFresh, tcpConnect, type ConnectedSocket, type TcpAttempt } from './tcp-connect.js';
import { guessPeer, HTTP2_CLIENT_PREFACE, type PeerGuess } from './peer-bytes.js';
import { receivedAlert, socketEndOf, type TlsAlert } from './tls-alerts.js';
import { exchangeOverTls, type HttpAnswer } from './http2-exchange.js';
import { formatHostPort } from '../text/host-port.js';

export interface TlsProbeOptions extends Bounds {
  address: string;
  family: 4 | 6;
  port: number;
  /** Sent as SNI. Leave unset for IP literals: Node warns (DEP0123) and RFC 6066 forbids IPs in SNI. */
  servername?: string;
  /** Name or IP the server certificate must be valid for. */
  verifyName: string;
  /**
   * Trusted CA PEM; unset means Node's default roots (bundled Mozilla roots plus NODE_EXTRA_CA_CERTS). An empty list
   * trusts nothing, for a probe that ignores the chain verdict: loading the default roots costs about 20 ms of CPU.
   */
  ca?: string | readonly string[];
  /** Client certificate and key PEM. Only send them with `rejectUnauthorized: true`. */
  clientCert?: { cert: string; key: string };
  /** ALPN protocols to offer. @default ['h2'] */
  alpn?: string[];
  /** true: abort on an untrusted chain or a name mismatch, as the SDK does. false: finish and report. */
  rejectUnauthorized: boolean;
  /** How long to wait after the handshake for an alert, a close or the server's first bytes. 0 skips the wait. */
  postHandshakeWaitMs: number;
  /** Told when the handshake is still not done after `afterMs` (a silent, stalled or dripping server). */
  slowAnswer?: SlowAnswerWatch;
  /**
   * Ends the handshake as a timeout when the server has sent not one byte this long after the ClientHello (silent, not
   * slow: see silentHandshakeAfterMs), before `timeoutMs`. A server that sent anything gets the whole `timeoutMs`.
   */
  silentAfterMs?: number;
  /**
   * A connection to the same address made moments ago, offered to save a TCP connect; returns it at most once. The
   * probe uses it only if still open and silent (see stillFresh), and owns it from then on.
   */
  reuseConnection?: () => ConnectedSocket | undefined;
  /**
   * Opens the connection the handshake runs on, instead of a TCP connect to `address:port`: e.g. a CONNECT tunnel
   * through the proxy the SDK uses.
   */
  openConnection?: (bounds: Bounds) => Promise<TcpAttempt & { socket?: Socket }>;
}

export interface TlsSession {
  protocol: string;
  cipher: string;
  /** Negotiated ALPN protocol, or false when the server selected none. */
  alpn: string | false;
  /** Chain verified against the CA (Node's verdict, name check excluded when `rejectUnauthorized` is false). */
  authorized: boolean;
  /** e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, CERT_HAS_EXPIRED. */
  authorizationError?: string;
  /** The name check against `verifyName`, done here whatever the chain verdict (Node skips it when the chain fails). */
  identityError?: string;
  /** Server chain as sent, leaf first. */
  chain: X509Certificate[];
}

export type AfterHandshake =
  | { outcome: 'server-data'; ms: number; first: Buffer }
  | { outcome: 'alert'; ms: number; alert: TlsAlert; message: string; code?: string }
  | { outcome: 'closed' | 'reset'; ms: number; message?: string; code?: string; settings?: boolean }
  | {
      outcome: 'quiet';
      ms: number;
      /** An HTTP/2 SETTINGS frame came, but no answer to the request. */ settings?: boolean;
    }
  /** ALPN h2: the answer to one gRPC-shaped request (an ingress answers for the server with a status and a page). */
  | { outcome: 'http-answer'; ms: number; answer: HttpAnswer };

export interface TlsProbeResult {
  /** How far it got. */
  reached: 'tcp' | 'handshake' | 'established';
  tcp: TcpAttempt;
  /** Total time, TCP connect included. */
  ms: number;
  handshakeMs?: number;
  /** Raw (encrypted) bytes received from the server during the handshake. */
  received: { bytes: number; first: Buffer; guess?: PeerGuess };
  /** Why the handshake did not complete. */
  failure?: {
    kind: 'timeout' | 'closed' | 'reset' | 'alert' | 'verify' | 'error';
    code?: string;
    message: string;
    alert?: TlsAlert;
  };
  session?: TlsSession;
  after?: AfterHandshake;
}

const FIRST_BYTES_KEPT = 64;

// One context for every probe that trusts nothing: building one costs about as much as the handshake (fleet runs).
let trustNothingShared: SecureContext | undefined;
function trustNothingContext(): SecureContext {
  trustNothingShared ??= createSecureContext({ ca: [] });
  return trustNothingShared;
}

/** Passes bytes between a TCP socket and node:tls while keeping the first bytes the server sent and how it hung up. */
class TappedSocket extends Duplex {
  received = 0;
  first = Buffer.alloc(0);
  hangUp: 'end' | 'reset' | undefined;

  constructor(private readonly raw: Socket) {
    super();
    raw.on('data', (chunk: Buffer) => {
      this.received += chunk.length;
      if (this.first.length < FIRST_BYTES_KEPT)
        this.first = Buffer.concat([this.first, chunk]).subarray(0, FIRST_BYTES_KEPT);
      if (!this.push(chunk)) raw.pause();
    });
    raw.on('end', () => {
      this.hangUp ??= 'end';
      this.push(null);
    });
    raw.on('error', (error: NodeJS.ErrnoException) => {
      this.hangUp ??= error.code === 'ECONNRESET' ? 'reset' : 'end';
      this.destroy(error);
    });
  }
  override _read(): void {
    this.raw.resume();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    if (this.raw.destroyed) done();
    else this.raw.write(chunk, () => done());
  }
  override _final(done: (error?: Error | null) => void): void {
    this.raw.end();
    done();
  }
  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.raw.destroy();
    done(error);
  }
}

export async function probeTls(options: TlsProbeOptions): Promise<TlsProbeResult> {
  const clock = budget(options.timeoutMs);
  const reused = stillFresh(options.reuseConnection?.());
  if (reused) {
    const result = await handshakeOn(reused.socket, reused.attempt, options, clock);
    // A peer that closed the kept connection before it was used (an idle limit, one request per connection) never
    // saw the ClientHello: ask again on a connection of the probe's own, as it would have without the reuse.
    const unanswered =
      (result.failure?.kind === 'closed' || result.failure?.kind === 'reset') && result.received.bytes === 0;
    if (!unanswered) return result;
  }
  const tcp = options.openConnection
    ? await options.openConnection({ signal: options.signal, timeoutMs: clock.remaining() })
    : await tcpConnect({ address: options.address, family: options.family, port: options.port }, options, {
        keepOpen: true,
      });
  const { socket: raw, ...attempt } = tcp;
  if (!raw)
    return { reached: 'tcp', tcp: attempt, ms: clock.elapsed(), received: { bytes: 0, first: Buffer.alloc(0) } };
  return handshakeOn(raw, attempt, options, clock);
}

async function handshakeOn(
  raw: Socket,
  attempt: TcpAttempt,
  options: TlsProbeOptions,
  clock: ReturnType<typeof budget>
): Promise<TlsProbeResult> {
  const tap = new TappedSocket(raw);
  const trustNothing = Array.isArray(options.ca) && options.ca.length === 0 && !options.clientCert;
  const tls = tlsConnect({
    socket: tap,
    ...(options.servername ? { servername: options.servername } : {}),
    ...(trustNothing
      ? { secureContext: trustNothingContext() }
      : options.ca !== undefined
        ? { ca: options.ca as string | string[] }
        : {}),
    ...(options.clientCert ? { cert: options.clientCert.cert, key: options.clientCert.key } : {}),
    ALPNProtocols: options.alpn ?? ['h2'],
    rejectUnauthorized: options.rejectUnauthorized,
    checkServerIdentity: (_host, cert) => checkServerIdentity(options.verifyName, cert),
  });
  tls.on('error', () => {});
  try {
    const handshakeStart = performance.now();
    const disarm = armSlowAnswer(options.slowAnswer);
    const handshake = await waitForHandshake(
      tls,
      tap,
      { signal: options.signal, timeoutMs: clock.remaining() },
      options.silentAfterMs
    ).finally(disarm);
    const received = { bytes: tap.received, first: tap.first, ...guessOf(tap.first) };
    const base = { tcp: attempt, received };
    if ('failure' in handshake)
      return { ...base, reached: 'handshake', ms: clock.elapsed(), failure: handshake.failure };
    const handshakeMs = Math.round(performance.now() - handshakeStart);
    const session = describeSession(tls, options.verifyName);
    const waitMs = Math.min(options.postHandshakeWaitMs, clock.remaining());
    const bounds = { signal: options.signal, timeoutMs: waitMs };
    // With h2 agreed, a real request: an ingress in front of the server answers it with a status and a page, which
    // the bare preface never draws out (docs/research/middleboxes.md#grpc-ingresses).
    const after =
      waitMs <= 0
        ? undefined
        : session.alpn === 'h2'
          ? await exchangeOverTls(tls, options.servername ?? formatHostPort(options.address, options.port), bounds)
          : await afterHandshake(tls, session.alpn, bounds);
    return {
      ...base,
      received: { bytes: tap.received, first: tap.first, ...guessOf(tap.first) },
      reached: 'established',
      ms: clock.elapsed(),
      handshakeMs,
      session,
      ...(after ? { after } : {}),
    };
  } finally {
    tls.destroy();
    tap.destroy();
    raw.destroy();
  }
}

function guessOf(first: Buffer): { guess?: PeerGuess } {
  const guess = guessPeer(first);
  return guess ? { guess } : {};
}

type HandshakeOutcome = { ok: true } | { failure: NonNullable<TlsProbeResult['failure']> };

function waitForHandshake(
  tls: TLSSocket,
  tap: TappedSocket,
  bounds: Bounds,
  silentAfterMs?: number
): Promise<HandshakeOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: HandshakeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(silentTimer);
      bounds.signal.removeEventListener('abort', onTimeout);
      tls.off('secureConnect', onSecure);
      tls.off('error', onError);
      tls.off('close', onClose);
      resolve(outcome);
    };
    const waited = (): number => Math.round(performance.now() - started);
    const onTimeout = (): void =>
      finish({ failure: { kind: 'timeout', code: 'ETIMEOUT', message: `no TLS handshake within ${waited()} ms` } });
    const onSecure = (): void => finish({ ok: true });
    const onError = (error: NodeJS.ErrnoException): void => {
      const alert = receivedAlert(error);
      const code = error.code;
      if (alert) finish({ failure: { kind: 'alert', message: error.message, alert, ...(code ? { code } : {}) } });
      else if (isVerifyError(code))
        finish({ failure: { kind: 'verify', message: error.message, ...(code ? { code } : {}) } });
      else if (tap.hangUp && tap.received === 0)
        finish({
          failure: {
            kind: tap.hangUp === 'reset' ? 'reset' : 'closed',
            message: error.message,
            ...(code ? { code } : {}),
          },
        });
      else finish({ failure: { kind: 'error', message: error.message, ...(code ? { code } : {}) } });
    };
    const onClose = (): void =>
      finish({
        failure: {
          kind: tap.hangUp === 'reset' ? 'reset' : 'closed',
          message: 'the server closed the connection during the TLS handshake',
        },
      });
    const timer = setTimeout(onTimeout, Math.max(0, bounds.timeoutMs));
    const silentTimer =
      silentAfterMs !== undefined && silentAfterMs < bounds.timeoutMs
        ? setTimeout(() => {
            if (tap.received === 0) onTimeout();
          }, silentAfterMs)
        : undefined;
    if (bounds.signal.aborted) onTimeout();
    else bounds.signal.addEventListener('abort', onTimeout, { once: true });
    tls.once('secureConnect', onSecure);
    tls.on('error', onError);
    tls.once('close', onClose);
  });
}

/** Verification failures Node raises itself (rejectUnauthorized): OpenSSL X509 codes and the name check. */
function isVerifyError(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (code === 'ERR_TLS_CERT_ALTNAME_INVALID' ||
      /^(?:UNABLE_TO|CERT_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH|INVALID_)/.test(code))
  );
}

function describeSession(tls: TLSSocket, verifyName: string): TlsSession {
  const peer = tls.getPeerCertificate(true);
  const chain = chainOf(peer);
  const leafDetail = Object.keys(peer).length > 0 ? peer : undefined;
  const identity = leafDetail
    ? checkServerIdentity(verifyName, leafDetail)
    : new Error('the server sent no certificate');
  const authorizationError = tls.authorizationError ? String(tls.authorizationError) : undefined;
  return {
    protocol: tls.getProtocol() ?? 'unknown',
    cipher: tls.getCipher()?.name ?? 'unknown',
    alpn: tls.alpnProtocol ?? false,
    // With rejectUnauthorized false Node also folds the name check into authorized; keep the chain verdict alone.
    authorized: tls.authorized || authorizationError === 'ERR_TLS_CERT_ALTNAME_INVALID',
    ...(authorizationError && authorizationError !== 'ERR_TLS_CERT_ALTNAME_INVALID' ? { authorizationError } : {}),
    ...(identity ? { identityError: identity.message } : {}),
    chain,
  };
}

function chainOf(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = Object.keys(peer).length > 0 ? peer : undefined;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

function afterHandshake(tls: TLSSocket, alpn: string | false, bounds: Bounds): Promise<AfterHandshake> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let done = false;
    const finish = (outcome: AfterHandshake): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      bounds.signal.removeEventListener('abort', onQuiet);
      resolve(outcome);
    };
    const onQuiet = (): void => finish({ outcome: 'quiet', ms: ms() });
    const timer = setTimeout(onQuiet, Math.max(0, bounds.timeoutMs));
    if (bounds.signal.aborted) onQuiet();
    else bounds.signal.addEventListener('abort', onQuiet, { once: true });
    tls.on('data', (chunk: Buffer) =>
      finish({ outcome: 'server-data', ms: ms(), first: chunk.subarray(0, FIRST_BYTES_KEPT) })
    );
    tls.on('error', (error: NodeJS.ErrnoException) => finish(socketEndOf(error, ms())));
    tls.once('end', () => finish({ outcome: 'closed', ms: ms() }));
    tls.once('close', () => finish({ outcome: 'closed', ms: ms() }));
    // What a gRPC client sends first; an HTTP/2 server answers with SETTINGS, a rejecting server with an alert.
    if (alpn === 'h2' || alpn === false) tls.write(HTTP2_CLIENT_PREFACE);
    tls.resume();
  });
}
