// After tsc: the one-file build, dist/temporal-doctor.mjs. It runs with `node` alone (no node_modules beside it), so a
// user can copy it into the container or pod where the Worker runs and diagnose from exactly there. Everything is in
// it: the CLI, yargs, chalk, ora, @temporalio/client, common, proto, envconfig, grpc-js and protobufjs (all MIT,
// Apache-2.0 or BSD-3-Clause; their license comments are kept at the end of the file). The Worker is not: its native
// bridge cannot be bundled, and the Worker probe loads the user's own @temporalio/worker from the project in the
// working directory (src/sdk/find-sdk.ts), or reports that it did not run.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const OUT_FILE = 'dist/temporal-doctor.mjs';

/**
 * The sources load two CommonJS files through createRequire(import.meta.url), which esbuild cannot follow; in this
 * build they become plain require() calls, which it bundles.
 */
const bundleCreateRequire = {
  name: 'bundle-create-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/](config[\\/]resolve-config|sdk[\\/]client-sdk)\.js$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(/createRequire\(import\.meta\.url\)\((['"][^'"]+['"])\)/g, 'require($1)');
      if (contents === text) throw new Error(`${relative(process.cwd(), args.path)}: no createRequire call to bundle`);
      return { contents, loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['dist/cli/standalone.js'],
  outfile: OUT_FILE,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  plugins: [bundleCreateRequire],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  legalComments: 'eof',
  define: { __TEMPORAL_DOCTOR_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  logLevel: 'warning',
});
