// The contract between the runner, the stages and the report. Generic over the facts the stages hand on (F) and the
// options they read (O): the runner knows no stage, flag or product.

export type Status = 'pass' | 'warn' | 'fail' | 'skip';

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

/** One stage's outcome in the report. */
export interface StageReport<Id extends string = string> {
  id: Id;
  title: string;
  status: Status;
  durationMs: number;
  /** Why the stage did not run, when it did not. */
  skippedBecause?: string;
  checks: CheckResult[];
}

export type ProgressEvent<Id extends string = string> =
  | { type: 'stage:start'; stage: Id; title: string }
  | { type: 'stage:progress'; stage: Id; text: string }
  | { type: 'stage:end'; report: StageReport<Id> };

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

export interface StageContext<F, O, Needs extends keyof F = never> {
  /** Typed: a stage reads only the facts it declared in `needs`, and the runner guarantees they exist. */
  facts: Pick<F, Needs>;
  /** Facts of stages this one does not need but may use when present (e.g. tls reads dns addresses). */
  optionalFacts: Partial<F>;
  options: O;
  /** Aborted at this stage's deadline. */
  signal: AbortSignal;
  /** Milliseconds this stage may take in all. */
  timeoutMs: number;
  now(): Date;
  /** Tells the user what we are waiting for (spinner text); never printed by the stage itself. */
  progress(text: string): void;
  /**
   * Says, before the stage ends, that it has seen a sign the run will fail (a peer silent for many round trips), so
   * that slow follow-up work can start now instead of after the verdict. A hint, not a verdict: the stage's checks
   * still decide.
   */
  trouble(sign: string): void;
  run: RunScope;
}

export interface StageOutput<T> {
  checks: CheckResult[];
  facts?: T;
}

export interface Stage<F, O, Id extends keyof F & string, Needs extends keyof F & string = keyof F & string> {
  id: Id;
  /** Shown while it runs and in reports, e.g. 'TLS handshake'. */
  title: string;
  /** Stages whose facts this one reads. If any of them produced no facts, this one is skipped. */
  needs: readonly Needs[];
  /**
   * Whether the stage concerns this run at all, judged from the facts so far: when it says no, the stage is left out
   * of the report (no skip line), as a Cloud-only stage is for a self-hosted target. Absent means always.
   */
  appliesTo?(facts: Partial<F>, options: O): boolean;
  run(ctx: StageContext<F, O, Needs>): Promise<StageOutput<F[Id]>>;
}
