import { beforeAll, describe, expect, it } from '@jest/globals';
import { findCheck, runJson } from '../support/run-cli.js';
import {
  startTemporalFrontend,
  type FrontendOptions,
  type TemporalFrontend,
} from '../support/servers/temporal-frontend.js';
import { startDnsServer } from '../support/servers/index.js';
import { createTestPki, issueCert, type TestPki } from '../support/pki.js';
import { startStatusServer, type StatusServer } from '../support/servers/grpc-status.js';
import * as grpc from '@grpc/grpc-js';
import { closeAfterAll } from '../support/close-after-all.js';

const FAST = ['--timeout', '2s'];
const FRESH = ['--expiry-warn-days', '7'];
const API_KEY = 'tdk-namespace-test-key';

let pki: TestPki;
const track = closeAfterAll();

function frontend(opts: FrontendOptions = {}): Promise<TemporalFrontend> {
  return track(startTemporalFrontend(opts));
}

beforeAll(async () => {
  pki = await createTestPki();
});

describe('namespace stage: DescribeNamespace', () => {
  it('reports state, retention and region of a registered namespace, and never lists namespaces', async () => {
    const server = await frontend({ namespaces: [{ name: 'orders', retentionDays: 3, region: 'aws-us-east-1' }] });
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--namespace', 'orders'], { env: {} });
    expect(report.status).toBe('pass');
    const described = findCheck(report, 'namespace.describe.ok');
    expect(described?.message).toBe('Namespace orders is registered, retention 3 days, region aws-us-east-1');
    expect(described?.evidence).toContainEqual({ label: 'active cluster (region)', value: 'aws-us-east-1' });
    expect(server.calls.map((c) => c.method)).not.toContain('ListNamespaces');
    expect(server.calls.find((c) => c.method === 'DescribeNamespace')?.metadata['temporal-namespace']).toBe('orders');
  });

  it('describes the namespace over the connection the grpc stage opened, not a second one', async () => {
    const server = await frontend();
    const { report } = await runJson(['--address', `127.0.0.1:${server.port}`, '--no-sdk-probe'], { env: {} });
    expect(report.status).toBe('pass');
    const calls = server.calls.filter((c) => c.method !== 'Health/Watch');
    // The SDK's own GetSystemInfo at connect (its answer kept for the report), the health check, then DescribeNamespace.
    expect(calls.map((c) => c.method)).toEqual(['GetSystemInfo', 'Health/Check', 'DescribeNamespace']);
    expect(new Set(calls.map((c) => c.peer)).size).toBe(1);
  });

  it('fails on a namespace the server does not know, says how to register it, and shows the SDK error', async () => {
    const server = await frontend();
    const { report, exitCode } = await runJson(['--address', `localhost:${server.port}`, ...FAST], {
      env: { TEMPORAL_NAMESPACE: 'payments' },
    });
    expect(report.rootCause).toMatchObject({ stage: 'namespace', check: 'namespace.describe.not-found' });
    expect(report.rootCause?.message).toBe('Namespace payments does not exist on this server');
    expect(report.rootCause?.fix).toBe(
      `Check the spelling in TEMPORAL_NAMESPACE (names are case-sensitive), or register the namespace: temporal operator namespace create --namespace payments --address localhost:${server.port}.`
    );
    expect(report.rootCause?.evidence).toContainEqual({ label: 'error detail', value: 'NamespaceNotFoundFailure' });
    expect(report.sdk[0]?.error?.message).toBe('5 NOT_FOUND: Namespace payments is not found.');
    expect(report.sdk[0]?.note).toContain('workflowService.describeNamespace failed');
    expect(exitCode).toBe(1);
  });

  it('fails when the credentials may not use the namespace, decoding the PermissionDeniedFailure reason', async () => {
    const server = await frontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem },
      apiKey: API_KEY,
      namespaces: [{ name: 'billing' }],
      deniedNamespaces: ['billing'],
    });
    const { report, stdout } = await runJson(
      [
        '--address',
        `localhost:${server.port}`,
        '--namespace',
        'billing',
        `--tls-ca-data=${pki.ca.certPem}`,
        ...FAST,
        ...FRESH,
      ],
      { env: { TEMPORAL_API_KEY: API_KEY } }
    );
    expect(report.rootCause).toMatchObject({ stage: 'namespace', check: 'namespace.describe.permission-denied' });
    expect(report.rootCause?.message).toBe(
      'Not authorized for namespace billing (PERMISSION_DENIED: Request unauthorized.)'
    );
    expect(report.rootCause?.evidence).toContainEqual({
      label: 'server reason',
      value: "caller has insufficient permissions for namespace 'billing'",
    });
    expect(report.rootCause?.fix).toContain('The API key from TEMPORAL_API_KEY is valid but not allowed here');
    expect(report.rootCause?.fix).toContain("another region's endpoint");
    expect(report.sdk[0]?.error?.message).toBe('7 PERMISSION_DENIED: Request unauthorized.');
    expect(stdout).not.toContain(API_KEY);
  });

  it('names the mTLS causes when a client certificate is refused for the namespace', async () => {
    const server = await frontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
      namespaces: [{ name: 'billing' }],
      deniedNamespaces: ['billing'],
    });
    const { report } = await runJson(
      [
        '--address',
        `localhost:${server.port}`,
        '--namespace',
        'billing',
        `--tls-ca-data=${pki.ca.certPem}`,
        `--tls-cert-data=${pki.client.certPem}`,
        `--tls-key-data=${pki.client.keyPem}`,
        ...FAST,
        ...FRESH,
      ],
      { env: {} }
    );
    expect(report.rootCause).toMatchObject({ stage: 'namespace', check: 'namespace.describe.permission-denied' });
    expect(report.rootCause?.fix).toContain('accepted client CAs');
    expect(report.rootCause?.fix).toContain('certificate filters');
  });

  it('warns about a deprecated namespace and fails on a deleted one', async () => {
    const server = await frontend({
      namespaces: [
        { name: 'old', state: 'DEPRECATED' },
        { name: 'gone', state: 'DELETED' },
      ],
    });
    const deprecated = await runJson(['--address', `localhost:${server.port}`, '--namespace', 'old'], { env: {} });
    expect(findCheck(deprecated.report, 'namespace.state.deprecated')?.status).toBe('warn');
    expect(deprecated.report.status).toBe('warn');
    const deleted = await runJson(['--address', `localhost:${server.port}`, '--namespace', 'gone', ...FAST], {
      env: {},
    });
    expect(deleted.report.rootCause).toMatchObject({
      stage: 'namespace',
      check: 'namespace.state.deleted',
      message: 'Namespace gone is being deleted',
    });
  });
});

describe('namespace stage: Temporal Cloud namespace id', () => {
  it('suggests the full namespace id when the short name is given, confirming the endpoint stage', async () => {
    const host = 'myns.acct12.tmprl.cloud';
    const cert = await issueCert(pki.ca, { commonName: host, dnsNames: [host] });
    const server = await frontend({
      tls: { certPem: cert.certPem, keyPem: cert.keyPem },
      apiKey: API_KEY,
      namespaces: [{ name: 'myns.acct12' }],
    });
    const dns = await track(startDnsServer({ [host]: { A: ['127.0.0.1'] } }));
    const { report } = await runJson(
      [
        '--address',
        `${host}:${server.port}`,
        '--namespace',
        'myns',
        '--dns-server',
        dns.server,
        `--tls-ca-data=${pki.ca.certPem}`,
        ...FAST,
        ...FRESH,
      ],
      { env: { TEMPORAL_API_KEY: API_KEY } }
    );
    const notFound = findCheck(report, 'namespace.describe.not-found');
    expect(notFound?.message).toBe('Namespace myns does not exist on this server (did you mean myns.acct12?)');
    expect(notFound?.fix).toContain('Set --namespace to myns.acct12');
    // The endpoint stage saw it first, offline; the server's NOT_FOUND confirms it.
    expect(report.rootCause).toMatchObject({ stage: 'endpoint', check: 'endpoint.cloud.namespace-id' });
    expect(report.rootCause?.corroboratedBy).toEqual([
      { stage: 'namespace', check: 'namespace.describe.not-found', message: notFound?.message },
    ]);
    expect(report.rootCause?.message).toContain(
      '(confirmed by namespace: Namespace myns does not exist on this server'
    );
    // With --dns-server the SDK dials the IP the tcp stage reached and keeps the TLS name.
    expect(findCheck(report, 'grpc.connect.ok')?.evidence.find((e) => e.label === 'address')?.value).toContain(
      `127.0.0.1:${server.port} (server name ${host})`
    );
    expect(report.sdk[0]?.error?.message).toBe('5 NOT_FOUND: Namespace myns is not found.');
  });
});

describe('namespace stage: task queue pollers', () => {
  it('passes when a worker polled the task queue within the last two minutes', async () => {
    const server = await frontend({
      taskQueues: {
        'orders-tq': { pollers: [{ identity: '4242@worker-host', lastAccessTime: new Date(Date.now() - 5_000) }] },
      },
    });
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--task-queue', 'orders-tq'], {
      env: {},
    });
    expect(report.status).toBe('pass');
    expect(report.rootCause).toBeNull();
    const polled = findCheck(report, 'namespace.task-queue.pollers');
    expect(polled?.message).toBe(
      'Task queue orders-tq is polled (1 workflow, 1 activity pollers in the last 2 minutes)'
    );
    expect(polled?.evidence.find((e) => e.label === 'workflow pollers')?.value).toMatch(/^4242@worker-host at \d{4}-/);
    expect(server.calls.filter((c) => c.method === 'DescribeTaskQueue')).toHaveLength(2);
  });

  it('warns when the last poller was seen longer ago than two minutes, saying when', async () => {
    const server = await frontend({
      taskQueues: {
        'orders-tq': { pollers: [{ identity: 'old-worker', lastAccessTime: new Date(Date.now() - 10 * 60_000) }] },
      },
    });
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--task-queue', 'orders-tq'], {
      env: {},
    });
    expect(report.status).toBe('warn');
    expect(report.rootCause).toBeNull();
    const none = findCheck(report, 'namespace.task-queue.no-pollers');
    expect(none?.status).toBe('warn');
    expect(none?.message).toMatch(
      /^No worker has polled task queue orders-tq in the last 2 minutes \(last seen \d{4}-\d\d-\d\dT[\d:.]+Z, 10 min ago\)$/
    );
    expect(none?.fix).toContain('--task-queue');
  });

  it('warns when no worker ever polled the task queue', async () => {
    const server = await frontend();
    const { report } = await runJson(['--address', `localhost:${server.port}`], {
      env: { TEMPORAL_TASK_QUEUE: 'empty-tq' },
    });
    const none = findCheck(report, 'namespace.task-queue.no-pollers');
    expect(none?.message).toBe('No worker has polled task queue empty-tq in the last 2 minutes (no poller seen)');
    expect(report.sdk).toEqual([]);
  });
});

describe('namespace stage: other server answers', () => {
  async function statusServer(
    describeNamespace: { code: grpc.status; details: string },
    describeTaskQueue?: { code: grpc.status; details: string }
  ): Promise<StatusServer> {
    return track(
      startStatusServer({
        GetSystemInfo: 'ok',
        DescribeNamespace: describeNamespace,
        ...(describeTaskQueue ? { DescribeTaskQueue: describeTaskQueue } : {}),
      })
    );
  }

  it('fails when DescribeNamespace is UNAUTHENTICATED although the connect was accepted', async () => {
    const server = await statusServer({ code: grpc.status.UNAUTHENTICATED, details: 'Request unauthenticated.' });
    const { report } = await runJson(['--address', `localhost:${server.port}`, ...FAST], { env: {} });
    expect(report.rootCause).toMatchObject({ stage: 'namespace', check: 'namespace.describe.unauthenticated' });
  });

  it('fails on an unexpected gRPC error from DescribeNamespace', async () => {
    const server = await statusServer({ code: grpc.status.INTERNAL, details: 'persistence unavailable' });
    const { report } = await runJson(['--address', `localhost:${server.port}`, ...FAST], { env: {} });
    expect(report.rootCause).toMatchObject({
      stage: 'namespace',
      check: 'namespace.describe.failed',
      message: 'DescribeNamespace for default failed (INTERNAL: persistence unavailable)',
    });
  });

  it('warns, without failing, when DescribeTaskQueue is refused', async () => {
    const server = await track(
      startStatusServer({
        GetSystemInfo: 'ok',
        DescribeNamespace: 'ok',
        DescribeTaskQueue: { code: grpc.status.PERMISSION_DENIED, details: 'Request unauthorized.' },
      })
    );
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--task-queue', 'tq', ...FAST], {
      env: {},
    });
    expect(findCheck(report, 'namespace.task-queue.inconclusive')).toMatchObject({
      status: 'warn',
      message: 'Could not describe task queue tq',
    });
    expect(report.status).toBe('warn');
  });
});
