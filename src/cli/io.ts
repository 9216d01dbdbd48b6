import type { Writable } from 'node:stream';
import { boundSystemResolver } from './resolver-bound.js';

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
  /**
   * Calls `handler` on Ctrl-C (SIGINT) or SIGTERM, then ends the process at once with 130 / 143; returns the
   * unregister function. Absent in-process (tests): nothing to interrupt.
   */
  onInterrupt?: (handler: (signal: InterruptSignal) => void) => () => void;
  /**
   * Bounds the system resolver's retries to the run's timeout before any lookup (resolver-bound.ts). Absent in-process
   * (tests): the process environment is not the command's to change.
   */
  boundResolver?: (timeoutMs: number) => void;
}

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

const INTERRUPT_EXIT: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };

function onProcessInterrupt(handler: (signal: InterruptSignal) => void): () => void {
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const listener = (): void => {
      try {
        handler(signal);
      } finally {
        process.exit(INTERRUPT_EXIT[signal]);
      }
    };
    process.once(signal, listener);
    return [signal, listener] as const;
  });
  return () => listeners.forEach(([signal, listener]) => process.removeListener(signal, listener));
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
    onInterrupt: onProcessInterrupt,
    boundResolver: boundSystemResolver,
  };
}
