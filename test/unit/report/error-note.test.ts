// `--error`: whether the diagnosis explains the error the user pasted, judged from the report alone.
import { describe, expect, it } from '@jest/globals';
import { errorNote } from '../../../src/report/error-note.js';
import { fail, pass } from '../../../src/pipeline/check.js';
import type { Report, StageReport } from '../../../src/report/model.js';
import type { CheckResult } from '../../../src/pipeline/types.js';
import { findRootCause } from '../../../src/report/verdict.js';
import type { StageId } from '../../../src/facts.js';

const UNKNOWN_ISSUER =
  'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))';

function stage(id: StageId, checks: CheckResult[]): StageReport {
  return { id, title: id, status: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass', durationMs: 0, checks };
}

function report(stages: StageReport[]): Pick<Report, 'rootCause' | 'stages'> {
  return { stages, rootCause: findRootCause(stages) };
}

const FIX = { fix: 'Fix it.' };

describe('errorNote', () => {
  it('says the error is explained when its stage is the root cause', () => {
    const note = errorNote(
      UNKNOWN_ISSUER,
      report([
        stage('dns', [pass('dns.lookup.resolved', 'ok')]),
        stage('tls', [fail('tls.server-chain.untrusted', 'Untrusted', FIX)]),
      ])
    );
    expect(note).toMatch(
      /^The error you saw \(.*, Worker \(@temporalio\/worker, Rust Core\)\) is explained by the root cause at tls \[tls\.server-chain\.untrusted\]$/
    );
  });

  it('says a check of its stage explains it when that stage fails after an earlier root cause', () => {
    const note = errorNote(
      UNKNOWN_ISSUER,
      report([
        stage('config', [fail('config.env.tls-value', 'TLS value', FIX)]),
        stage('tls', [fail('tls.server-chain.untrusted', 'Untrusted', FIX)]),
      ])
    );
    expect(note).toMatch(
      /is explained by tls\.server-chain\.untrusted at tls, which follows from the root cause at config/
    );
  });

  it('says it is not explained when the diagnosis found nothing', () => {
    expect(errorNote(UNKNOWN_ISSUER, report([stage('tls', [pass('tls.server-chain.trusted', 'ok')])]))).toMatch(
      /is not explained: it points at tls, and the diagnosis found no fault there/
    );
  });

  it('says the diagnosis stopped earlier when the root cause is at an earlier stage', () => {
    expect(
      errorNote(UNKNOWN_ISSUER, report([stage('dns', [fail('dns.lookup.not-found', 'No such host', FIX)])]))
    ).toMatch(/not explained yet: it points at tls, which the diagnosis could not judge past the root cause at dns/);
  });

  it('says it is not explained when the root cause is at a later stage', () => {
    const note = errorNote(
      UNKNOWN_ISSUER,
      report([
        stage('tls', [pass('tls.server-chain.trusted', 'ok')]),
        stage('namespace', [fail('namespace.describe.not-found', 'No ns', FIX)]),
      ])
    );
    expect(note).toMatch(
      /is not explained: it points at tls, the diagnosis found no fault there; the root cause it found is at namespace/
    );
  });

  it('points a non-diagnostic error at the root cause, and an unknown one at explain', () => {
    const failing = report([stage('tcp', [fail('tcp.connect.refused', 'Connection refused', FIX)])]);
    expect(errorNote('Failed to connect before the deadline', failing)).toMatch(
      /hides its cause; the diagnosis finds it at tcp: Connection refused/
    );
    expect(errorNote('something odd happened', failing)).toMatch(/not in the catalog.*root cause at tcp/);
  });

  it('never repeats the pasted text', () => {
    const note = errorNote(`${UNKNOWN_ISSUER} secret-marker-1234`, report([]));
    expect(note).not.toContain('secret-marker-1234');
  });
});
