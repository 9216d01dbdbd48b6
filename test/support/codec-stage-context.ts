// A context for calling codecStage.run() directly: settings resolved by the real config code, a real deadline.
import { StageScope } from '../../src/pipeline/run-pipeline.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { withDefaults, type SettingsInput } from '../../src/options.js';
import type { DoctorStageContext as StageContext } from '../../src/facts.js';

export interface CodecContextInput {
  settings: SettingsInput;
  env?: Record<string, string | undefined>;
  uiOrigin?: string;
  timeoutMs?: number;
  dnsServers?: string[];
}

export function resolvedConfig(settings: SettingsInput, env: Record<string, string | undefined> = {}): ResolvedConfig {
  const { config, checks } = resolveConfig({ settings, env });
  if (!config) throw new Error(`config did not resolve: ${JSON.stringify(checks)}`);
  return config;
}

/** The context plus `done()`, which clears the deadline timer (call it in a finally). */
export function codecStageContext(input: CodecContextInput): StageContext<'config'> & { done(): void } {
  const timeoutMs = input.timeoutMs ?? 3000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`deadline of ${timeoutMs} ms`)), timeoutMs);
  const options = withDefaults({
    settings: input.settings,
    env: input.env ?? {},
    timeoutMs,
    sdkProbe: false,
    ...(input.uiOrigin !== undefined ? { uiOrigin: input.uiOrigin } : {}),
    ...(input.dnsServers ? { dnsServers: input.dnsServers } : {}),
  });
  return {
    facts: { config: resolvedConfig(input.settings, input.env) },
    optionalFacts: {},
    options,
    signal: controller.signal,
    timeoutMs,
    now: () => new Date(),
    progress: () => {},
    trouble: () => {},
    run: new StageScope(),
    done: () => clearTimeout(timer),
  };
}
