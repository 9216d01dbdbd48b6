// Runs stages in order. The runner, not the stages, owns the failure modes: a stage whose needs produced no facts is
// skipped with the reason, a stage that throws becomes `<stage>.crashed`, one that overruns becomes `<stage>.deadline`.
// Generic: the caller says which stages are selected and how the deadline and crash checks word their fixes.
import type { CheckResult, ProgressEvent, RunScope, Stage, StageContext, StageReport } from './types.js';
import { fail, skip, stageStatus, stopwatch } from './check.js';
import { sanitize } from '../text/sanitize.js';

/** What runs beside the stages; both get the facts gathered so far (live: later stages add to them). */
export interface PipelineHooks<F, Id extends string = keyof F & string> {
  /** After each stage that ran. */
  afterStage?(report: StageReport<Id>, facts: Partial<F>): void;
  /** When a running stage sees a sign the run will fail (StageContext.trouble). */
  onTrouble?(stage: Id, sign: string, facts: Partial<F>): void;
}

/** How one run goes: what it passes to stages, which stages run, and the caller's words for the runner's own checks. */
export interface PipelineRun<O> {
  options: O;
  /** Budget of each stage. */
  timeoutMs: number;
  now(): Date;
  /** Stages to run; the others are skipped with `notSelected(id)` as the reason. */
  selected: ReadonlySet<string>;
  notSelected(id: string): string;
  /** The fix of `<stage>.deadline` and of `<stage>.crashed`. */
  texts: { deadlineFix: string; crashFix: string };
}

export type AnyStage<F, O> = Stage<F, O, keyof F & string, keyof F & string>;

/** Why a stage's signal aborts once the stage is over: anything it left running must stop. */
const STAGE_ENDED = new Error('the stage ended');

/** Extra time a stage gets after its deadline to report what it saw before the runner gives up on it. */
const GRACE_MS = 1000;

export interface PipelineResult<F> {
  stages: StageReport<keyof F & string>[];
  facts: Partial<F>;
}

export async function runPipeline<F, O>(
  stages: readonly AnyStage<F, O>[],
  run: PipelineRun<O>,
  onEvent: (event: ProgressEvent<keyof F & string>) => void = () => {},
  hooks: PipelineHooks<F> = {}
): Promise<PipelineResult<F>> {
  type Id = keyof F & string;
  const facts: Partial<F> = {};
  const reports: StageReport<Id>[] = [];
  const scope = new StageScope();
  try {
    for (const stage of stages) {
      if (stage.appliesTo && !stage.appliesTo(facts, run.options)) continue;
      const blocker = run.selected.has(stage.id) ? findBlocker(stage, facts, reports) : run.notSelected(stage.id);
      if (blocker) {
        const report: StageReport<Id> = {
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
      const checks = await runOneStage(
        stage,
        facts,
        run,
        onEvent,
        (sign) => hooks.onTrouble?.(stage.id, sanitize(sign, 200), facts),
        scope
      );
      const report: StageReport<Id> = {
        id: stage.id,
        title: stage.title,
        status: stageStatus(checks.checks),
        durationMs: elapsed(),
        checks: checks.checks,
      };
      if (checks.facts !== undefined) facts[stage.id] = checks.facts;
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
      void Promise.resolve()
        .then(release)
        .catch(() => {});
      return;
    }
    const previous = this.#kept.get(key);
    this.#kept.set(key, { value, release });
    if (previous)
      void Promise.resolve()
        .then(previous.release)
        .catch(() => {});
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
    const releases = [...this.#kept.values()].map((entry) =>
      Promise.resolve()
        .then(entry.release)
        .catch(() => {})
    );
    this.#kept.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(releases),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, RELEASE_MS))),
    ]);
    clearTimeout(timer);
  }
}

async function runOneStage<F, O>(
  stage: AnyStage<F, O>,
  facts: Partial<F>,
  run: PipelineRun<O>,
  onEvent: (event: ProgressEvent<keyof F & string>) => void,
  onTrouble: (sign: string) => void,
  scope: RunScope
): Promise<{ checks: CheckResult[]; facts?: F[keyof F & string] }> {
  const controller = new AbortController();
  const timeoutMs = run.timeoutMs;
  const abortTimer = setTimeout(() => controller.abort(new Error(`deadline of ${timeoutMs} ms`)), timeoutMs);
  let hardTimer: NodeJS.Timeout | undefined;
  let troubled = false;
  const context: StageContext<F, O, keyof F & string> = {
    // The runner skips a stage whose needs produced no facts (findBlocker), so what it reads is there.
    facts: facts as F,
    optionalFacts: facts,
    options: run.options,
    signal: controller.signal,
    timeoutMs,
    now: () => run.now(),
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
            fix: run.texts.deadlineFix,
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
          fix: run.texts.crashFix,
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

function findBlocker<F, O>(stage: AnyStage<F, O>, facts: Partial<F>, reports: StageReport[]): string | undefined {
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
