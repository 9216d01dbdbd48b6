// The CLI's outputs end to end: every format from a real run, the CI-gate behaviour (exit codes, --strict, check-id
// selection, GitHub Actions), the support-ticket files, host redaction, the library API parity and --repeat.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { diagnose, renderJson, renderJunit, renderMarkdown, type Report } from '../../src/index.js';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { checkIds, findCheck, runCli, runJson } from '../support/run-cli.js';
import { refusedPort, startDnsServer, type DnsServer } from '../support/servers/index.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { expectMatchesSchema } from '../support/report-schema.js';

// 5 s per stage: the servers answer at once, but under parallel workers on a busy machine a stage against the live
// frontend took over 1 s (grpc.deadline). Nothing here waits out the budget, so it costs no time when all is well.
const FAST = ['--timeout', '5s', '--no-sdk-probe'];
const DAY = 86_400_000;

let dir: string;
let closed: number;
let refused: string;
let dns: DnsServer;
let frontend: TemporalFrontend;
let client: Issued;
let keyFile: string;
let certFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-outputs-'));
  closed = await refusedPort();
  refused = `127.0.0.1:${closed}`;
  dns = await startDnsServer({ 'temporal.acme-corp.com': { A: ['127.0.0.1'] } });
  frontend = await startTemporalFrontend();
  const ca = await createCa({ notAfter: new Date(Date.now() + 400 * DAY) });
  client = await issueCert(ca, {
    commonName: 'ci-client',
    clientAuth: true,
    serverAuth: false,
    notAfter: new Date(Date.now() + 365 * DAY),
  });
  keyFile = join(dir, 'client.key');
  certFile = join(dir, 'client.pem');
  writeFileSync(keyFile, client.keyPem);
  writeFileSync(certFile, client.certPem);
});

afterAll(async () => {
  await Promise.all([dns.close(), frontend.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const junitParser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  isArray: (name) => ['testsuite', 'testcase'].includes(name),
});
interface JunitCase {
  '@_name': string;
  failure?: { '@_message': string };
  skipped?: unknown;
}
function parseJunit(xml: string): {
  testsuites: { '@_failures': string; testsuite: Array<{ '@_name': string; testcase: JunitCase[] }> };
} {
  expect(XMLValidator.validate(xml)).toBe(true);
  return junitParser.parse(xml);
}

/** Timings and clock readings differ between two runs of the same input; everything else must not. */
function withoutTimings(report: Report): unknown {
  return JSON.parse(
    JSON.stringify(report, (key, value: unknown) =>
      key === 'durationMs' ? 0 : key === 'startedAt' ? 'T' : value
    ).replace(/\d+ ms\b/g, 'N ms')
  );
}

describe('-o json', () => {
  it('matches docs/report.schema.json for a failure in the network stages', async () => {
    const { report, exitCode } = await runJson(['--address', refused, ...FAST]);
    expect(exitCode).toBe(1);
    expect(report.rootCause?.stage).toBe('tcp');
    expectMatchesSchema(report);
  });

  it('matches the schema for a PEM failure, with the evidence of the cert it read', async () => {
    const { report } = await runJson([
      '--address',
      refused,
      '--tls-cert-path',
      keyFile,
      '--tls-key-path',
      certFile,
      ...FAST,
    ]);
    expect(report.rootCause?.stage).toBe('pem');
    expectMatchesSchema(report);
  });

  it('matches the schema when every stage passes, and exits 0', async () => {
    const { report, exitCode } = await runJson(['--address', frontend.address, ...FAST]);
    expect(checkIds(report).filter((id) => id.endsWith(':fail'))).toEqual([]);
    expect(exitCode).toBe(0);
    expectMatchesSchema(report);
  });

  it('ignores --quiet: a JSON document is always complete', async () => {
    const { report } = await runJson(['--address', refused, '-q', ...FAST]);
    expect(report.stages.length).toBeGreaterThan(3);
  });
});

describe('library API', () => {
  it('returns the report the CLI prints as JSON for the same input', async () => {
    const fromLibrary = await diagnose({ address: refused, timeoutMs: 5000, sdkProbe: false, env: {} });
    const { report: fromCli } = await runJson(['--address', refused, ...FAST]);
    expect(withoutTimings(JSON.parse(renderJson(fromLibrary)) as Report)).toEqual(withoutTimings(fromCli));
  });

  it('renders the same report in every format an app may log', async () => {
    const report = await diagnose({ address: refused, timeoutMs: 5000, sdkProbe: false, env: {} });
    expect(renderMarkdown(report)).toContain('root cause at stage **tcp**');
    expect(parseJunit(renderJunit(report)).testsuites['@_failures']).toBe('1');
  });

  it('rejects a repeat count outside 1..100', async () => {
    await expect(diagnose({ repeat: 0 })).rejects.toThrow('repeat must be a whole number from 1 to 100');
  });
});

describe('-o junit', () => {
  it('is a suite per stage with the failing check as <failure> and exits 1', async () => {
    const { stdout, exitCode } = await runCli(['--address', refused, '-o', 'junit', ...FAST]);
    expect(exitCode).toBe(1);
    const parsed = parseJunit(stdout);
    expect(parsed.testsuites.testsuite.map((s) => s['@_name'])).toEqual([
      'config',
      'pem',
      'endpoint',
      'dns',
      'tcp',
      'tls',
      'grpc',
      'namespace',
      'codec',
    ]);
    const tcp = parsed.testsuites.testsuite.find((s) => s['@_name'] === 'tcp')?.testcase[0];
    expect(tcp?.['@_name']).toBe('tcp.connect.refused');
    expect(tcp?.failure?.['@_message']).toMatch(
      /^Connection to 127\.0\.0\.1:\d+ refused.*\. Fix: Start the Temporal server/
    );
    expect(parsed.testsuites.testsuite.find((s) => s['@_name'] === 'tls')?.testcase[0]?.skipped).toBeDefined();
  });
});

describe('-o markdown', () => {
  it('is a support report with versions, settings with provenance, a stage table and every finding', async () => {
    const { stdout, exitCode } = await runCli(['--address', refused, '-o', 'markdown', ...FAST]);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/^# temporal-doctor report: fail\n/);
    expect(stdout).toContain(`| Node.js | ${process.version} |`);
    expect(stdout).toContain(`| \`address\` | \`${refused}\` | flag --address |`);
    expect(stdout).toMatch(/\| `tcp` \| TCP connect \| ❌ fail \| \d+ ms \|/);
    expect(stdout).toContain('#### ❌ fail `tcp.connect.refused`');
    expect(stdout).toContain('#### ✅ pass `config.resolved`');
  });
});

describe('--strict and check-id selection', () => {
  const legacyEnv = () => ({ TEMPORAL_CLI_ADDRESS: frontend.address });

  it('exits 0 on warnings, and 1 with --strict (junit counts the warning as a failure)', async () => {
    const relaxed = await runJson(['--address', frontend.address, ...FAST], { env: legacyEnv() });
    expect(relaxed.report.status).toBe('warn');
    expect(relaxed.exitCode).toBe(0);
    const strict = await runCli(['--address', frontend.address, '--strict', '-o', 'junit', ...FAST], {
      env: legacyEnv(),
    });
    expect(strict.exitCode).toBe(1);
    expect(Number(parseJunit(strict.stdout).testsuites['@_failures'])).toBeGreaterThan(0);
  });

  it('--skip <check id> takes a warning out of the verdict and the exit code', async () => {
    const warned = await runJson(['--address', frontend.address, ...FAST], { env: legacyEnv() });
    const warnings = checkIds(warned.report)
      .filter((id) => id.endsWith(':warn'))
      .map((id) => id.replace(/:warn$/, ''));
    expect(warnings.length).toBeGreaterThan(0);
    const { report, exitCode } = await runJson(
      ['--address', frontend.address, '--strict', '--skip', warnings.join(','), ...FAST],
      { env: legacyEnv() }
    );
    expect(report.status).toBe('pass');
    expect(exitCode).toBe(0);
    for (const id of warnings) expect(findCheck(report, id)).toBeUndefined();
  });

  it('--only <check id> keeps that check of its stage and still runs the stages it needs', async () => {
    const { report } = await runJson(['--address', refused, '--only', 'tcp.connect.refused', ...FAST]);
    expect(report.stages.find((s) => s.id === 'tcp')?.checks.map((c) => c.id)).toEqual(['tcp.connect.refused']);
    expect(report.stages.find((s) => s.id === 'dns')?.status).not.toBe('skip');
    expect(report.stages.find((s) => s.id === 'tls')?.skippedBecause).toBe('not selected by --only');
  });
});

describe('progress output', () => {
  it.each([
    ['not a terminal', ['-o', 'text'], false, {}],
    ['a terminal in CI', ['-o', 'text'], true, { CI: 'true' }],
    ['a terminal with -o json', ['-o', 'json'], true, {}],
    ['a terminal with --quiet', ['-q'], true, {}],
  ])('never animates on %s: stderr stays empty', async (_name, argv, isTTY, env) => {
    const { stderr } = await runCli(['--address', refused, ...argv, ...FAST], { isTTY, env });
    expect(stderr).toBe('');
  });

  it('shows progress on stderr for text on an interactive terminal (the control for the cases above)', async () => {
    const { stderr } = await runCli(['--address', refused, ...FAST], { isTTY: true, env: {} });
    expect(stderr).toContain('TCP connect');
  });
});

describe('GitHub Actions', () => {
  it('writes annotations to stderr and appends a job summary, keeping stdout pure JSON', async () => {
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary };
    const { report, stderr } = await runJson(['--address', refused, ...FAST], { env });
    expect(report.rootCause?.check).toBe('tcp.connect.refused');
    expect(stderr).toContain(`::error title=temporal-doctor%3A tcp.connect.refused::Connection to ${refused} refused`);
    expect(stderr).toContain('%0AFix: Start the Temporal server');
    const written = readFileSync(summary, 'utf8');
    expect(written.startsWith('# earlier step\n### temporal-doctor: ❌ fail\n')).toBe(true);
    expect(written).toContain('| TCP connect | ❌ fail |');
  });

  it('writes nothing GitHub-specific outside GitHub Actions', async () => {
    const { stderr } = await runCli(['--address', refused, ...FAST], {
      env: { GITHUB_STEP_SUMMARY: join(dir, 'never.md') },
    });
    expect(stderr).not.toContain('::');
    expect(existsSync(join(dir, 'never.md'))).toBe(false);
  });
});

describe('--report-file', () => {
  it('writes PATH.md and PATH.json whatever -o says', async () => {
    const base = join(dir, 'nested', 'ticket');
    const { stdout, stderr } = await runCli([
      '--address',
      refused,
      '-o',
      'junit',
      '--report-file',
      `${base}.md`,
      ...FAST,
    ]);
    expect(XMLValidator.validate(stdout)).toBe(true);
    expect(stderr).toContain(`report written to ${base}.md and ${base}.json`);
    expect(readFileSync(`${base}.md`, 'utf8')).toMatch(/^# temporal-doctor report: fail/);
    const json = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Report;
    expectMatchesSchema(json);
    expect(json.rootCause?.check).toBe('tcp.connect.refused');
  });

  it('exits 2 when the files cannot be written', async () => {
    writeFileSync(join(dir, 'a-file'), '');
    const { exitCode, stderr } = await runCli([
      '--address',
      refused,
      '--report-file',
      join(dir, 'a-file', 'report'),
      ...FAST,
    ]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('--report-file: cannot write');
  });
});

describe('--redact-hosts', () => {
  const args = () => [
    '--address',
    `temporal.acme-corp.com:${closed}`,
    '--dns-server',
    dns.server,
    '--namespace',
    'billing.a2dd6',
    ...FAST,
  ];

  it('replaces the host and the account id in every format, the same placeholder everywhere', async () => {
    const plain = await runJson(args());
    expect(JSON.stringify(plain.report)).toContain('acme-corp');
    for (const output of ['text', 'json', 'markdown', 'junit']) {
      const { stdout } = await runCli([...args(), '--redact-hosts', '-o', output, '-v']);
      expect(stdout).not.toContain('acme-corp');
      expect(stdout).not.toContain('a2dd6');
      expect(stdout).toContain('host-1');
    }
    const { report } = await runJson([...args(), '--redact-hosts']);
    expect(report.target.address?.value).toBe(`host-1:${closed}`);
    expect(report.target.namespace?.value).toBe('billing.acct-1');
    expect(report.rootCause?.stage).toBe('tcp');
    expectMatchesSchema(report);
  });
});

describe('--repeat', () => {
  it('summarises consistent failures without calling them flaky', async () => {
    const { report, exitCode } = await runJson(['--address', refused, '--repeat', '3', ...FAST]);
    expect(exitCode).toBe(1);
    expect(report.repeat).toMatchObject({ attempts: 3, shown: 1, flaky: false });
    expect(report.repeat?.stages.find((s) => s.id === 'tcp')).toMatchObject({
      id: 'tcp',
      failed: 3,
      failedAttempts: [1, 2, 3],
    });
    expect(report.repeat?.stages.find((s) => s.id === 'tcp')?.latencyMs).toEqual({
      min: expect.any(Number),
      median: expect.any(Number),
      p95: expect.any(Number),
      max: expect.any(Number),
    });
    expectMatchesSchema(report);
  });

  it('says in text and markdown how many attempts ran, the stage times and where attempts failed', async () => {
    const text = await runCli(['--address', refused, '--repeat', '3', ...FAST]);
    expect(text.stdout).toContain('Repeat: 3 attempts, all 3 failed at tcp; the findings above are from attempt 1.');
    expect(text.stdout).toMatch(/stage\s+min\s+median\s+p95\s+max ms\s+failed in attempts/);
    expect(text.stdout).toMatch(/\n {2}tcp\s+\d+\s+\d+\s+\d+\s+\d+\s+1, 2, 3\n/);
    const quiet = await runCli(['--address', refused, '--repeat', '2', '-q', ...FAST]);
    expect(quiet.stdout).toContain('Repeat: 2 attempts, all 2 failed at tcp.');
    const markdown = await runCli(['--address', refused, '--repeat', '3', '-o', 'markdown', ...FAST]);
    expect(markdown.stdout).toContain('| stage | min | median | p95 | max | failed in attempts |');
    expect(markdown.stdout).toMatch(/\| `tcp` \| \d+ ms \| \d+ ms \| \d+ ms \| \d+ ms \| 1, 2, 3 \(3 of 3\) \|/);
  });

  it('says that all attempts passed', async () => {
    const { stdout } = await runCli(['--address', frontend.address, '--repeat', '2', ...FAST]);
    expect(stdout).toContain('Repeat: 2 attempts, all 2 passed; the findings above are from attempt 2.');
  });

  it('reports a server that goes away between attempts as an intermittent failure at tcp', async () => {
    const flaky = await startTemporalFrontend();
    let closing: Promise<void> | undefined;
    const report = await diagnose({
      address: flaky.address,
      timeoutMs: 5000,
      sdkProbe: false,
      env: {},
      repeat: 3,
      onProgress: (event) => {
        if (event.type === 'stage:end' && event.report.id === 'codec') closing ??= flaky.close();
      },
    });
    await closing;
    expect(report.repeat?.results.map((r) => r.status === 'fail')).toEqual([false, true, true]);
    expect(report.repeat?.flaky).toBe(true);
    expect(report.rootCause?.check).toBe('tcp.attempts.flaky');
    expect(report.rootCause?.message).toMatch(/^Intermittent: 2 of 3 attempts failed at tcp \(tcp\.connect\.refused: /);
    expect(report.status).toBe('fail');
    expectMatchesSchema(JSON.parse(renderJson(report)));
  });

  it('rejects a count outside 1..100 as a usage error', async () => {
    const { exitCode, stderr } = await runCli(['--repeat', '101']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('--repeat: expected a whole number from 1 to 100, got "101"');
  });
});

describe('secrets never leave the process (canary)', () => {
  const API_KEY = 'CANARYAPIKEY-1234567890';
  const CODEC_AUTH = 'CANARYCODECAUTH-0987654321';
  let rsa: Issued;
  let other: Issued;
  let rsaKeyFile: string;
  let rsaCertFile: string;
  let otherCertFile: string;
  let guarded: TemporalFrontend;

  beforeAll(async () => {
    const ca = await createCa();
    [rsa, other] = await Promise.all([
      issueCert(ca, { commonName: 'canary-client', clientAuth: true, serverAuth: false, keyType: 'rsa' }),
      issueCert(ca, { commonName: 'other-client', clientAuth: true, serverAuth: false }),
    ]);
    rsaKeyFile = join(dir, 'canary.key');
    rsaCertFile = join(dir, 'canary.pem');
    otherCertFile = join(dir, 'other.pem');
    writeFileSync(rsaKeyFile, rsa.keyPem);
    writeFileSync(rsaCertFile, rsa.certPem);
    writeFileSync(otherCertFile, other.certPem);
    guarded = await startTemporalFrontend({ apiKey: 'the-right-key' });
  });
  afterAll(() => guarded.close());

  function expectNoSecrets(text: string, where: string): void {
    const leaks = [
      API_KEY,
      CODEC_AUTH,
      ...rsa.keyPem.split('\n').filter((line) => line && !line.startsWith('-----')),
    ].filter((s) => text.includes(s));
    if (leaks.length)
      throw new Error(`${where} leaks ${leaks.length} secret fragment(s), e.g. ${leaks[0]?.slice(0, 12)}…`);
  }

  const scenarios: Array<[string, () => { argv: string[]; env?: Record<string, string> }, string]> = [
    [
      'inline key and API key, refused port, with the SDK probe and a codec server',
      () => ({
        argv: [
          '--address',
          refused,
          '--api-key',
          API_KEY,
          '--tls-cert-data',
          rsa.certPem,
          '--tls-key-data',
          rsa.keyPem,
          '--codec-endpoint',
          `http://127.0.0.1:${closed}`,
          '--codec-auth',
          CODEC_AUTH,
          '--timeout',
          '500ms',
        ],
      }),
      'tcp',
    ],
    [
      'key file with the wrong certificate',
      () => ({
        argv: [
          '--address',
          refused,
          '--api-key',
          API_KEY,
          '--tls-cert-path',
          otherCertFile,
          '--tls-key-path',
          rsaKeyFile,
          ...FAST,
        ],
      }),
      'pem',
    ],
    [
      'key file in the certificate slot',
      () => ({ argv: ['--address', refused, '--tls-cert-path', rsaKeyFile, '--tls-key-path', rsaCertFile, ...FAST] }),
      'pem',
    ],
    [
      'key with literal \\n escapes and a bearer header from the environment',
      () => ({
        argv: ['--address', refused, ...FAST],
        env: {
          TEMPORAL_TLS_CLIENT_CERT_DATA: rsa.certPem,
          TEMPORAL_TLS_CLIENT_KEY_DATA: rsa.keyPem.trim().replace(/\n/g, '\\n'),
          TEMPORAL_API_KEY: ` ${API_KEY}\n`,
          TEMPORAL_GRPC_META_AUTHORIZATION: `Bearer ${API_KEY}`,
        },
      }),
      'config',
    ],
    [
      'wrong API key against a server that checks it, with the SDK probe',
      () => ({ argv: ['--address', guarded.address, '--api-key', API_KEY, '--tls=false', '--timeout', '1s'] }),
      'grpc',
    ],
  ];

  it.each(scenarios)('%s: no format, stream or file carries the key or the API key', async (name, scenario, stage) => {
    const { argv, env = {} } = scenario();
    const { report } = await runJson(argv, { env });
    expect(report.rootCause?.stage ?? 'none').toBe(stage);
    for (const output of ['text', 'json', 'markdown', 'junit']) {
      const summary = join(dir, `summary-${output}.md`);
      const base = join(dir, `canary-${output}`);
      const run = await runCli([...argv, '-o', output, '-v', '--report-file', base], {
        env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
      });
      expect(run.stderr).toContain('::');
      expectNoSecrets(run.stdout, `${name}: -o ${output} stdout`);
      expectNoSecrets(run.stderr, `${name}: -o ${output} stderr`);
      for (const file of [summary, `${base}.md`, `${base}.json`])
        expectNoSecrets(readFileSync(file, 'utf8'), `${name}: ${file}`);
    }
  });

  it('keeps a secret argument out of usage errors, and reads PEM values that start with dashes', async () => {
    const usage = await runCli(['--api-key', API_KEY, '--stack', API_KEY]);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toContain('stack');
    expectNoSecrets(usage.stderr, 'usage error');
    const { report } = await runJson([
      '--address',
      refused,
      '--tls-cert-data',
      rsa.certPem,
      '--tls-key-data',
      rsa.keyPem,
      ...FAST,
    ]);
    expect(report.target.clientKey?.value).toMatch(/^inline PEM \[redacted\]/);
  });
});
