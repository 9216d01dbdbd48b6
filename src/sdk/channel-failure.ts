// Connection.connect waits on grpc-js's waitForReady until its connectTimeout, whatever happened on the wire: a refused
// port, a TLS alert or a peer that closed all end as "Failed to connect before the deadline", seconds later. grpc-js
// knows much sooner: its channel falls into TRANSIENT_FAILURE after the first failed attempt, and a call made then
// fails at once with the channel's own words for the cause ("No connection established. Last error: ...").
// docs/research/sdk-stacks.md#reading-the-sdks-channel
import type { SdkConnection } from './client-sdk.js';

/** grpc-js ConnectivityState values. */
const TRANSIENT_FAILURE = 3;
const SHUTDOWN = 4;
/** The one call made to read the cause; it fails locally while the channel is in TRANSIENT_FAILURE. */
const GET_SYSTEM_INFO = '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo';
const READ_CAUSE_MS = 500;
/** grpc-js may report the failure a moment before it records its cause ("Last error: null"): a few more reads. */
const CAUSE_READS = 5;
const CAUSE_RETRY_MS = 40;

interface RawChannel {
  getConnectivityState(tryToConnect: boolean): number;
  watchConnectivityState(current: number, deadline: number, callback: (error?: Error) => void): void;
}
interface RawClient {
  getChannel(): RawChannel;
  makeUnaryRequest(
    method: string,
    serialize: (value: Buffer) => Buffer,
    deserialize: (value: Buffer) => Buffer,
    argument: Buffer,
    options: { deadline: number },
    callback: (error: Error | null) => void
  ): unknown;
}

function rawClientOf(connection: SdkConnection): RawClient | undefined {
  const client = (connection as unknown as { client?: Partial<RawClient> }).client;
  return typeof client?.getChannel === 'function' && typeof client.makeUnaryRequest === 'function'
    ? (client as RawClient)
    : undefined;
}

/**
 * Settles with grpc-js's text for the SDK channel's failed connect attempt once the channel is in TRANSIENT_FAILURE,
 * before `deadline` (epoch ms). Never settles when the channel connects, keeps trying without failing (a silent
 * peer), shuts down, or the installed SDK does not expose its grpc-js client.
 */
export function channelFailure(connection: SdkConnection, deadline: number): Promise<string> {
  const client = rawClientOf(connection);
  if (!client) return new Promise(() => {});
  return new Promise((resolve) => {
    let reads = 0;
    const readCause = (): void => {
      reads++;
      // No waitForReady: while the channel is in TRANSIENT_FAILURE the call fails at once, without sending anything.
      // Without the SDK's interceptors (no retry) and without its metadata (no credential).
      try {
        call();
      } catch {
        // the connection was closed meanwhile ("Channel has been shut down"): nothing more to read
      }
    };
    const call = (): unknown =>
      client.makeUnaryRequest(
        GET_SYSTEM_INFO,
        (value) => value,
        (value) => value,
        Buffer.alloc(0),
        { deadline: Math.min(deadline, Date.now() + READ_CAUSE_MS) },
        (error) => {
          // grpc-js appends an empty "Resolution note:" when name resolution had nothing to add.
          if (!error || !/No connection established|Last error/i.test(error.message)) return;
          if (/Last error: (?!null\b)\S/.test(error.message)) {
            resolve(error.message.replace(/\.?\s*Resolution note:\s*$/, ''));
          } else if (reads < CAUSE_READS && Date.now() + CAUSE_RETRY_MS < deadline) {
            setTimeout(readCause, CAUSE_RETRY_MS);
          }
        }
      );
    const watch = (): void => {
      let state: number;
      try {
        state = client.getChannel().getConnectivityState(false);
      } catch {
        return;
      }
      if (state === TRANSIENT_FAILURE) return readCause();
      if (state === SHUTDOWN || Date.now() >= deadline) return;
      client.getChannel().watchConnectivityState(state, deadline, (error) => {
        if (!error) watch();
      });
    };
    watch();
  });
}
