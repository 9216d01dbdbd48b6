// The one-file build (dist/temporal-doctor.mjs, scripts/build-standalone.mjs), copied alone into an empty folder, as
// a user copies it into a container: it runs a full check with `node` and nothing beside it, and uses the project's
// own @temporalio/worker for the Worker probe when the folder it runs in has one.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import type { Report } from '../../src/report/model.js';

const BUILT = fileURLToPath(new URL('../../dist/temporal-doctor.mjs', import.meta.url));
const REPO_WORKER = fileURLToPath(new URL('../../node_modules/@temporalio/worker', import.meta.url));

let dir: string;
let frontend: TemporalFrontend;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'standalone-'));
  copyFileSync(BUILT, join(dir, 'temporal-doctor.mjs'));
  frontend = await startTemporalFrontend();
});

afterAll(async () => {
  await frontend?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Asynchronous: the test frontend lives in this process and must keep answering while the command runs. */
async function run(cwd: string, args: string[]): Promise<{ report: Report; stderr: string; status: number }> {
  const result = await promisify(execFile)(
    process.execPath,
    [join(dir, 'temporal-doctor.mjs'), ...args, '-o', 'json'],
    {
      cwd,
      // Nothing from the developer's machine: no NODE_PATH, a HOME without temporal.toml.
      env: { PATH: process.env.PATH, HOME: cwd },
      encoding: 'utf8',
      timeout: 60_000,
    }
  ).then(
    (done) => ({ ...done, status: 0 }),
    (error: { stdout: string; stderr: string; code: number }) => ({ ...error, status: error.code })
  );
  return { report: JSON.parse(result.stdout) as Report, stderr: result.stderr, status: result.status };
}

describe('dist/temporal-doctor.mjs', () => {
  it('is one file of at most 10 MB', () => {
    expect(statSync(BUILT).size).toBeLessThanOrEqual(10 * 1024 * 1024);
  });

  it('runs a full check with nothing beside it', async () => {
    expect(readdirSync(dir)).toEqual(['temporal-doctor.mjs']);
    const { report, status, stderr } = await run(dir, ['--address', frontend.address, '--stack', 'client']);
    expect(stderr).toBe('');
    expect(report.rootCause).toBeNull();
    expect(status).toBe(0);
    expect(report.status).toBe('pass');
    expect(report.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.environment.sdk['@temporalio/client']).toMatch(/^\d+\.\d+\.\d+/);
    const ran = report.stages.filter((s) => s.status === 'pass').map((s) => s.id);
    expect(ran).toEqual(expect.arrayContaining(['config', 'endpoint', 'tcp', 'grpc', 'namespace']));
    expect(frontend.calls.some((c) => c.method === 'DescribeNamespace')).toBe(true);
  });

  it("uses the project's own @temporalio/worker for the Worker probe", async () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'node_modules', '@temporalio'), { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      '{"name":"app","private":true,"dependencies":{"@temporalio/worker":"1.24.0"}}\n'
    );
    symlinkSync(REPO_WORKER, join(project, 'node_modules', '@temporalio', 'worker'), 'dir');
    const { report, status } = await run(project, [
      '--address',
      frontend.address,
      '--stack',
      'worker',
      '--namespace',
      'nope',
    ]);
    expect(status).toBe(1);
    expect(report.environment.sdk['@temporalio/worker (project)']).toMatch(/^\d+\.\d+\.\d+/);
    const worker = report.sdk.find((s) => s.stack === 'worker');
    expect(worker?.package).toMatch(/^@temporalio\/worker /);
    expect([worker?.outcome, worker?.error?.message]).toEqual(['error', expect.stringContaining('nope')]);
    expect(dirname(REPO_WORKER)).toContain('node_modules');
  });
});
