// `npm run docs`: regenerates docs/settings.md from the built settings table (run after `npm run build`).
// The generator is TypeScript (scripts/settings-doc.ts, also imported by jest); esbuild strips its types here.
import { readFileSync, writeFileSync } from 'node:fs';
import { transformSync } from 'esbuild';

const source = readFileSync(new URL('./settings-doc.ts', import.meta.url), 'utf8');
const { code } = transformSync(source, { loader: 'ts', format: 'esm' });
const { renderSettingsDoc } = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
const { SETTINGS } = await import('../dist/config/settings.js');
const { LEGACY_ENV_NAMES } = await import('../dist/config/resolve-config.js');
const { GRPC_META_ENV_PREFIX } = await import('../dist/config/near-miss.js');

const out = new URL('../docs/settings.md', import.meta.url);
writeFileSync(
  out,
  renderSettingsDoc({ settings: SETTINGS, legacyEnv: LEGACY_ENV_NAMES, grpcMetaEnvPrefix: GRPC_META_ENV_PREFIX })
);
console.log('wrote docs/settings.md');

// The check ids of docs/checks/*.md, for --only / --skip validation in the CLI (test/docs/check-reference.test.ts
// fails while the catalog and the pages differ).
const { renderCheckCatalog } = await import(
  `data:text/javascript;base64,${Buffer.from(
    transformSync(readFileSync(new URL('./check-catalog.ts', import.meta.url), 'utf8'), { loader: 'ts', format: 'esm' })
      .code
  ).toString('base64')}`
);
const { readdirSync } = await import('node:fs');
const checksDir = new URL('../docs/checks/', import.meta.url);
const pages = readdirSync(checksDir)
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => readFileSync(new URL(name, checksDir), 'utf8'));
writeFileSync(new URL('../src/diagnosis/check-catalog.ts', import.meta.url), renderCheckCatalog(pages));
console.log('wrote src/diagnosis/check-catalog.ts');
