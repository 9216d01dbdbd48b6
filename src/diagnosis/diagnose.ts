// One diagnosis run: the pipeline, then the verdict, then (only on failure) what the SDK itself says.
import type { DoctorOptions } from '../options.js';
import type { NetworkPath, Report } from '../report/model.js';
import type { ProxyPath } from '../knowledge/proxy-rules.js';
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
import type { ProgressEvent, ProxyFacts } from '../facts.js';

/**
 * The proxy stage has nothing to say when no proxy applies and no proxy setting is a trap ("No proxy applies:
 * direct"): the report then reads as it did before the stage existed (docs/checks/proxy.md).
 */
function withoutIdleProxy<S extends { id: string; status: string }>(stages: S[]): S[] {
  return stages.filter((stage) => stage.id !== 'proxy' || stage.status !== 'skip');
}

function pathsOf(proxy: ProxyFacts | undefined): Pick<Report, 'paths'> {
  if (!proxy || (proxy.paths.client.kind === 'direct' && proxy.paths.worker.kind === 'direct')) return {};
  const one = (path: ProxyPath): NetworkPath =>
    path.kind === 'direct'
      ? { route: 'direct', why: path.why }
      : { route: 'proxy', proxy: path.proxy.shown, from: path.proxy.from, why: path.why };
  return { paths: { client: one(proxy.paths.client), worker: one(proxy.paths.worker) } };
}

export async function runDiagnosis(options: DoctorOptions, onEvent?: (event: ProgressEvent) => void): Promise<Report> {
  const started = options.now();
  const startedMs = performance.now();
  const probes = new SdkProbes(options);
  const pipeline = await runPipeline(STAGES, pipelineRun(STAGES, options), onEvent, probes);
  const { facts } = pipeline;
  const stacks = await judgeStacks(withoutIdleProxy(pipeline.stages), facts, options, () => probes.worker(facts));
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
    ...pathsOf(facts.proxy),
    notes: [
      ...stacks.notes,
      ...(options.errorText !== undefined ? [errorNote(options.errorText, { rootCause, stages })] : []),
    ],
  };
}
