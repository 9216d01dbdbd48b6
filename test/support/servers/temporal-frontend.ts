// A real grpc-js server speaking the Temporal frontend protocol, built by reflection from the definitions the SDK ships
// (@temporalio/proto), so request/response encoding can never drift from what @temporalio/client sends and expects.
import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import proto from '@temporalio/proto';

export interface FrontendNamespace {
  name: string;
  state?: 'REGISTERED' | 'DEPRECATED' | 'DELETED';
  retentionDays?: number;
  /** Reported as the replication config's active cluster (Temporal Cloud names clusters after regions). */
  region?: string;
}

export interface FrontendOptions {
  /** Serve TLS; with clientCaPem the server requires a client certificate chaining to it (mTLS). */
  tls?: { certPem: string; keyPem: string; clientCaPem?: string };
  /** Require `authorization: Bearer <key>` on WorkflowService calls; missing or wrong -> UNAUTHENTICATED. */
  apiKey?: string;
  /** Default `[{ name: 'default' }]`. */
  namespaces?: FrontendNamespace[];
  /** Namespaced calls on these answer PERMISSION_DENIED "Request unauthorized.". */
  deniedNamespaces?: string[];
  /** How GetSystemInfo (the call Connection.connect makes) answers. Default 'ok'. */
  systemInfo?: 'ok' | 'unauthenticated' | 'permission-denied' | 'hang' | 'unimplemented';
  /** Default '1.29.0'. */
  serverVersion?: string;
  taskQueues?: Record<string, { pollers: Array<{ identity: string; lastAccessTime: Date }> }>;
  /** What grpc.health.v1.Health/Check reports. Default 'SERVING'. */
  health?: 'SERVING' | 'NOT_SERVING';
  /**
   * A hostile server: this call fails with PERMISSION_DENIED whose message and PermissionDeniedFailure.reason quote
   * every credential it received (authorization and x-* metadata: whole, the token after the scheme, base64 and
   * URL-encoded), then `extra` (strings the test says the server somehow knows: a proxy password, key lines).
   */
  echoSecrets?: { on: 'GetSystemInfo' | 'DescribeNamespace'; extra?: string[] };
}

export interface FrontendCall {
  /** WorkflowService method name (`GetSystemInfo`), or `Health/Check` / `Health/Watch`. */
  method: string;
  /** Request metadata; binary values base64; `authorization` is only ever `present` or `absent`. */
  metadata: Record<string, string>;
  /** The client's address and port (`127.0.0.1:53012`): calls with the same peer came over one connection. */
  peer: string;
  /** The request's :authority (grpc-js leaves pseudo-headers out of the metadata). */
  authority: string;
}

export interface TemporalFrontend {
  /** `127.0.0.1:<port>` */
  address: string;
  host: string;
  port: number;
  calls: FrontendCall[];
  close(): Promise<void>;
}

const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
const HEALTH_SERVICE = 'grpc.health.v1.Health';

// The package's typings describe generated static classes, but at run time it is a protobufjs reflection Root.
interface ReflectType {
  fullName: string;
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromObject(object: Record<string, unknown>): unknown;
  toObject(message: unknown, options?: Record<string, unknown>): Record<string, unknown>;
}
interface ReflectMethod {
  name: string;
  requestStream?: boolean;
  responseStream?: boolean;
  resolve(): ReflectMethod;
  resolvedRequestType: ReflectType | null;
  resolvedResponseType: ReflectType | null;
}
interface ReflectRoot {
  lookupService(path: string): { methods: Record<string, ReflectMethod> };
  lookupType(path: string): ReflectType;
}
const root = proto as unknown as ReflectRoot;

type Handler = (call: {
  request: Record<string, unknown>;
  metadata: grpc.Metadata;
}) => Promise<Record<string, unknown>>;

/** A gRPC error as the frontend sends it: status code, message, and optional typed details in grpc-status-details-bin. */
class FrontendError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
    readonly detail?: { type: string; value: Record<string, unknown> }
  ) {
    super(message);
  }

  toServiceError(): Partial<grpc.ServiceError> {
    const metadata = new grpc.Metadata();
    if (this.detail !== undefined) {
      const detailType = root.lookupType(this.detail.type);
      const statusType = root.lookupType('google.rpc.Status');
      const status = statusType.fromObject({
        code: this.code,
        message: this.message,
        details: [
          {
            type_url: `type.googleapis.com/${this.detail.type}`,
            value: Buffer.from(detailType.encode(detailType.fromObject(this.detail.value)).finish()),
          },
        ],
      });
      metadata.set('grpc-status-details-bin', Buffer.from(statusType.encode(status).finish()));
    }
    return { code: this.code, details: this.message, metadata };
  }
}

// Exact texts of the Temporal server (common/authorization, service/frontend) — the doctor matches on these.
const unauthenticated = (): FrontendError => new FrontendError(grpc.status.UNAUTHENTICATED, 'Request unauthenticated.');
const permissionDenied = (reason: string): FrontendError =>
  new FrontendError(grpc.status.PERMISSION_DENIED, 'Request unauthorized.', {
    type: 'temporal.api.errordetails.v1.PermissionDeniedFailure',
    value: { reason },
  });
const namespaceNotFound = (namespace: string): FrontendError =>
  new FrontendError(grpc.status.NOT_FOUND, `Namespace ${namespace} is not found.`, {
    type: 'temporal.api.errordetails.v1.NamespaceNotFoundFailure',
    value: { namespace },
  });

// What a 1.2x server advertises; the SDK reads these to decide on header-based signal/query routing etc.
const SERVER_CAPABILITIES = {
  signalAndQueryHeader: true,
  internalErrorDifferentiation: true,
  activityFailureIncludeHeartbeat: true,
  supportsSchedules: true,
  encodedFailureAttributes: true,
  buildIdBasedVersioning: true,
  upsertMemo: true,
  eagerWorkflowStart: true,
  sdkMetadata: true,
  countGroupByExecutionStatus: true,
  nexus: true,
};

const DAY_SECONDS = 86_400;

function toTimestamp(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

function recordMetadata(metadata: grpc.Metadata): Record<string, string> {
  const recorded: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.getMap())) {
    if (key === 'authorization') continue;
    recorded[key] = typeof value === 'string' ? value : value.toString('base64');
  }
  // Never keep the key itself: tests only need to know whether one was sent.
  recorded.authorization = metadata.get('authorization').length > 0 ? 'present' : 'absent';
  return recorded;
}

export function serviceDefinition(serviceName: string): grpc.ServiceDefinition {
  const definition: Record<string, grpc.MethodDefinition<Record<string, unknown>, Record<string, unknown>>> = {};
  for (const method of Object.values(root.lookupService(serviceName).methods)) {
    method.resolve();
    const requestType = method.resolvedRequestType;
    const responseType = method.resolvedResponseType;
    if (requestType === null || responseType === null)
      throw new Error(`unresolved types for ${serviceName}/${method.name}`);
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: (value: Record<string, unknown>) =>
        Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer) =>
        requestType.toObject(requestType.decode(bytes), { longs: String, enums: String }),
      responseSerialize: (value: Record<string, unknown>) =>
        Buffer.from(responseType.encode(responseType.fromObject(value)).finish()),
      responseDeserialize: (bytes: Buffer) =>
        responseType.toObject(responseType.decode(bytes), { longs: String, enums: String }),
      originalName: method.name,
    };
  }
  return definition;
}

export async function startTemporalFrontend(opts: FrontendOptions = {}): Promise<TemporalFrontend> {
  const namespaces = new Map(
    (opts.namespaces ?? [{ name: 'default' }]).map((ns) => [ns.name, { ...ns, id: randomUUID() }] as const)
  );
  const denied = new Set(opts.deniedNamespaces ?? []);
  const calls: FrontendCall[] = [];
  // Calls left unanswered on purpose ('hang'); close() ends them so neither side keeps a stream open.
  const pending = new Set<grpc.sendUnaryData<unknown>>();

  function authenticate(metadata: grpc.Metadata): void {
    if (opts.apiKey === undefined) return;
    const [sent] = metadata.get('authorization');
    if (sent !== `Bearer ${opts.apiKey}`) throw unauthenticated();
  }

  function lookupNamespace(name: unknown): FrontendNamespace & { id: string } {
    const namespace = typeof name === 'string' ? name : '';
    if (denied.has(namespace))
      throw permissionDenied(`caller has insufficient permissions for namespace '${namespace}'`);
    const found = namespaces.get(namespace);
    if (found === undefined) throw namespaceNotFound(namespace);
    return found;
  }

  function echoed(metadata: grpc.Metadata): FrontendError {
    const forms: string[] = [];
    for (const [key, value] of Object.entries(metadata.getMap())) {
      if (typeof value !== 'string' || !(key === 'authorization' || key.startsWith('x-'))) continue;
      const token = value.replace(/^\S+\s+/, '');
      for (const v of new Set([value, token])) {
        forms.push(v, Buffer.from(v).toString('base64'), encodeURIComponent(v));
      }
    }
    const text = `denied ${[...forms, ...(opts.echoSecrets?.extra ?? [])].join(' ')}`;
    return new FrontendError(grpc.status.PERMISSION_DENIED, text, {
      type: 'temporal.api.errordetails.v1.PermissionDeniedFailure',
      value: { reason: `KEY:${text}` },
    });
  }

  const workflowHandlers: Record<string, Handler> = {
    async GetSystemInfo({ metadata }) {
      if (opts.echoSecrets?.on === 'GetSystemInfo') throw echoed(metadata);
      switch (opts.systemInfo ?? 'ok') {
        case 'unauthenticated':
          throw unauthenticated();
        case 'permission-denied':
          throw permissionDenied('caller has insufficient permissions for GetSystemInfo');
        case 'unimplemented':
          throw new FrontendError(
            grpc.status.UNIMPLEMENTED,
            'unknown method GetSystemInfo for service temporal.api.workflowservice.v1.WorkflowService'
          );
        case 'hang':
          return new Promise<never>(() => {});
        default:
          return { serverVersion: opts.serverVersion ?? '1.29.0', capabilities: SERVER_CAPABILITIES };
      }
    },
    async DescribeNamespace({ request, metadata }) {
      if (opts.echoSecrets?.on === 'DescribeNamespace') throw echoed(metadata);
      const ns = lookupNamespace(request.namespace);
      return {
        namespaceInfo: { name: ns.name, state: `NAMESPACE_STATE_${ns.state ?? 'REGISTERED'}`, id: ns.id },
        config: { workflowExecutionRetentionTtl: { seconds: (ns.retentionDays ?? 1) * DAY_SECONDS } },
        ...(ns.region !== undefined
          ? { replicationConfig: { activeClusterName: ns.region, clusters: [{ clusterName: ns.region }] } }
          : {}),
      };
    },
    async DescribeTaskQueue({ request }) {
      lookupNamespace(request.namespace);
      const taskQueue = request.taskQueue as { name?: string } | undefined;
      const pollers = opts.taskQueues?.[taskQueue?.name ?? '']?.pollers ?? [];
      return {
        pollers: pollers.map((poller) => ({
          identity: poller.identity,
          lastAccessTime: toTimestamp(poller.lastAccessTime),
          ratePerSecond: 100_000,
        })),
      };
    },
  };

  function unaryImplementation(
    method: string,
    handler: Handler | undefined,
    authenticated: boolean
  ): grpc.handleUnaryCall<Record<string, unknown>, unknown> {
    return (call, callback) => {
      calls.push({ method, metadata: recordMetadata(call.metadata), peer: call.getPeer(), authority: call.getHost() });
      const run = async (): Promise<Record<string, unknown>> => {
        if (authenticated) authenticate(call.metadata);
        if (handler === undefined) throw new FrontendError(grpc.status.UNIMPLEMENTED, `unknown method ${method}`);
        return handler({ request: call.request, metadata: call.metadata });
      };
      pending.add(callback);
      run().then(
        (response) => {
          if (pending.delete(callback)) callback(null, response);
        },
        (error: unknown) => {
          if (!pending.delete(callback)) return;
          if (error instanceof FrontendError) callback(error.toServiceError());
          else callback({ code: grpc.status.INTERNAL, details: String(error) });
        }
      );
    };
  }

  const server = new grpc.Server();

  const workflowDefinition = serviceDefinition(WORKFLOW_SERVICE);
  const workflowImplementation: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(workflowDefinition)) {
    workflowImplementation[name] = unaryImplementation(name, workflowHandlers[name], true);
  }
  server.addService(workflowDefinition, workflowImplementation);

  // Health is not behind the authorizer: load balancers probe it without credentials.
  const healthStatus = opts.health ?? 'SERVING';
  server.addService(serviceDefinition(HEALTH_SERVICE), {
    Check: unaryImplementation(
      'Health/Check',
      async ({ request }) => {
        const service = typeof request.service === 'string' ? request.service : '';
        if (service !== '' && service !== WORKFLOW_SERVICE)
          throw new FrontendError(grpc.status.NOT_FOUND, 'unknown service');
        return { status: healthStatus };
      },
      false
    ),
    Watch: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      calls.push({
        method: 'Health/Watch',
        metadata: recordMetadata(call.metadata),
        peer: call.getPeer(),
        authority: call.getHost(),
      });
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'unknown method Watch' });
    },
  });

  const credentials =
    opts.tls === undefined
      ? grpc.ServerCredentials.createInsecure()
      : grpc.ServerCredentials.createSsl(
          opts.tls.clientCaPem !== undefined ? Buffer.from(opts.tls.clientCaPem) : null,
          [{ private_key: Buffer.from(opts.tls.keyPem), cert_chain: Buffer.from(opts.tls.certPem) }],
          opts.tls.clientCaPem !== undefined
        );

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, boundPort) =>
      error !== null ? reject(error) : resolve(boundPort)
    );
  });

  let closing: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    calls,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const callback of pending)
          callback({ code: grpc.status.UNAVAILABLE, details: 'test frontend shutting down' });
        pending.clear();
        // forceShutdown: a graceful tryShutdown waits for clients to hang up, which would keep jest alive.
        server.forceShutdown();
        resolve();
      });
      return closing;
    },
  };
}
