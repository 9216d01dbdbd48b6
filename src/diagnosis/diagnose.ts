// One diagnosis run: the pipeline, then the verdict, then (only on failure) what the SDK itself says.
import type { DoctorOptions } from '../options.js';
import type { Report } from '../report/model.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { STAGES } from '../stages/index.js';
import { findRootCause, overallStatus } from '../report/verdict.js';
import { safeTarget } from '../report/safe-target.js';
import { selectChecks } from './select-checks.js';
import { pipelineRun } from './select-stages.js';
import { TOOL_VERSION } from '../version.js';
import { SdkProbes } from './sdk-probes.js';
import { CLIENT_PACKAGE, clientSdkVersion } from '../sdk/client-sdk.js';
import { projectSdkVersions } from '../sdk/find-sdk.js';
import { judgeStacks } from './stacks.js';
import { errorNote } from '../report/error-note.js';
import type { ProgressEvent, StageId } from '../facts.js';

/**
 * The SDK probes send the API key, metadata and client certificate to --address: only when the run was asked to talk
 * to the frontend with them (the grpc or namespace stage is selected). `--only codec` or `--only tcp` sends no
 * credential anywhere.
 */
export function probesAllowed(options: DoctorOptions, selected: ReadonlySet<string>): DoctorOptions {
  return options.sdkProbe && !CREDENTIAL_STAGES.some((id) => selected.has(id))
    ? { ...options, sdkProbe: false }
    : options;
}

const CREDENTIAL_STAGES: readonly StageId[] = ['grpc', 'namespace'];

export async function runDiagnosis(
  requested: DoctorOptions,
  onEvent?: (event: ProgressEvent) => void
): Promise<Report> {
  const started = requested.now();
  const startedMs = performance.now();
  const run = pipelineRun(STAGES, requested);
  const options = probesAllowed(requested, run.selected);
  const probes = new SdkProbes(options);
  const pipeline = await runPipeline(STAGES, run, onEvent, probes);
  const { facts } = pipeline;
  const stacks = await judgeStacks(pipeline.stages, facts, options, () => probes.worker(facts));
  const stages = selectChecks(stacks.stages, options);
  const status = overallStatus(stages);
  const sdk = status === 'fail' && options.sdkProbe && options.stack !== 'worker' ? [await probes.client(facts)] : [];
  // Probes started on a sign of trouble that came to nothing (the run passed) are not needed: stop them.
  if (status !== 'fail') probes.cancel();
  sdk.push(...stacks.sdk);
  const rootCause = findRootCause(stages);
  const clientVersion = clientSdkVersion();
  return {
    schemaVersion: 1,
    tool: { name: 'temporal-doctor', version: TOOL_VERSION },
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - startedMs),
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      sdk: { ...(clientVersion ? { [CLIENT_PACKAGE]: clientVersion } : {}), ...projectSdkVersions(options.cwd) },
    },
    target: safeTarget(facts.config),
    status,
    rootCause,
    stages,
    sdk,
    notes: [
      ...stacks.notes,
      ...(options.errorText !== undefined ? [errorNote(options.errorText, { rootCause, stages })] : []),
    ],
  };
}
