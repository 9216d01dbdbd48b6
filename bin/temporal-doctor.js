#!/usr/bin/env node
import { cachedOutput } from '../dist/cli/help-cache.js';
import { TOOL_VERSION } from '../dist/version.js';

// grpc-js sets an IP address as TLS server name and Node warns about it (DEP0123) on stderr, mid-report: the user can do
// nothing about a warning inside the SDK, and it reads like an error.
process.noDeprecation = true;

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
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
