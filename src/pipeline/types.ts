// The contract between the runner, the stages and the report. Stage ids and check ids are public: never rename.
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { PemFacts } from '../stages/pem.js';
import type { EndpointFacts } from '../stages/endpoint.js';
import type { DnsFacts } from '../stages/dns.js';
import type { TcpFacts } from '../stages/tcp.js';
import type { TlsFacts } from '../stages/tls/index.js';
import type { GrpcFacts } from '../stages/grpc/index.js';
import type { NamespaceFacts } from '../stages/namespace.js';
import type { DoctorOptions } from '../options.js';

export type Status = 'pass' | 'warn' | 'fail' | 'skip';

/** Run order is the diagnosis: the root cause is the first failing check in this order. */
export const STAGE_IDS = ['config', 'pem', 'endpoint', 'dns', 'tcp', 'tls', 'grpc', 'namespace', 'codec'] as const;
export type StageId = (typeof STAGE_IDS)[number];

/** A label/value pair that is safe to print: paths, setting names, subjects, timings. Never key material. */
export interface Evidence {
  label: string;
  value: string;
}

/** The underlying SDK / Node error, sanitised. */
export interface CauseSummary {
  name?: string;
  code?: string | number;
  message: string;
}

/**
 * One observation. A failing CheckResult *is* the project's error value:
 * it has a stage (the id prefix), a code (the id), evidence and a hint (fix).
 */
export interface CheckResult {
  /** `<stage>.<subject>.<rule>`, e.g. `pem.client-key.matches-cert`. Public contract. */
  id: string;
  status: Status;
  /** One line, sentence case, no final period, no secrets. */
  message: string;
  evidence: Evidence[];
  /** What to change. Always present on warn and fail. */
  fix?: string;
  cause?: CauseSummary;
  durationMs: number;
}

/** What each stage hands to the stages that need it; absent when the stage could not produce it. */
export interface Facts {
  config: ResolvedConfig;
  pem: PemFacts;
  endpoint: EndpointFacts;
  dns: DnsFacts;
  tcp: TcpFacts;
  tls: TlsFacts;
  grpc: GrpcFacts;
  namespace: NamespaceFacts;
  codec: Record<string, never>;
}

/**
 * What one run's stages share besides facts: live resources (the SDK connection the grpc stage opened, reused by the
 * namespace stage), released by the runner when the run's stages are done.
 */
export interface RunScope {
  /** Keeps `value` under `key` for the later stages of this run; `release` runs once they are done. */
  keep<T>(key: string, value: T, release: () => Promise<void> | void): void;
  /** What an earlier stage kept under `key`. */
  kept<T>(key: string): T | undefined;
  /** Like `kept`, but hands it over: it is gone from the scope, and releasing it is now the caller's job. */
  take<T>(key: string): T | undefined;
}

export interface StageContext<Needs extends StageId = never> {
  /** Typed: a stage reads only the facts it declared in `needs`, and the runner guarantees they exist. */
  facts: Pick<Facts, Needs>;
  /** Facts of stages this one does not need but may use when present (e.g. tls reads dns addresses). */
  optionalFacts: Partial<Facts>;
  options: DoctorOptions;
  /** Aborted at this stage's deadline. */
  signal: AbortSignal;
  /** Milliseconds this stage may take in all. */
  timeoutMs: number;
  now(): Date;
  /** Tells the user what we are waiting for (spinner text); never printed by the stage itself. */
  progress(text: string): void;
  /**
   * Says, before the stage ends, that it has seen a sign the run will fail (a peer silent for many round trips), so
   * that slow follow-up work (the SDK probes) can start now instead of after the verdict. A hint, not a verdict: the
   * stage's checks still decide.
   */
  trouble(sign: string): void;
  run: RunScope;
}

export interface StageOutput<F> {
  checks: CheckResult[];
  facts?: F;
}

export interface Stage<Id extends StageId = StageId, Needs extends StageId = StageId> {
  id: Id;
  /** Shown while it runs and in reports, e.g. 'TLS handshake'. */
  title: string;
  /** Stages whose facts this one reads. If any of them produced no facts, this one is skipped. */
  needs: readonly Needs[];
  run(ctx: StageContext<Needs>): Promise<StageOutput<Facts[Id]>>;
}

export function defineStage<Id extends StageId, Needs extends StageId>(stage: Stage<Id, Needs>): Stage<Id, Needs> {
  return stage;
}
