// Runs stages in order. The runner, not the stages, owns the failure modes: a stage whose needs produced no facts is
// skipped with the reason, a stage that throws becomes `<stage>.crashed`, one that overruns becomes `<stage>.deadline`.
import type { CheckResult, Facts, RunScope, Stage, StageContext, StageId, Status } from './types.js';
import type { DoctorOptions } from '../options.js';
import { fail, skip, stopwatch } from './check.js';
import { sanitize } from '../text/sanitize.js';

export interface StageReport {
  id: StageId;
  title: string;
  status: Status;
  durationMs: number;
  /** Why the stage did not run, when it did not. */
  skippedBecause?: string;
  checks: CheckResult[];
}

export type ProgressEvent =
  | { type: 'stage:start'; stage: StageId; title: string }
  | { type: 'stage:progress'; stage: StageId; text: string }
  | { type: 'stage:end'; report: StageReport };

/** What runs beside the stages (the SDK probes); both get the facts gathered so far (live: later stages add to them). */
export interface PipelineHooks {
  /** After each stage that ran. */
  afterStage?(report: StageReport, facts: Partial<Facts>): void;
  /** When a running stage sees a sign the run will fail (StageContext.trouble). */
  onTrouble?(stage: StageId, sign: string, facts: Partial<Facts>): void;
}

/** Why a stage's signal aborts once the stage is over: anything it left running must stop. */
const STAGE_ENDED = new Error('the stage ended');

/** Extra time a stage gets after its deadline to report what it saw before the runner gives up on it. */
const GRACE_MS = 1000;

export function stageStatus(checks: CheckResult[]): Status {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn')) return 'warn';
  if (checks.some((c) => c.status === 'pass')) return 'pass';
  return 'skip';
}

export interface PipelineResult {
  stages: StageReport[];
  facts: Partial<Facts>;
}

export async function runPipeline(
  stages: readonly Stage<StageId, StageId>[],
  options: DoctorOptions,
  onEvent: (event: ProgressEvent) => void = () => {},
  hooks: PipelineHooks = {}
): Promise<PipelineResult> {
  const facts: Partial<Facts> = {};
  const reports: StageReport[] = [];
  const selected = selectStages(stages, options);
  const scope = new StageScope();
  try {
    for (const stage of stages) {
      const blocker = selected.has(stage.id) ? findBlocker(stage, facts, reports) : notSelectedReason(stage.id, options);
      if (blocker) {
        const report: StageReport = {
          id: stage.id,
          title: stage.title,
          status: 'skip',
          durationMs: 0,
          skippedBecause: blocker,
          checks: [skip(`${stage.id}.skipped`, blocker)],
        };
        reports.push(report);
        onEvent({ type: 'stage:end', report });
        continue;
      }

      onEvent({ type: 'stage:start', stage: stage.id, title: stage.title });
      const elapsed = stopwatch();
      const checks = await runOneStage(stage, facts, options, onEvent, (sign) => hooks.onTrouble?.(stage.id, sanitize(sign, 200), facts), scope);
      const report: StageReport = {
        id: stage.id,
        title: stage.title,
        status: stageStatus(checks.checks),
        durationMs: elapsed(),
        checks: checks.checks,
      };
      if (checks.facts !== undefined) (facts as Record<string, unknown>)[stage.id] = checks.facts;
      reports.push(report);
      onEvent({ type: 'stage:end', report });
      hooks.afterStage?.(report, facts);
    }
  } finally {
    // Resources a stage kept for later ones (the SDK connection) end with the run's stages, whatever happened.
    await scope.release();
  }
  return { stages: reports, facts };
}

/** How long releasing the kept resources may take (closing an SDK connection is quick; a stuck one must not hang the run). */
const RELEASE_MS = 1000;

/** The RunScope the runner gives each run (exported for tests that run a stage by hand). */
export class StageScope implements RunScope {
  readonly #kept = new Map<string, { value: unknown; release: () => Promise<void> | void }>();
  #released = false;

  keep<T>(key: string, value: T, release: () => Promise<void> | void): void {
    // A stage the runner gave up on may still finish and keep something: nobody will use it.
    if (this.#released) {
      void Promise.resolve().then(release).catch(() => {});
      return;
    }
    const previous = this.#kept.get(key);
    this.#kept.set(key, { value, release });
    if (previous) void Promise.resolve().then(previous.release).catch(() => {});
  }

  kept<T>(key: string): T | undefined {
    return this.#kept.get(key)?.value as T | undefined;
  }

  take<T>(key: string): T | undefined {
    const value = this.kept<T>(key);
    this.#kept.delete(key);
    return value;
  }

  async release(): Promise<void> {
    this.#released = true;
    const releases = [...this.#kept.values()].map((entry) => Promise.resolve().then(entry.release).catch(() => {}));
    this.#kept.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(releases), new Promise<void>((resolve) => (timer = setTimeout(resolve, RELEASE_MS)))]);
    clearTimeout(timer);
  }
}

async function runOneStage(
  stage: Stage<StageId, StageId>,
  facts: Partial<Facts>,
  options: DoctorOptions,
  onEvent: (event: ProgressEvent) => void,
  onTrouble: (sign: string) => void,
  scope: RunScope
): Promise<{ checks: CheckResult[]; facts?: unknown }> {
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs;
  const abortTimer = setTimeout(() => controller.abort(new Error(`deadline of ${timeoutMs} ms`)), timeoutMs);
  let hardTimer: NodeJS.Timeout | undefined;
  let troubled = false;
  const context: StageContext<StageId> = {
    facts: facts as Facts,
    optionalFacts: facts,
    options,
    signal: controller.signal,
    timeoutMs,
    now: options.now,
    progress: (text) => onEvent({ type: 'stage:progress', stage: stage.id, text: sanitize(text, 200) }),
    // Once per stage, and never after it ended (a late timer in a stage must not start work for a finished run).
    trouble: (sign) => {
      if (troubled || controller.signal.aborted) return;
      troubled = true;
      onTrouble(sign);
    },
    run: scope,
  };
  const elapsed = stopwatch();
  try {
    const overrun = new Promise<'overrun'>((resolve) => {
      hardTimer = setTimeout(() => resolve('overrun'), timeoutMs + GRACE_MS);
    });
    const outcome = await Promise.race([stage.run(context), overrun]);
    if (outcome === 'overrun') {
      return {
        checks: [
          fail(`${stage.id}.deadline`, `Stage did not finish within ${timeoutMs} ms`, {
            fix: 'Rerun with a larger --timeout; if it still hangs, report it with -o markdown attached.',
            durationMs: elapsed(),
          }),
        ],
      };
    }
    return outcome;
  } catch (error) {
    return {
      checks: [
        fail(`${stage.id}.crashed`, 'The doctor itself failed while running this stage', {
          fix: 'This is a temporal-doctor bug: rerun with -o markdown and attach the report to an issue.',
          cause: summarizeError(error),
          durationMs: elapsed(),
        }),
      ],
    };
  } finally {
    clearTimeout(abortTimer);
    if (hardTimer) clearTimeout(hardTimer);
    // A shared reason: abort() without one builds a DOMException with a stack for every stage of every target.
    controller.abort(STAGE_ENDED);
  }
}

function findBlocker(stage: Stage<StageId, StageId>, facts: Partial<Facts>, reports: StageReport[]): string | undefined {
  for (const need of stage.needs) {
    if (facts[need] !== undefined) continue;
    const needReport = reports.find((r) => r.id === need);
    if (!needReport) return `${need} did not run`;
    if (needReport.status === 'skip') return `${need} was skipped`;
    const firstFail = needReport.checks.find((c) => c.status === 'fail');
    return firstFail ? `${need} failed: ${firstFail.message}` : `${need} produced nothing to build on`;
  }
  return undefined;
}

/** --only keeps the named stages and what they need; --skip removes stages (and so everything that needs them). */
function selectStages(stages: readonly Stage<StageId, StageId>[], options: DoctorOptions): Set<StageId> {
  const stageOf = (id: string): string => id.split('.')[0] ?? id;
  let selected = new Set<StageId>(stages.map((s) => s.id));
  if (options.only?.length) {
    const wanted = new Set(options.only.map(stageOf));
    selected = new Set();
    const add = (id: StageId): void => {
      if (selected.has(id)) return;
      selected.add(id);
      stages.find((s) => s.id === id)?.needs.forEach(add);
    };
    stages.filter((s) => wanted.has(s.id)).forEach((s) => add(s.id));
  }
  for (const id of options.skip ?? []) {
    if (!id.includes('.')) selected.delete(id as StageId);
  }
  return selected;
}

function notSelectedReason(id: StageId, options: DoctorOptions): string {
  return options.skip?.includes(id) ? 'excluded by --skip' : 'not selected by --only';
}

export function summarizeError(error: unknown): { name?: string; code?: string | number; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
      message: sanitize(error.message),
    };
  }
  return { message: sanitize(String(error)) };
}
