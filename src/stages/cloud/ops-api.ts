// A minimal Temporal Cloud Ops API client: GetNamespace and GetNamespaces over grpc-js, encoded with the service
// definitions @temporalio/proto ships (docs/research/cloud-ops-api.md). @temporalio/cloud wraps the same calls but pins
// an older @temporalio/client, so the doctor speaks the protocol itself. Both modules load only when the stage runs.
import type * as Grpc from '@grpc/grpc-js';
import { REDACTED, type Secret } from '../../text/secret.js';
import { sanitize } from '../../text/sanitize.js';

export const DEFAULT_CLOUD_API_ADDRESS = 'saas-api.tmprl.cloud:443';
/** Sent as `temporal-cloud-api-version`: the newest API version the bundled service definitions describe. */
export const CLOUD_API_VERSION = 'v0.16.0';
const SERVICE = 'temporal.api.cloud.cloudservice.v1.CloudService';

// @temporalio/proto's typings describe generated classes; at run time the module is a protobufjs reflection Root.
interface ReflectType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromObject(object: Record<string, unknown>): unknown;
  toObject(message: unknown, options?: Record<string, unknown>): Record<string, unknown>;
}
interface ReflectRoot {
  lookupType(path: string): ReflectType;
}

/** A gRPC failure of the Ops API, reduced to what a report may show. */
export interface OpsFailure {
  code: number;
  /** `UNAUTHENTICATED`, `PERMISSION_DENIED`, ... */
  codeName: string;
  message: string;
}

export type OpsResult<T> = { ok: true; value: T } | { ok: false; failure: OpsFailure };

export interface OpsClient {
  getNamespace(namespace: string): Promise<OpsResult<Record<string, unknown>>>;
  /** One page of the account's namespaces (names only). */
  listNamespaceNames(pageToken: string): Promise<OpsResult<{ names: string[]; nextPageToken: string }>>;
  close(): void;
}

export interface OpsClientOptions {
  address: string;
  apiKey: Secret;
  /** PEM to trust instead of the default roots. */
  caPem?: string;
  signal: AbortSignal;
  /** Deadline of each call. */
  callTimeoutMs: number;
}

async function loadGrpc(): Promise<typeof Grpc> {
  const loaded = (await import('@grpc/grpc-js')) as typeof Grpc & { default?: typeof Grpc };
  return loaded.default ?? loaded;
}

async function loadRoot(): Promise<ReflectRoot> {
  const loaded = (await import('@temporalio/proto')) as unknown as { default?: ReflectRoot } & ReflectRoot;
  return loaded.default ?? loaded;
}

export async function openOpsClient(options: OpsClientOptions): Promise<OpsClient> {
  const [grpc, root] = await Promise.all([loadGrpc(), loadRoot()]);
  const credentials = grpc.credentials.createSsl(options.caPem ? Buffer.from(options.caPem) : null);
  // One connection, no retries and no keepalive: a diagnosis asks twice at most and reports what it got.
  const client = new grpc.Client(options.address, credentials, {
    'grpc.enable_retries': 0,
    'grpc.max_receive_message_length': 16 * 1024 * 1024,
  });

  function call<T>(method: string, request: Record<string, unknown>, pick: (response: Record<string, unknown>) => T) {
    const requestType = root.lookupType(`temporal.api.cloud.cloudservice.v1.${method}Request`);
    const responseType = root.lookupType(`temporal.api.cloud.cloudservice.v1.${method}Response`);
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${options.apiKey.reveal()}`);
    metadata.set('temporal-cloud-api-version', CLOUD_API_VERSION);
    return new Promise<OpsResult<T>>((resolve) => {
      if (options.signal.aborted) {
        resolve({ ok: false, failure: { code: grpc.status.CANCELLED, codeName: 'CANCELLED', message: 'stage ended' } });
        return;
      }
      const unary = client.makeUnaryRequest(
        `/${SERVICE}/${method}`,
        (value: Record<string, unknown>) => Buffer.from(requestType.encode(requestType.fromObject(value)).finish()),
        (bytes: Buffer) => responseType.toObject(responseType.decode(bytes), { longs: String, enums: String }),
        request,
        metadata,
        { deadline: Date.now() + options.callTimeoutMs },
        (error, response) => {
          options.signal.removeEventListener('abort', cancel);
          if (error) resolve({ ok: false, failure: toFailure(grpc, error, options.apiKey) });
          else resolve({ ok: true, value: pick(response ?? {}) });
        }
      );
      const cancel = (): void => unary.cancel();
      options.signal.addEventListener('abort', cancel, { once: true });
    });
  }

  return {
    getNamespace: (namespace) =>
      call('GetNamespace', { namespace }, (response) => (response.namespace ?? {}) as Record<string, unknown>),
    listNamespaceNames: (pageToken) =>
      call('GetNamespaces', { pageSize: 100, pageToken }, (response) => ({
        names: ((response.namespaces ?? []) as Array<{ namespace?: unknown }>)
          .map((ns) => (typeof ns.namespace === 'string' ? ns.namespace : ''))
          .filter(Boolean),
        nextPageToken: typeof response.nextPageToken === 'string' ? response.nextPageToken : '',
      })),
    close: () => client.close(),
  };
}

/** The server's words, minus the key should it echo it back. */
function toFailure(grpc: typeof Grpc, error: Grpc.ServiceError, apiKey: Secret): OpsFailure {
  const code = typeof error.code === 'number' ? error.code : grpc.status.UNKNOWN;
  const codeName = grpc.status[code] ?? 'UNKNOWN';
  const key = apiKey.reveal();
  const text = error.details || error.message;
  const message = key.length > 0 ? text.split(key).join(REDACTED) : text;
  return { code, codeName: String(codeName), message: sanitize(message, 300) };
}
