// When the Cloud Ops API itself refuses: every such result is a warn, because it says nothing about whether the
// connection works (docs/research/cloud-ops-api.md#errors).
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, warn } from '../../pipeline/check.js';
import { didYouMean } from '../../config/near-miss.js';
import { CLOUD_API_VERSION, type OpsFailure } from './ops-api.js';

export interface FailureContext {
  namespace: string;
  address: string;
  /** How the key was given: `--cloud-api-key`, `TEMPORAL_CLOUD_API_KEY`, ... */
  keySource: string;
  /** The account's namespaces, when GetNamespaces answered (for did-you-mean). */
  accountNamespaces?: string[];
}

const NOT_PROOF = 'This says nothing about the connection itself; the other stages still judge it.';

export function apiFailureCheck(failure: OpsFailure, context: FailureContext): CheckResult {
  const details = {
    evidence: evidence({
      'Cloud Ops API': context.address,
      'API key from': context.keySource,
      status: `${failure.codeName} (${failure.code})`,
      message: failure.message,
    }),
    cause: { name: 'CloudOpsApiError', code: failure.codeName, message: failure.message },
  };
  switch (failure.codeName) {
    case 'UNAUTHENTICATED':
      return warn(
        'cloud.api.unauthenticated',
        `The Cloud Ops API did not accept the Cloud API key from ${context.keySource}`,
        {
          ...details,
          fix: `Use a valid Temporal Cloud API key (expired, revoked or mistyped keys are refused): create one under Settings > API Keys in the Cloud UI or with tcld apikey create, and pass it as --cloud-api-key or TEMPORAL_CLOUD_API_KEY. ${NOT_PROOF}`,
        }
      );
    case 'PERMISSION_DENIED':
      return warn(
        'cloud.api.permission-denied',
        `The Cloud API key from ${context.keySource} may not read namespace ${context.namespace}`,
        {
          ...details,
          fix: `Use a key whose user or service account can read namespace ${context.namespace} (a namespace permission of Read or more, or an account role that includes it). ${NOT_PROOF}`,
        }
      );
    case 'NOT_FOUND':
      return notFound(details, context);
    default:
      break;
  }
  if (
    /version/i.test(failure.message) &&
    ['INVALID_ARGUMENT', 'FAILED_PRECONDITION', 'UNIMPLEMENTED'].includes(failure.codeName)
  ) {
    return warn(
      'cloud.api.version-rejected',
      `The Cloud Ops API rejected the API version temporal-doctor sends (temporal-cloud-api-version ${CLOUD_API_VERSION})`,
      {
        ...details,
        fix: `Update temporal-doctor (it sends the API version of the @temporalio/proto it ships with), or check the current version in https://github.com/temporalio/api-cloud. ${NOT_PROOF}`,
      }
    );
  }
  if (['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED'].includes(failure.codeName)) {
    return warn(
      'cloud.api.unreachable',
      `The Cloud Ops API at ${context.address} did not answer (${failure.codeName})`,
      {
        ...details,
        fix: `Check that ${context.address} is reachable from here over HTTPS (a firewall or proxy may block it), or rerun with a larger --timeout. ${NOT_PROOF}`,
      }
    );
  }
  return warn('cloud.api.failed', `The Cloud Ops API answered GetNamespace with ${failure.codeName}`, {
    ...details,
    fix: `Retry later; if it persists, report it with -o markdown attached. ${NOT_PROOF}`,
  });
}

function notFound(
  details: Pick<CheckResult, 'evidence' | 'cause'> & { evidence: CheckResult['evidence'] },
  context: FailureContext
): CheckResult {
  const names = context.accountNamespaces ?? [];
  const [wantedName] = context.namespace.split('.');
  const suggestion = names.find((n) => n.split('.')[0] === wantedName) ?? didYouMean(context.namespace, names);
  const inAccount = context.accountNamespaces
    ? names.length
      ? `the key's account has ${names.length} namespace(s)${names.length <= 10 ? `: ${names.join(', ')}` : ''}`
      : "the key's account has no namespaces it may list"
    : "the key may not list the account's namespaces";
  return warn(
    'cloud.api.namespace-not-found',
    `Namespace ${context.namespace} is not in the Temporal Cloud account of the Cloud API key${suggestion ? `; did you mean ${suggestion}?` : ''}`,
    {
      ...details,
      evidence: [...details.evidence, ...evidence({ 'account namespaces': inAccount, 'did you mean': suggestion })],
      fix: suggestion
        ? `If you meant ${suggestion}, set --namespace (and the address) to it; otherwise use a Cloud API key of the account that owns ${context.namespace}. ${NOT_PROOF}`
        : `Check the namespace id <name>.<account-id> on the namespace page, and that the Cloud API key belongs to the account that owns it. ${NOT_PROOF}`,
    }
  );
}
