import { describe, it, expect } from '@jest/globals';
import { corroborates, exitCodeFor, findRootCause, overallStatus } from '../../../src/report/verdict.js';
import { fail, pass, skip, warn, stageStatus } from '../../../src/pipeline/check.js';
import type { CheckResult } from '../../../src/pipeline/types.js';
import type { StageReport } from '../../../src/report/model.js';
import type { StageId } from '../../../src/facts.js';

function stage(id: StageId, ...checks: CheckResult[]): StageReport {
  return { id, title: id, status: stageStatus(checks), durationMs: 1, checks };
}
const bad = (id: string, message: string) =>
  fail(id, message, { fix: `fix ${id}`, evidence: [{ label: 'seen', value: id }] });
const odd = (id: string, message: string) => warn(id, message, { fix: `fix ${id}` });

describe('findRootCause', () => {
  it('returns null when nothing failed, even with warnings', () => {
    const stages = [
      stage('config', pass('config.resolved', 'ok')),
      stage('namespace', odd('namespace.task-queue.no-pollers', 'no pollers')),
    ];
    expect(findRootCause(stages)).toBeNull();
    expect(overallStatus(stages)).toBe('warn');
  });

  it('names the first failing check in stage order, with its fix and evidence', () => {
    const stages = [
      stage('config', pass('config.resolved', 'ok')),
      stage('tcp', bad('tcp.connect.refused', 'Connection refused')),
      stage('tls', skip('tls.skipped', 'tcp failed')),
    ];
    expect(findRootCause(stages)).toEqual({
      stage: 'tcp',
      check: 'tcp.connect.refused',
      message: 'Connection refused',
      fix: 'fix tcp.connect.refused',
      evidence: [{ label: 'seen', value: 'tcp.connect.refused' }],
    });
  });

  it('keeps the earliest stage and adds a later check that shows the same fault', () => {
    const stages = [
      stage('config', bad('config.api-key.whitespace', 'API key from TEMPORAL_API_KEY ends with a newline')),
      stage('tcp', pass('tcp.connect.ok', 'ok')),
      stage(
        'grpc',
        bad(
          'grpc.options.rejected',
          'The SDK rejected the connection settings: Metadata string value contains illegal characters'
        )
      ),
    ];
    const root = findRootCause(stages);
    expect(root).toMatchObject({
      stage: 'config',
      check: 'config.api-key.whitespace',
      fix: 'fix config.api-key.whitespace',
    });
    expect(root?.corroboratedBy).toEqual([
      {
        stage: 'grpc',
        check: 'grpc.options.rejected',
        message: 'The SDK rejected the connection settings: Metadata string value contains illegal characters',
      },
    ]);
    expect(root?.message).toBe(
      'API key from TEMPORAL_API_KEY ends with a newline (confirmed by grpc: The SDK rejected the connection settings: Metadata string value contains illegal characters)'
    );
  });

  it('combines a Cloud namespace-id finding with the server saying the namespace does not exist', () => {
    const stages = [
      stage('endpoint', bad('endpoint.cloud.namespace-id', 'Namespace myns is not a Temporal Cloud namespace id')),
      stage('grpc', pass('grpc.connect.ok', 'connected')),
      stage(
        'namespace',
        bad('namespace.describe.not-found', 'Namespace myns does not exist on this server (did you mean myns.acct12?)')
      ),
    ];
    const root = findRootCause(stages);
    expect(root?.stage).toBe('endpoint');
    expect(root?.corroboratedBy?.map((c) => c.check)).toEqual(['namespace.describe.not-found']);
    expect(root?.message).toContain('confirmed by namespace: Namespace myns does not exist');
  });

  it('counts a later warning as corroboration, but not a later pass', () => {
    const stages = [
      stage('config', bad('config.tls.half-pair', 'Client certificate is set but no client key is')),
      stage(
        'tls',
        pass('tls.client-cert.accepted', 'accepted'),
        odd('tls.client-cert.not-sent', 'Server asked for a client certificate; none was sent')
      ),
    ];
    expect(findRootCause(stages)?.corroboratedBy?.map((c) => c.check)).toEqual(['tls.client-cert.not-sent']);
  });

  it('ignores later failures that are consequences of another fault', () => {
    const stages = [
      stage('config', bad('config.api-key.whitespace', 'API key ends with a newline')),
      stage('tls', bad('tls.server-chain.untrusted', 'Server certificate is not trusted')),
    ];
    const root = findRootCause(stages);
    expect(root?.corroboratedBy).toBeUndefined();
    expect(root?.message).toBe('API key ends with a newline');
  });

  it('does not look at checks of the root stage itself or earlier stages', () => {
    const stages = [
      stage('tls', odd('tls.server.http1', 'answers HTTP/1')),
      stage('tcp', bad('tcp.connect.timeout', 'Connection timed out')),
    ];
    expect(findRootCause(stages)?.corroboratedBy).toBeUndefined();
  });

  it('combines a silent TCP peer with a later probe that shows it answers HTTP/1', () => {
    const stages = [
      stage('tcp', bad('tcp.connect.timeout', 'No answer from 10.0.0.1:7233')),
      stage(
        'grpc',
        bad('grpc.protocol.not-http2', 'Server at 10.0.0.1:7233 answers with HTTP/1 (HTTP/1.1 200 OK), not HTTP/2 gRPC')
      ),
    ];
    const root = findRootCause(stages);
    expect(root?.stage).toBe('tcp');
    expect(root?.message).toContain('confirmed by grpc: Server at 10.0.0.1:7233 answers with HTTP/1');
  });
});

describe('corroborates', () => {
  it.each([
    ['endpoint.cloud.tls-off', 'grpc.transport.tls-mismatch', true],
    ['config.api-key.tls-off', 'tls.server.speaks-tls', true],
    ['endpoint.cloud.no-auth', 'grpc.auth.unauthenticated', true],
    ['endpoint.cloud.mtls-server-name', 'tls.server-name.mismatch', true],
    ['config.namespace.case', 'namespace.describe.not-found', true],
    ['config.namespace.case', 'grpc.auth.unauthenticated', false],
    ['tcp.connect.refused', 'grpc.protocol.not-http2', false],
  ])('%s with %s → %s', (root, later, expected) => {
    expect(corroborates(root, later)).toBe(expected);
  });
});

describe('exitCodeFor', () => {
  it('fails on fail, and on warn only when strict', () => {
    expect(exitCodeFor({ status: 'fail' })).toBe(1);
    expect(exitCodeFor({ status: 'warn' })).toBe(0);
    expect(exitCodeFor({ status: 'warn' }, { strict: true })).toBe(1);
    expect(exitCodeFor({ status: 'pass' })).toBe(0);
  });
});
