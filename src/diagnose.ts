// One diagnosis run: the pipeline, then the verdict, then (only on failure) what the SDK itself says.
import type { DoctorOptions } from './options.js';
import type { ProgressEvent } from './pipeline/run-pipeline.js';
import type { Report } from './report/model.js';
import { runPipeline } from './pipeline/run-pipeline.js';
import { STAGES } from './stages/index.js';
import { findRootCause, overallStatus } from './report/verdict.js';
import { safeTarget } from './report/safe-target.js';
import { TOOL_VERSION } from './version.js';

export async function runDiagnosis(options: DoctorOptions, onEvent?: (event: ProgressEvent) => void): Promise<Report> {
  const started = options.now();
  const startedMs = performance.now();
  const { stages, facts } = await runPipeline(STAGES, options, onEvent);
  const status = overallStatus(stages);
  return {
    schemaVersion: 1,
    tool: { name: 'temporal-doctor', version: TOOL_VERSION },
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - startedMs),
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, sdk: {} },
    target: safeTarget(facts.config),
    status,
    rootCause: findRootCause(stages),
    stages,
    sdk: [],
    notes: [],
  };
}
