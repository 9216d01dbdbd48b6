// `--error "<text>"`: does the diagnosis explain the error the user saw? The text is classified (explain-error.ts),
// its stage compared with what the checks found, and the answer is one note. The pasted text is never echoed.
import type { Report } from './model.js';
import { explainError, type ErrorStack } from '../explain/explain-error.js';
import { STAGE_IDS } from '../facts.js';

export const STACK_NAMES: Record<ErrorStack, string> = {
  client: 'Client (@temporalio/client, grpc-js)',
  worker: 'Worker (@temporalio/worker, Rust Core)',
  'go-sdk-or-cli': 'Go SDK or Temporal CLI',
  server: 'Temporal server',
  unknown: 'unknown stack',
};

export function errorNote(text: string, report: Pick<Report, 'rootCause' | 'stages'>): string {
  const explanation = explainError(text);
  const best = explanation.matches[0];
  const rootCause = report.rootCause;
  if (!best) {
    return `The error you saw is not in the catalog of known errors, so the doctor cannot say whether it is explained${rootCause ? `; the diagnosis found the root cause at ${rootCause.stage}` : '; the checks found no fault'} (run temporal-doctor explain on it for details)`;
  }
  const what = `${best.title}, ${STACK_NAMES[explanation.stack]}`;
  if (!explanation.stage) {
    return rootCause
      ? `The error you saw (${what}) hides its cause; the diagnosis finds it at ${rootCause.stage}: ${rootCause.message}`
      : `The error you saw (${what}) hides its cause, and the checks found no fault from here: it may come from another machine, network or set of settings, or be intermittent (try --repeat)`;
  }
  const stage = explanation.stage;
  if (rootCause?.stage === stage)
    return `The error you saw (${what}) is explained by the root cause at ${stage} [${rootCause.check}]`;
  const failing = report.stages.find((s) => s.id === stage)?.checks.find((c) => c.status === 'fail');
  if (failing && rootCause) {
    return `The error you saw (${what}) is explained by ${failing.id} at ${stage}, which follows from the root cause at ${rootCause.stage} [${rootCause.check}]`;
  }
  if (!rootCause) {
    return `The error you saw (${what}) is not explained: it points at ${stage}, and the diagnosis found no fault there; it may come from another machine, network or set of settings (a Worker in a container, a different env), or be intermittent`;
  }
  const order = (id: string): number => STAGE_IDS.indexOf(id as (typeof STAGE_IDS)[number]);
  if (order(stage) > order(rootCause.stage)) {
    return `The error you saw (${what}) is not explained yet: it points at ${stage}, which the diagnosis could not judge past the root cause at ${rootCause.stage}; fix that first and rerun`;
  }
  return `The error you saw (${what}) is not explained: it points at ${stage}, the diagnosis found no fault there; the root cause it found is at ${rootCause.stage} [${rootCause.check}], so the error may come from different settings or another machine`;
}
