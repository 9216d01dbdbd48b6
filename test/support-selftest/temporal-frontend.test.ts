import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import type { ConnectionOptions } from '@temporalio/client';
import proto from '@temporalio/proto';
import { createTestPki } from '../support/pki.js';
import type { TestPki } from '../support/pki.js';
import { startTemporalFrontend } from '../support/servers/temporal-frontend.js';
import type { FrontendOptions, TemporalFrontend } from '../support/servers/temporal-frontend.js';

interface ReflectType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromObject(object: Record<string, unknown>): unknown;
  toObject(message: unknown, options?: Record<string, unknown>): Record<string, unknown>;
}
const root = proto as unknown as { lookupType(path: string): ReflectType };

interface GrpcLikeError {
  code?: number;
  message: string;
  metadata?: grpc.Metadata;
}

const servers: TemporalFrontend[] = [];
const connections: Connection[] = [];
let pki: TestPki;

async function frontend(opts?: FrontendOptions): Promise<TemporalFrontend> {
  const server = await startTemporalFrontend(opts);
  servers.push(server);
  return server;
}

async function connect(opts: ConnectionOptions): Promise<Connection> {
  const connection = await Connection.connect({ connectTimeout: '3s', ...opts });
  connections.push(connection);
  return connection;
}

async function rejection(promise: Promise<unknown>): Promise<GrpcLikeError & { cause?: GrpcLikeError }> {
  try {
    await promise;
  } catch (error) {
    return error as GrpcLikeError & { cause?: GrpcLikeError };
  }
  throw new Error('expected a rejection');
}

function decodeStatusDetail(error: GrpcLikeError): { typeUrl: string; value: Record<string, unknown> } {
  const [raw] = error.metadata?.get('grpc-status-details-bin') ?? [];
  if (!Buffer.isBuffer(raw)) throw new Error('no grpc-status-details-bin in the error metadata');
  const status = root.lookupType('google.rpc.Status').toObject(root.lookupType('google.rpc.Status').decode(raw)) as {
    details?: Array<{ type_url: string; value: Uint8Array }>;
  };
  const [detail] = status.details ?? [];
  if (detail === undefined) throw new Error('google.rpc.Status carries no detail');
  const typeName = detail.type_url.replace('type.googleapis.com/', '');
  const type = root.lookupType(typeName);
  return { typeUrl: detail.type_url, value: type.toObject(type.decode(detail.value)) };
}

function rawUnary(
  address: string,
  path: string,
  requestType: string,
  responseType: string,
  request: Record<string, unknown>,
  deadlineMs = 2_000
): Promise<Record<string, unknown>> {
  const req = root.lookupType(requestType);
  const res = root.lookupType(responseType);
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    client.makeUnaryRequest(
      path,
      (value: Record<string, unknown>) => Buffer.from(req.encode(req.fromObject(value)).finish()),
      (bytes: Buffer) => res.toObject(res.decode(bytes), { enums: String }),
      request,
      { deadline: Date.now() + deadlineMs },
      (error, response) => (error !== null || response === undefined ? reject(error) : resolve(response))
    );
  }).finally(() => client.close());
}

beforeAll(async () => {
  pki = await createTestPki();
});

afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await Promise.all(servers.map((server) => server.close()));
});

describe('the test Temporal frontend, driven by the real @temporalio/client', () => {
  it('answers Connection.connect and describeNamespace over plaintext with the namespace it was given', async () => {
    const server = await frontend({ namespaces: [{ name: 'orders', retentionDays: 7, region: 'aws-eu-west-1' }] });
    const connection = await connect({ address: server.address });

    const response = await connection.workflowService.describeNamespace({ namespace: 'orders' });

    expect(response.namespaceInfo?.name).toBe('orders');
    expect(response.namespaceInfo?.state).toBe(proto.temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_REGISTERED);
    expect(response.namespaceInfo?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(response.config?.workflowExecutionRetentionTtl?.seconds)).toBe(7 * 86_400);
    expect(response.replicationConfig?.activeClusterName).toBe('aws-eu-west-1');
    expect(server.calls.map((call) => call.method)).toEqual(['GetSystemInfo', 'DescribeNamespace']);
    expect(server.calls[1]?.metadata['temporal-namespace']).toBe('orders');
  });

  it('reports the configured server version and capabilities from GetSystemInfo', async () => {
    const server = await frontend({ serverVersion: '1.27.2' });
    const connection = await connect({ address: server.address });

    const info = await connection.workflowService.getSystemInfo({});

    expect(info.serverVersion).toBe('1.27.2');
    expect(info.capabilities?.signalAndQueryHeader).toBe(true);
    expect(info.capabilities?.internalErrorDifferentiation).toBe(true);
  });

  it('reports a deprecated namespace state as given', async () => {
    const server = await frontend({ namespaces: [{ name: 'old', state: 'DEPRECATED' }] });
    const connection = await connect({ address: server.address });

    const response = await connection.workflowService.describeNamespace({ namespace: 'old' });

    expect(response.namespaceInfo?.state).toBe(proto.temporal.api.enums.v1.NamespaceState.NAMESPACE_STATE_DEPRECATED);
  });

  it('serves TLS to a client that trusts the test CA', async () => {
    const server = await frontend({ tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem } });
    const connection = await connect({
      address: `localhost:${server.port}`,
      tls: { serverRootCACertificate: Buffer.from(pki.ca.certPem) },
    });

    const response = await connection.workflowService.describeNamespace({ namespace: 'default' });

    expect(response.namespaceInfo?.name).toBe('default');
  });

  it('serves TLS to a client that overrides the server name', async () => {
    const server = await frontend({ tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem } });
    const connection = await connect({
      address: server.address,
      tls: { serverRootCACertificate: Buffer.from(pki.ca.certPem), serverNameOverride: 'localhost' },
    });

    await expect(connection.workflowService.describeNamespace({ namespace: 'default' })).resolves.toBeDefined();
  });

  it('serves mTLS to a client presenting a certificate from the client CA', async () => {
    const server = await frontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
    });
    const connection = await connect({
      address: `localhost:${server.port}`,
      tls: {
        serverRootCACertificate: Buffer.from(pki.ca.certPem),
        clientCertPair: { crt: Buffer.from(pki.client.certPem), key: Buffer.from(pki.client.keyPem) },
      },
    });

    const response = await connection.workflowService.describeNamespace({ namespace: 'default' });

    expect(response.namespaceInfo?.name).toBe('default');
  });

  it('refuses an mTLS client without a certificate, which the SDK reports only as a connect deadline', async () => {
    const server = await frontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
    });

    const error = await rejection(
      connect({
        address: `localhost:${server.port}`,
        tls: { serverRootCACertificate: Buffer.from(pki.ca.certPem) },
        connectTimeout: '1s',
      })
    );

    expect(error.message).toBe('Failed to connect before the deadline');
    expect(server.calls).toEqual([]);
  });

  it('refuses an mTLS client whose certificate comes from another CA', async () => {
    const server = await frontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
    });

    const error = await rejection(
      connect({
        address: `localhost:${server.port}`,
        tls: {
          serverRootCACertificate: Buffer.from(pki.ca.certPem),
          clientCertPair: { crt: Buffer.from(pki.otherClient.certPem), key: Buffer.from(pki.otherClient.keyPem) },
        },
        connectTimeout: '1s',
      })
    );

    expect(error.message).toBe('Failed to connect before the deadline');
    expect(server.calls).toEqual([]);
  });

  it('accepts the right API key over plaintext and records only that a key was sent', async () => {
    const server = await frontend({ apiKey: 'sekret-key-123' });
    const connection = await connect({ address: server.address, tls: false, apiKey: 'sekret-key-123' });

    await connection.workflowService.describeNamespace({ namespace: 'default' });

    expect(server.calls.map((call) => call.metadata.authorization)).toEqual(['present', 'present']);
    expect(JSON.stringify(server.calls)).not.toContain('sekret-key-123');
  });

  it('rejects a wrong API key at Connection.connect with UNAUTHENTICATED as the cause', async () => {
    const server = await frontend({ apiKey: 'right-key' });

    const error = await rejection(connect({ address: server.address, tls: false, apiKey: 'wrong-key' }));

    expect(error.constructor.name).toBe('ServiceError');
    expect(error.message).toBe('Failed to connect to Temporal server');
    expect(error.cause?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(error.cause?.message).toBe('16 UNAUTHENTICATED: Request unauthenticated.');
  });

  it('rejects a missing API key with UNAUTHENTICATED and records the header as absent', async () => {
    const server = await frontend({ apiKey: 'right-key' });

    const error = await rejection(connect({ address: server.address }));

    expect(error.cause?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect(server.calls[0]).toMatchObject({ method: 'GetSystemInfo', metadata: { authorization: 'absent' } });
  });

  it('answers an unknown namespace with NOT_FOUND and a NamespaceNotFoundFailure detail', async () => {
    const server = await frontend();
    const connection = await connect({ address: server.address });

    const error = await rejection(connection.workflowService.describeNamespace({ namespace: 'x' }));

    expect(error.code).toBe(5);
    expect(error.message).toBe('5 NOT_FOUND: Namespace x is not found.');
    expect(decodeStatusDetail(error)).toEqual({
      typeUrl: 'type.googleapis.com/temporal.api.errordetails.v1.NamespaceNotFoundFailure',
      value: { namespace: 'x' },
    });
  });

  it('answers a denied namespace with PERMISSION_DENIED and a PermissionDeniedFailure detail', async () => {
    const server = await frontend({ namespaces: [{ name: 'secret' }], deniedNamespaces: ['secret'] });
    const connection = await connect({ address: server.address });

    const error = await rejection(connection.workflowService.describeNamespace({ namespace: 'secret' }));

    expect(error.code).toBe(7);
    expect(error.message).toBe('7 PERMISSION_DENIED: Request unauthorized.');
    expect(decodeStatusDetail(error)).toEqual({
      typeUrl: 'type.googleapis.com/temporal.api.errordetails.v1.PermissionDeniedFailure',
      value: { reason: "caller has insufficient permissions for namespace 'secret'" },
    });
  });

  it('lists the pollers of a task queue with their identity and last access time', async () => {
    const lastAccessTime = new Date('2026-01-02T03:04:05.678Z');
    const server = await frontend({
      taskQueues: { payments: { pollers: [{ identity: '42@worker-1', lastAccessTime }] } },
    });
    const connection = await connect({ address: server.address });

    const busy = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: 'payments' },
      taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const idle = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: 'nobody' },
    });

    expect(busy.pollers).toHaveLength(1);
    expect(busy.pollers?.[0]?.identity).toBe('42@worker-1');
    expect(Number(busy.pollers?.[0]?.lastAccessTime?.seconds)).toBe(Math.floor(lastAccessTime.getTime() / 1000));
    expect(busy.pollers?.[0]?.lastAccessTime?.nanos).toBe(678_000_000);
    expect(idle.pollers).toEqual([]);
  });

  it('answers methods it does not model with UNIMPLEMENTED', async () => {
    const server = await frontend();
    const connection = await connect({ address: server.address });

    const error = await rejection(connection.workflowService.listNamespaces({}));

    expect(error.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(server.calls.at(-1)?.method).toBe('ListNamespaces');
  });

  it('lets Connection.connect succeed when GetSystemInfo is unimplemented, as the SDK tolerates old servers', async () => {
    const server = await frontend({ systemInfo: 'unimplemented' });

    await expect(connect({ address: server.address })).resolves.toBeInstanceOf(Connection);
  });

  it('fails Connection.connect with PERMISSION_DENIED when GetSystemInfo is denied', async () => {
    const server = await frontend({ systemInfo: 'permission-denied' });

    const error = await rejection(connect({ address: server.address }));

    expect(error.cause?.message).toBe('7 PERMISSION_DENIED: Request unauthorized.');
  });

  it('fails Connection.connect with UNAUTHENTICATED when GetSystemInfo is told to', async () => {
    const server = await frontend({ systemInfo: 'unauthenticated' });

    const error = await rejection(connect({ address: server.address }));

    expect(error.cause?.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});

describe('the test Temporal frontend, raw gRPC', () => {
  it('reports SERVING from grpc.health.v1.Health/Check without credentials, even when an API key is required', async () => {
    const server = await frontend({ apiKey: 'k' });

    const response = await rawUnary(
      server.address,
      '/grpc.health.v1.Health/Check',
      'grpc.health.v1.HealthCheckRequest',
      'grpc.health.v1.HealthCheckResponse',
      { service: '' }
    );

    expect(response).toEqual({ status: 'SERVING' });
    expect(server.calls).toEqual([
      {
        method: 'Health/Check',
        metadata: expect.objectContaining({ authorization: 'absent' }),
        peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
        authority: server.address,
      },
    ]);
  });

  it('reports NOT_SERVING from Health/Check when configured so', async () => {
    const server = await frontend({ health: 'NOT_SERVING' });

    const response = await rawUnary(
      server.address,
      '/grpc.health.v1.Health/Check',
      'grpc.health.v1.HealthCheckRequest',
      'grpc.health.v1.HealthCheckResponse',
      { service: 'temporal.api.workflowservice.v1.WorkflowService' }
    );

    expect(response).toEqual({ status: 'NOT_SERVING' });
  });

  it('never answers a hanging GetSystemInfo, and ends the call when closed', async () => {
    const server = await frontend({ systemInfo: 'hang' });
    const call = rawUnary(
      server.address,
      '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
      'temporal.api.workflowservice.v1.GetSystemInfoRequest',
      'temporal.api.workflowservice.v1.GetSystemInfoResponse',
      {},
      5_000
    );
    const outcome = call.then(
      () => 'answered',
      (error: GrpcLikeError) => error.code
    );

    const early = await Promise.race([
      outcome,
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), 300)),
    ]);
    const startedClosing = Date.now();
    await server.close();
    const final = await outcome;

    expect(early).toBe('still waiting');
    expect(final).toBe(grpc.status.UNAVAILABLE);
    expect(Date.now() - startedClosing).toBeLessThan(2_000);
  });
});
