// A stand-in for the Temporal Cloud Ops API (saas-api.tmprl.cloud): a real grpc-js server over TLS on loopback, built
// by reflection from the CloudService definitions @temporalio/proto ships, so the encoding is the one the doctor reads.
// It authenticates `authorization: Bearer <key>`, wants the `temporal-cloud-api-version` header, and answers with the
// gRPC status codes the service uses (docs/research/cloud-ops-api.md#errors): UNAUTHENTICATED for a key it does not
// know, PERMISSION_DENIED for a namespace the key may not read, NOT_FOUND for a namespace outside the account.
import * as grpc from '@grpc/grpc-js';
import { serviceDefinition } from './temporal-frontend.js';

const SERVICE = 'temporal.api.cloud.cloudservice.v1.CloudService';

export interface CloudNamespace {
  /** The namespace id, `<name>.<account>`. */
  namespace: string;
  /** ResourceState without its prefix. Default ACTIVE. */
  state?: 'ACTIVE' | 'ACTIVATING' | 'UPDATING' | 'DELETING' | 'DELETED' | 'SUSPENDED' | 'UPDATE_FAILED';
  /** PEM bundle of the accepted client CAs. */
  acceptedCaPem?: string;
  mtlsEnabled?: boolean;
  apiKeyEnabled?: boolean;
  certificateFilters?: Array<{
    commonName?: string;
    organization?: string;
    organizationalUnit?: string;
    subjectAlternativeName?: string;
  }>;
  grpcAddress?: string;
  mtlsGrpcAddress?: string;
  webAddress?: string;
  /** Replica regions, e.g. `aws-us-west-2`; the first is the primary. */
  regions?: string[];
  /** Connectivity rules on the namespace. */
  connectivityRules?: Array<'public' | 'private'>;
}

export interface CloudOpsOptions {
  tls: { certPem: string; keyPem: string };
  /** The one API key the stand-in knows. */
  apiKey: string;
  namespaces: CloudNamespace[];
  /** Namespaces the key may not read. */
  denied?: string[];
  /** Whether the key may call GetNamespaces. Default true. */
  canList?: boolean;
  /** Versions accepted in `temporal-cloud-api-version`; default: any `v<major>.<minor>.<patch>`. */
  acceptedVersions?: string[];
  /** A hostile server: echo the presented authorization header back in its error message. */
  echoAuthorization?: boolean;
}

export interface CloudOpsCall {
  method: string;
  /** `present` or `absent`: the key itself is never recorded. */
  authorization: 'present' | 'absent';
  /** Whether the presented key was the data-plane or another key is for the test to tell: equal to `apiKey`? */
  authorizedWithKnownKey: boolean;
  apiVersion?: string;
  request: Record<string, unknown>;
}

export interface CloudOpsServer {
  /** `127.0.0.1:<port>` */
  address: string;
  port: number;
  calls: CloudOpsCall[];
  close(): Promise<void>;
}

class OpsError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string
  ) {
    super(message);
  }
}

function namespaceMessage(ns: CloudNamespace): Record<string, unknown> {
  const regions = ns.regions ?? ['aws-us-west-2'];
  return {
    namespace: ns.namespace,
    resourceVersion: 'f0e1d2c3',
    state: `RESOURCE_STATE_${ns.state ?? 'ACTIVE'}`,
    spec: {
      name: ns.namespace.split('.')[0],
      retentionDays: 7,
      mtlsAuth: {
        acceptedClientCa: ns.acceptedCaPem ? Buffer.from(ns.acceptedCaPem) : Buffer.alloc(0),
        certificateFilters: ns.certificateFilters ?? [],
        enabled: ns.mtlsEnabled ?? ns.acceptedCaPem !== undefined,
      },
      apiKeyAuth: { enabled: ns.apiKeyEnabled ?? false },
    },
    endpoints: {
      webAddress: ns.webAddress ?? `cloud.temporal.io/namespaces/${ns.namespace}`,
      mtlsGrpcAddress: ns.mtlsGrpcAddress ?? `${ns.namespace}.tmprl.cloud:7233`,
      grpcAddress: ns.grpcAddress ?? '',
    },
    activeRegion: regions[0],
    replicas: regions.map((region, i) => ({ id: `r${i}`, isPrimary: i === 0, region, state: 'REPLICA_STATE_ACTIVE' })),
    connectivityRules: (ns.connectivityRules ?? []).map((kind, i) => ({
      id: `rule-${i}`,
      spec: kind === 'public' ? { publicRule: {} } : { privateRule: { connectionId: 'vpce-0abc', region: regions[0] } },
      state: 'RESOURCE_STATE_ACTIVE',
    })),
  };
}

export async function startCloudOps(opts: CloudOpsOptions): Promise<CloudOpsServer> {
  const namespaces = new Map(opts.namespaces.map((ns) => [ns.namespace, ns] as const));
  const denied = new Set(opts.denied ?? []);
  const calls: CloudOpsCall[] = [];

  function admit(metadata: grpc.Metadata): void {
    const [authorization] = metadata.get('authorization');
    const sent = typeof authorization === 'string' ? authorization : '';
    if (sent !== `Bearer ${opts.apiKey}`) {
      throw new OpsError(
        grpc.status.UNAUTHENTICATED,
        opts.echoAuthorization ? `invalid authorization header: ${sent}` : 'Request unauthenticated'
      );
    }
    const [version] = metadata.get('temporal-cloud-api-version');
    const v = typeof version === 'string' ? version : '';
    const ok = opts.acceptedVersions ? opts.acceptedVersions.includes(v) : /^v\d+\.\d+\.\d+$/.test(v);
    if (!ok) throw new OpsError(grpc.status.INVALID_ARGUMENT, `unsupported temporal-cloud-api-version: "${v}"`);
  }

  const handlers: Record<string, (request: Record<string, unknown>) => Record<string, unknown>> = {
    GetNamespace(request) {
      const id = typeof request.namespace === 'string' ? request.namespace : '';
      if (denied.has(id)) throw new OpsError(grpc.status.PERMISSION_DENIED, 'Request unauthorized');
      const ns = namespaces.get(id);
      if (!ns) throw new OpsError(grpc.status.NOT_FOUND, `namespace not found: ${id}`);
      return { namespace: namespaceMessage(ns) };
    },
    GetNamespaces() {
      if (opts.canList === false) throw new OpsError(grpc.status.PERMISSION_DENIED, 'Request unauthorized');
      return { namespaces: [...namespaces.values()].filter((ns) => !denied.has(ns.namespace)).map(namespaceMessage) };
    },
  };

  const definition = serviceDefinition(SERVICE);
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of Object.keys(definition)) {
    implementation[method] = (
      call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>,
      callback: grpc.sendUnaryData<unknown>
    ) => {
      const [authorization] = call.metadata.get('authorization');
      const [version] = call.metadata.get('temporal-cloud-api-version');
      calls.push({
        method,
        authorization: authorization === undefined ? 'absent' : 'present',
        authorizedWithKnownKey: authorization === `Bearer ${opts.apiKey}`,
        ...(typeof version === 'string' ? { apiVersion: version } : {}),
        request: call.request,
      });
      try {
        admit(call.metadata);
        const handler = handlers[method];
        if (!handler) throw new OpsError(grpc.status.UNIMPLEMENTED, `unknown method ${method}`);
        callback(null, handler(call.request));
      } catch (error) {
        if (error instanceof OpsError) callback({ code: error.code, details: error.message });
        else callback({ code: grpc.status.INTERNAL, details: String(error) });
      }
    };
  }
  const server = new grpc.Server();
  server.addService(definition, implementation);
  const credentials = grpc.ServerCredentials.createSsl(
    null,
    [{ private_key: Buffer.from(opts.tls.keyPem), cert_chain: Buffer.from(opts.tls.certPem) }],
    false
  );
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error !== null ? reject(error) : resolve(bound)));
  });
  let closing: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${port}`,
    port,
    calls,
    close() {
      closing ??= Promise.resolve().then(() => server.forceShutdown());
      return closing;
    },
  };
}
