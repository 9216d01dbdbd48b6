// One diagnosis run, in this order. Checks are born only in the stages and in the named post-steps below:
//  1. the stages, run by the generic pipeline (with the SDK probes started beside them on a sign of trouble);
//  2. the stacks post-step (stacks.ts): the real Worker probe when worth it, whose unpredicted failure becomes
//     `grpc.worker.connect.*`, and the per-stack verdict notes;
//  3. the control-plane post-step (control-plane.ts): a cloud-stage failure the live namespace answer contradicts
//     becomes `cloud.proof.contradicted`;
//  4. check selection (select-checks.ts): `--only`/`--skip` with check ids, `<stage>.skipped` when none is left;
//  5. the verdict, and, only on failure, what the Client SDK itself says.
// `--repeat` (repeat.ts) runs this N times and adds `<stage>.attempts.flaky`.
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
import { reconcileControlPlane } from './control-plane.js';
import { errorNote } from '../report/error-note.js';
import type { ProgressEvent, ProxyFacts, StageId } from '../facts.js';
import { attachSecrets } from '../text/secret-registry.js';

function pathsOf(proxy: ProxyFacts | undefined): Pick<Report, 'paths'> {
  if (!proxy || (proxy.paths.client.kind === 'direct' && proxy.paths.worker.kind === 'direct')) return {};
  const one = (path: ProxyPath): NetworkPath =>
    path.kind === 'direct'
      ? { route: 'direct', why: path.why }
      : { route: 'proxy', proxy: path.proxy.shown, from: path.proxy.from, why: path.why };
  return { paths: { client: one(proxy.paths.client), worker: one(proxy.paths.worker) } };
}

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
  const stages = selectChecks(reconcileControlPlane(stacks.stages), options);
  const status = overallStatus(stages);
  const sdk = status === 'fail' && options.sdkProbe && options.stack !== 'worker' ? [await probes.client(facts)] : [];
  // Probes started on a sign of trouble that came to nothing (the run passed) are not needed: stop them.
  if (status !== 'fail') probes.cancel();
  sdk.push(...stacks.sdk);
  const rootCause = findRootCause(stages);
  const clientVersion = clientSdkVersion();
  const report: Report = {
    schemaVersion: 1,
    tool: { name: 'temporal-doctor', version: TOOL_VERSION },
    startedAt: started.toISOString(),
    durationMs: Math.round(performance.now() - startedMs),
    environment: {
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      sdk: {
        ...(clientVersion ? { [CLIENT_PACKAGE]: clientVersion } : {}),
        ...projectSdkVersions(options.cwd, options.project),
      },
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
  // Server, SDK and file text entered the model in many places: one pass with every secret the run learned (the
  // profile's included) keeps the library's report objects clean, and the renderers apply the same registry again.
  return attachSecrets(options.secrets.scrubDeep(report), options.secrets);
}
