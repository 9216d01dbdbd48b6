import type { Writable } from 'node:stream';

/** Everything the CLI touches outside itself, injected so tests run it in-process. */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  /** Whether stdout is an interactive terminal. */
  isTTY: boolean;
  /** The terminal's width, when stdout is one. */
  columns?: number;
  cwd: string;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    isTTY: Boolean(process.stdout.isTTY),
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
    cwd: process.cwd(),
  };
}
