// After tsc: bundles the CLI and renders its --help once.
// 1. dist/cli/main.js (with yargs, chalk, ora and the Client SDK: @temporalio/client, proto, envconfig, grpc-js) into
//    dist/cli-bundle/, one chunk per lazy import, so --help and JSON runs load no SDK and no spinner. Loading ~100
//    small ES modules costs more than their code: the bundle saves ~50 ms per run. With the SDK inside, an install
//    needs no @temporalio/* packages (the Worker, native, is always the user's own: src/sdk/find-sdk.ts).
//    The library entry gets the same treatment: dist/index.js into dist/lib/ (chalk stays external: its type is in the
//    library's API).
// 2. The help text, through that bundle's real yargs parser, into dist/cli/help.txt (see src/cli/help-cache.ts).
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { bundleCreateRequire, REQUIRE_BANNER, VERSION_DEFINE } from './esbuild-shared.mjs';
import { Writable } from 'node:stream';

const OUT_DIR = 'dist/cli-bundle';

/**
 * string-width compiles an emoji pattern and builds an Intl.Segmenter when it loads (measured: ≈ 25 ms), and yargs,
 * cliui and wrap-ansi import it on every run, though only help and usage text is ever measured. Each import gets a
 * stand-in whose first call loads the real module: required, not imported, esbuild evaluates it lazily.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(build) {
    build.onResolve({ filter: /^string-width$/ }, (args) =>
      args.namespace === 'lazy-string-width'
        ? undefined
        : {
            // The path is only a label (it ends up in a bundle comment): relative, so no build-machine path ships.
            path: `string-width from ${relative(process.cwd(), args.resolveDir)}`,
            namespace: 'lazy-string-width',
            pluginData: args.resolveDir,
          }
    );
    build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
      contents:
        "export default function stringWidth(text, options) { return require('string-width').default(text, options); }",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};
rmSync(OUT_DIR, { recursive: true, force: true });
rmSync('dist/lib', { recursive: true, force: true });
const shared = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  banner: REQUIRE_BANNER,
  define: VERSION_DEFINE,
  chunkNames: 'chunks/[name]-[hash]',
  legalComments: 'linked',
  logLevel: 'warning',
};
await build({
  ...shared,
  entryPoints: { 'temporal-doctor': 'dist/cli/main.js' },
  outdir: OUT_DIR,
  plugins: [lazyStringWidth, bundleCreateRequire],
});
await build({
  ...shared,
  entryPoints: { index: 'dist/index.js' },
  outdir: 'dist/lib',
  plugins: [bundleCreateRequire],
  external: ['chalk'],
});

class Capture extends Writable {
  text = '';
  _write(chunk, _encoding, done) {
    this.text += chunk.toString();
    done();
  }
}
const { run } = await import(`../${OUT_DIR}/temporal-doctor.js`);
const stdout = new Capture();
const stderr = new Capture();
// No columns: the width a pipe gets, which is also the widest help (HELP_WIDTH).
const exitCode = await run(['--help'], { stdout, stderr, env: {}, isTTY: false, cwd: process.cwd() });
if (exitCode !== 0 || stderr.text || !stdout.text.includes('--address')) {
  throw new Error(`rendering --help failed (exit ${exitCode}): ${stderr.text}`);
}
writeFileSync('dist/cli/help.txt', stdout.text);
