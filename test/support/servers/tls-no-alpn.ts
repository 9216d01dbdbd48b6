// A TLS terminator that negotiates no ALPN but speaks HTTP/2 behind it
// (docs/research/sdk-stacks.md#where-the-stacks-disagree): the Client works, the Worker fails with H2NotNegotiated.
// startTlsServer({ alpn: 'none' }) instead answers HTTP/1.0 403, because node:http2 refuses TLS sockets without h2.
import { createServer as createTlsServer } from 'node:tls';
import { createOkHttp2Server } from './http2-ok.js';
import type { TLSSocket } from 'node:tls';
import { serveLoopback, type LoopbackServer } from './loopback.js';

export async function startNoAlpnHttp2Server(cert: { certPem: string; keyPem: string }): Promise<LoopbackServer> {
  const { http2, destroySessions } = createOkHttp2Server();
  const server = createTlsServer({ cert: cert.certPem, key: cert.keyPem });
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.on('error', () => {});
    // node:http2 answers 403 to TLS sockets whose ALPN is not h2; a terminator forwarding bytes does not care.
    Object.defineProperty(socket, 'alpnProtocol', { value: undefined });
    http2.emit('connection', socket);
  });
  return serveLoopback(server, destroySessions);
}
