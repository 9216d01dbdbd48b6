// A plaintext HTTP/2 server that answers every request 200 "ok", fed sockets that a TLS server already decrypted; it
// remembers its sessions so the owning server can end them on close.
import { createServer as createHttp2Server } from 'node:http2';
import type { Http2Server, Http2Session } from 'node:http2';

export function createOkHttp2Server(): { http2: Http2Server; destroySessions(): void } {
  const http2 = createHttp2Server((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  const sessions = new Set<Http2Session>();
  http2.on('session', (session: Http2Session) => {
    sessions.add(session);
    session.on('error', () => {});
    session.once('close', () => sessions.delete(session));
  });
  return {
    http2,
    destroySessions: () => {
      for (const session of sessions) session.destroy();
    },
  };
}
