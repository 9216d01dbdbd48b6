// Fleet runs: every profile of a temp temporal.toml (or the ones named), diagnosed concurrently, in every format.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { diagnoseFleet, type FleetReport, type Report } from '../../src/index.js';
import { createCa, issueCert } from '../support/pki.js';
import { runCli } from '../support/run-cli.js';
import { refusedPort } from '../support/servers/index.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { expectMatchesSchema } from '../support/report-schema.js';

// 5 s per stage: the servers answer at once, but under parallel workers on a busy machine a stage against the live
// frontend took over 1 s (grpc.deadline). Nothing here waits out the budget, so it costs no time when all is well.
const FAST = ['--timeout', '5s', '--no-sdk-probe'];

let dir: string;
let configFile: string;
let portA: number;
let portB: number;
let frontend: TemporalFrontend;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleet-'));
  [portA, portB, frontend] = await Promise.all([refusedPort(), refusedPort(), startTemporalFrontend()]);
  const ca = await createCa();
  const client = await issueCert(ca, { commonName: 'fleet-client', clientAuth: true, serverAuth: false });
  writeFileSync(join(dir, 'client.key'), client.keyPem);
  writeFileSync(join(dir, 'client.pem'), client.certPem);
  configFile = join(dir, 'temporal.toml');
  writeFileSync(
    configFile,
    [
      '[profile.prod]',
      `address = "127.0.0.1:${portA}"`,
      'namespace = "prod-ns"',
      '',
      '[profile.staging]',
      `address = "127.0.0.1:${portB}"`,
      '',
      '# The key file in the certificate slot and the other way round.',
      '[profile.mtls]',
      `address = "127.0.0.1:${portA}"`,
      '[profile.mtls.tls]',
      `client_cert_path = "${join(dir, 'client.key')}"`,
      `client_key_path = "${join(dir, 'client.pem')}"`,
      '',
      '[profile.good]',
      `address = "${frontend.address}"`,
      '',
    ].join('\n')
  );
});

afterAll(async () => {
  await frontend.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runFleetJson(argv: string[]): Promise<{ fleet: FleetReport; exitCode: number; stderr: string }> {
  const { stdout, stderr, exitCode } = await runCli([...argv, '-o', 'json']);
  try {
    return { fleet: JSON.parse(stdout) as FleetReport, exitCode, stderr };
  } catch {
    throw new Error(`stdout is not JSON (exit ${exitCode}):\n${stdout}\n--- stderr:\n${stderr}`);
  }
}

const byProfile = (fleet: FleetReport) =>
  Object.fromEntries(
    fleet.reports.map((r: Report) => [r.target.profile?.value, { status: r.status, stage: r.rootCause?.stage ?? null }])
  );

describe('--all-profiles', () => {
  it('diagnoses every profile of the file, each with its own verdict, and exits 1 when any fails', async () => {
    const { fleet, exitCode } = await runFleetJson(['--config-file', configFile, '--all-profiles', ...FAST]);
    expect(exitCode).toBe(1);
    expect(fleet).toMatchObject({ schemaVersion: 1, fleet: true, status: 'fail' });
    expect(byProfile(fleet)).toEqual({
      prod: { status: 'fail', stage: 'tcp' },
      staging: { status: 'fail', stage: 'tcp' },
      mtls: { status: 'fail', stage: 'pem' },
      good: { status: 'pass', stage: null },
    });
    expect(fleet.reports.map((r) => r.target.address?.value)).toEqual([
      `127.0.0.1:${portA}`,
      `127.0.0.1:${portB}`,
      `127.0.0.1:${portA}`,
      frontend.address,
    ]);
    expectMatchesSchema(fleet);
  });

  it('prints one summary table in text, with the root cause of each failing profile', async () => {
    const { stdout, exitCode } = await runCli(['--config-file', configFile, '--all-profiles', ...FAST]);
    expect(exitCode).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('temporal-doctor 0.1.0 — 4 profiles, 3 failing');
    expect(lines[2]).toMatch(/^PROFILE +STATUS +ADDRESS +NAMESPACE +ROOT CAUSE$/);
    expect(lines[3]).toMatch(
      new RegExp(`^prod +✗ fail +127\\.0\\.0\\.1:${portA} +prod-ns +tcp: tcp\\.connect\\.refused$`)
    );
    expect(lines[5]).toMatch(/^mtls +✗ fail .* pem: pem\./);
    expect(lines[6]).toMatch(/^good +✓ pass /);
    expect(stdout).toContain('── profile staging ──');
    expect(stdout).not.toContain('── profile good ──');
  });

  it('prints only the table with --quiet', async () => {
    const { stdout } = await runCli(['--config-file', configFile, '--all-profiles', '-q', ...FAST]);
    expect(stdout.trimEnd().split('\n')).toHaveLength(7);
  });

  it('is one JUnit testsuite per profile', async () => {
    const { stdout } = await runCli(['--config-file', configFile, '--all-profiles', '-o', 'junit', ...FAST]);
    expect(XMLValidator.validate(stdout)).toBe(true);
    const parsed = new XMLParser({
      ignoreAttributes: false,
      isArray: (name) => ['testsuite', 'testcase'].includes(name),
    }).parse(stdout) as {
      testsuites: {
        testsuite: Array<{ '@_name': string; '@_failures': string; testcase: Array<{ '@_classname': string }> }>;
      };
    };
    expect(parsed.testsuites.testsuite.map((s) => [s['@_name'], Number(s['@_failures']) > 0])).toEqual([
      ['prod', true],
      ['staging', true],
      ['mtls', true],
      ['good', false],
    ]);
    expect(parsed.testsuites.testsuite[0]?.testcase[0]?.['@_classname']).toBe('temporal-doctor.prod.config');
  });

  it('is one Markdown section per profile after a summary table', async () => {
    const { stdout } = await runCli(['--config-file', configFile, '--all-profiles', '-o', 'markdown', ...FAST]);
    expect(stdout).toMatch(
      /^# temporal-doctor fleet report: fail\n\n\| profile \| address \| namespace \| status \| root cause \|/
    );
    for (const profile of ['prod', 'staging', 'mtls', 'good']) expect(stdout).toContain(`## Profile \`${profile}\``);
  });

  it('annotates each failing profile in GitHub Actions and writes one fleet job summary', async () => {
    const summary = join(dir, 'summary.md');
    const { stderr } = await runCli(['--config-file', configFile, '--all-profiles', ...FAST], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(stderr).toContain('::error title=temporal-doctor [prod]%3A tcp.connect.refused::');
    expect(stderr).toContain('::error title=temporal-doctor [mtls]%3A pem.');
    expect(stderr).toContain('::notice title=temporal-doctor [good]::All checks passed');
    expect(readFileSync(summary, 'utf8')).toMatch(/^### temporal-doctor fleet: ❌ fail\n/);
  });

  it('is a usage error (exit 2) when the file has no profiles', async () => {
    const { exitCode, stderr } = await runCli(['--config-file', join(dir, 'absent.toml'), '--all-profiles', ...FAST]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`--all-profiles: no profiles found in ${join(dir, 'absent.toml')}`);
  });
});

describe('--profiles', () => {
  it('diagnoses only the named profiles, in the order given, and exits 0 when they pass', async () => {
    const { fleet, exitCode } = await runFleetJson(['--config-file', configFile, '--profiles', 'good', ...FAST]);
    expect(exitCode).toBe(0);
    expect(byProfile(fleet)).toEqual({ good: { status: 'pass', stage: null } });
  });

  it('reports a profile missing from the file as that target failing at config', async () => {
    const { fleet } = await runFleetJson([
      '--config-file',
      configFile,
      '--profiles',
      'staging,nope',
      '--concurrency',
      '1',
      ...FAST,
    ]);
    expect(byProfile(fleet)).toEqual({
      staging: { status: 'fail', stage: 'tcp' },
      nope: { status: 'fail', stage: 'config' },
    });
    expect(fleet.reports[1]?.rootCause?.check).toBe('config.profile.not-found');
    expectMatchesSchema(fleet);
  });

  it('repeats every target with --repeat', async () => {
    const { fleet } = await runFleetJson([
      '--config-file',
      configFile,
      '--profiles',
      'prod,good',
      '--repeat',
      '2',
      ...FAST,
    ]);
    expect(fleet.reports.map((r) => [r.repeat?.attempts, r.repeat?.flaky])).toEqual([
      [2, false],
      [2, false],
    ]);
    expectMatchesSchema(fleet);
  });

  it.each([
    [['--profiles', 'a', '--all-profiles'], '--all-profiles and --profiles cannot be used together'],
    [['--profiles', 'a', '--profile', 'b'], '--profile names one profile; use --profiles for several'],
    [['--profiles', 'a', '--concurrency', '0'], '--concurrency: expected a whole number from 1 to 32, got "0"'],
  ])('rejects %j as a usage error', async (argv, message) => {
    const { exitCode, stderr } = await runCli([...argv, '--config-file', configFile]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('diagnoseFleet (library)', () => {
  it('returns the fleet report the CLI prints, every profile by default', async () => {
    const fleet = await diagnoseFleet({ configFile, timeoutMs: 5000, sdkProbe: false, env: {}, concurrency: 2 });
    expect(Object.keys(byProfile(fleet))).toEqual(['prod', 'staging', 'mtls', 'good']);
    expect(fleet.status).toBe('fail');
    expectMatchesSchema(JSON.parse(JSON.stringify(fleet)));
  });
});
