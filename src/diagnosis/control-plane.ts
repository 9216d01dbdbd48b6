// A post-step: the Cloud control plane's answer (the cloud stage) and the live connection can disagree, e.g. when the
// namespace's settings changed a moment ago or the key reads another account's namespace of the same name. When
// DescribeNamespace succeeded with these very settings, a cloud-stage failure that predicts a refusal (wrong CA, filters,
// auth method, endpoint) is not proven: it becomes one inconclusive warning with the control plane's words as evidence,
// and the live result stands.
import { stageStatus, warn } from '../pipeline/check.js';
import type { CheckResult } from '../pipeline/types.js';
import type { StageReport } from '../facts.js';

const NAMESPACE_ANSWERED = 'namespace.describe.ok';

/**
 * The cloud findings that predict a refusal of this very connection (wrong CA, no matching filter, auth method off,
 * another endpoint or region). The namespace's state and connectivity rules are facts of their own, kept as they are.
 */
const PREDICTS_REFUSAL = /^cloud\.(mtls\.(accepted-ca|certificate-filters|ca-expired)|auth\.|endpoint\.)/;

export function reconcileControlPlane(stages: StageReport[]): StageReport[] {
  const answered = stages.some((s) => s.checks.some((c) => c.id === NAMESPACE_ANSWERED && c.status === 'pass'));
  if (!answered) return stages;
  return stages.map((stage) => {
    if (stage.id !== 'cloud') return stage;
    const isContradicted = (c: CheckResult): boolean => c.status === 'fail' && PREDICTS_REFUSAL.test(c.id);
    const contradicted = stage.checks.filter(isContradicted);
    if (!contradicted.length) return stage;
    const kept = stage.checks.filter((c) => !isContradicted(c));
    const checks: CheckResult[] = [...kept, contradiction(contradicted)];
    return { ...stage, checks, status: stageStatus(checks) };
  });
}

function contradiction(failed: CheckResult[]): CheckResult {
  return warn(
    'cloud.proof.contradicted',
    `The Cloud control plane's settings say the connection should fail (${failed.map((c) => c.message).join('; ')}), yet the namespace answered with these settings`,
    {
      evidence: failed.flatMap((c) => [{ label: 'control plane', value: `${c.message} [${c.id}]` }, ...c.evidence]),
      durationMs: failed.reduce((sum, c) => sum + c.durationMs, 0),
      fix: 'Trust the live result for now: the namespace accepts this connection. Check whether its settings were changed a moment ago (they take effect within minutes), and that the Cloud API key reads the same account as the namespace endpoint; rerun to see whether the two agree.',
    }
  );
}
