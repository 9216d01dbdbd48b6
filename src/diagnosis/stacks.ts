// `--stack client|worker|both`: after the pipeline (whose tls stage already judged the Worker's view of the server,
// tls.worker.*), run the real NativeConnection probe when it is worth it and say where the two stacks disagree. With
// `--stack worker` a failure only the Client has (an untrusted chain that the Worker's trust store accepts) no longer
// counts.
import type { CheckResult } from '../pipeline/types.js';
import type { DoctorOptions } from '../options.js';
import type { SdkOutcome, StageReport } from '../report/model.js';
import { fail, skip, warn, stageStatus } from '../pipeline/check.js';
import { overallStatus } from '../report/verdict.js';
import { selectChecks } from './select-checks.js';
import { sanitize } from '../text/sanitize.js';
import { explainError } from '../explain/explain-error.js';
import { probeWorkerSdk } from '../sdk/worker-probe.js';
import { workerTrusts } from '../stages/tls/worker-view.js';
import type { Facts, StageId } from '../facts.js';
import { clientProxyPath, describePath, workerProxyPath, type ProxyPath } from '../knowledge/proxy-rules.js';
import { DEFAULT_GRPC_PORT } from '../knowledge/temporal-endpoints.js';

export interface StackJudgement {
  stages: StageReport[];
  /** The Worker probe's outcome, when it ran or could not. */
  sdk: SdkOutcome[];
  notes: string[];
}

/** The Client's trust verdict when no CA is configured: Node's roots, which the Worker does not use. */
const CLIENT_ROOTS_CHECK = 'tls.server-chain.untrusted';

export function isWorkerOnly(check: CheckResult): boolean {
  return check.id.includes('.worker.');
}

export async function judgeStacks(
  pipelineStages: StageReport[],
  facts: Partial<Facts>,
  options: DoctorOptions,
  probeWorker: () => Promise<SdkOutcome> = () => probeWorkerSdk(facts, options)
): Promise<StackJudgement> {
  const notes = environmentNotes(options.env, facts);
  const paths = facts.proxy?.paths;
  // The direct path's checks (dns, tcp) judge only a stack that goes direct; the proxy's (proxy.connect.*) only the stacks
  // that use it (docs/research/middleboxes.md#http-connect-proxies).
  const clientProxied = paths?.client.kind === 'proxy';
  const workerProxied = paths?.worker.kind === 'proxy';
  const directIds = new Set(
    pipelineStages
      .filter((s) => s.id === 'tcp' || s.id === 'dns')
      .flatMap((s) => s.checks.filter((c) => c.status === 'fail').map((c) => c.id))
  );
  if (options.stack === 'client') {
    const stages = clientProxied
      ? setAside(pipelineStages, directIds, `Not the Client's path (it connects ${describeProxied(paths?.client)})`)
      : pipelineStages;
    return { stages, sdk: [], notes };
  }

  let stages = pipelineStages;
  if (options.stack === 'worker' && workerProxied)
    stages = setAside(stages, directIds, `Not the Worker's path (it connects ${describeProxied(paths?.worker)})`);
  // The tls stage judged the Worker's view of the chain (tls.worker.*). With no CA configured the Client judges the
  // chain against Node's roots; the Worker's verdict may differ.
  const workerTrusted = workerTrusts(stages.find((s) => s.id === 'tls')?.checks ?? []);
  const clientOnlyIds = new Set<string>();
  const workerOnlyIds = new Set<string>();
  if (options.stack === 'both' && paths && clientProxied !== workerProxied) {
    // One stack direct, the other through a proxy: the tcp failures are the direct one's, the proxy's the other's.
    for (const id of directIds) (clientProxied ? workerOnlyIds : clientOnlyIds).add(id);
    for (const stage of stages.filter((s) => s.id === 'proxy'))
      for (const c of stage.checks)
        if (c.status === 'fail' && c.id.startsWith('proxy.connect.')) clientOnlyIds.add(c.id);
  }
  const noCaConfigured = facts.pem?.serverCaPem === undefined;
  if (noCaConfigured && workerTrusted === true && hasFail(stages, CLIENT_ROOTS_CHECK))
    clientOnlyIds.add(CLIENT_ROOTS_CHECK);
  if (options.stack === 'worker')
    stages = setAside(stages, clientOnlyIds, 'Client only, not judged with --stack worker');

  const sdk: SdkOutcome[] = [];
  const reached = facts.tcp?.reachable.length || workerProxied;
  // As with the Client probe: only when something fails (the user's Worker log is then worth matching), or when the
  // Worker alone is judged, since its verdict should not rest on static checks when the real thing is at hand.
  if (
    options.sdkProbe &&
    reached &&
    (overallStatus(selectChecks(stages, options)) === 'fail' || options.stack === 'worker')
  ) {
    const outcome = await probeWorker();
    sdk.push(outcome);
    stages = reconcileWithProbe(stages, outcome, clientOnlyIds);
  }
  const selected = selectChecks(stages, options);
  notes.unshift(...verdictNotes(selected, clientOnlyIds, sdk[0], options, workerOnlyIds));
  return { stages, sdk, notes };
}

function append(stages: StageReport[], id: StageId, checks: CheckResult[]): StageReport[] {
  if (!checks.length) return stages;
  return stages.map((stage) => (stage.id === id ? restage(stage, [...stage.checks, ...checks]) : stage));
}

function restage(stage: StageReport, checks: CheckResult[]): StageReport {
  return { ...stage, checks, status: stageStatus(checks) };
}

function hasFail(stages: StageReport[], id: string): boolean {
  return stages.some((s) => s.checks.some((c) => c.id === id && c.status === 'fail'));
}

function describeProxied(path: ProxyPath | undefined): string {
  return path ? describePath(path) : 'another way';
}

function setAside(stages: StageReport[], ids: Set<string>, why: string): StageReport[] {
  if (!ids.size) return stages;
  return stages.map((stage) => {
    if (!stage.checks.some((c) => ids.has(c.id) && c.status === 'fail')) return stage;
    const checks = stage.checks.map((c) =>
      ids.has(c.id) && c.status === 'fail'
        ? skip(c.id, `${why}: ${c.message}`, {
            evidence: c.evidence,
            durationMs: c.durationMs,
          })
        : c
    );
    return restage(stage, checks);
  });
}

/**
 * The real Worker outranks the static view: a Worker failure that no check predicted becomes a failing check (so
 * `--stack worker` cannot pass while NativeConnection fails), and a static Worker failure the real Worker does not
 * reproduce is downgraded to inconclusive.
 */
function reconcileWithProbe(stages: StageReport[], outcome: SdkOutcome, clientOnly: Set<string>): StageReport[] {
  const workerFails = stages.flatMap((s) => s.checks).filter((c) => c.status === 'fail' && !clientOnly.has(c.id));
  if (outcome.outcome === 'connected') {
    if (!workerFails.some(isWorkerOnly)) return stages;
    return stages.map((stage) =>
      stage.checks.some((c) => isWorkerOnly(c) && c.status === 'fail')
        ? restage(
            stage,
            stage.checks.map((c) =>
              isWorkerOnly(c) && c.status === 'fail'
                ? warn(
                    `${stage.id}.worker.static.inconclusive`,
                    `${c.message}; yet NativeConnection connected with these settings`,
                    {
                      evidence: c.evidence,
                      fix: 'The doctor predicted a Worker failure the real Worker did not show: trust the probe, and report this mismatch with -o markdown if it persists.',
                    }
                  )
                : c
            )
          )
        : stage
    );
  }
  if ((outcome.outcome !== 'error' && outcome.outcome !== 'timeout') || workerFails.length) return stages;
  const explained = outcome.error ? explainError(outcome.error.message) : undefined;
  const best = explained?.matches[0];
  const check =
    outcome.outcome === 'timeout'
      ? fail(
          'grpc.worker.connect.hang',
          `NativeConnection.connect gave no answer within ${outcome.durationMs} ms: a Worker with these settings hangs at startup`,
          {
            durationMs: outcome.durationMs,
            evidence: [{ label: 'package', value: outcome.package }],
            fix: 'The Worker has no connect timeout: something accepts the connection but never completes the TLS handshake or answers GetSystemInfo (a firewall, a proxy that swallows traffic, a wrong port). Check the port and anything between this machine and the server.',
          }
        )
      : fail(
          'grpc.worker.connect.failed',
          `NativeConnection.connect failed although every check passed${best ? `: ${best.title}` : ''}`,
          {
            durationMs: outcome.durationMs,
            evidence: [
              { label: 'package', value: outcome.package },
              ...(best ? [{ label: 'points at stage', value: best.stage }] : []),
            ],
            ...(outcome.error ? { cause: outcome.error } : {}),
            fix: best?.causes[0]
              ? `Most likely: ${best.causes[0]}. The Worker's error is shown under "What your Worker says".`
              : 'Read the Worker\'s error under "What your Worker says"; run temporal-doctor explain on it for the likely causes.',
          }
        );
  return append(stages, 'grpc', [check]);
}

function firstFail(stages: StageReport[], include: (check: CheckResult) => boolean): CheckResult | undefined {
  for (const stage of stages) {
    const found = stage.checks.find((c) => c.status === 'fail' && include(c));
    if (found) return found;
  }
  return undefined;
}

function verdictNotes(
  stages: StageReport[],
  clientOnly: Set<string>,
  probe: SdkOutcome | undefined,
  options: DoctorOptions,
  workerOnly: Set<string> = new Set()
): string[] {
  const clientFail = firstFail(stages, (c) => !isWorkerOnly(c) && !workerOnly.has(c.id));
  const workerFail = firstFail(stages, (c) => !clientOnly.has(c.id));
  if (options.stack === 'worker') {
    return clientOnly.size
      ? [
          "Judged for the Worker only (--stack worker): the Client's own trust failure is set aside, the Worker trusts this server",
        ]
      : [];
  }
  if (!clientFail && workerFail) {
    return [`Client connects; Worker will fail: ${workerFail.message}`];
  }
  if (clientFail && !workerFail) {
    const confirmed = probe?.outcome === 'connected' ? ' (NativeConnection connected)' : '';
    return [`Worker connects${confirmed}; Client will fail: ${clientFail.message}`];
  }
  return [];
}

/**
 * Which trust and proxy variables each stack will use here (docs/research/sdk-stacks.md#trust-variables,
 * #proxy-variables).
 */
function environmentNotes(env: Record<string, string | undefined>, facts: Partial<Facts>): string[] {
  const notes: string[] = [];
  const set = (names: string[]): string[] => names.filter((name) => env[name]);
  // Without the proxy stage's facts (it did not run), the Client's path as grpc-js will take it from these variables.
  const address = facts.config?.address.value;
  const paths =
    facts.proxy?.paths ??
    (address
      ? {
          client: clientProxyPath(env, address, DEFAULT_GRPC_PORT),
          worker: workerProxyPath(facts.config?.workerProxy?.value.reveal(), address, DEFAULT_GRPC_PORT),
        }
      : undefined);
  if (paths && (paths.client.kind === 'proxy' || paths.worker.kind === 'proxy')) {
    notes.push(
      `Paths: the Client connects ${describePath(paths.client)}; the Worker connects ${describePath(paths.worker)}`
    );
  } else if (set(['grpc_proxy', 'https_proxy', 'http_proxy', 'GRPC_PROXY', 'HTTPS_PROXY', 'HTTP_PROXY']).length) {
    notes.push(`Paths: both stacks connect directly (the Client: ${paths?.client.why ?? 'no proxy applies'})`);
  }
  if (facts.pem?.serverCaPem === undefined && facts.config?.tls.value) {
    const clientTrust = set(['NODE_EXTRA_CA_CERTS', 'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH']);
    const workerTrust = set(['SSL_CERT_FILE', 'SSL_CERT_DIR']);
    if (clientTrust.length || workerTrust.length) {
      const list = (names: string[]): string =>
        names.length ? names.map((n) => `${n}=${sanitize(env[n], 200)}`).join(', ') : 'none of its variables';
      notes.push(
        `Trust: the Client reads ${list(clientTrust)} (not SSL_CERT_FILE / SSL_CERT_DIR); the Worker reads ${list(workerTrust)} (not NODE_EXTRA_CA_CERTS / GRPC_DEFAULT_SSL_ROOTS_FILE_PATH)`
      );
    }
  }
  return notes.map((note) => sanitize(note, 600));
}
