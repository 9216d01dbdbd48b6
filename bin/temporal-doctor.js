#!/usr/bin/env node
import { cachedOutput } from '../dist/cli/help-cache.js';
import { TOOL_VERSION } from '../dist/version.js';

// grpc-js sets an IP address as TLS server name and Node warns about it (DEP0123) on stderr, mid-report: the user can do
// nothing about a warning inside the SDK, and it reads like an error.
process.noDeprecation = true;

// A report that could not be written (a full disk, /dev/full, an I/O error) must not pass a CI gate: remember the
// error and exit non-zero. EPIPE is the reader closing the pipe (`| head`), a normal end: the exit code stays the run's.
let stdoutError;
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') stdoutError ??= error;
});

const args = process.argv.slice(2);
// --help and --version print text rendered at build time, without loading the parser.
const cached = cachedOutput(args, process.stdout.isTTY ? process.stdout.columns : undefined, () => TOOL_VERSION);
let exitCode = 0;
if (cached !== undefined) {
  process.stdout.write(cached);
} else {
  const { runFromProcess } = await import('../dist/cli-bundle/temporal-doctor.js');
  exitCode = await runFromProcess();
}
// The verdict is out. An SDK connect the doctor abandoned keeps grpc-js timers alive until its own deadline, and a
// native Worker connect may never end: exit once both streams have flushed instead of waiting for them.
process.stdout.write('', (error) => {
  if (error && error.code !== 'EPIPE') stdoutError ??= error;
  // A failed write reports its 'error' event a tick after the callback.
  setImmediate(() => {
    if (stdoutError) {
      process.stderr.write(
        `temporal-doctor: cannot write the report to stdout: ${stdoutError.code ?? stdoutError.message}\n`
      );
      // 2, as for any run whose output cannot be trusted: the verdict never reached its reader.
      exitCode = 2;
    }
    process.stderr.write('', () => process.exit(exitCode));
  });
});
