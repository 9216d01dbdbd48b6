// An HTTP/2 server that accepts the connection and exchanges settings like a gRPC server, then destroys the whole
// session on the first request: what a crashing frontend (or a proxy dropping gRPC streams) looks like to a client.
import { createSecureServer, createServer as createHttp2Server } from 'node:http2';
import type { Http2Session, Http2Server, Http2SecureServer } from 'node:http2';
import { serveLoopback } from './loopback.js';
import type { TcpServer } from './hostile.js';

export interface ClosingGrpcServer extends TcpServer {
  /** Requests received (each one destroyed its session). */
  requestCount(): number;
}

/** Plaintext (h2c) by default; with `tls` it serves HTTP/2 over TLS with ALPN h2. */
export async function startCloseOnFirstRequestServer(
  opts: { tls?: { certPem: string; keyPem: string } } = {}
): Promise<ClosingGrpcServer> {
  let requests = 0;
  const server: Http2Server | Http2SecureServer = opts.tls
    ? createSecureServer({ cert: opts.tls.certPem, key: opts.tls.keyPem, ALPNProtocols: ['h2'] })
    : createHttp2Server();
  const sessions = new Set<Http2Session>();
  server.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('error', () => {});
    session.once('close', () => sessions.delete(session));
  });
  server.on('stream', (stream) => {
    requests += 1;
    stream.on('error', () => {});
    stream.session?.destroy();
  });
  const loopback = await serveLoopback(server, () => {
    for (const session of sessions) session.destroy();
  });
  return { ...loopback, requestCount: () => requests };
}
