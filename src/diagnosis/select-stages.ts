// `--only` / `--skip` with stage ids: which stages a run runs, and the runner's words for the ones it does not.
import type { PipelineRun } from '../pipeline/run-pipeline.js';
import type { DoctorOptions } from '../options.js';
import { STAGE_IDS, type DoctorStage, type StageId } from '../facts.js';
import { KNOWN_CHECK_IDS } from './check-catalog.js';
import { editDistance } from '../text/did-you-mean.js';

/** Checks the runner emits for any stage. */
const RUNNER_RULES = ['crashed', 'deadline', 'skipped'];

/**
 * Why a --only / --skip selector names nothing, with a did-you-mean; undefined when it is a stage id or a check id (or
 * a prefix of check ids, `tls.server-cert`) that exists. A typo must not select nothing and pass a CI gate.
 */
export function unknownSelector(selector: string): string | undefined {
  const segments = selector.split('.');
  const stage = segments[0] ?? '';
  if (!(STAGE_IDS as readonly string[]).includes(stage)) {
    return `unknown stage "${selector}"${didYouMean(stage, STAGE_IDS, segments.slice(1))} (stages: ${STAGE_IDS.join(', ')})`;
  }
  if (segments.length === 1) return undefined;
  const known = [...KNOWN_CHECK_IDS, ...RUNNER_RULES.map((rule) => `${stage}.${rule}`)];
  if (known.some((id) => coversPrefix(id, segments))) return undefined;
  // Every selector a known id offers at this depth, for the suggestion.
  const candidates = [
    ...new Set(
      known
        .filter((id) => id.startsWith(`${stage}.`))
        .map((id) =>
          id
            .split('.')
            .slice(0, segments.length)
            .map((part, i) => (part.startsWith('<') ? (segments[i] as string) : part))
            .join('.')
        )
    ),
  ];
  const suggestion = nearest(selector, candidates);
  return `unknown check id "${selector}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}: docs/checks/${stage}.md lists the ids of stage ${stage}`;
}

/** Whether a known id (its <placeholder> segments match anything) starts with these segments. */
function coversPrefix(id: string, segments: string[]): boolean {
  const parts = id.split('.');
  return segments.length <= parts.length && segments.every((s, i) => s === parts[i] || parts[i]?.startsWith('<'));
}

function didYouMean(stage: string, stages: readonly string[], rest: string[]): string {
  const near = nearest(stage, stages);
  return near ? ` (did you mean ${[near, ...rest].join('.')}?)` : '';
}

/** The closest candidate within a small edit distance (a swapped pair, grcp, costs 1), if any. */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

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
