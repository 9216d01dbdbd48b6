// A healthy name that also resolves to an address of the other family that never answers (a black hole). The built
// command runs inside a network namespace where /etc/hosts gives the name both addresses and the server listens on the
// namespace's ::1. The tcp stage must not wait its whole budget on the silent address once the other connected (docs/research/common-failures.md#localhost-and-ipv6).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { canCreateNamespaces, runDoctorInNamespace } from '../support/thirdparty/egress-netns.js';
import type { Report } from '../../src/report/model.js';

const available = canCreateNamespaces() && existsSync('dist/cli-bundle');
const tag = process.pid % 100000;
const name = `td-dead-${tag}`;
const netnsEtc = `/etc/netns/${name}`;
const third = tag % 250;
const DEAD = `198.18.${third}.2`;
const HOST = 'temporal.dual.test';
let server: ChildProcess | undefined;
let port = 0;

const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: 'pipe' });
};

const LISTENER = `
const server = require('node:net').createServer((socket) => socket.on('error', () => {}));
server.listen(0, '::1', () => process.stdout.write(server.address().port + '\\n'));
setTimeout(() => process.exit(0), 120000);
`;

beforeAll(async () => {
  if (!available) return;
  ip('netns', 'add', name);
  ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  // A veth pair inside the namespace, and a permanent neighbour entry sending DEAD's frames to a MAC address nobody
  // has: the peer end drops them, so SYNs to DEAD go unanswered (a black hole, without netfilter).
  ip('netns', 'exec', name, 'ip', 'link', 'add', 'td0', 'type', 'veth', 'peer', 'name', 'td1');
  ip('netns', 'exec', name, 'ip', 'addr', 'add', `198.18.${third}.1/24`, 'dev', 'td0');
  ip('netns', 'exec', name, 'ip', 'link', 'set', 'td0', 'up');
  ip('netns', 'exec', name, 'ip', 'link', 'set', 'td1', 'up');
  ip(
    'netns',
    'exec',
    name,
    'ip',
    'neigh',
    'add',
    DEAD,
    'lladdr',
    '02:00:00:00:00:01',
    'dev',
    'td0',
    'nud',
    'permanent'
  );
  // `ip netns exec` mounts /etc/netns/<name>/hosts over /etc/hosts for what it runs.
  mkdirSync(netnsEtc, { recursive: true });
  writeFileSync(`${netnsEtc}/hosts`, `127.0.0.1 localhost\n::1 ${HOST}\n${DEAD} ${HOST}\n`);
  const child = spawn('ip', ['netns', 'exec', name, process.execPath, '-e', LISTENER], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  server = child;
  port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the listener did not start')), 10000);
    child.stdout?.once('data', (data: Buffer) => {
      clearTimeout(timer);
      resolve(Number(data.toString().trim()));
    });
  });
}, 20000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const closed = new Promise((resolve) => server?.once('close', resolve));
    server.kill('SIGKILL');
    await closed;
  }
  if (!available) return;
  try {
    ip('netns', 'del', name);
  } catch {
    // already gone
  }
  rmSync(netnsEtc, { recursive: true, force: true });
});

describe('a name with one live and one black-holed address', () => {
  (available ? it : it.skip)(
    'tcp connects to the live one and stops waiting for the silent one',
    async () => {
      const { stdout, wallMs } = await runDoctorInNamespace(
        name,
        ['--address', `${HOST}:${port}`, '--only', 'tcp', '--timeout', '5s', '--no-sdk-probe', '-o', 'json'],
        { killAfterMs: 30000 }
      );
      const report = JSON.parse(stdout) as Report;
      const tcp = report.stages.find((s) => s.id === 'tcp');
      expect(tcp?.checks[0]).toMatchObject({ id: 'tcp.connect.partial', status: 'warn' });
      expect(tcp?.checks[0]?.message).toContain(`${DEAD}:${port} timed out`);
      expect(tcp?.checks[0]?.message).toContain(`[::1]:${port} connected`);
      // Without the race: the stage's whole 5 s budget on the silent address.
      expect(tcp?.durationMs).toBeLessThan(1500);
      expect(wallMs).toBeLessThan(3000);
    },
    40000
  );
});
