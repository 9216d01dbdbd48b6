// A resolver that never answers: the built command runs inside a network namespace whose resolv.conf names a UDP socket
// on the namespace's loopback that reads queries and never replies. getaddrinfo cannot be cancelled and Node joins its
// threadpool at exit, so without a bound the process outlived its verdict by glibc's whole retry schedule (10 s).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { canCreateNamespaces, runDoctorInNamespace } from '../support/thirdparty/egress-netns.js';
import type { Report } from '../../src/report/model.js';

const available = canCreateNamespaces() && existsSync('dist/cli-bundle');
const name = `td-dns-${process.pid % 100000}`;
const netnsEtc = `/etc/netns/${name}`;
let resolver: ChildProcess | undefined;

const SILENT_RESOLVER = `
const s = require('node:dgram').createSocket('udp4');
s.on('message', () => {});
s.bind(53, '127.0.0.1', () => process.stdout.write('ready\\n'));
setTimeout(() => process.exit(0), 120000);
`;

beforeAll(async () => {
  if (!available) return;
  execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
  execFileSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'pipe' });
  // `ip netns exec` mounts /etc/netns/<name>/resolv.conf over /etc/resolv.conf for what it runs.
  mkdirSync(netnsEtc, { recursive: true });
  writeFileSync(`${netnsEtc}/resolv.conf`, 'nameserver 127.0.0.1\n');
  const child = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', SILENT_RESOLVER], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  resolver = child;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the silent resolver did not start')), 10000);
    child.stdout?.once('data', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}, 20000);

afterAll(async () => {
  if (resolver && resolver.exitCode === null) {
    const closed = new Promise((resolve) => resolver?.once('close', resolve));
    resolver.kill('SIGKILL');
    await closed;
  }
  if (!available) return;
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
  } catch {
    // already gone
  }
  rmSync(netnsEtc, { recursive: true, force: true });
});

describe('a resolver that never answers', () => {
  (available ? it : it.skip)(
    'the command exits at its verdict, not when the abandoned getaddrinfo ends',
    async () => {
      const { stdout, code, wallMs } = await runDoctorInNamespace(
        name,
        ['--address', 'temporal.example.com:7233', '--timeout', '2s', '--no-sdk-probe', '-o', 'json'],
        { killAfterMs: 30000 }
      );
      const report = JSON.parse(stdout) as Report;
      expect(code).toBe(1);
      expect(report.rootCause).toMatchObject({ stage: 'dns', check: 'dns.lookup.timeout' });
      // Without the bound: about 10 s (glibc's 5 s x 2 tries), whatever the report said.
      expect(wallMs - report.durationMs).toBeLessThan(1500);
      expect(wallMs).toBeLessThan(4000);
    },
    40000
  );
});
