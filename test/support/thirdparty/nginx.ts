// nginx (Debian's /usr/sbin/nginx) as a gRPC ingress in front of a test server: one TLS (or plaintext) listener on
// loopback, `grpc_pass` to an upstream, client-certificate policy as users configure it
// (docs/research/middleboxes.md#grpc-ingresses).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startForeground, tempDir, type ForegroundServer } from './foreground.js';

export const NGINX = '/usr/sbin/nginx';

export interface NginxOptions {
  /** host:port of the upstream gRPC server (plaintext h2c unless upstreamTls). */
  upstream: string;
  upstreamTls?: boolean;
  /** Server certificate and key; absent means a plaintext listener. */
  tls?: { certPem: string; keyPem: string };
  /** `ssl_verify_client` with this CA: 'on' rejects with HTTP 400, 'optional' lets `forbidUnverified` decide. */
  verifyClient?: { mode: 'on' | 'optional'; caPem: string };
  /** With verifyClient optional: `return 403` to clients whose certificate did not verify. */
  forbidUnverified?: boolean;
  /** Leave `http2` off the listener. Default true. */
  http2?: boolean;
  /** `server_name` of the main server block (nginx picks the block, and so the certificate, by SNI). */
  serverName?: string;
  /**
   * More TLS server blocks on the same listener, each with its own name and certificate. The one marked `default`
   * (`listen … default_server`) is what a client gets for an SNI no block names.
   */
  virtualHosts?: Array<{ serverName: string; tls: { certPem: string; keyPem: string }; default?: boolean }>;
}

export async function startNginx(options: NginxOptions): Promise<ForegroundServer> {
  const port = await freePort();
  const files: Record<string, string> = {};
  if (options.tls) {
    files['server.pem'] = options.tls.certPem;
    files['server.key'] = options.tls.keyPem;
  }
  if (options.verifyClient) files['client-ca.pem'] = options.verifyClient.caPem;
  const hosts = options.virtualHosts ?? [];
  hosts.forEach((host, i) => {
    files[`vhost${i}.pem`] = host.tls.certPem;
    files[`vhost${i}.key`] = host.tls.keyPem;
  });
  const dir = await tempDir('nginx', files);
  const listenOf = (isDefault: boolean): string =>
    `listen 127.0.0.1:${port}${options.tls ? ' ssl' : ''}${options.http2 === false ? '' : ' http2'}${isDefault ? ' default_server' : ''};`;
  const listen = listenOf(false);
  const virtualServers = hosts.flatMap((host, i) => [
    '  server {',
    `    ${listenOf(host.default === true)}`,
    `    server_name ${host.serverName};`,
    `    ssl_certificate ${join(dir, `vhost${i}.pem`)};`,
    `    ssl_certificate_key ${join(dir, `vhost${i}.key`)};`,
    `    location / { grpc_pass ${options.upstreamTls ? 'grpcs' : 'grpc'}://${options.upstream}; }`,
    '  }',
  ]);
  const tlsLines = options.tls
    ? [
        `ssl_certificate ${join(dir, 'server.pem')};`,
        `ssl_certificate_key ${join(dir, 'server.key')};`,
        ...(options.verifyClient
          ? [`ssl_client_certificate ${join(dir, 'client-ca.pem')};`, `ssl_verify_client ${options.verifyClient.mode};`]
          : []),
      ]
    : [];
  const forbid = options.forbidUnverified ? ['if ($ssl_client_verify != SUCCESS) { return 403; }'] : [];
  const config = [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} info;`,
    'events { worker_connections 64; }',
    'http {',
    `  access_log off;`,
    `  client_body_temp_path ${join(dir, 'body')};`,
    `  proxy_temp_path ${join(dir, 'proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'scgi')};`,
    ...virtualServers,
    '  server {',
    `    ${listen}`,
    ...(options.serverName ? [`    server_name ${options.serverName};`] : []),
    ...tlsLines.map((line) => `    ${line}`),
    '    location / {',
    ...forbid.map((line) => `      ${line}`),
    `      grpc_pass ${options.upstreamTls ? 'grpcs' : 'grpc'}://${options.upstream};`,
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  await writeFile(join(dir, 'nginx.conf'), config);
  return startForeground(
    'nginx',
    NGINX,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    dir,
    port
  );
}
