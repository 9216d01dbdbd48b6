import { describe, expect, it } from '@jest/globals';
import { selectChecks } from '../../../src/diagnosis/select-checks.js';
import { findRootCause, overallStatus } from '../../../src/report/verdict.js';
import type { StageReport } from '../../../src/report/model.js';
import { fail, pass, warn } from '../../../src/pipeline/check.js';

function stages(): StageReport[] {
  return [
    {
      id: 'pem',
      title: 'PEM material',
      status: 'fail',
      durationMs: 1,
      checks: [
        pass('pem.client-cert.parsed', 'Client certificate parsed'),
        warn('pem.client-cert.expiring', 'Client certificate expires in 3 days', { fix: 'Renew it.' }),
        fail('pem.client-key.matches-cert', 'Client key does not match the client certificate', {
          fix: 'Use the matching key.',
        }),
      ],
    },
    { id: 'tcp', title: 'TCP connect', status: 'pass', durationMs: 1, checks: [pass('tcp.connect.ok', 'Connected')] },
  ];
}

describe('selectChecks', () => {
  it('returns the stages untouched when only stage ids are selected', () => {
    const input = stages();
    expect(selectChecks(input, { only: ['pem'], skip: ['tcp'] })).toBe(input);
  });

  it('drops a check named by --skip, so it no longer decides the verdict', () => {
    const out = selectChecks(stages(), { skip: ['pem.client-key.matches-cert'] });
    expect(out[0]?.checks.map((c) => c.id)).toEqual(['pem.client-cert.parsed', 'pem.client-cert.expiring']);
    expect(out[0]?.status).toBe('warn');
    expect(overallStatus(out)).toBe('warn');
    expect(findRootCause(out)).toBeNull();
  });

  it('drops every check below a subject selector', () => {
    const out = selectChecks(stages(), { skip: ['pem.client-cert'] });
    expect(out[0]?.checks.map((c) => c.id)).toEqual(['pem.client-key.matches-cert']);
  });

  it('keeps only the named checks of a stage selected by check id under --only', () => {
    const out = selectChecks(stages(), { only: ['pem.client-cert.expiring'] });
    expect(out[0]?.checks.map((c) => c.id)).toEqual(['pem.client-cert.expiring']);
    expect(out[1]?.checks.map((c) => c.id)).toEqual(['tcp.connect.ok']);
    expect(overallStatus(out)).toBe('warn');
  });

  it('marks a stage skipped, with the reason, when no check is left', () => {
    const out = selectChecks(stages(), { skip: ['tcp.connect.ok'] });
    expect(out[1]).toMatchObject({
      status: 'skip',
      skippedBecause: 'every check of this stage was excluded by --skip',
    });
    expect(out[1]?.checks.map((c) => c.id)).toEqual(['tcp.skipped']);
    const none = selectChecks(stages(), { only: ['tcp.connect.refused'] });
    expect(none[1]?.skippedBecause).toBe('none of the checks selected by --only (tcp.connect.refused) ran');
  });

  it('keeps the runner-owned crash check of a stage selected by check id', () => {
    const input = stages();
    input[1] = {
      ...input[1]!,
      status: 'fail',
      checks: [fail('tcp.crashed', 'The doctor itself failed', { fix: 'Report it.' })],
    };
    expect(selectChecks(input, { only: ['tcp.connect.ok'] })[1]?.checks.map((c) => c.id)).toEqual(['tcp.crashed']);
  });
});
