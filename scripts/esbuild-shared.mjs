// What every esbuild bundle of the doctor shares (scripts/build-cli.mjs, build-standalone.mjs): the SDK packages are
// bundled in (so an install needs no @temporalio/* or grpc-js packages: they are MIT, Apache-2.0 and BSD-3-Clause,
// and their license comments are kept), and the version is fixed at build time.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * The sources load two CommonJS files through createRequire(import.meta.url), which esbuild cannot follow; in the
 * bundles they become plain require() calls, which it bundles.
 */
export const bundleCreateRequire = {
  name: 'bundle-create-require',
  setup(build) {
    build.onLoad({ filter: /[\\/]dist[\\/](config[\\/]resolve-config|sdk[\\/]client-sdk)\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(/createRequire\(import\.meta\.url\)\((['"][^'"]+['"])\)/g, 'require($1)');
      if (contents === text) throw new Error(`${relative(process.cwd(), args.path)}: no createRequire call to bundle`);
      return { contents, loader: 'js' };
    });
  },
};

/** Bundled CommonJS code calls require(); an ES module has none of its own. */
export const REQUIRE_BANNER = {
  js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};

/** src/version.ts reads this first: a bundle may run with no package.json above it. */
export const VERSION_DEFINE = {
  __TEMPORAL_DOCTOR_VERSION__: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version),
};
