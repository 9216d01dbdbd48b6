// The audit's local-input findings (issue 13), reproduced: files that are not files (procfs reporting 0 bytes, devices,
// FIFOs, folders) as every file setting; typos in --only/--skip and bad numbers; Ctrl-C during a spinner in a real
// pseudo-terminal and SIGTERM with a Worker-probe child running; report files through symlinks and into FIFOs; stdout
// on a full device; --only codec and the API key; secrets given as flags. Each must end quickly with a clear message.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, type TestPki } from '../support/pki.js';
import { findCheck, runCli, runJson } from '../support/run-cli.js';
import { runInPty } from '../support/pty.js';
import { closeAfterAll } from '../support/close-after-all.js';
import { refusedPort, startSilentServer, startPlainTcpServer, type TcpServer } from '../support/servers/hostile.js';
import { startTlsServer, type TlsServer } from '../support/servers/tls.js';

const track = closeAfterAll();
/** Local files are judged in milliseconds; anything near this is the hang the audit saw. */
const QUICK_MS = 4000;

let dir: string;
let pki: TestPki;
let fifo: string;
let folder: string;
let refused: number;
let tlsServer: TlsServer;
let silent: TcpServer;

/** Paths that are not files a setting could mean; each must be refused, not read whole or waited on. */
let notFiles: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'untrusted-input-'));
  pki = await createTestPki();
  fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  folder = join(dir, 'folder');
  mkdirSync(folder);
  notFiles = { '/proc/self/pagemap': '/proc/self/pagemap', '/dev/zero': '/dev/zero', FIFO: fifo, directory: folder };
  refused = await refusedPort();
  tlsServer = await track(startTlsServer({ cert: pki.server, onSecure: 'close' }));
  silent = await track(startSilentServer());
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OFFLINE = ['--no-sdk-probe', '--address', '', '--only', 'config,pem'];

function offline(): string[] {
  return OFFLINE.map((arg) => (arg === '' ? `127.0.0.1:${refused}` : arg));
}

const REFUSAL = /(larger than \d+ bytes|not a regular file|is a directory)/;

describe('a file setting pointed at something that is not a file', () => {
  const flags: Array<[string, string]> = [
    ['--config-file', 'config.file.unreadable'],
    ['--tls-ca-path', 'pem.server-ca.unreadable'],
    ['--tls-cert-path', 'pem.client-cert.unreadable'],
    ['--tls-key-path', 'pem.client-key.unreadable'],
  ];
  for (const [flag, id] of flags) {
    it.each(['/proc/self/pagemap', '/dev/zero', 'FIFO', 'directory'])(`${flag} %s: ${id}, at once`, async (name) => {
      const path = notFiles[name] as string;
      const extra = flag === '--tls-cert-path' ? ['--tls-key-path', join(dir, 'unused.key')] : [];
      const extraKey = flag === '--tls-key-path' ? ['--tls-cert-path', join(dir, 'unused.pem')] : [];
      const started = performance.now();
      const { report, exitCode } = await runJson([...offline(), flag, path, ...extra, ...extraKey]);
      expect(performance.now() - started).toBeLessThan(QUICK_MS);
      expect(exitCode).toBe(1);
      expect(findCheck(report, id)?.message).toMatch(REFUSAL);
    });
  }

  it.each(['/proc/self/pagemap', '/dev/zero', 'FIFO', 'directory'])(
    'TEMPORAL_CONFIG_FILE=%s: config.file.unreadable',
    async (name) => {
      const { report } = await runJson(offline(), { env: { TEMPORAL_CONFIG_FILE: notFiles[name] } });
      expect(findCheck(report, 'config.file.unreadable')?.message).toMatch(REFUSAL);
    }
  );

  it.each(['/proc/self/pagemap', 'FIFO'])(
    '--all-profiles with TEMPORAL_CONFIG_FILE=%s: exit 2 at once',
    async (name) => {
      const started = performance.now();
      const result = await runCli(['--all-profiles'], { env: { TEMPORAL_CONFIG_FILE: notFiles[name] } });
      expect(performance.now() - started).toBeLessThan(QUICK_MS);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(REFUSAL);
    }
  );

  it.each(['/proc/self/pagemap', '/dev/zero', 'FIFO', 'directory'])(
    "SSL_CERT_FILE=%s: the Worker's trust source names the problem, within the stage's time",
    async (name) => {
      const started = performance.now();
      const { report } = await runJson(
        ['--no-sdk-probe', '--address', `localhost:${tlsServer.port}`, '--tls', '--only', 'tls', '--timeout', '2s'],
        { env: { SSL_CERT_FILE: notFiles[name] } }
      );
      expect(performance.now() - started).toBeLessThan(QUICK_MS);
      const worker = report.stages
        .find((s) => s.id === 'tls')
        ?.checks.find((c) => c.id.startsWith('tls.worker.server-chain'));
      expect(JSON.stringify(worker?.evidence)).toMatch(
        /SSL_CERT_FILE (is larger than|is not a regular file|is a directory)/
      );
    }
  );

  it('SSL_CERT_DIR with a hash-named FIFO, and SSL_CERT_DIR=/proc/self/pagemap: problems, not a hang', async () => {
    const certs = join(dir, 'certs');
    mkdirSync(certs);
    execFileSync('mkfifo', [join(certs, 'abcdef01.0')]);
    for (const [value, message] of [
      [certs, /abcdef01\.0 is not a regular file/],
      ['/proc/self/pagemap', /SSL_CERT_DIR is not a directory/],
    ] as const) {
      const started = performance.now();
      const { report } = await runJson(
        ['--no-sdk-probe', '--address', `localhost:${tlsServer.port}`, '--tls', '--only', 'tls', '--timeout', '2s'],
        { env: { SSL_CERT_DIR: value } }
      );
      expect(performance.now() - started).toBeLessThan(QUICK_MS);
      expect(JSON.stringify(report.stages.find((s) => s.id === 'tls')?.checks)).toMatch(message);
    }
  });

  it.each(['/proc/self/pagemap', 'FIFO'])(
    'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=%s (read whole by grpc-js itself): refused before the Client SDK connects',
    (name) => {
      // grpc-js reads the variable from its own process environment when it loads: only a real process shows it.
      const started = performance.now();
      const run = spawnSync(
        process.execPath,
        ['bin/temporal-doctor.js', '--address', `localhost:${tlsServer.port}`, '--tls', '--stack', 'client'],
        {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, GRPC_DEFAULT_SSL_ROOTS_FILE_PATH: notFiles[name] },
          encoding: 'utf8',
          timeout: 20_000,
        }
      );
      expect(run.signal).toBeNull();
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(
        /What your SDK says .*GRPC_DEFAULT_SSL_ROOTS_FILE_PATH=\S+ (is larger than \d+ bytes|is not a regular file)/
      );
    },
    30_000
  );
});

describe('--only / --skip and numeric flags', () => {
  it.each([
    [['--only', 'grcp', '--strict'], /--only: unknown stage "grcp" \(did you mean grpc\?\)/],
    [['--skip', 'tsl'], /--skip: unknown stage "tsl" \(did you mean tls\?\)/],
    [['--only', 'tls.server-certt'], /unknown check id "tls.server-certt" \(did you mean tls.server-cert\?\)/],
    [['--skip', 'pem.client-cert.expirng'], /did you mean pem.client-cert.expiring\?/],
    [['--expiry-warn-days', 'abc'], /--expiry-warn-days: expected a whole number from 0 to 3650, got "abc"/],
    [['--expiry-warn-days', ''], /--expiry-warn-days: expected a whole number/],
    [['--expiry-warn-days', '-5'], /--expiry-warn-days: expected a whole number/],
    [['--timeout', '99999999999'], /--timeout: expected a duration from 100ms to 10m/],
    [['--timeout', '2147484s'], /--timeout: expected a duration from 100ms to 10m/],
    [['--timeout', '0.0001ms'], /--timeout: expected a duration from 100ms to 10m/],
    [['--repeat', '1.5'], /--repeat: expected a whole number from 1 to 100/],
    [['--repeat', ''], /--repeat: expected a whole number/],
    [['--concurrency', '0'], /--concurrency: expected a whole number from 1 to 32/],
    [['--concurrency', 'abc'], /--concurrency: expected a whole number/],
    [['--dns-server', 'nonsense'], /--dns-server: expected an IP address/],
    [['--dns-server', '127.0.0.1:99999'], /--dns-server: expected an IP address/],
  ])('%j exits 2 with one line', async (args, message) => {
    const result = await runCli(['--address', `127.0.0.1:${refused}`, '--no-sdk-probe', ...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toMatch(message);
  });

  it('accepts real ids, prefixes and in-range values', async () => {
    const result = await runCli([
      ...offline(),
      '--skip',
      'pem.client-cert.expiring,tls.worker',
      '--expiry-warn-days',
      '0',
      '--timeout',
      '100ms',
      '--dns-server',
      '[::1]:53',
    ]);
    expect(result.exitCode).toBe(0);
  });
});

/** Pids of the processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(fields[1]) === pid && fields[0] !== 'Z' ? [Number(name)] : [];
      } catch {
        return [];
      }
    });
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('interrupting a run', () => {
  it('Ctrl-C during a spinner, in a real terminal: ends at once with 130 and what was learned so far', () => {
    const run = runInPty(
      process.execPath,
      ['bin/temporal-doctor.js', '--address', silent.address, '--tls', '--timeout', '40s', '--no-sdk-probe'],
      {
        cols: 120,
        rows: 40,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm' },
        // Inside the TLS wait: a peer silent after the ClientHello is decided 2 s into it (silentHandshakeAfterMs).
        script: [[1500, '^C']],
        timeoutMs: 20_000,
      }
    );
    expect(run.timedOut).toBe(false);
    // The spinner was on screen when ^C came (the audit's run went on for its 40 s TLS wait).
    expect(run.output).toContain('TLS handshake');
    expect(run.elapsedMs).toBeLessThan(6000);
    expect(run.exit).toBe(130);
    expect(run.output).toContain('interrupted by SIGINT');
    expect(run.output).toMatch(/Finished so far[\s\S]*✓ TCP connect/);
    // The cursor ora hid is shown again.
    expect(run.output.lastIndexOf('\u001b[?25h')).toBeGreaterThan(run.output.lastIndexOf('\u001b[?25l'));
  }, 30_000);

  it('SIGTERM with the Worker probe running: exit 143, the child is gone, its connection closed', async () => {
    const child = spawn(
      process.execPath,
      ['bin/temporal-doctor.js', '--address', silent.address, '--tls', '--timeout', '20s', '-o', 'json'],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME } }
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const pid = child.pid as number;
    // The tls stage waits on the silent server and starts both SDK probes: wait for the Worker child.
    let probes: number[] = [];
    for (let waited = 0; waited < 10_000 && !probes.length; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      probes = childrenOf(pid);
    }
    expect(probes.length).toBeGreaterThan(0);
    const connectionsBefore = silent.connectionCount();
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    expect(await exited).toBe(143);
    clearTimeout(killer);
    await new Promise((r) => setTimeout(r, 300));
    expect(probes.filter(alive)).toEqual([]);
    expect(stderr).toContain('interrupted by SIGTERM');
    expect(connectionsBefore).toBeGreaterThan(0);
  }, 30_000);
});

describe('report files and GitHub outputs', () => {
  it('--report-file writes 0600 files', async () => {
    const base = join(dir, 'plain-report');
    const result = await runCli([...offline(), '--report-file', base, '-q']);
    expect(result.exitCode).toBe(0);
    for (const ext of ['md', 'json']) expect(statSync(`${base}.${ext}`).mode & 0o777).toBe(0o600);
  });

  it('a wider mode from an earlier file is narrowed', async () => {
    const base = join(dir, 'old-report');
    writeFileSync(`${base}.md`, 'old', { mode: 0o644 });
    await runCli([...offline(), '--report-file', base, '-q']);
    expect(statSync(`${base}.md`).mode & 0o777).toBe(0o600);
  });

  it('refuses to follow a symlink: exit 2, the target untouched', async () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'victim');
    const base = join(dir, 'linked');
    symlinkSync(victim, `${base}.md`);
    const result = await runCli([...offline(), '--report-file', base, '-q']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`cannot write ${base}.md: is a symbolic link; refusing to follow it`);
    expect(readFileSync(victim, 'utf8')).toBe('victim');
  });

  it('refuses a FIFO instead of hanging', async () => {
    const base = join(dir, 'piped');
    execFileSync('mkfifo', [`${base}.md`]);
    const started = performance.now();
    const result = await runCli([...offline(), '--report-file', base, '-q']);
    expect(performance.now() - started).toBeLessThan(QUICK_MS);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('is not a regular file (a pipe, socket or device)');
  });

  it('GITHUB_STEP_SUMMARY pointing at a FIFO or a symlink: a message, no hang', async () => {
    const linked = join(dir, 'summary-link');
    symlinkSync(join(dir, 'victim-summary'), linked);
    for (const [target, message] of [
      [fifo, 'is not a regular file'],
      [linked, 'is a symbolic link'],
    ] as const) {
      const started = performance.now();
      const result = await runCli([...offline(), '-q'], {
        env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: target },
      });
      expect(performance.now() - started).toBeLessThan(QUICK_MS);
      expect(result.stderr).toContain(`cannot append the job summary to GITHUB_STEP_SUMMARY: ${message}`);
    }
    expect(existsSync(join(dir, 'victim-summary'))).toBe(false);
  });

  it('a passing run whose stdout is /dev/full exits non-zero and says why', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = spawnSync(
        process.execPath,
        ['bin/temporal-doctor.js', '--address', `127.0.0.1:${refused}`, '--only', 'config'],
        { env: { PATH: process.env.PATH, HOME: process.env.HOME }, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' }
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('cannot write the report to stdout: ENOSPC');
    } finally {
      closeSync(full);
    }
  });

  it('a closed pipe (EPIPE) is a normal end: the run keeps its own exit code', () => {
    const result = spawnSync(
      'bash',
      [
        '-c',
        `"${process.execPath}" bin/temporal-doctor.js --address 127.0.0.1:${refused} --only config -o json | head -c 1 >/dev/null; exit \${PIPESTATUS[0]}`,
      ],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME }, encoding: 'utf8' }
    );
    expect(result.stderr).not.toContain('cannot write the report');
    expect(result.status).toBe(0);
  });
});

describe('credentials go nowhere the selection did not ask for', () => {
  it('--only codec never connects to --address (the API key stays home)', async () => {
    const frontend = await track(startPlainTcpServer((socket) => void socket.resume()));
    const result = await runJson([
      '--address',
      frontend.address,
      '--tls=false',
      '--api-key',
      'onlycodec_key_12345',
      '--only',
      'codec',
      '--codec-endpoint',
      `http://127.0.0.1:${refused}`,
    ]);
    expect(result.exitCode).toBe(1);
    expect(frontend.connectionCount()).toBe(0);
    expect(result.report.sdk).toEqual([]);
  });

  it('a secret given as a flag gets one warning naming the flag and the safe way, never the value', async () => {
    const result = await runCli([
      ...offline(),
      '--api-key',
      'argv_visible_secret_123',
      '--grpc-meta',
      'x-tenant=meta_secret_456',
      '--codec-auth',
      'Bearer codec_secret_789',
    ]);
    const warnings = result.stderr.split('\n').filter((line) => line.includes('warning:'));
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('--api-key puts a secret on the command line');
    expect(warnings[0]).toContain('set TEMPORAL_API_KEY or `api_key` in a temporal.toml profile instead');
    expect(warnings[1]).toContain('--grpc-meta');
    expect(warnings[1]).toContain('TEMPORAL_GRPC_META_<NAME>');
    expect(warnings[2]).toContain('TEMPORAL_CODEC_AUTH');
    for (const secret of ['argv_visible_secret_123', 'meta_secret_456', 'codec_secret_789'])
      expect(result.stderr + result.stdout).not.toContain(secret);
  });

  it('the same secrets from the environment: no warning', async () => {
    const result = await runCli(offline(), { env: { TEMPORAL_API_KEY: 'env_secret_123' } });
    expect(result.stderr).not.toContain('warning:');
  });
});
