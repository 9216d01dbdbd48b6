// Loopback servers that are not what a Temporal client expects: silent, garbage, resets, HTTP/1.1, non-gRPC HTTP/2, stalls.
import { randomBytes } from 'node:crypto';
import { createServer as createHttp2Server } from 'node:http2';
import type { Http2Session } from 'node:http2';
import { connect, createServer as createNetServer } from 'node:net';
import type { Socket } from 'node:net';
import { LOOPBACK_HOST, serveLoopback } from './loopback.js';
import type { LoopbackServer } from './loopback.js';
import { startTlsServer } from './tls.js';
import type { TlsServer } from './tls.js';

export interface TcpServer extends LoopbackServer {
  /** Connections accepted so far. */
  connectionCount(): number;
}

/** What to do with each accepted socket; the returned function (if any) runs when the socket or the server closes. */
export type TcpBehaviour = (socket: Socket) => (() => void) | void;

export async function startPlainTcpServer(behaviour: TcpBehaviour): Promise<TcpServer> {
  const cleanups = new Set<() => void>();
  const server = createNetServer((socket) => {
    const cleanup = behaviour(socket);
    if (!cleanup) return;
    cleanups.add(cleanup);
    socket.once('close', () => {
      cleanups.delete(cleanup);
      cleanup();
    });
  });
  return serveLoopback(server, () => {
    for (const cleanup of cleanups) cleanup();
    cleanups.clear();
  });
}

/** Accepts and reads, never sends: the client's own deadline is the only way out. */
export function startSilentServer(): Promise<TcpServer> {
  return startPlainTcpServer((socket) => {
    socket.resume();
  });
}

// First byte fixed at 0x00 (no TLS record type, not the 'H' of HTTP) so clients fail the same way on every run.
function garbage(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes[0] = 0x00;
  return bytes;
}

/** Sends 1 KiB of random bytes as soon as a client connects, then keeps the connection open. */
export function startRandomBytesServer(): Promise<TcpServer> {
  return startPlainTcpServer((socket) => {
    socket.resume();
    socket.write(garbage(1024));
  });
}

/** Accepts, then aborts the connection with a TCP RST. */
export function startResetServer(): Promise<TcpServer> {
  return startPlainTcpServer((socket) => {
    socket.resetAndDestroy();
  });
}

const HTML_PAGE = '<!doctype html><html><head><title>Welcome</title></head><body><h1>It works</h1></body></html>\n';

/** A web server on the port: answers the first bytes received with an HTTP/1.1 200 HTML page, then closes. */
export function startHttp1Server(): Promise<TcpServer> {
  return startPlainTcpServer((socket) => {
    socket.once('data', () => {
      socket.end(
        'HTTP/1.1 200 OK\r\n' +
          'Content-Type: text/html; charset=utf-8\r\n' +
          `Content-Length: ${Buffer.byteLength(HTML_PAGE)}\r\n` +
          'Connection: close\r\n' +
          '\r\n' +
          HTML_PAGE
      );
    });
  });
}

/** Plaintext HTTP/2 (h2c) that answers every request 200 text/html: HTTP/2 works, gRPC does not. */
export async function startHttp2NonGrpcServer(): Promise<TcpServer> {
  const server = createHttp2Server((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(HTML_PAGE);
  });
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('error', () => {});
    session.once('close', () => sessions.delete(session));
  });
  return serveLoopback(server, () => {
    for (const session of sessions) session.destroy();
  });
}

/** Sends one byte of garbage per interval (default one second), forever: defeats "any bytes received" liveness checks. */
export function startDripServer(opts: { intervalMs?: number } = {}): Promise<TcpServer> {
  const intervalMs = opts.intervalMs ?? 1000;
  return startPlainTcpServer((socket) => {
    socket.resume();
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(garbage(1));
    }, intervalMs);
    return () => clearInterval(timer);
  });
}

/** Completes the TLS handshake (ALPN h2), then never sends or reads anything. */
export function startTlsStallServer(cert: { certPem: string; keyPem: string }): Promise<TlsServer> {
  return startTlsServer({ cert, onSecure: 'hold' });
}

/**
 * Low ports no test server can be given: they all bind port 0, which the OS hands out from its ephemeral range (32768
 * and up on Linux, 49152 and up elsewhere), and an unprivileged process cannot bind below 1024 at all. A port taken
 * from a server that was bound and closed again is free for anyone: a parallel jest worker (or another test run on the
 * machine) could be given it before the test dials it, and the test then meets a live server instead of a refusal.
 * Ports at the top of the privileged range (1023 reserved, 1021-1022 for experiments), each checked before it is
 * handed out; four digits, so a port in a report is not mistaken for any other small number.
 */
const REFUSED_CANDIDATES = [1023, 1022, 1021, 1020, 1019, 1018, 1017, 1016, 1015, 1014];
let nextCandidate = 0;

/** Whether a connection to the loopback port is refused now (a bounded wait: 2 s). */
function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: LOOPBACK_HOST, port });
    const done = (refused: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(refused);
    };
    const timer = setTimeout(() => done(false), 2000);
    socket.once('connect', () => done(false));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED'));
  });
}

/** A loopback port with nothing listening: connecting to it is refused. Successive calls give different ports. */
export async function refusedPort(): Promise<number> {
  for (let tried = 0; tried < REFUSED_CANDIDATES.length; tried++) {
    const port = REFUSED_CANDIDATES[nextCandidate++ % REFUSED_CANDIDATES.length] as number;
    if (await refuses(port)) return port;
  }
  throw new Error(`no refused loopback port among ${REFUSED_CANDIDATES.join(', ')}: something listens on all of them`);
}
