// Sends the HTTP/2 client connection preface and reads what comes back: the one question grpc-js never answers
// ("Failed to connect before the deadline" covers an HTTP/1 server, a TLS server, a silent peer and a reset alike).
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import { sanitize } from '../text/sanitize.js';
import { armSlowAnswer, type SlowAnswerWatch } from './deadline.js';
import { httpConnect, type ConnectProxy } from './http-connect.js';

export type PrefaceAnswer =
  /** A SETTINGS frame: the server speaks HTTP/2. */
  | { kind: 'http2' }
  /** An HTTP/1.x status line, e.g. `HTTP/1.1 400 Bad Request`. */
  | { kind: 'http1'; statusLine: string }
  /** A TLS record came back to plaintext: the server wants TLS. */
  | { kind: 'tls-record' }
  /** Connection closed (or reset) before any byte arrived. */
  | { kind: 'closed'; reset: boolean }
  /** Nothing within the bound. */
  | { kind: 'silent'; waitedMs: number }
  /** Some other bytes (shown as hex). */
  | { kind: 'other'; firstBytesHex: string }
  /** Could not even connect or handshake. */
  | { kind: 'error'; message: string };

const PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'),
  // An empty SETTINGS frame: length 0, type 4, flags 0, stream 0.
  Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]),
]);
const FRAME_TYPE_SETTINGS = 4;

export interface PrefaceTarget {
  host: string;
  port: number;
  /** TLS options (ALPN h2 is added); absent for plaintext. */
  tls?: Pick<TlsConnectionOptions, 'servername' | 'ca' | 'cert' | 'key'>;
  /** Reach the server through this HTTP CONNECT proxy (CONNECT `authority`), as the Client does when one applies. */
  proxy?: ConnectProxy & { authority: string };
}

/** `slowAnswer` is told when no decisive answer has come after its `afterMs`. */
export async function probeHttp2Preface(
  target: PrefaceTarget,
  timeoutMs: number,
  signal?: AbortSignal,
  slowAnswer?: SlowAnswerWatch
): Promise<PrefaceAnswer> {
  if (!target.proxy) return prefaceOn(target, undefined, timeoutMs, signal, slowAnswer);
  const started = performance.now();
  const { authority, ...proxy } = target.proxy;
  const tunnel = await httpConnect(
    proxy,
    authority,
    { signal: signal ?? new AbortController().signal, timeoutMs },
    {
      keepOpen: true,
    }
  );
  if (!tunnel.socket) {
    const why =
      tunnel.answer.kind === 'status'
        ? `the proxy answered CONNECT with ${tunnel.answer.statusLine}`
        : `the proxy gave no tunnel (${tunnel.answer.kind}${tunnel.tcp.code ? ` ${tunnel.tcp.code}` : ''})`;
    return { kind: 'error', message: sanitize(why, 200) };
  }
  const left = Math.max(1, timeoutMs - Math.round(performance.now() - started));
  return prefaceOn(target, tunnel.socket, left, signal, slowAnswer);
}

function prefaceOn(
  target: PrefaceTarget,
  tunnel: Socket | undefined,
  timeoutMs: number,
  signal?: AbortSignal,
  slowAnswer?: SlowAnswerWatch
): Promise<PrefaceAnswer> {
  return new Promise((resolve) => {
    const started = performance.now();
    const disarm = armSlowAnswer(slowAnswer);
    let received = Buffer.alloc(0);
    let settled = false;
    const where = tunnel ? { socket: tunnel } : { host: target.host, port: target.port };
    const socket: Socket = target.tls
      ? tlsConnect({
          ...where,
          ...target.tls,
          ALPNProtocols: ['h2'],
          // A client certificate goes only to a server that proved who it is; without one the probe may look anywhere.
          rejectUnauthorized: Boolean(target.tls.cert ?? target.tls.key),
        })
      : (tunnel ?? netConnect({ host: target.host, port: target.port }));
    const finish = (answer: PrefaceAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      disarm();
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      tunnel?.destroy();
      resolve(answer);
    };
    // Bytes too few to decide on are still an answer: a peer that dripped them was not silent.
    const onAbort = (): void =>
      finish(
        received.length > 0
          ? (classify(received, target.tls !== undefined, true) as PrefaceAnswer)
          : { kind: 'silent', waitedMs: Math.round(performance.now() - started) }
      );
    const timer = setTimeout(onAbort, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    if (tunnel && !target.tls) {
      socket.write(PREFACE);
      socket.resume();
    } else socket.once(target.tls ? 'secureConnect' : 'connect', () => socket.write(PREFACE));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]).subarray(0, 64);
      const answer = classify(received, target.tls !== undefined);
      if (answer) finish(answer);
    });
    if (tunnel && target.tls) tunnel.resume();
    socket.on('end', () =>
      finish(classify(received, target.tls !== undefined, true) ?? { kind: 'closed', reset: false })
    );
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (received.length > 0)
        finish(classify(received, target.tls !== undefined, true) ?? { kind: 'closed', reset: false });
      else if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish({ kind: 'closed', reset: true });
      else finish({ kind: 'error', message: sanitize(error.message, 200) });
    });
  });
}

/** Undefined while more bytes may still decide it; `final` when no more will come. */
function classify(bytes: Buffer, overTls: boolean, final = false): PrefaceAnswer | undefined {
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('latin1');
  if (text.startsWith('HTTP/')) {
    const end = text.indexOf('\r\n');
    if (end >= 0 || final || bytes.length >= 64)
      return { kind: 'http1', statusLine: sanitize(end >= 0 ? text.slice(0, end) : text, 100) };
    return undefined;
  }
  if ('HTTP/'.startsWith(text) && !final) return undefined;
  // TLS record types 0x15 (alert) and 0x16 (handshake), version 3.x.
  if (!overTls && (bytes[0] === 0x15 || bytes[0] === 0x16) && (bytes.length < 2 || bytes[1] === 0x03))
    return { kind: 'tls-record' };
  if (bytes.length >= 9)
    return bytes[3] === FRAME_TYPE_SETTINGS
      ? { kind: 'http2' }
      : { kind: 'other', firstBytesHex: bytes.subarray(0, 16).toString('hex') };
  return final ? { kind: 'other', firstBytesHex: bytes.toString('hex') } : undefined;
}
