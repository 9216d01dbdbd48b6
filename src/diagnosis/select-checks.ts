// --only / --skip with check ids (`--skip pem.client-cert.expiring`): the runner selects whole stages, this drops the
// checks the user left out of the report, so they count neither in the verdict nor in the exit code. A selector also
// matches the checks below it: `tls.server-cert` covers `tls.server-cert.expired` and `tls.server-cert.expiring`.
import type { CheckResult } from '../pipeline/types.js';
import type { DoctorOptions } from '../options.js';
import { skip, stageStatus } from '../pipeline/check.js';
import type { StageReport } from '../facts.js';

/** Checks the runner itself emits; --only keeps them, because they say why the selected checks could not run. */
const RUNNER_CHECKS = ['crashed', 'deadline', 'skipped'];

export function selectChecks(stages: StageReport[], options: Pick<DoctorOptions, 'only' | 'skip'>): StageReport[] {
  const only = (options.only ?? []).filter(isCheckSelector);
  const skipped = (options.skip ?? []).filter(isCheckSelector);
  if (!only.length && !skipped.length) return stages;
  const wholeStages = new Set((options.only ?? []).filter((id) => !isCheckSelector(id)));
  return stages.map((stage) => {
    let checks = stage.checks;
    let reason = '';
    const onlyHere = only.filter((selector) => stageOf(selector) === stage.id);
    if (onlyHere.length && !wholeStages.has(stage.id)) {
      checks = checks.filter(
        (c) => onlyHere.some((s) => matches(c.id, s)) || RUNNER_CHECKS.some((r) => c.id === `${stage.id}.${r}`)
      );
      reason = `none of the checks selected by --only (${onlyHere.join(', ')}) ran`;
    }
    if (skipped.some((s) => stageOf(s) === stage.id)) {
      checks = checks.filter((c) => !skipped.some((s) => matches(c.id, s)));
      reason = 'every check of this stage was excluded by --skip';
    }
    if (checks === stage.checks) return stage;
    return checks.length
      ? restage(stage, checks)
      : { ...restage(stage, [skip(`${stage.id}.skipped`, reason)]), skippedBecause: reason };
  });
}

function restage(stage: StageReport, checks: CheckResult[]): StageReport {
  return { ...stage, checks, status: stageStatus(checks) };
}

function isCheckSelector(id: string): boolean {
  return id.includes('.');
}

function stageOf(id: string): string {
  return id.split('.')[0] ?? id;
}

function matches(checkId: string, selector: string): boolean {
  return checkId === selector || checkId.startsWith(`${selector}.`);
}
