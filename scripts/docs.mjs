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
