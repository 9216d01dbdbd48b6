// Flags pasted from a `temporal` command: the ones that change the connection are applied (seen by real servers),
// the others are accepted and named on stderr; an unknown flag gets one line with a suggestion and exit 2.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCert } from '../../support/pki.js';
import { startTemporalFrontend, type TemporalFrontend } from '../../support/servers/temporal-frontend.js';
import { startCodecServer, type CodecServer } from '../../support/servers/codec.js';
import { findCheck, runCli, runJson } from '../../support/run-cli.js';

const FAST = ['--timeout', '5s', '--no-sdk-probe', '--stack', 'client'];

let dir: string;
let plain: TemporalFrontend;
let tls: TemporalFrontend;
let caPath: string;
let codec: CodecServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-flags-'));
  const ca = await createCa();
  // A certificate for a name that is not the address: only a server name (here from the authority) verifies it.
  const server = await issueCert(ca, { commonName: 'frontend.example', dnsNames: ['frontend.example'] });
  caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, ca.certPem);
  plain = await startTemporalFrontend();
  tls = await startTemporalFrontend({ tls: { certPem: server.certPem, keyPem: server.keyPem } });
  codec = await startCodecServer();
});

afterAll(async () => {
  await Promise.all([plain?.close(), tls?.close(), codec?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('--client-authority', () => {
  it('sends the given :authority on the gRPC requests', async () => {
    const before = plain.calls.length;
    const { report, exitCode } = await runJson([
      '--address',
      plain.address,
      '--client-authority',
      'temporal.example:7233',
      ...FAST,
    ]);
    expect(exitCode).toBe(0);
    const calls = plain.calls.slice(before);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.authority === 'temporal.example:7233')).toBe(true);
    expect(report.target.clientAuthority?.value).toBe('temporal.example:7233');
  });

  it('is the TLS server name when --tls-server-name is not set, as in the Temporal CLI', async () => {
    const args = ['--address', tls.address, '--tls', '--tls-ca-path', caPath, ...FAST];
    const without = await runJson(args);
    expect(without.report.rootCause?.stage).toBe('tls');
    const withAuthority = await runJson([...args, '--client-authority', 'frontend.example:7233']);
    expect(withAuthority.report.rootCause).toBeNull();
    expect(withAuthority.report.target.serverName).toEqual({
      value: 'frontend.example',
      source: 'flag --client-authority',
    });
  });
});

describe('--codec-header', () => {
  it('sends each header to the codec server and shows only a fingerprint of its value', async () => {
    const before = codec.requests.length;
    const { report, stdout } = await runJson([
      '--address',
      plain.address,
      '--codec-endpoint',
      codec.endpoint,
      '--codec-header',
      'X-Tenant=tenant-SECRET-value',
      ...FAST,
    ]);
    const posts = codec.requests.slice(before).filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.headers['x-tenant'] === 'tenant-SECRET-value')).toBe(true);
    expect(report.target['codecHeader.x-tenant']).toBeDefined();
    expect(stdout).not.toContain('tenant-SECRET-value');
  });

  it('warns about a value that is not KEY=VALUE', async () => {
    const { report } = await runJson(['--only', 'config', '--codec-header', 'novalue']);
    expect(findCheck(report, 'config.codec-header.malformed')?.status).toBe('warn');
  });
});

describe('--disable-config-file and --disable-config-env', () => {
  it('--disable-config-file reads no temporal.toml', async () => {
    const file = join(dir, 'temporal.toml');
    writeFileSync(file, '[profile.default]\naddress = "from-file.example:7233"\n');
    const read = await runJson(['--only', 'config', '--config-file', file]);
    expect(read.report.target.address?.value).toBe('from-file.example:7233');
    const skipped = await runJson(['--only', 'config', '--config-file', file, '--disable-config-file']);
    expect(skipped.report.target.address?.value).toBe('localhost:7233');
    expect(skipped.report.target.configFile).toBeUndefined();
  });

  it('--disable-config-env reads no TEMPORAL_* variable', async () => {
    const env = { TEMPORAL_ADDRESS: 'from-env.example:7233', TEMPORAL_NAMESPACE: 'env-ns' };
    const read = await runJson(['--only', 'config'], { env });
    expect(read.report.target.address?.value).toBe('from-env.example:7233');
    const skipped = await runJson(['--only', 'config', '--disable-config-env'], { env });
    expect(skipped.report.target.address?.value).toBe('localhost:7233');
    expect(skipped.report.target.namespace?.value).toBe('default');
  });
});

describe('Temporal CLI flags that change nothing here', () => {
  it('are accepted, each named once on stderr as not used', async () => {
    const { exitCode, stderr } = await runCli([
      '--only',
      'config',
      '--command-timeout',
      '1m30s',
      '--client-connect-timeout',
      '10s',
      '--identity',
      'me@host',
      '--log-level',
      'debug',
    ]);
    expect(exitCode).toBe(0);
    for (const flag of ['command-timeout', 'client-connect-timeout', 'identity', 'log-level']) {
      expect(stderr.split(`--${flag} is a Temporal CLI flag, not used here`).length - 1).toBe(1);
    }
  });

  it('-o jsonl prints the report on one line, -o none prints nothing and keeps the exit code', async () => {
    const jsonl = await runCli(['--address', plain.address, '-o', 'jsonl', ...FAST]);
    expect(jsonl.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(jsonl.stdout).status).toBe('pass');
    const none = await runCli(['--address', '127.0.0.1:1', '-o', 'none', ...FAST]);
    expect(none.stdout).toBe('');
    expect(none.exitCode).toBe(1);
  });
});

describe('unknown flags', () => {
  it('get one line each, with the nearest known flag, and exit 2', async () => {
    const { exitCode, stderr } = await runCli(['--adress', 'x', '--tls-server-nme', 'y']);
    expect(exitCode).toBe(2);
    expect(stderr).toBe(
      'temporal-doctor: unknown flag --adress (did you mean --address?)\n' +
        'temporal-doctor: unknown flag --tls-server-nme (did you mean --tls-server-name?)\n' +
        'Run temporal-doctor --help for usage.\n'
    );
  });

  it('get no suggestion when nothing is near', async () => {
    const { exitCode, stderr } = await runCli(['--frobnicate-everything']);
    expect(exitCode).toBe(2);
    expect(stderr.split('\n')[0]).toBe('temporal-doctor: unknown flag --frobnicate-everything');
  });

  it('a usage error of yargs keeps its line breaks, without the sanitiser glyph', async () => {
    const { exitCode, stderr } = await runCli(['-o', 'xml']);
    expect(exitCode).toBe(2);
    expect(stderr).not.toContain('⏎');
    expect(stderr).toContain('Invalid values:\n');
  });
});
