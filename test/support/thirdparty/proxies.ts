// Real HTTP CONNECT proxies from Debian packages (squid, tinyproxy), started in the foreground from a config written
// into a temp folder, on a loopback port (or a given test-namespace address), and stopped with kill + wait.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startForeground } from './foreground.js';

export interface ProxyServer {
  kind: 'squid' | 'tinyproxy';
  host: string;
  port: number;
  /** `http://[user:password@]host:port` */
  url(credentials?: { user: string; password: string }): string;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Only CONNECT to these ports is allowed (403 otherwise); all ports when absent. */
  allowPorts?: number[];
  /** Basic auth the proxy demands (407 without it). */
  auth?: { user: string; password: string };
  /** Address to listen on: 127.0.0.1 unless a test namespace address (198.18.0.0/15) is given. */
  host?: string;
  /** Names the proxy resolves itself (squid's hosts_file), e.g. a server name only the proxy's network knows. */
  hosts?: Record<string, string>;
}

export const SQUID = '/usr/sbin/squid';
export const TINYPROXY = '/usr/bin/tinyproxy';

export async function startSquid(opts: ProxyOptions = {}): Promise<ProxyServer> {
  const dir = tempDir('squid-');
  const host = opts.host ?? '127.0.0.1';
  const port = await freePort();
  const lines = [
    `http_port ${host}:${port}`,
    'pid_filename none',
    `cache_log ${join(dir, 'cache.log')}`,
    'access_log none',
    'cache deny all',
    `coredump_dir ${dir}`,
    'shutdown_lifetime 0 seconds',
    'acl CONNECT method CONNECT',
  ];
  if (opts.hosts) {
    writeFileSync(
      join(dir, 'hosts'),
      Object.entries(opts.hosts)
        .map(([name, ip]) => `${ip} ${name}\n`)
        .join('')
    );
    lines.push(`hosts_file ${join(dir, 'hosts')}`);
  }
  if (opts.allowPorts) {
    lines.push(`acl allowed_ports port ${opts.allowPorts.join(' ')}`, 'http_access deny CONNECT !allowed_ports');
  }
  if (opts.auth) {
    const hash = spawnSync('openssl', ['passwd', '-1', opts.auth.password], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(dir, 'passwd'), `${opts.auth.user}:${hash}\n`);
    lines.push(
      `auth_param basic program /usr/lib/squid/basic_ncsa_auth ${join(dir, 'passwd')}`,
      'auth_param basic realm doctor-test',
      'acl authed proxy_auth REQUIRED',
      'http_access deny !authed'
    );
  }
  lines.push('http_access allow all');
  writeFileSync(join(dir, 'squid.conf'), `${lines.join('\n')}\n`);
  return started('squid', SQUID, ['-N', '-f', join(dir, 'squid.conf')], dir, host, port);
}

export async function startTinyproxy(opts: ProxyOptions = {}): Promise<ProxyServer> {
  const dir = tempDir('tinyproxy-');
  const host = opts.host ?? '127.0.0.1';
  const port = await freePort();
  const lines = [
    `Port ${port}`,
    `Listen ${host}`,
    'Timeout 60',
    'MaxClients 50',
    'User nobody',
    'Group nogroup',
    `LogFile "${join(dir, 'tinyproxy.log')}"`,
    'LogLevel Warning',
    'DisableViaHeader Yes',
  ];
  for (const allowed of opts.allowPorts ?? []) lines.push(`ConnectPort ${allowed}`);
  if (opts.auth) lines.push(`BasicAuth ${opts.auth.user} ${opts.auth.password}`);
  writeFileSync(join(dir, 'tinyproxy.conf'), `${lines.join('\n')}\n`);
  return started('tinyproxy', TINYPROXY, ['-d', '-c', join(dir, 'tinyproxy.conf')], dir, host, port);
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // Both drop root for an unprivileged user, who must read the config and write the log.
  chmodSync(dir, 0o777);
  return dir;
}

/** Runs the proxy through the shared foreground launcher (10 s to listen: squid starts its helpers first). */
async function started(
  kind: ProxyServer['kind'],
  command: string,
  args: string[],
  dir: string,
  host: string,
  port: number
): Promise<ProxyServer> {
  const server = await startForeground(kind, command, args, dir, port, { host, startMs: 10_000 });
  return {
    kind,
    host,
    port,
    url: (c) => `http://${c ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@` : ''}${host}:${port}`,
    close: () => server.close(),
  };
}
