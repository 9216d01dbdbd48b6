// Builds a StageContext by hand, so a stage can be tested directly (stage.run(ctx)) without the CLI or earlier stages.
import type { ResolvedConfig, Setting } from '../../src/config/resolved-config.js';
import { withDefaults, type DoctorOptions } from '../../src/options.js';
import { StageScope } from '../../src/pipeline/run-pipeline.js';
import type { Facts, DoctorStageContext as StageContext, StageId } from '../../src/facts.js';

/** A Setting given by flag, the way the config stage reports flags. */
export function flag<T>(value: T, name: string): Setting<T> {
  return { value, source: { kind: 'flag', name } };
}

/** A ResolvedConfig with the defaults the config stage would produce (localhost:7233, namespace default, TLS off). */
export function makeConfig(over: Partial<ResolvedConfig> = {}): ResolvedConfig {
  return {
    address: { value: 'localhost:7233', source: { kind: 'default', name: 'default' } },
    namespace: { value: 'default', source: { kind: 'default', name: 'default' } },
    tls: { value: false, source: { kind: 'default', name: 'default' } },
    grpcMeta: {},
    profile: { name: 'default', source: { kind: 'default', name: 'default' }, configFileFound: false },
    ...over,
  };
}

export interface MadeContext<Needs extends StageId> extends StageContext<Needs> {
  progressTexts: string[];
  /** What the stage reported through ctx.trouble, in order. */
  troubleSigns: string[];
  run: StageScope;
}

export function makeContext<Needs extends StageId>(input: {
  facts: Pick<Facts, Needs> & Partial<Facts>;
  options?: Partial<DoctorOptions>;
  signal?: AbortSignal;
}): MadeContext<Needs> {
  const options = withDefaults({ env: {}, ...input.options });
  const progressTexts: string[] = [];
  const troubleSigns: string[] = [];
  return {
    facts: input.facts,
    optionalFacts: input.facts,
    options,
    signal: input.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs,
    now: options.now,
    progress: (text) => progressTexts.push(text),
    trouble: (sign) => troubleSigns.push(sign),
    run: new StageScope(),
    progressTexts,
    troubleSigns,
  };
}
