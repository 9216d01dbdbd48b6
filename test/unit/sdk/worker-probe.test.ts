// The Worker probe against stand-in @temporalio/worker packages in a throw-away project: it must load the user's own
// copy, stop a connect that never settles, keep stdout out of the protocol, and never print a secret.
// (No sockets: the stand-ins answer without a network; the real NativeConnection runs in test/integration/worker-stack.)
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { probeWorkerSdk } from '../../../src/sdk/worker-probe.js';
import { WORKER_PROBE_CHILD } from '../../../src/sdk/worker-probe-child.js';
import { findInProject, findProject, findSdkPackage, projectSdkVersions } from '../../../src/sdk/find-sdk.js';
import { withDefaults } from '../../../src/options.js';
import { Secret } from '../../../src/text/secret.js';
import { flag, makeConfig } from '../../support/stage-context.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A project whose node_modules holds a fake @temporalio/worker with the given NativeConnection.connect body. */
function projectWith(connectBody: string, extra = ''): string {
  const root = mkdtempSync(join(tmpdir(), 'doctor-project-'));
  roots.push(root);
  writeFileSync(
    join(root, 'package.json'),
    '{"name":"app","version":"1.0.0","dependencies":{"@temporalio/worker":"^9.8.7"}}'
  );
  const dir = join(root, 'node_modules', '@temporalio', 'worker');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{"name":"@temporalio/worker","version":"9.8.7","main":"index.js"}');
  writeFileSync(
    join(dir, 'index.js'),
    `${extra}
class DefaultLogger { constructor() {} }
const Runtime = { install() { process.stdout.write('native log line on stdout\\n'); } };
const NativeConnection = { async connect(options) { ${connectBody} } };
module.exports = { DefaultLogger, Runtime, NativeConnection };`
  );
  return root;
}

const config = makeConfig({
  address: flag('127.0.0.1:7233', '--address'),
  apiKey: flag(new Secret('tdk-very-secret-api-key'), '--api-key'),
});

function options(cwd: string, timeoutMs = 2000) {
  return withDefaults({ env: {}, cwd, timeoutMs });
}

describe('finding the SDK', () => {
  it('resolves packages from the user project first and reports their versions', () => {
    const root = projectWith('throw new Error("unused")');
    expect(findInProject('@temporalio/worker', findProject(root))).toMatchObject({ version: '9.8.7', from: 'project' });
    expect(projectSdkVersions(root)).toEqual({ '@temporalio/worker (project)': '9.8.7' });
  });

  it("falls back to the doctor's own copy when the project has none", () => {
    const empty = mkdtempSync(join(tmpdir(), 'doctor-empty-'));
    roots.push(empty);
    expect(findInProject('@temporalio/worker', findProject(empty))).toBeUndefined();
    expect(projectSdkVersions(empty)).toEqual({});
    expect(findSdkPackage('@temporalio/worker', empty)).toMatchObject({ from: 'doctor', version: '1.24.0' });
  });
});

describe('the Worker probe', () => {
  it("loads the user's copy, hands it the settings, and reports its error with the secret redacted", async () => {
    const root = projectWith(
      `const e = new Error('bad header Bearer ' + options.apiKey + ' for ' + options.address + ' tls=' + JSON.stringify(options.tls)); e.name = 'TransportError'; throw e;`
    );
    const outcome = await probeWorkerSdk({ config }, options(root));
    expect(outcome).toMatchObject({
      stack: 'worker',
      package: '@temporalio/worker 9.8.7',
      outcome: 'error',
      error: { name: 'TransportError' },
    });
    expect(outcome.error?.message).toContain('for 127.0.0.1:7233 tls=false');
    expect(outcome.error?.message).not.toContain('tdk-very-secret-api-key');
  });

  it('stops a connect that never settles at the deadline and says the Worker would hang', async () => {
    const root = projectWith('return new Promise(() => { setInterval(() => {}, 1000); });');
    const started = Date.now();
    const outcome = await probeWorkerSdk({ config }, options(root, 300));
    expect(outcome.outcome).toBe('timeout');
    expect(outcome.note).toMatch(/no connect timeout/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reports a connection that works, then a describeNamespace failure, with stdout noise kept out', async () => {
    const root = projectWith(
      `return { workflowService: { async describeNamespace(r) { const e = new Error('Namespace ' + r.namespace + ' is not found.'); e.name = 'ServiceError'; e.code = 5; throw e; } }, async close() {} };`
    );
    const outcome = await probeWorkerSdk({ config }, options(root));
    expect(outcome).toMatchObject({
      outcome: 'error',
      error: { name: 'ServiceError', code: 5, message: 'Namespace default is not found.' },
    });
    expect(outcome.note).toMatch(/NativeConnection.connect succeeded/);
  });

  it('says the package could not be loaded when requiring it throws (e.g. a musl image without glibc)', async () => {
    const root = projectWith('', "throw new Error('Error loading shared library ld-linux-x86-64.so.2');");
    const outcome = await probeWorkerSdk({ config }, options(root));
    expect(outcome).toMatchObject({ outcome: 'error', note: expect.stringMatching(/could not be loaded/) });
    expect(outcome.error?.message).toContain('ld-linux-x86-64.so.2');
  });

  it('explains how to enable it when no @temporalio/worker can be found at all', async () => {
    const outcome = await probeWorkerSdk({ config }, options(process.cwd()), () => ({ refused: [] }));
    expect(outcome).toMatchObject({ stack: 'worker', outcome: 'unavailable', package: '@temporalio/worker' });
    expect(outcome.note).toContain('npm install @temporalio/worker in your project');
  });

  it('loads only the connection, runtime and logger modules when the package has them (1.x layout)', async () => {
    // The entry itself would fail: the probe must not need it.
    const root = projectWith('', "throw new Error('the whole package was loaded');");
    const dir = join(root, 'node_modules', '@temporalio', 'worker');
    writeFileSync(join(dir, 'runtime.js'), 'exports.Runtime = { install() {} };');
    writeFileSync(join(dir, 'logger.js'), 'exports.DefaultLogger = class {};');
    writeFileSync(
      join(dir, 'connection.js'),
      'exports.NativeConnection = { async connect() { return { workflowService: { async describeNamespace() {} }, async close() {} }; } };'
    );
    const outcome = await probeWorkerSdk({ config }, options(root));
    expect(outcome).toMatchObject({
      outcome: 'connected',
      note: expect.stringMatching(/connected and described the namespace/),
    });
  });

  it('stops at once when cancelled (the run passed without it), killing the child', async () => {
    const root = projectWith('return new Promise(() => { setInterval(() => {}, 1000); });');
    const cancel = new AbortController();
    const probe = probeWorkerSdk({ config }, options(root, 10_000), undefined, cancel.signal);
    setTimeout(() => cancel.abort(), 300);
    const started = Date.now();
    const outcome = await probe;
    expect(outcome).toMatchObject({ outcome: 'unavailable', note: 'stopped: the run passed without it' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('the child ends itself after its lifetime, should the doctor exit without killing it', async () => {
    const root = projectWith('return new Promise(() => { setInterval(() => {}, 1000); });');
    const child = spawn(process.execPath, ['-e', WORKER_PROBE_CHILD], {
      stdio: ['pipe', 'ignore', 'ignore', 'ignore'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const entry = join(root, 'node_modules', '@temporalio', 'worker', 'index.js');
    child.stdin?.end(
      JSON.stringify({ entry, namespace: 'default', lifetimeMs: 500, options: { address: '127.0.0.1:7233' } })
    );
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    expect(await exited).toBe(0);
    clearTimeout(killer);
  });

  it('does not run without resolved settings', async () => {
    const outcome = await probeWorkerSdk({}, options(process.cwd()));
    expect(outcome).toMatchObject({
      outcome: 'unavailable',
      note: expect.stringMatching(/configuration could not be resolved/),
    });
  });
});
