// The one door to @temporalio/client: loaded lazily (about 400 ms, which `--help` must not pay), connections always
// closed, and grpc-js errors reduced to what a report may show.
import { createRequire } from 'node:module';
import type * as ClientSdk from '@temporalio/client';
import type { SdkConnectionOptions } from './connection-options.js';
import { sanitize } from '../text/sanitize.js';
import { SecretRegistry } from '../text/secret-registry.js';
import { captureGrpcLog } from './grpc-log.js';

export type ClientModule = typeof ClientSdk;
export type SdkConnection = ClientSdk.Connection;

export const CLIENT_PACKAGE = '@temporalio/client';

export async function loadClientSdk(): Promise<ClientModule> {
  const loaded = await import('@temporalio/client');
  captureGrpcLog();
  // Node gives a CommonJS package's exports as named exports; a bundle's lazy chunk (scripts/build-cli.mjs) gives
  // only `default`, the module.exports object.
  return 'Connection' in loaded ? loaded : (loaded as unknown as { default: ClientModule }).default;
}

let clientVersion: { version?: string } | undefined;

/** The installed @temporalio/client version, read (once) from its package.json without loading the SDK. */
export function clientSdkVersion(): string | undefined {
  clientVersion ??= readClientVersion();
  return clientVersion.version;
}

// A literal name (not CLIENT_PACKAGE): the one-file build bundles this require (scripts/build-standalone.mjs).
function readClientVersion(): { version?: string } {
  try {
    const pkg = createRequire(import.meta.url)('@temporalio/client/package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? { version: pkg.version } : {};
  } catch {
    return {};
  }
}

/** The doctor stopped waiting for the SDK because another probe already proved the connect cannot succeed. */
export class ConnectAbandoned extends Error {
  constructor(readonly reason: string) {
    super(`connect abandoned: ${reason}`);
    this.name = 'ConnectAbandoned';
  }
}

/** A grpc-js client interceptor, as ConnectionOptions.interceptors takes them. */
export type SdkInterceptor = NonNullable<ClientSdk.ConnectionOptions['interceptors']>[number];

/**
 * What Connection.connect does (Connection.lazy + ensureConnected), keeping hold of the connection so it is closed
 * on every path: a failed Connection.connect leaves grpc-js reconnecting in the background.
 * Throws what the SDK throws, including its synchronous option and OpenSSL errors.
 */

export async function withConnection<T>(
  sdk: ClientModule,
  options: SdkConnectionOptions & Pick<ClientSdk.ConnectionOptions, 'interceptors'>,
  connectTimeoutMs: number,
  use: (connection: SdkConnection) => Promise<T>,
  /** Ends the wait with ConnectAbandoned(reason); a function is given the connection (to watch its channel). */
  abandonWhen?: Promise<string> | ((connection: SdkConnection) => Promise<string>),
  /** Takes the connection over once `use` succeeded (it then closes it itself); on failure it is closed here. */
  handOver?: (connection: SdkConnection) => void
): Promise<T> {
  let connection: SdkConnection | undefined;
  try {
    connection = sdk.Connection.lazy({ ...options, connectTimeout: Math.max(1, Math.round(connectTimeoutMs)) });
    const connected = connection.ensureConnected();
    const abandon = typeof abandonWhen === 'function' ? abandonWhen(connection) : abandonWhen;
    if (abandon) {
      // The close in `finally` ends the abandoned attempt; its rejection then has nobody to tell.
      connected.catch(() => {});
      await Promise.race([
        connected,
        abandon.then((reason) => {
          throw new ConnectAbandoned(reason);
        }),
      ]);
    } else {
      await connected;
    }
    const result = await use(connection);
    if (handOver) {
      handOver(connection);
      connection = undefined;
    }
    return result;
  } catch (error) {
    throw secretsOf(options).scrubError(error);
  } finally {
    await connection?.close();
  }
}

/** Values that must never reach a report, even inside an SDK error (grpc-js quotes a rejected header value whole). */
function secretsOf(options: SdkConnectionOptions): SecretRegistry {
  const registry = new SecretRegistry().add(options.apiKey);
  for (const value of Object.values(options.metadata ?? {})) registry.addAuthorization(value);
  return registry;
}

const STATUS_NAMES = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
] as const;

export const GrpcCode = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export function statusName(code: number): string {
  return STATUS_NAMES[code] ?? `code ${code}`;
}

/** A grpc-js status error, found on the error itself or as the cause of the SDK's ServiceError. */
export interface GrpcStatusError {
  code: number;
  /** The server's status message (sanitised). */
  details: string;
  /** grpc-js's `<code> <NAME>: <details>` (sanitised). */
  message: string;
  metadata?: { get(key: string): Array<string | Buffer> };
}

export function grpcStatusOf(error: unknown): GrpcStatusError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'number' && code >= 0 && code <= 16) {
      const raw = current as Error & { details?: unknown; metadata?: GrpcStatusError['metadata'] };
      return {
        code,
        details: sanitize(typeof raw.details === 'string' ? raw.details : current.message),
        message: sanitize(current.message),
        ...(raw.metadata && typeof raw.metadata.get === 'function' ? { metadata: raw.metadata } : {}),
      };
    }
  }
  return undefined;
}

/** grpc-js's "Failed to connect before the deadline": the channel never became ready, for any of a dozen reasons. */
export function isConnectDeadline(error: unknown): boolean {
  return error instanceof Error && !grpcStatusOf(error) && /Failed to connect before the deadline/.test(error.message);
}

/** `{ name, code, message }` for a report: the SDK's class and text, with the grpc-js cause folded in. */
export function summarizeSdkError(error: unknown): { name: string; code?: string | number; message: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: sanitize(String(error)) };
  const status = grpcStatusOf(error);
  const ownCode = (error as { code?: unknown }).code;
  const code = status?.code ?? (typeof ownCode === 'string' || typeof ownCode === 'number' ? ownCode : undefined);
  const cause =
    error.cause instanceof Error && status && status.message !== sanitize(error.message)
      ? ` (cause: ${status.message})`
      : '';
  return { name: error.name, ...(code !== undefined ? { code } : {}), message: sanitize(`${error.message}${cause}`) };
}

/** A typed detail from `grpc-status-details-bin`, e.g. temporal.api.errordetails.v1.PermissionDeniedFailure. */
export interface StatusDetail {
  type: string;
  fields: Record<string, unknown>;
}

interface ProtoType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options?: Record<string, unknown>): Record<string, unknown>;
}
interface ProtoRoot {
  lookupType(name: string): ProtoType;
}

/**
 * Decodes the typed details the Temporal server attaches to an error, using the protobuf definitions the SDK ships
 * (@temporalio/proto, pinned to the version @temporalio/client uses). Empty when there are none or they cannot be decoded.
 */
export async function decodeStatusDetails(status: GrpcStatusError, secrets?: SecretRegistry): Promise<StatusDetail[]> {
  const raw = status.metadata?.get('grpc-status-details-bin')[0];
  if (!Buffer.isBuffer(raw)) return [];
  try {
    const root = (await import('@temporalio/proto')).default as unknown as ProtoRoot;
    const decoded = root
      .lookupType('google.rpc.Status')
      .toObject(root.lookupType('google.rpc.Status').decode(raw), { bytes: Buffer });
    const details = (decoded.details ?? []) as Array<{ type_url?: string; value?: Buffer }>;
    return details.flatMap((detail) => {
      const type = (detail.type_url ?? '').replace(/^.*\//, '');
      if (!type || !detail.value) return [];
      try {
        const message = root.lookupType(type);
        const fields = message.toObject(message.decode(detail.value), { longs: String, enums: String });
        // Server text: a reason may quote the credential it refused.
        return [{ type, fields: secrets ? secrets.scrubDeep(fields) : fields }];
      } catch {
        return [{ type, fields: {} }];
      }
    });
  } catch {
    return [];
  }
}
