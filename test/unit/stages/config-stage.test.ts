import { describe, expect, it } from '@jest/globals';
import { StageScope } from '../../../src/pipeline/run-pipeline.js';
import { configStage } from '../../../src/stages/config.js';
import { withDefaults } from '../../../src/options.js';
import type { SettingsInput } from '../../../src/options.js';
import type { DoctorStageContext as StageContext } from '../../../src/facts.js';

function run(env: Record<string, string>, settings: SettingsInput = {}) {
  const options = withDefaults({ env, settings });
  const ctx: StageContext<never> = {
    facts: {},
    optionalFacts: {},
    options,
    signal: new AbortController().signal,
    timeoutMs: 1000,
    now: options.now,
    progress: () => {},
    trouble: () => {},
    run: new StageScope(),
  };
  return configStage.run(ctx);
}

describe('configStage', () => {
  it('starts with config.resolved naming address, namespace, TLS and auth with their sources', async () => {
    const { checks, facts } = await run(
      { TEMPORAL_ADDRESS: 'my-ns.a1b2c.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key' },
      { namespace: 'my-ns.a1b2c' }
    );
    expect(facts?.address.value).toBe('my-ns.a1b2c.tmprl.cloud:7233');
    const [resolved] = checks;
    expect(resolved).toMatchObject({
      id: 'config.resolved',
      status: 'pass',
      message: 'Target my-ns.a1b2c.tmprl.cloud:7233, namespace my-ns.a1b2c, TLS on, auth API key',
    });
    expect(resolved?.evidence).toEqual(
      expect.arrayContaining([
        { label: 'address', value: 'my-ns.a1b2c.tmprl.cloud:7233 (env TEMPORAL_ADDRESS)' },
        { label: 'namespace', value: 'my-ns.a1b2c (flag --namespace)' },
        { label: 'tls', value: 'on (derived implied by TEMPORAL_API_KEY)' },
        { label: 'auth', value: 'API key from TEMPORAL_API_KEY' },
      ])
    );
    expect(JSON.stringify(checks)).not.toContain('"key"');
  });

  it('still returns facts when a rule fails, so network stages give evidence', async () => {
    const { checks, facts } = await run({ TEMPORAL_TLS_CLIENT_CERT_PATH: '/c.pem' });
    expect(checks.find((c) => c.status === 'fail')?.id).toBe('config.tls.half-pair');
    expect(facts).toBeDefined();
  });

  it('returns no facts when the settings cannot be known', async () => {
    const { checks, facts } = await run({ TEMPORAL_PROFILE: 'nowhere' });
    expect(checks.map((c) => c.id)).toEqual(['config.profile.not-found', 'config.trust-env']);
    expect(facts).toBeUndefined();
  });
});
