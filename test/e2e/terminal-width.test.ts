// The built command in a real pseudo-terminal of 80 columns: the report wraps to the width, with no word split and
// nothing lost, compared word for word with the same run on a pipe (which is not wrapped).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInPtyAsync } from '../support/pty.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';

const BIN = fileURLToPath(new URL('../../bin/temporal-doctor.js', import.meta.url));
const COLUMNS = 80;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

let home: string;
let frontend: TemporalFrontend;
let refusedPort: number;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'terminal-width-'));
  frontend = await startTemporalFrontend({ namespaces: [{ name: 'default' }] });
  // A port nothing listens on: bind one, note it, close it.
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  refusedPort = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
});

afterAll(async () => {
  await frontend?.close();
  rmSync(home, { recursive: true, force: true });
});

function env(): Record<string, string | undefined> {
  // CI=1: no spinner, so the terminal shows the report alone; colour stays on (a TTY) and must not count as width.
  return { PATH: process.env.PATH, HOME: home, TERM: 'xterm-256color', CI: '1', LANG: 'C.UTF-8' };
}

/** Words of a report, with run-to-run numbers (timings) made equal. */
function words(text: string): string[] {
  return text.replace(ANSI, '').replace(/\d+/g, 'N').split(/\s+/).filter(Boolean);
}

// Both asynchronous: the test frontend lives in this process and must keep answering while the command runs.
async function inTerminal(args: string[]): Promise<{ lines: string[]; text: string; exit: number | null }> {
  const run = await runInPtyAsync(process.execPath, [BIN, ...args], {
    cols: COLUMNS,
    rows: 50,
    env: env(),
    timeoutMs: 30_000,
  });
  const text = run.output.replace(/\r/g, '');
  return { lines: text.replace(ANSI, '').split('\n'), text, exit: run.exit };
}

async function onPipe(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, ...args], {
    env: env() as NodeJS.ProcessEnv,
    encoding: 'utf8',
  }).catch((error: { stdout: string }) => error);
  return stdout;
}

const CASES: Array<[string, () => string[], number]> = [
  ['a refused port, verbose', () => ['--address', `127.0.0.1:${refusedPort}`, '-v', '--no-sdk-probe'], 1],
  [
    'a missing namespace',
    () => ['--address', frontend.address, '--namespace', 'no-such-namespace-for-this-test', '--no-sdk-probe'],
    1,
  ],
  ['a healthy server, verbose', () => ['--address', frontend.address, '-v', '--stack', 'client'], 0],
];

describe.each(CASES)('the report at an 80-column terminal: %s', (_name, args, exit) => {
  it('keeps every line within the width, splits no word and loses nothing', async () => {
    const terminal = await inTerminal(args());
    expect(terminal.exit).toBe(exit);
    const longest = Math.max(...terminal.lines.map((l) => [...l].length));
    expect(terminal.lines.filter((l) => [...l].length > COLUMNS)).toEqual([]);
    expect(longest).toBeLessThanOrEqual(COLUMNS);
    // Colour is on at a terminal, and its escapes did not count as width.
    expect(terminal.text).toMatch(ANSI);
    const piped = await onPipe(args());
    // The pipe is not wrapped: some of its lines are wider than the terminal, so the comparison below means something.
    expect(Math.max(...piped.split('\n').map((l) => [...l].length))).toBeGreaterThan(COLUMNS);
    expect(words(terminal.text)).toEqual(words(piped));
    // Continuation lines are indented (a hanging indent), so a wrapped finding still reads as one.
    const continued = terminal.lines.filter((l, i) => i > 0 && /^ {2,}\S/.test(l) && !/^ {4}[✓!✗–] /.test(l));
    expect(continued.length).toBeGreaterThan(0);
  });
});
