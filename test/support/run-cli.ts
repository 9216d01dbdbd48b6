// Runs the whole CLI in-process with captured streams, as a user would run it, but hermetic.
import { Writable } from 'node:stream';
import { run } from '../../src/cli/main.js';
import type { Report } from '../../src/report/model.js';

export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function runCli(
  argv: string[],
  opts: { env?: Record<string, string | undefined>; isTTY?: boolean; columns?: number; cwd?: string } = {}
): Promise<CliResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  // A terminal reports its width on stderr too (the spinner needs it; ora stays in its plain mode on a Capture).
  if (opts.isTTY) Object.assign(stderr, { columns: opts.columns ?? 100 });
  const exitCode = await run(argv, {
    stdout,
    stderr,
    env: opts.env ?? {},
    isTTY: opts.isTTY ?? false,
    ...(opts.columns ? { columns: opts.columns } : {}),
    cwd: opts.cwd ?? process.cwd(),
  });
  return { stdout: stdout.text, stderr: stderr.text, exitCode };
}

/** Runs with -o json and parses the report. */
export async function runJson(
  argv: string[],
  opts: { env?: Record<string, string | undefined>; cwd?: string } = {}
): Promise<CliResult & { report: Report }> {
  const result = await runCli([...argv, '-o', 'json'], opts);
  let report: Report;
  try {
    report = JSON.parse(result.stdout) as Report;
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.exitCode}):\n${result.stdout}\n--- stderr:\n${result.stderr}`);
  }
  return { ...result, report };
}

export function findCheck(report: Report, id: string) {
  return report.stages.flatMap((s) => s.checks).find((c) => c.id === id);
}

export function checkIds(report: Report): string[] {
  return report.stages.flatMap((s) => s.checks).map((c) => `${c.id}:${c.status}`);
}
