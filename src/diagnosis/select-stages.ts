// `--only` / `--skip` with stage ids: which stages a run runs, and the runner's words for the ones it does not.
import type { PipelineRun } from '../pipeline/run-pipeline.js';
import type { DoctorOptions } from '../options.js';
import type { DoctorStage, StageId } from '../facts.js';

/** --only keeps the named stages and what they need; --skip removes stages (and so everything that needs them). */
export function selectStages(
  stages: readonly DoctorStage<StageId>[],
  options: Pick<DoctorOptions, 'only' | 'skip'>
): Set<StageId> {
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

/** How the runner runs this tool's stages: the options, the selection, and the fixes of its own checks. */
export function pipelineRun(
  stages: readonly DoctorStage<StageId>[],
  options: DoctorOptions
): PipelineRun<DoctorOptions> {
  return {
    options,
    timeoutMs: options.timeoutMs,
    now: options.now,
    selected: selectStages(stages, options),
    notSelected: (id) => (options.skip?.includes(id) ? 'excluded by --skip' : 'not selected by --only'),
    texts: {
      deadlineFix: 'Rerun with a larger --timeout; if it still hangs, report it with -o markdown attached.',
      crashFix: 'This is a temporal-doctor bug: rerun with -o markdown and attach the report to an issue.',
    },
  };
}
