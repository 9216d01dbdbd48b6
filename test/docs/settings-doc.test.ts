// docs/settings.md is generated from the settings table; this fails when the two have drifted apart.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { SETTINGS } from '../../src/config/settings.js';
import { LEGACY_ENV_NAMES } from '../../src/config/resolve-config.js';
import { GRPC_META_ENV_PREFIX } from '../../src/config/near-miss.js';
import { renderSettingsDoc } from '../../scripts/settings-doc.js';

describe('docs/settings.md', () => {
  it('matches the settings table', () => {
    const expected = renderSettingsDoc({
      settings: SETTINGS,
      legacyEnv: LEGACY_ENV_NAMES,
      grpcMetaEnvPrefix: GRPC_META_ENV_PREFIX,
    });
    const actual = readFileSync(new URL('../../docs/settings.md', import.meta.url), 'utf8');
    if (actual !== expected) {
      throw new Error(
        'docs/settings.md is out of date with src/config/settings.ts: run `npm run docs` and commit the result'
      );
    }
    expect(actual).toBe(expected);
  });

  it('lists every setting once', () => {
    const doc = renderSettingsDoc({
      settings: SETTINGS,
      legacyEnv: LEGACY_ENV_NAMES,
      grpcMetaEnvPrefix: GRPC_META_ENV_PREFIX,
    });
    for (const spec of SETTINGS) expect(doc.split(`\`--${spec.flag}\``).length - 1).toBe(1);
  });
});
