// BIND (Debian's /usr/sbin/named) as an authoritative DNS server on loopback, in the foreground (-g) from a config and
// zone files in a temp folder. A zone whose file does not load is answered SERVFAIL: the resolver answers, but cannot
// resolve names in it (docs/research/middleboxes.md#resolvers).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startForeground, tempDir, type ForegroundServer } from './foreground.js';

export const NAMED = '/usr/sbin/named';

export interface BindOptions {
  /** Zones served, each name → IPv4 address records (relative or absolute names under the zone). */
  zones?: Record<string, Record<string, string>>;
  /** Zones whose file has an error, so named does not load them and answers SERVFAIL for every name under them. */
  brokenZones?: string[];
}

export interface Bind extends ForegroundServer {
  /** `127.0.0.1:<port>`, for --dns-server and Resolver.setServers. */
  server: string;
}

function zoneFile(zone: string, records: Record<string, string>): string {
  return [
    '$TTL 60',
    `@ IN SOA ns.${zone}. admin.${zone}. 1 60 60 600 60`,
    `@ IN NS ns.${zone}.`,
    'ns IN A 127.0.0.1',
    ...Object.entries(records).map(([name, address]) => `${name} IN A ${address}`),
    '',
  ].join('\n');
}

export async function startBind(options: BindOptions): Promise<Bind> {
  const port = await freePort();
  const zones = options.zones ?? {};
  const broken = options.brokenZones ?? [];
  const files: Record<string, string> = {};
  for (const [zone, records] of Object.entries(zones)) files[`${zone}.zone`] = zoneFile(zone, records);
  // An unknown record type stops the zone from loading ("not loaded due to errors").
  for (const zone of broken) files[`${zone}.zone`] = `${zoneFile(zone, {})}this is not a record\n`;
  const dir = await tempDir('named', files);
  const config = [
    'options {',
    `  directory "${dir}";`,
    `  listen-on port ${port} { 127.0.0.1; };`,
    '  listen-on-v6 { none; };',
    `  pid-file "${join(dir, 'named.pid')}";`,
    `  session-keyfile "${join(dir, 'session.key')}";`,
    `  managed-keys-directory "${dir}";`,
    '  recursion no;',
    '  dnssec-validation no;',
    '  allow-query { 127.0.0.1; };',
    '};',
    'controls { };',
    ...[...Object.keys(zones), ...broken].map((zone) => `zone "${zone}" { type primary; file "${zone}.zone"; };`),
    '',
  ].join('\n');
  await writeFile(join(dir, 'named.conf'), config);
  // named listens on TCP as well as UDP: startForeground's TCP wait tells when it answers.
  const server = await startForeground('named', NAMED, ['-g', '-n', '1', '-c', join(dir, 'named.conf')], dir, port);
  return { ...server, server: `127.0.0.1:${port}` };
}
