// A TLS terminator in front of a plaintext gRPC server (a load balancer, an ingress): it ends TLS and forwards the
// bytes. With `alpn: 'none'` it negotiates no ALPN (docs/research/sdk-stacks.md#where-the-stacks-disagree): the Client
// still works, the Worker fails with H2NotNegotiated. Unlike tls-no-alpn.ts, a real Temporal frontend answers behind
// it.
import { connect } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { TLSSocket } from 'node:tls';
import { serveLoopback, type LoopbackServer } from './loopback.js';

export interface TerminatorOptions {
  cert: { certPem: string; keyPem: string };
  /** Port of the plaintext backend on 127.0.0.1. */
  backendPort: number;
  /** 'none': no ALPN at all. Default ['h2']. */
  alpn?: string[] | 'none';
}

export async function startTlsTerminator(
  opts: TerminatorOptions
): Promise<LoopbackServer & { connectionCount(): number }> {
  const alpn = opts.alpn ?? ['h2'];
  const server = createTlsServer({
    cert: opts.cert.certPem,
    key: opts.cert.keyPem,
    ...(alpn === 'none' ? {} : { ALPNProtocols: alpn }),
  });
  const backends = new Set<ReturnType<typeof connect>>();
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.on('error', () => {});
    const backend = connect(opts.backendPort, '127.0.0.1');
    backends.add(backend);
    backend.on('error', () => socket.destroy());
    backend.once('close', () => {
      backends.delete(backend);
      socket.destroy();
    });
    socket.once('close', () => backend.destroy());
    socket.pipe(backend).pipe(socket);
  });
  server.on('tlsClientError', () => {});
  return serveLoopback(server, () => {
    for (const backend of backends) backend.destroy();
  });
}
