// --help and --version skip the parser by printing what the build rendered; these tests hold that text to what yargs
// prints live, so the cache cannot drift from the options.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cachedOutput, HELP_FILE, HELP_WIDTH } from '../../src/cli/help-cache.js';
import { runCli } from '../support/run-cli.js';

const version = (): string => '9.9.9';

describe('cachedOutput', () => {
  const dir = mkdtempSync(join(tmpdir(), 'help-cache-'));
  const helpFile = pathToFileURL(join(dir, 'help.txt'));
  writeFileSync(helpFile, 'rendered help\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the rendered help for --help and -h on a pipe or a wide terminal', () => {
    expect(cachedOutput(['--help'], undefined, version, helpFile)).toBe('rendered help\n');
    expect(cachedOutput(['-h'], HELP_WIDTH, version, helpFile)).toBe('rendered help\n');
    expect(cachedOutput(['--help'], 200, version, helpFile)).toBe('rendered help\n');
  });

  it('prints the version for --version', () => {
    expect(cachedOutput(['--version'], undefined, version, helpFile)).toBe('9.9.9\n');
  });

  it('leaves everything else to the parser', () => {
    expect(cachedOutput([], undefined, version, helpFile)).toBeUndefined();
    expect(cachedOutput(['--help', '--verbose'], undefined, version, helpFile)).toBeUndefined();
    expect(cachedOutput(['explain', '--help'], undefined, version, helpFile)).toBeUndefined();
    expect(cachedOutput(['--address'], undefined, version, helpFile)).toBeUndefined();
  });

  it('leaves a narrower terminal to the parser, which wraps to it', () => {
    expect(cachedOutput(['--help'], HELP_WIDTH - 1, version, helpFile)).toBeUndefined();
  });

  it('falls back to the parser when no help was rendered', () => {
    expect(cachedOutput(['--help'], undefined, version, pathToFileURL(join(dir, 'missing.txt')))).toBeUndefined();
  });
});

describe('the rendered help (dist/cli/help.txt, written by npm run build)', () => {
  it('is exactly what yargs prints live for --help, and what the installed command prints', async () => {
    const live = await runCli(['--help']);
    expect(live.exitCode).toBe(0);
    // The source tree's HELP_FILE points into src/; the build writes the file next to dist/cli/help-cache.js.
    const rendered = readFileSync(new URL(HELP_FILE.href.replace('/src/cli/', '/dist/cli/')), 'utf8');
    expect(rendered).toBe(live.stdout);
    const installed = spawnSync(process.execPath, ['bin/temporal-doctor.js', '--help'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(installed.status).toBe(0);
    expect(installed.stdout).toBe(live.stdout);
  });

  it('matches the parser at a narrow width too (the command falls back to yargs there)', async () => {
    const narrow = await runCli(['--help'], { columns: 60 });
    expect(narrow.exitCode).toBe(0);
    expect(Math.max(...narrow.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(60);
  });

  it('--version from the installed command is the package version', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const installed = spawnSync(process.execPath, ['bin/temporal-doctor.js', '--version'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(installed.stdout).toBe(`${pkg.version}\n`);
  });
});
