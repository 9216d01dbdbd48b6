// A @temporalio/worker planted in a folder above the user's project (as in /tmp/node_modules or $HOME/node_modules)
// must never be loaded: the Worker probe would hand it the API key and the private key. Each planted copy writes a
// marker file when it is loaded, so "not loaded" is proven, not inferred. The project's own copy is loaded.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeWorkerSdk } from '../../src/sdk/worker-probe.js';
import { lookupSdkPackage, projectSdkVersions } from '../../src/sdk/find-sdk.js';
import { withDefaults } from '../../src/options.js';
import { Secret } from '../../src/text/secret.js';
import { flag, makeConfig } from '../support/stage-context.js';
import { runCli } from '../support/run-cli.js';
import { startTemporalFrontend } from '../support/servers/temporal-frontend.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A fake @temporalio/worker in `<dir>/node_modules` that writes `marker` when loaded and fails its connect. */
function plantWorker(dir: string, version: string, marker: string): void {
  const pkg = join(dir, 'node_modules', '@temporalio', 'worker');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@temporalio/worker', version, main: 'index.js' }));
  writeFileSync(
    join(pkg, 'index.js'),
    `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'loaded');
class DefaultLogger { constructor() {} }
const Runtime = { install() {} };
const NativeConnection = { async connect() { throw new Error('fake ${version} refused the connect'); } };
module.exports = { DefaultLogger, Runtime, NativeConnection };`
  );
}

/** evil/node_modules holds a planted copy; evil/work/app is the user's project (package.json declares the Worker). */
function layout(opts: { projectCopy: boolean; declares: boolean }) {
  const evil = mkdtempSync(join(tmpdir(), 'planted-'));
  roots.push(evil);
  const planted = join(evil, 'planted-loaded');
  const own = join(evil, 'own-loaded');
  plantWorker(evil, '6.6.6', planted);
  const app = join(evil, 'work', 'app');
  const sub = join(app, 'src', 'deep');
  mkdirSync(sub, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', ...(opts.declares ? { devDependencies: { '@temporalio/worker': '^1.0.0' } } : {}) })
  );
  if (opts.projectCopy) plantWorker(app, '1.2.3', own);
  return { evil, app, sub, planted, own };
}

const config = makeConfig({
  address: flag('127.0.0.1:9', '--address'),
  apiKey: flag(new Secret('planted-test-api-key-123'), '--api-key'),
});

describe('the Worker SDK is loaded only from the user project', () => {
  it('loads the project copy, never the planted one above it, and says which it used', async () => {
    const { app, sub, planted, own } = layout({ projectCopy: true, declares: true });
    const outcome = await probeWorkerSdk({ config }, withDefaults({ env: {}, cwd: sub, timeoutMs: 2000 }));
    expect(existsSync(own)).toBe(true);
    expect(existsSync(planted)).toBe(false);
    expect(outcome).toMatchObject({ package: '@temporalio/worker 1.2.3', outcome: 'error' });
    expect(outcome.error?.message).toContain('fake 1.2.3');
    expect(outcome.loadedFrom).toBe(join(app, 'node_modules', '@temporalio', 'worker'));
    expect(projectSdkVersions(sub)).toEqual({ '@temporalio/worker (project)': '1.2.3' });
  });

  it("refuses a copy outside the project when the project has none, names it, and falls back to the doctor's", async () => {
    const { evil, app, sub, planted } = layout({ projectCopy: false, declares: true });
    const outcome = await probeWorkerSdk({ config }, withDefaults({ env: {}, cwd: sub, timeoutMs: 2000 }));
    expect(existsSync(planted)).toBe(false);
    expect(outcome.package).toMatch(/the doctor's copy/);
    expect(outcome.refused).toEqual([
      `found @temporalio/worker 6.6.6 in ${join(evil, 'node_modules')}, outside the project at ${app}: not loaded`,
    ]);
    expect(projectSdkVersions(sub)).toEqual({});
  });

  it('with no package.json that declares the Worker, loads nothing from the folders above', async () => {
    const { evil, sub, planted } = layout({ projectCopy: false, declares: false });
    const lookup = lookupSdkPackage('@temporalio/worker', sub);
    expect(lookup.project).toBeUndefined();
    expect(lookup.found?.from).toBe('doctor');
    expect(lookup.refused[0]).toContain(`in ${join(evil, 'node_modules')}, but no package.json at or above`);
    await probeWorkerSdk({ config }, withDefaults({ env: {}, cwd: sub, timeoutMs: 2000 }));
    expect(existsSync(planted)).toBe(false);
  });

  it('--project names the project: its own copy is loaded even without a declaring package.json', async () => {
    const { app, planted, own, evil } = layout({ projectCopy: true, declares: false });
    const outcome = await probeWorkerSdk(
      { config },
      withDefaults({ env: {}, cwd: evil, project: app, timeoutMs: 2000 })
    );
    expect(outcome.package).toBe('@temporalio/worker 1.2.3');
    expect(readFileSync(own, 'utf8')).toBe('loaded');
    expect(existsSync(planted)).toBe(false);
  });

  it('the CLI, run from below a planted folder, reports the refusal and never runs the planted copy', async () => {
    const { sub, planted } = layout({ projectCopy: false, declares: false });
    const frontend = await startTemporalFrontend({ systemInfo: 'permission-denied' });
    let run;
    try {
      run = await runCli(['--address', frontend.address, '--tls=false', '--stack', 'worker', '--timeout', '2s'], {
        env: {},
        cwd: sub,
      });
    } finally {
      await frontend.close();
    }
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('worker probe: found @temporalio/worker 6.6.6 in');
    expect(run.stdout).toContain('not loaded (name your project with --project DIR)');
    expect(existsSync(planted)).toBe(false);
  }, 30_000);
});
