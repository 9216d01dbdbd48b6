import { describe, expect, it } from '@jest/globals';
import { fail, pass, stageStatus } from '../../../src/pipeline/check.js';
import type { CheckResult } from '../../../src/pipeline/types.js';
import type { StageId, StageReport } from '../../../src/facts.js';
import { reconcileControlPlane } from '../../../src/diagnosis/control-plane.js';

const stage = (id: StageId, checks: CheckResult[]): StageReport => ({
  id,
  title: id,
  status: stageStatus(checks),
  durationMs: 1,
  checks,
});
const caMismatch = fail(
  'cloud.mtls.accepted-ca',
  'No accepted CA of namespace myns.acct12 issued your client certificate',
  {
    fix: 'tcld namespace accepted-client-ca add',
    evidence: [{ label: 'your issuer', value: 'CN=Team CA' }],
  }
);

describe('reconcileControlPlane', () => {
  it('turns cloud failures into one inconclusive warning when the namespace answered with these settings', () => {
    const stages = reconcileControlPlane([
      stage('cloud', [pass('cloud.api.namespace', 'read'), caMismatch]),
      stage('namespace', [pass('namespace.describe.ok', 'Namespace myns.acct12 is registered')]),
    ]);
    const cloud = stages[0];
    expect(cloud?.status).toBe('warn');
    expect(cloud?.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'cloud.api.namespace:pass',
      'cloud.proof.contradicted:warn',
    ]);
    expect(cloud?.checks[1]?.evidence).toContainEqual({ label: 'your issuer', value: 'CN=Team CA' });
    expect(cloud?.checks[1]?.message).toContain('No accepted CA of namespace myns.acct12');
  });

  it('keeps the control plane as the proof when the connection failed', () => {
    const input = [
      stage('cloud', [caMismatch]),
      stage('namespace', [fail('namespace.describe.denied', 'denied', { fix: 'x' })]),
    ];
    expect(reconcileControlPlane(input)).toBe(input);
  });
});
