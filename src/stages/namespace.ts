// DescribeNamespace for the configured namespace only (never ListNamespaces: namespace-scoped credentials, i.e. every
// Temporal Cloud API key and certificate, are refused it, docs/research/common-failures.md#server-evidence), then, when a task queue is given,
// DescribeTaskQueue to say whether any worker polls it.
import type { CheckResult } from '../pipeline/types.js';
import { evidence, fail, pass, stopwatch, warn } from '../pipeline/check.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { connectionOptionsFrom } from '../sdk/connection-options.js';
import {
  GrpcCode,
  decodeStatusDetails,
  grpcStatusOf,
  loadClientSdk,
  statusName,
  summarizeSdkError,
  withConnection,
  type SdkConnection,
} from '../sdk/client-sdk.js';
import { sanitize } from '../text/sanitize.js';
import { authEvidence, permissionFix, settingRef } from '../config/setting-names.js';
import {
  KEPT,
  defineStage,
  type DoctorStageContext as StageContext,
  type EndpointFacts,
  type NamespaceFacts,
} from '../facts.js';

/** A worker that polled within this window counts as polling now (the server keeps pollers for a few minutes). */
export const POLLER_RECENT_MS = 2 * 60_000;

const NAMESPACE_STATES = ['UNSPECIFIED', 'REGISTERED', 'DEPRECATED', 'DELETED'] as const;
const TASK_QUEUE_TYPES = [
  { type: 1, name: 'workflow' },
  { type: 2, name: 'activity' },
] as const;
const TASK_QUEUE_KIND_NORMAL = 1;
const DAY_SECONDS = 86_400;

type NamespaceContext = StageContext<'config' | 'pem' | 'endpoint' | 'grpc'>;

export const namespaceStage = defineStage({
  id: 'namespace',
  title: 'Namespace',
  needs: ['config', 'pem', 'endpoint', 'grpc'],
  async run(ctx) {
    const elapsed = stopwatch();
    const config = ctx.facts.config;
    const namespace = config.namespace.value;
    const deadline = (share: number): number => Date.now() + Math.max(100, (ctx.timeoutMs - elapsed()) * share);
    ctx.progress(`DescribeNamespace ${namespace}`);
    const describe = async (connection: SdkConnection): Promise<{ checks: CheckResult[]; facts?: NamespaceFacts }> => {
      let described: DescribeNamespaceResponse;
      try {
        described = await connection.withDeadline(deadline(0.5), () =>
          connection.workflowService.describeNamespace({ namespace })
        );
      } catch (error) {
        // Server text: its message and details may quote the credential it refused.
        return { checks: [await describeFailure(ctx.options.secrets.scrubError(error), ctx, elapsed())] };
      }
      const { facts, check } = describedCheck(described, config, elapsed());
      const checks = [check];
      if (config.taskQueue && check.status !== 'fail') {
        ctx.progress(`DescribeTaskQueue ${config.taskQueue.value}`);
        checks.push(await taskQueueCheck(connection, namespace, config.taskQueue.value, ctx, deadline(0.9)));
      }
      return check.status === 'fail' ? { checks } : { checks, facts };
    };
    // The connection the grpc stage opened and checked, when it kept one: a second connect would cost a TCP and
    // HTTP/2 setup and a GetSystemInfo for nothing.
    const kept = ctx.run.kept<SdkConnection>(KEPT.sdkConnection);
    if (kept) return describe(kept);
    try {
      const built = await connectionOptionsFrom({ ...ctx.optionalFacts, ...ctx.facts }, ctx.options);
      const sdk = await loadClientSdk();
      return await withConnection(sdk, built.options, Math.max(100, ctx.timeoutMs * 0.5), describe);
    } catch (error) {
      // grpc connected moments ago; failing now means the server went away or the budget ran out.
      return {
        checks: [
          warn('namespace.describe.inconclusive', `Could not reconnect to check namespace ${namespace}`, {
            cause: summarizeSdkError(ctx.options.secrets.scrubError(error)),
            durationMs: elapsed(),
            fix: 'The grpc stage connected a moment earlier: rerun, with a larger --timeout if the server is slow.',
          }),
        ],
      };
    }
  },
});

interface DescribeNamespaceResponse {
  namespaceInfo?: { name?: string | null; state?: number | null } | null;
  config?: { workflowExecutionRetentionTtl?: { seconds?: unknown } | null } | null;
  replicationConfig?: { activeClusterName?: string | null } | null;
}

function describedCheck(
  response: DescribeNamespaceResponse,
  config: ResolvedConfig,
  durationMs: number
): { facts: NamespaceFacts; check: CheckResult } {
  const name = sanitize(response.namespaceInfo?.name || config.namespace.value, 100);
  const state =
    NAMESPACE_STATES[response.namespaceInfo?.state ?? 0] ?? `state ${String(response.namespaceInfo?.state)}`;
  const retentionSeconds = Number(String(response.config?.workflowExecutionRetentionTtl?.seconds ?? ''));
  const retentionDays =
    Number.isFinite(retentionSeconds) && retentionSeconds > 0
      ? Math.round((retentionSeconds / DAY_SECONDS) * 10) / 10
      : undefined;
  const region = response.replicationConfig?.activeClusterName
    ? sanitize(response.replicationConfig.activeClusterName, 100)
    : undefined;
  const facts: NamespaceFacts = {
    name,
    state,
    ...(retentionDays !== undefined ? { retentionDays } : {}),
    ...(region ? { region } : {}),
  };
  const ev = evidence({
    namespace: name,
    state,
    retention: retentionDays !== undefined ? `${retentionDays} ${retentionDays === 1 ? 'day' : 'days'}` : undefined,
    'active cluster (region)': region,
  });
  const nsRef = settingRef(config.namespace, 'namespace');
  if (state === 'DELETED') {
    return {
      facts,
      check: fail('namespace.state.deleted', `Namespace ${name} is being deleted`, {
        evidence: ev,
        durationMs,
        fix: `Point ${nsRef} at a namespace that is in use; a deleted namespace accepts no new workflows.`,
      }),
    };
  }
  if (state === 'DEPRECATED') {
    return {
      facts,
      check: warn('namespace.state.deprecated', `Namespace ${name} is deprecated`, {
        evidence: ev,
        durationMs,
        fix: `Move to a registered namespace and update ${nsRef}: a deprecated namespace accepts no new workflow executions.`,
      }),
    };
  }
  const details = [
    retentionDays !== undefined ? `retention ${retentionDays} ${retentionDays === 1 ? 'day' : 'days'}` : undefined,
    region ? `region ${region}` : undefined,
  ].filter(Boolean);
  return {
    facts,
    check: pass(
      'namespace.describe.ok',
      `Namespace ${name} is ${state.toLowerCase()}${details.length ? `, ${details.join(', ')}` : ''}`,
      { evidence: ev, durationMs }
    ),
  };
}

async function describeFailure(error: unknown, ctx: NamespaceContext, durationMs: number): Promise<CheckResult> {
  const config = ctx.facts.config;
  const namespace = config.namespace.value;
  const nsRef = settingRef(config.namespace, 'namespace');
  const cause = summarizeSdkError(error);
  const status = grpcStatusOf(error);
  if (!status) {
    return warn('namespace.describe.inconclusive', `DescribeNamespace for ${namespace} failed without a gRPC status`, {
      cause,
      durationMs,
      fix: 'Rerun, with a larger --timeout if the server is slow.',
    });
  }
  const secrets = ctx.options.secrets;
  const said = `${statusName(status.code)}: ${secrets.untrusted(status.details, 300)}`;
  const details = await decodeStatusDetails(status, secrets);
  const reason = details.map((d) => d.fields.reason).find((r): r is string => typeof r === 'string' && r.length > 0);
  const detailTypes = details.map((d) => d.type.replace(/^temporal\.api\.errordetails\.v1\./, '')).join(', ');
  const ev = evidence({
    namespace: `${namespace} (${config.namespace.source.name})`,
    'gRPC status': said,
    'error detail': detailTypes || undefined,
    'server reason': reason ? secrets.untrusted(reason, 300) : undefined,
    ...authEvidence(config),
  });

  switch (status.code) {
    case GrpcCode.NOT_FOUND:
      return fail(
        'namespace.describe.not-found',
        `Namespace ${namespace} does not exist on this server${didYouMean(namespace, ctx.facts.endpoint)}`,
        {
          evidence: ev,
          cause,
          durationMs,
          fix: notFoundFix(namespace, nsRef, config.address.value, ctx.facts.endpoint),
        }
      );
    case GrpcCode.PERMISSION_DENIED:
      return fail('namespace.describe.permission-denied', `Not authorized for namespace ${namespace} (${said})`, {
        evidence: ev,
        cause,
        durationMs,
        fix: permissionFix(config),
      });
    case GrpcCode.UNAUTHENTICATED:
      return fail(
        'namespace.describe.unauthenticated',
        `Server did not accept the credentials for namespace ${namespace} (${said})`,
        {
          evidence: ev,
          cause,
          durationMs,
          fix: permissionFix(config),
        }
      );
    case GrpcCode.DEADLINE_EXCEEDED:
      return warn(
        'namespace.describe.inconclusive',
        `DescribeNamespace for ${namespace} did not answer in time (${said})`,
        {
          evidence: ev,
          cause,
          durationMs,
          fix: 'Rerun with a larger --timeout; if it still hangs, check the Temporal frontend and its persistence.',
        }
      );
    default:
      return fail('namespace.describe.failed', `DescribeNamespace for ${namespace} failed (${said})`, {
        evidence: ev,
        cause,
        durationMs,
        fix: 'The server refused to describe the namespace with an unexpected error: check the Temporal frontend logs.',
      });
  }
}

/** `myns` on `myns.acct12.tmprl.cloud` → ` (did you mean myns.acct12?)`. */
function didYouMean(namespace: string, endpoint: EndpointFacts): string {
  const id = endpoint.cloud?.namespaceId;
  if (id && id !== namespace && (id.startsWith(`${namespace}.`) || !namespace.includes('.')))
    return ` (did you mean ${id}?)`;
  return '';
}

function notFoundFix(namespace: string, nsRef: string, address: string, endpoint: EndpointFacts): string {
  const id = endpoint.cloud?.namespaceId;
  if (id && id !== namespace) {
    return `Set ${nsRef} to ${id}: on Temporal Cloud the namespace is its full id <name>.<account-id>, as in the endpoint's host name.`;
  }
  if (endpoint.kind.startsWith('cloud-')) {
    return `Set ${nsRef} to the namespace id exactly as the Temporal Cloud UI shows it (<name>.<account-id>).`;
  }
  return `Check the spelling in ${nsRef} (names are case-sensitive), or register the namespace: temporal operator namespace create --namespace ${namespace} --address ${address}.`;
}

interface DescribeTaskQueueResponse {
  pollers?: Array<{
    identity?: string | null;
    lastAccessTime?: { seconds?: unknown; nanos?: number | null } | null;
  }> | null;
}

async function taskQueueCheck(
  connection: SdkConnection,
  namespace: string,
  taskQueue: string,
  ctx: NamespaceContext,
  deadline: number
): Promise<CheckResult> {
  const config = ctx.facts.config;
  const tqRef = settingRef(config.taskQueue, 'taskQueue');
  const elapsed = stopwatch();
  const results = await Promise.all(
    TASK_QUEUE_TYPES.map(({ type }) =>
      connection
        .withDeadline(deadline, () =>
          connection.workflowService.describeTaskQueue({
            namespace,
            taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
            taskQueueType: type,
          })
        )
        .then(
          (response) => ({ ok: true as const, response: response as DescribeTaskQueueResponse }),
          (error: unknown) => ({ ok: false as const, error })
        )
    )
  );
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) {
    return warn('namespace.task-queue.inconclusive', `Could not describe task queue ${taskQueue}`, {
      cause: summarizeSdkError(ctx.options.secrets.scrubError(failed.error)),
      durationMs: elapsed(),
      fix: 'DescribeTaskQueue needs read access to the namespace; rerun with credentials that have it, or check the Workers page of the Web UI.',
    });
  }
  const now = ctx.now().getTime();
  const perType = TASK_QUEUE_TYPES.map(({ name }, index) => {
    const result = results[index];
    const pollers = result?.ok ? (result.response.pollers ?? []) : [];
    const seen = pollers.map((p) => ({ identity: sanitize(p.identity ?? '', 100), at: timestampMs(p.lastAccessTime) }));
    return { name, seen, recent: seen.filter((p) => p.at !== undefined && now - p.at <= POLLER_RECENT_MS) };
  });
  const lastSeen = Math.max(...perType.flatMap((t) => t.seen.map((p) => p.at ?? 0)), 0);
  const ev = evidence({
    'task queue': `${taskQueue} (${config.taskQueue?.source.name})`,
    ...Object.fromEntries(
      perType.map((t) => [
        `${t.name} pollers`,
        t.seen.length
          ? t.seen
              .map((p) => `${p.identity || '(no identity)'} at ${p.at ? new Date(p.at).toISOString() : 'unknown'}`)
              .join('; ')
          : 'none',
      ])
    ),
  });
  const recentCount = perType.reduce((sum, t) => sum + t.recent.length, 0);
  if (recentCount === 0) {
    const last =
      lastSeen > 0
        ? `last seen ${new Date(lastSeen).toISOString()}, ${Math.round((now - lastSeen) / 60_000)} min ago`
        : 'no poller seen';
    return warn(
      'namespace.task-queue.no-pollers',
      `No worker has polled task queue ${taskQueue} in the last 2 minutes (${last})`,
      {
        evidence: ev,
        durationMs: elapsed(),
        fix: `Start a Worker on task queue ${taskQueue} in namespace ${namespace}, or check that your Worker uses exactly this task queue name (${tqRef}) and namespace; workflows on a queue nobody polls wait forever.`,
      }
    );
  }
  const counts = perType.map((t) => `${t.recent.length} ${t.name}`).join(', ');
  return pass(
    'namespace.task-queue.pollers',
    `Task queue ${taskQueue} is polled (${counts} poller${recentCount === 1 ? '' : 's'} in the last 2 minutes)`,
    {
      evidence: ev,
      durationMs: elapsed(),
    }
  );
}

function timestampMs(timestamp: { seconds?: unknown; nanos?: number | null } | null | undefined): number | undefined {
  if (!timestamp) return undefined;
  const seconds = Number(String(timestamp.seconds ?? ''));
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return seconds * 1000 + Math.floor((timestamp.nanos ?? 0) / 1_000_000);
}
