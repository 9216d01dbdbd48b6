// The package as a user installs it: `npm pack`, then an install of the tarball into an empty folder. ESM import,
// CommonJS require, the types (tsc over a consumer file) and the bin all work, and the install stays small.
// Needs the build (npm test builds first). The install resolves the dependencies from npm's cache (--prefer-offline),
// falling back to the registry.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const run = promisify(execFile);
const MAX_INSTALLED_BYTES = 25 * 1024 * 1024;

let dir: string;
let env: NodeJS.ProcessEnv;
let frontend: TemporalFrontend;

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'package-'));
  frontend = await startTemporalFrontend();
  // No developer settings: a HOME of its own (npm's cache stays where it is).
  env = { PATH: process.env.PATH, HOME: dir };
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    env: { ...process.env },
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  writeFileSync(join(dir, 'package.json'), '{ "name": "consumer", "private": true, "type": "commonjs" }\n');
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, filename)],
    { cwd: dir, env: { ...process.env, HOME: dir, npm_config_cache: cacheDir() } }
  );
}, 120_000);

/** npm's cache as this machine has it: test/support/env.ts points HOME at a temp folder, the user database does not. */
function cacheDir(): string {
  return process.env.npm_config_cache ?? join(userInfo().homedir, '.npm');
}

afterAll(async () => {
  await frontend?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the packed tarball, installed in an empty folder', () => {
  it('imports as an ES module', async () => {
    writeFileSync(
      join(dir, 'use.mjs'),
      "import { diagnose, renderText } from 'temporal-doctor';\nconsole.log(typeof diagnose, typeof renderText);\n"
    );
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: dir, env });
    expect(stdout.trim()).toBe('function function');
  });

  it('loads with require() from CommonJS', async () => {
    writeFileSync(
      join(dir, 'use.cjs'),
      "const doctor = require('temporal-doctor');\nconsole.log(typeof doctor.diagnose, typeof doctor.exitCodeFor);\n" +
        "console.log(require('temporal-doctor/report.schema.json').$defs.StageId.enum.join(','));\n"
    );
    const { stdout, stderr } = await run(process.execPath, ['use.cjs'], { cwd: dir, env });
    const [types, stages] = stdout.trim().split('\n');
    expect(types).toBe('function function');
    expect(stages).toContain('config');
    expect(stderr).toBe('');
  });

  it('runs diagnose() with no @temporalio package installed', async () => {
    expect(readdirSync(join(dir, 'node_modules'))).not.toContain('@temporalio');
    writeFileSync(
      join(dir, 'diagnose.mjs'),
      "import { diagnose } from 'temporal-doctor';\n" +
        "const report = await diagnose({ address: '127.0.0.1:1', timeoutMs: 2000 });\n" +
        'console.log(report.target.address.value, report.rootCause?.check, report.environment.sdk["@temporalio/client"]);\n'
    );
    const { stdout } = await run(process.execPath, ['diagnose.mjs'], { cwd: dir, env, timeout: 30_000 });
    expect(stdout.trim()).toMatch(/^127\.0\.0\.1:1 tcp\.connect\.refused \d+\.\d+\.\d+$/);
  });

  it('runs a full check with the bundled SDK, from the library and from the bin', async () => {
    writeFileSync(
      join(dir, 'healthy.mjs'),
      "import { diagnose } from 'temporal-doctor';\n" +
        "const report = await diagnose({ address: process.argv[2], stack: 'client' });\n" +
        "console.log(report.status, report.stages.filter((s) => s.status === 'pass').map((s) => s.id).join(','));\n"
    );
    const library = await run(process.execPath, ['healthy.mjs', frontend.address], { cwd: dir, env });
    expect(library.stdout.trim()).toMatch(/^pass .*grpc,namespace/);
    const bin = join(dir, 'node_modules', '.bin', 'temporal-doctor');
    const cli = await run(bin, ['--address', frontend.address, '--stack', 'client', '-o', 'json'], { cwd: dir, env });
    expect(JSON.parse(cli.stdout).status).toBe('pass');
  });

  it('has types a strict TypeScript consumer compiles against', async () => {
    writeFileSync(
      join(dir, 'use.mts'),
      "import { diagnose, renderMarkdown, type Report } from 'temporal-doctor';\n" +
        "const report: Report = await diagnose({ address: 'localhost:7233', namespace: 'default' });\n" +
        'export const text: string = renderMarkdown(report);\n' +
        '// @ts-expect-error a misspelt setting is refused\n' +
        "await diagnose({ adress: 'x' });\n"
    );
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    // A Node.js project has @types/node; this one borrows the repository's.
    args.push('--target', 'es2022', '--typeRoots', join(ROOT, 'node_modules', '@types'), '--types', 'node', 'use.mts');
    const result = await run(process.execPath, [TSC, ...args], { cwd: dir, env }).catch(
      (error: { stdout: string }) => error
    );
    expect(result.stdout).toBe('');
  });

  it('has a working bin', async () => {
    const bin = join(dir, 'node_modules', '.bin', 'temporal-doctor');
    const version = await run(bin, ['--version'], { cwd: dir, env });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const refused = await run(bin, ['--address', '127.0.0.1:1', '-o', 'json', '--no-sdk-probe'], {
      cwd: dir,
      env,
    }).catch((error: { stdout: string; code: number }) => error);
    expect((refused as { code?: number }).code).toBe(1);
    expect(JSON.parse(refused.stdout).rootCause.check).toBe('tcp.connect.refused');
  });

  it(`installs in at most ${MAX_INSTALLED_BYTES / 1024 / 1024} MB`, () => {
    const bytes = sizeOf(join(dir, 'node_modules'));
    expect(bytes).toBeLessThanOrEqual(MAX_INSTALLED_BYTES);
  });
});
