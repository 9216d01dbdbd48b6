// Connection.connect already calls GetSystemInfo (ensureConnected) and drops the answer. A passive client interceptor
// keeps it, so the grpc stage need not ask the server a second time (one round trip and one RPC less per target).
// Anything that does not fit the installed SDK (no grpc-js next to it, another message encoding) captures nothing, and
// the stage asks for itself as before.
import { createRequire } from 'node:module';

const GET_SYSTEM_INFO = '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo';

interface GrpcModule {
  InterceptingCall: new (next: unknown, requester?: unknown) => unknown;
  Metadata: new () => unknown;
}
interface Decoder {
  decode(bytes: Uint8Array): unknown;
}
type Interceptor = (
  options: { method_definition?: { path?: string } },
  nextCall: (options: unknown) => unknown
) => unknown;

export interface SystemInfoCapture {
  /** Goes after the SDK's own interceptors in ConnectionOptions.interceptors. */
  interceptor: Interceptor;
  /** The decoded GetSystemInfoResponse of the connect, when one came back. */
  captured(): unknown;
  /**
   * Resolves with the HTTP status of the first attempt grpc-js ended with "Received HTTP status code N" (an ingress
   * answering for the server), which its retry interceptor would otherwise retry silently until the deadline.
   */
  httpStatusSeen: Promise<number>;
  /** Resolves with the first attempt of the connect's GetSystemInfo that ended with a status other than OK. */
  firstFailure: Promise<{ code: number; details: string }>;
  /**
   * Resolves when the connect's first GetSystemInfo went out and had no status `afterMs` later (an ingress holding the
   * request while it retries a dead backend); never when it was answered in time.
   */
  unansweredAfter(afterMs: number): Promise<void>;
}

/** The SDK's grpc-js and protos, as @temporalio/client itself resolves them; undefined if they cannot be found. */
function sdkSiblings(): { grpc: GrpcModule; response: Decoder } | undefined {
  try {
    const fromClient = createRequire(createRequire(import.meta.url).resolve('@temporalio/client'));
    const grpc = fromClient('@grpc/grpc-js') as GrpcModule;
    const proto = fromClient('@temporalio/proto') as {
      temporal?: { api?: { workflowservice?: { v1?: { GetSystemInfoResponse?: Decoder } } } };
    };
    const response = proto.temporal?.api?.workflowservice?.v1?.GetSystemInfoResponse;
    return typeof grpc.InterceptingCall === 'function' && typeof response?.decode === 'function'
      ? { grpc, response }
      : undefined;
  } catch {
    return undefined;
  }
}

let siblings: ReturnType<typeof sdkSiblings> | null = null;

export function captureSystemInfo(): SystemInfoCapture | undefined {
  if (siblings === null) siblings = sdkSiblings();
  if (!siblings) return undefined;
  const { grpc, response } = siblings;
  let captured: unknown;
  let sawHttpStatus: (status: number) => void = () => {};
  const httpStatusSeen = new Promise<number>((resolve) => (sawHttpStatus = resolve));
  let sawFailure: (status: { code: number; details: string }) => void = () => {};
  const firstFailure = new Promise<{ code: number; details: string }>((resolve) => (sawFailure = resolve));
  let answered = false;
  let sent: () => void = () => {};
  const systemInfoSent = new Promise<void>((resolve) => (sent = resolve));
  const unansweredAfter = (afterMs: number): Promise<void> =>
    systemInfoSent.then(
      () =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            if (!answered) resolve();
          }, afterMs);
          timer.unref();
        })
    );
  // The retry interceptor before this one may retry after the doctor closed an abandoned connect: grpc-js then throws
  // "Channel has been shut down" from a timer, which would crash the process. That retry ends as CANCELLED instead.
  const callOrCancelled = (options: unknown, nextCall: (options: unknown) => unknown): unknown => {
    try {
      return nextCall(options);
    } catch (error) {
      return cancelledCall(grpc, error);
    }
  };
  const interceptor: Interceptor = (options, nextCall) => {
    if (options.method_definition?.path !== GET_SYSTEM_INFO)
      return new grpc.InterceptingCall(callOrCancelled(options, nextCall));
    return new grpc.InterceptingCall(callOrCancelled(options, nextCall), {
      start(metadata: unknown, _listener: unknown, next: (metadata: unknown, listener: unknown) => void): void {
        sent();
        next(metadata, {
          onReceiveMessage(message: unknown, nextMessage: (message: unknown) => void): void {
            if (captured === undefined && message instanceof Uint8Array) {
              try {
                captured = response.decode(message);
              } catch {
                // not the encoding this expects: the stage asks for itself
              }
            }
            nextMessage(message);
          },
          onReceiveStatus(status: { code?: unknown; details?: unknown }, nextStatus: (status: unknown) => void): void {
            answered = true;
            if (typeof status.code === 'number' && status.code !== 0) {
              sawFailure({ code: status.code, details: typeof status.details === 'string' ? status.details : '' });
            }
            const http = typeof status.details === 'string' ? /HTTP status code (\d{3})/.exec(status.details) : null;
            if (http) sawHttpStatus(Number(http[1]));
            nextStatus(status);
          },
        });
      },
    });
  };
  return { interceptor, captured: () => captured, httpStatusSeen, firstFailure, unansweredAfter };
}

/** A call that never reaches the network and ends at once with CANCELLED (status 1), saying why. */
function cancelledCall(grpc: GrpcModule, error: unknown): unknown {
  const details = error instanceof Error ? error.message : 'the call could not start';
  let ended = false;
  const end = (listener: { onReceiveStatus?: (status: unknown) => void }): void => {
    if (ended) return;
    ended = true;
    setImmediate(() => listener.onReceiveStatus?.({ code: 1, details, metadata: new grpc.Metadata() }));
  };
  let started: { onReceiveStatus?: (status: unknown) => void } | undefined;
  return {
    start(_metadata: unknown, listener: { onReceiveStatus?: (status: unknown) => void }): void {
      started = listener;
      end(listener);
    },
    cancelWithStatus(): void {
      if (started) end(started);
    },
    getPeer: (): string => '',
    sendMessageWithContext(_context: { callback?: () => void }, _message: unknown): void {
      _context.callback?.();
    },
    sendMessage(): void {},
    startRead(): void {},
    halfClose(): void {},
    setCredentials(): void {},
  };
}
