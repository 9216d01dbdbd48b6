import { readFileSync } from 'node:fs';

/**
 * Read once from the doctor's own package.json, the nearest one above this module: one level up from src/ and dist/,
 * two from the bundled CLI's chunks.
 */
// The one-file build has no package.json beside it: scripts/build-standalone.mjs defines the version at build time.
declare const __TEMPORAL_DOCTOR_VERSION__: string | undefined;

export const TOOL_VERSION: string = (() => {
  if (typeof __TEMPORAL_DOCTOR_VERSION__ === 'string') return __TEMPORAL_DOCTOR_VERSION__;
  for (const up of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'temporal-doctor') return pkg.version ?? '0.0.0';
    } catch {
      // not here; try one level up
    }
  }
  return '0.0.0';
})();
