// After tsc: the one-file build, dist/temporal-doctor.mjs. It runs with `node` alone (no node_modules beside it), so a
// user can copy it into the container or pod where the Worker runs and diagnose from exactly there. Everything is in
// it: the CLI, yargs, chalk, ora, @temporalio/client, common, proto, envconfig, grpc-js and protobufjs; their license
// comments are kept at the end of the file. The Worker is not: its native bridge cannot be bundled, and the Worker
// probe loads the user's own @temporalio/worker from the project in the working directory (src/sdk/find-sdk.ts), or
// reports that it did not run.
import { build } from 'esbuild';
import { bundleCreateRequire, REQUIRE_BANNER, VERSION_DEFINE } from './esbuild-shared.mjs';

await build({
  entryPoints: ['dist/cli/standalone.js'],
  outfile: 'dist/temporal-doctor.mjs',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  plugins: [bundleCreateRequire],
  banner: REQUIRE_BANNER,
  define: VERSION_DEFINE,
  legalComments: 'eof',
  logLevel: 'warning',
});
