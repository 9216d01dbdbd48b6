// Runs a command in a real pseudo-terminal (python3's pty module: no native addon to build), for tests of what a user
// at a terminal sees: the width the report wraps to, the spinner, Ctrl-C.
import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DRIVER = fileURLToPath(new URL('./pty-driver.py', import.meta.url));

export interface PtyRun {
  /** Everything the command wrote to the terminal (stdout and stderr together, as a terminal shows them). */
  output: string;
  exit: number | null;
  signal: string | null;
  timedOut: boolean;
  elapsedMs: number;
}

export interface PtyOptions {
  cols?: number;
  rows?: number;
  /** The run is killed after this long. */
  timeoutMs?: number;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** What to do while it runs: `[afterMs, '^C' | 'TERM' | text to type]`. */
  script?: Array<[number, string]>;
}

/** The driver's command line and the spawn options, the same for both ways of running it. */
function driverCall(command: string, args: string[], options: PtyOptions) {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const argv = [
    DRIVER,
    String(options.cols ?? 80),
    String(options.rows ?? 24),
    String(timeoutMs / 1000),
    JSON.stringify(options.script ?? []),
    '--',
    command,
    ...args,
  ];
  const spawnOptions = {
    encoding: 'utf8' as const,
    env: options.env as NodeJS.ProcessEnv,
    cwd: options.cwd,
    timeout: timeoutMs + 5_000,
    maxBuffer: 16 * 1024 * 1024,
  };
  return { argv, spawnOptions };
}

export function runInPty(command: string, args: string[], options: PtyOptions = {}): PtyRun {
  const { argv, spawnOptions } = driverCall(command, args, options);
  const result = spawnSync('python3', argv, spawnOptions);
  if (result.status !== 0 || !result.stdout) {
    throw new Error(`pty driver failed (${result.status ?? result.signal}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as PtyRun;
}

/**
 * runInPty without blocking this process: for commands that talk to servers the test runs in-process (a synchronous
 * spawn would stop them from answering).
 */
export function runInPtyAsync(command: string, args: string[], options: PtyOptions = {}): Promise<PtyRun> {
  const { argv, spawnOptions } = driverCall(command, args, options);
  return new Promise((resolve, reject) => {
    execFile('python3', argv, spawnOptions, (error, stdout, stderr) => {
      if (error || !stdout) reject(new Error(`pty driver failed (${error?.message ?? 'no output'}): ${stderr}`));
      else resolve(JSON.parse(stdout) as PtyRun);
    });
  });
}
