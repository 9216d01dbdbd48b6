// dnsmasq (Debian's /usr/sbin/dnsmasq) as a DNS server on loopback, answering only from its command line: no upstream,
// no /etc/hosts. `--cname` to a name it does not know gives a dangling CNAME, answered NOERROR with the CNAME alone
// (docs/research/middleboxes.md#resolvers).
import { freePort, startForeground, tempDir, type ForegroundServer } from './foreground.js';

export const DNSMASQ = '/usr/sbin/dnsmasq';

export interface DnsmasqOptions {
  /** Names with their IPv4 / IPv6 addresses (`--host-record`: known to dnsmasq, so a CNAME to them resolves). */
  hosts?: Record<string, string[]>;
  /** alias → target (`--cname`). */
  cnames?: Record<string, string>;
  /** Domains answered locally only: every other name under them is NXDOMAIN (`--local=/domain/`). */
  localDomains?: string[];
}

export interface Dnsmasq extends ForegroundServer {
  /** `127.0.0.1:<port>`, for --dns-server and Resolver.setServers. */
  server: string;
}

export async function startDnsmasq(options: DnsmasqOptions): Promise<Dnsmasq> {
  const port = await freePort();
  const dir = await tempDir('dnsmasq', {});
  const args = [
    '--keep-in-foreground',
    `--port=${port}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    `--pid-file=${dir}/dnsmasq.pid`,
    '--log-queries',
    '--log-facility=-',
    ...(options.localDomains ?? []).map((domain) => `--local=/${domain}/`),
    ...Object.entries(options.hosts ?? {}).map(
      ([name, addresses]) => `--host-record=${[name, ...addresses].join(',')}`
    ),
    ...Object.entries(options.cnames ?? {}).map(([alias, target]) => `--cname=${alias},${target}`),
  ];
  // dnsmasq listens on TCP as well as UDP on its port: startForeground's TCP wait tells when it answers.
  const server = await startForeground('dnsmasq', DNSMASQ, args, dir, port);
  return { ...server, server: `127.0.0.1:${port}` };
}
