// haproxy (Debian's /usr/sbin/haproxy) in front of a test server: TCP mode (TLS passthrough) or HTTP mode terminating
// TLS with ALPN h2 and an h2 backend, as gRPC load balancers are set up (docs/research/middleboxes.md#grpc-ingresses).
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { freePort, startForeground, tempDir, type ForegroundServer } from './foreground.js';

export const HAPROXY = '/usr/sbin/haproxy';

export interface HaproxyOptions {
  /** host:port of the backend (a plaintext h2c gRPC server in http mode). */
  backend: string;
  /** 'tcp': pass bytes through; 'http': terminate TLS (tls required) and speak h2 to the backend. */
  mode: 'tcp' | 'http';
  tls?: { certPem: string; keyPem: string };
}

export async function startHaproxy(options: HaproxyOptions): Promise<ForegroundServer> {
  const port = await freePort();
  const dir = await tempDir('haproxy', options.tls ? { 'server.pem': options.tls.certPem + options.tls.keyPem } : {});
  const bind = `bind 127.0.0.1:${port}${options.tls ? ` ssl crt ${join(dir, 'server.pem')} alpn h2` : ''}`;
  const config = [
    'global',
    '  maxconn 64',
    'defaults',
    `  mode ${options.mode}`,
    '  timeout connect 1s',
    '  timeout client 10s',
    '  timeout server 10s',
    '  retries 1',
    'frontend edge',
    `  ${bind}`,
    '  default_backend temporal',
    'backend temporal',
    `  server frontend ${options.backend}${options.mode === 'http' ? ' proto h2' : ''}`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'haproxy.cfg'), config);
  return startForeground('haproxy', HAPROXY, ['-db', '-f', join(dir, 'haproxy.cfg')], dir, port);
}
