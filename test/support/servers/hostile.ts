// Loopback servers that are not what a Temporal client expects: silent, garbage, resets, HTTP/1.1, non-gRPC HTTP/2, stalls.
import { randomBytes } from 'node:crypto';
import { createServer as createHttp2Server } from 'node:http2';
import type { Http2Session } from 'node:http2';
import { createServer as createNetServer } from 'node:net';
import type { Socket } from 'node:net';
import { serveLoopback } from './loopback.js';
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
          HTML_PAGE,
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

/** A loopback port with nothing listening: connecting to it is refused. */
export async function refusedPort(): Promise<number> {
  const server = createNetServer();
  const { port, close } = await serveLoopback(server);
  await close();
  return port;
}
