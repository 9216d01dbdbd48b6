// The entry of the one-file build (scripts/build-standalone.mjs bundles it, with @temporalio/client, grpc-js and the
// protos, into dist/temporal-doctor.mjs): what bin/temporal-doctor.js does, minus the help cache, which is a file.
import { runFromProcess } from './main.js';

// grpc-js sets an IP address as TLS server name and Node warns about it (DEP0123): nothing a user can act on.
process.noDeprecation = true;
const exitCode = await runFromProcess();
// An abandoned SDK connect keeps timers alive: exit once both streams have flushed.
process.stdout.write('', () => process.stderr.write('', () => process.exit(exitCode)));
