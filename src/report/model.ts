// The report: one object that every renderer and the library API share. JSON output is this object serialised.
import type { Evidence } from '../pipeline/types.js';
import type { SdkOutcome } from '../sdk/outcome.js';
import type { StageId, StageReport } from '../facts.js';

export type { StageReport, SdkOutcome };

/** An effective setting as it may be shown: secrets already replaced by fingerprints. */
export interface SafeSetting {
  value: string;
  source: string;
}

export interface RootCause {
  stage: StageId;
  check: string;
  message: string;
  fix: string;
  evidence?: Evidence[];
  /** Later checks that show the same fault from another angle (see the rules in verdict.ts); the message names them. */
  corroboratedBy?: Corroboration[];
}

export interface Corroboration {
  stage: StageId;
  check: string;
  message: string;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'temporal-doctor'; version: string };
  startedAt: string;
  durationMs: number;
  environment: { node: string; platform: string; sdk: Record<string, string> };
  target: Record<string, SafeSetting>;
  status: 'pass' | 'warn' | 'fail';
  rootCause: RootCause | null;
  stages: StageReport[];
  sdk: SdkOutcome[];
  /** Extra verdict notes (e.g. per-stack verdicts, whether a pasted --error is explained). */
  notes: string[];
  /** Present with `--repeat N`: how every attempt ended. The stages above are one attempt's (see `shown`). */
  repeat?: RepeatSummary;
  /** How each SDK stack reaches the server; present when a proxy applies to either of them. */
  paths?: { client: NetworkPath; worker: NetworkPath };
}

/** One stack's route: direct, or through a proxy (its URL with the password as `***`) from a variable or flag. */
export interface NetworkPath {
  route: 'direct' | 'proxy';
  proxy?: string;
  from?: string;
  why: string;
}

/** `--repeat N` (src/repeat.ts): the pipeline ran N times; a stage that failed in some attempts but not all is flaky. */
export interface RepeatSummary {
  attempts: number;
  /** The attempt whose stages the report shows (1-based): the first that failed, else the last. */
  shown: number;
  results: RepeatAttempt[];
  /** Every stage in run order: in how many attempts (and which) it failed, and its time over the attempts it ran in. */
  stages: RepeatStage[];
  /** Some attempts failed and some did not. */
  flaky: boolean;
}

export interface RepeatStage {
  id: StageId;
  failed: number;
  /** The attempts (1-based) in which this stage failed. */
  failedAttempts: number[];
  /** The stage's duration over the attempts in which it ran (not skipped); absent when it never ran. */
  latencyMs?: { min: number; median: number; p95: number; max: number };
}

export interface RepeatAttempt {
  attempt: number;
  status: Report['status'];
  /** The failing check of this attempt, if it failed. */
  rootCause: { stage: StageId; check: string } | null;
  durationMs: number;
}

/** `-o json` in fleet mode: this object. Each report is exactly what a single run with `--profile <name>` returns. */
export interface FleetReport {
  schemaVersion: 1;
  fleet: true;
  tool: { name: 'temporal-doctor'; version: string };
  startedAt: string;
  durationMs: number;
  /** The worst status of all targets. */
  status: Report['status'];
  /** In the order the profiles were named (file order for --all-profiles); `target.profile` names each one. */
  reports: Report[];
}
