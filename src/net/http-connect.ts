// One bounded HTTP CONNECT through a proxy, as grpc-js and Core send it (`CONNECT host:port HTTP/1.1`, `Host`, and
// `Proxy-Authorization: Basic` when credentials are given), with the answer classified the way a fix needs it. On 200
// the tunnel socket can be handed on, so TLS and the HTTP/2 preface run through the very path the SDK takes.
import { isIP, type Socket } from 'node:net';
import { lookup } from 'node:dns/promises';
import { bounded, budget, type Bounds } from './deadline.js';
import { tcpConnect, type TcpAttempt } from './tcp-connect.js';

export interface ConnectProxy {
  host: string;
  port: number;
  /** `user:password`; only its base64 form goes on the wire, never into a result. */
  credentials?: string;
}

export type ConnectAnswer =
  /** The proxy answered with an HTTP status line. */
  | { kind: 'status'; status: number; statusLine: string }
  /** The TCP connection to the proxy failed (see `tcp`). */
  | { kind: 'unreachable' }
  /** Connected, but no answer to CONNECT within the bound. */
  | { kind: 'silent'; waitedMs: number }
  /** Closed or reset before any answer. */
  | { kind: 'closed'; reset: boolean }
  /** Bytes that are not HTTP (e.g. a TLS or SOCKS server on the proxy port); first bytes as hex. */
  | { kind: 'not-http'; firstBytesHex: string };

export interface ConnectResult {
  answer: ConnectAnswer;
  /** The TCP connect to the proxy (address it resolved to, time, error). */
  tcp: TcpAttempt;
  /** Time from the CONNECT request to the answer. */
  answerMs?: number;
  /** The open tunnel (200 only, with `keepOpen`): the caller owns and must destroy it. */
  socket?: Socket;
}

const MAX_HEADER_BYTES = 8192;

/** CONNECT `authority` through `proxy`. */
export async function httpConnect(
  proxy: ConnectProxy,
  authority: string,
  bounds: Bounds,
  opts: { keepOpen?: boolean } = {}
): Promise<ConnectResult> {
  const clock = budget(bounds.timeoutMs);
  const resolved = await resolveProxy(proxy.host, bounds);
  if ('error' in resolved) {
    const tcp: TcpAttempt = {
      address: proxy.host,
      family: 4,
      port: proxy.port,
      outcome: 'error',
      ms: clock.elapsed(),
      code: resolved.code,
      message: resolved.error,
    };
    return { answer: { kind: 'unreachable' }, tcp };
  }
  const opened = await tcpConnect(
    { address: resolved.address, family: resolved.family, port: proxy.port },
    { signal: bounds.signal, timeoutMs: clock.remaining() },
    { keepOpen: true }
  );
  const { socket, ...tcp } = opened;
  if (!socket) return { answer: { kind: 'unreachable' }, tcp };
  const headers = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (proxy.credentials !== undefined)
    headers.push(`Proxy-Authorization: Basic ${Buffer.from(proxy.credentials).toString('base64')}`);
  const sent = performance.now();
  socket.write(`${headers.join('\r\n')}\r\n\r\n`);
  const answer = await readAnswer(socket, { signal: bounds.signal, timeoutMs: clock.remaining() });
  const answerMs = Math.round(performance.now() - sent);
  if (answer.kind === 'status' && answer.status === 200 && opts.keepOpen) {
    if (answer.rest.length) socket.unshift(answer.rest);
    return { answer: { kind: 'status', status: 200, statusLine: answer.statusLine }, tcp, answerMs, socket };
  }
  socket.destroy();
  if (answer.kind === 'status')
    return { answer: { kind: 'status', status: answer.status, statusLine: answer.statusLine }, tcp, answerMs };
  return { answer, tcp, answerMs };
}

async function resolveProxy(
  host: string,
  bounds: Bounds
): Promise<{ address: string; family: 4 | 6 } | { error: string; code: string }> {
  const literal = isIP(host);
  if (literal) return { address: host, family: literal as 4 | 6 };
  try {
    const found = await bounded(lookup(host), bounds);
    return { address: found.address, family: found.family === 6 ? 6 : 4 };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'ERROR';
    return { error: `the proxy host ${host} does not resolve (${code})`, code: String(code) };
  }
}

type RawAnswer =
  | { kind: 'status'; status: number; statusLine: string; rest: Buffer }
  | Exclude<ConnectAnswer, { kind: 'status' } | { kind: 'unreachable' }>;

function readAnswer(socket: Socket, bounds: Bounds): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (answer: RawAnswer): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      bounds.signal.removeEventListener('abort', onSilent);
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.pause();
      resolve(answer);
    };
    const notHttp = (): RawAnswer => ({ kind: 'not-http', firstBytesHex: received.subarray(0, 16).toString('hex') });
    const onSilent = (): void =>
      finish(received.length ? notHttp() : { kind: 'silent', waitedMs: Math.round(performance.now() - started) });
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString('latin1');
      if (!'HTTP/'.startsWith(text.slice(0, 5)) && !text.startsWith('HTTP/')) return finish(notHttp());
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_HEADER_BYTES) finish(notHttp());
        return;
      }
      const statusLine = text.slice(0, text.indexOf('\r\n'));
      const match = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(statusLine);
      if (!match) return finish(notHttp());
      finish({
        kind: 'status',
        status: Number(match[1]),
        statusLine: statusLine.replace(/[^\x20-\x7e]/g, '?').slice(0, 100),
        rest: received.subarray(end + 4),
      });
    };
    const onEnd = (): void => finish(received.length ? notHttp() : { kind: 'closed', reset: false });
    const onError = (error: NodeJS.ErrnoException): void =>
      finish(received.length ? notHttp() : { kind: 'closed', reset: error.code === 'ECONNRESET' });
    const timer = setTimeout(onSilent, Math.max(0, bounds.timeoutMs));
    if (bounds.signal.aborted) onSilent();
    else bounds.signal.addEventListener('abort', onSilent, { once: true });
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.on('error', onError);
  });
}
