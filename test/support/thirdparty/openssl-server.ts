// `openssl s_server` (Debian's /usr/bin/openssl) as an OpenSSL-based TLS server with a client-certificate policy: it
// rejects the way OpenSSL servers (and Go's crypto/tls) do, with alerts inside or right after the handshake
// (docs/research/middleboxes.md#client-certificate-rejection). It speaks no HTTP/2: after the handshake it is silent.
import { freePort, startForeground, tempDir, type ForegroundServer } from './foreground.js';

export const OPENSSL = '/usr/bin/openssl';

export interface OpensslServerOptions {
  cert: { certPem: string; keyPem: string };
  /** CA used to verify client certificates and named in the CertificateRequest (-CAfile). */
  clientCaPem?: string;
  /** 'require' (-Verify: a certificate is mandatory), 'request' (-verify: asked for, optional), or none. */
  clientCert?: 'require' | 'request';
  /** Pin the protocol version. Default: whatever both sides support (TLS 1.3). */
  version?: 'tls1_2' | 'tls1_3';
  /** ALPN protocols offered. Default ['h2']. */
  alpn?: string[];
}

export async function startOpensslServer(options: OpensslServerOptions): Promise<ForegroundServer> {
  const port = await freePort();
  const dir = await tempDir('openssl', {
    'server.pem': options.cert.certPem,
    'server.key': options.cert.keyPem,
    ...(options.clientCaPem ? { 'client-ca.pem': options.clientCaPem } : {}),
  });
  const args = [
    's_server',
    '-accept',
    `127.0.0.1:${port}`,
    '-cert',
    'server.pem',
    '-key',
    'server.key',
    '-quiet',
    '-alpn',
    (options.alpn ?? ['h2']).join(','),
    ...(options.clientCaPem ? ['-CAfile', 'client-ca.pem'] : []),
    ...(options.clientCert === 'require' ? ['-Verify', '2', '-verify_return_error'] : []),
    ...(options.clientCert === 'request' ? ['-verify', '2', '-verify_return_error'] : []),
    ...(options.version ? [`-${options.version}`] : []),
  ];
  return startForeground('openssl s_server', OPENSSL, args, dir, port);
}
