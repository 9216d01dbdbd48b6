// Constructors for check results: a warn or fail without a fix does not type-check.
import type { CauseSummary, CheckResult, Evidence, Status } from './types.js';
import { sanitize } from '../text/sanitize.js';

interface Details {
  evidence?: Evidence[];
  durationMs?: number;
  cause?: CauseSummary;
}
interface Problem extends Details {
  fix: string;
}

function build(
  id: string,
  status: CheckResult['status'],
  message: string,
  details: Details & { fix?: string }
): CheckResult {
  const result: CheckResult = {
    id,
    status,
    message: sanitize(message),
    evidence: (details.evidence ?? []).map((e) => ({ label: e.label, value: sanitize(e.value) })),
    durationMs: Math.round(details.durationMs ?? 0),
  };
  if (details.fix !== undefined) result.fix = sanitize(details.fix, 2000);
  if (details.cause) result.cause = { ...details.cause, message: sanitize(details.cause.message) };
  return result;
}

export function pass(id: string, message: string, details: Details = {}): CheckResult {
  return build(id, 'pass', message, details);
}
export function warn(id: string, message: string, details: Problem): CheckResult {
  return build(id, 'warn', message, details);
}
export function fail(id: string, message: string, details: Problem): CheckResult {
  return build(id, 'fail', message, details);
}
export function skip(id: string, reason: string, details: Details = {}): CheckResult {
  return build(id, 'skip', reason, details);
}

/** Starts a stopwatch; call the result to read elapsed milliseconds. */
export function stopwatch(): () => number {
  const start = performance.now();
  return () => Math.round(performance.now() - start);
}

/** Evidence helper: drops entries whose value is undefined. */
export function evidence(pairs: Record<string, string | number | boolean | undefined | null>): Evidence[] {
  return Object.entries(pairs)
    .filter((entry): entry is [string, string | number | boolean] => entry[1] !== undefined && entry[1] !== null)
    .map(([label, value]) => ({ label, value: String(value) }));
}

const SEVERITY: readonly Status[] = ['skip', 'pass', 'warn', 'fail'];

/** The worst of some statuses: fail > warn > pass > skip (nothing at all is a skip). */
export function worst(statuses: Iterable<Status>): Status {
  let found: Status = 'skip';
  for (const status of statuses) if (SEVERITY.indexOf(status) > SEVERITY.indexOf(found)) found = status;
  return found;
}

/** A stage's status from its checks. */
export function stageStatus(checks: readonly CheckResult[]): Status {
  return worst(checks.map((c) => c.status));
}
