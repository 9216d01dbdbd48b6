// "What your SDK says": when the diagnosis fails, connect once more with @temporalio/client and the same settings, as
// the user's app would, and keep its error verbatim (sanitised) beside the verdict, so the user can match the doctor's
// finding to the text in their own logs. A connect that succeeds goes on to DescribeNamespace, the first call that
// fails in an app whose fault is the namespace or its authorization.
import type { DoctorOptions } from '../options.js';
import type { SdkOutcome } from './outcome.js';
import { connectionOptionsFrom, describeDial, type BuiltConnectionOptions } from './connection-options.js';
import {
  CLIENT_PACKAGE,
  ConnectAbandoned,
  GrpcCode,
  clientSdkVersion,
  statusName,
  grpcStatusOf,
  isConnectDeadline,
  loadClientSdk,
  summarizeSdkError,
  withConnection,
} from './client-sdk.js';
import { sanitize } from '../text/sanitize.js';
import { grpcLogMark, proxyLogLinesSince } from './grpc-log.js';
import type { Facts } from '../facts.js';
import { captureSystemInfo } from './system-info-capture.js';
import { channelFailure } from './channel-failure.js';
import type { SdkInterceptor, SdkConnection } from './client-sdk.js';

/** Extra time past the connect timeout before the probe stops waiting (grpc-js honours its deadline; this is a backstop). */
const BACKSTOP_MS = 1000;

/** `cancel` stops the probe (the run passed without it); its outcome then only says so. */
export async function probeClientSdk(
  facts: Partial<Facts>,
  options: DoctorOptions,
  cancel?: AbortSignal
): Promise<SdkOutcome> {
  const pkg = `${CLIENT_PACKAGE} ${clientSdkVersion() ?? '(version unknown)'}`;
  let started = performance.now();
  const durationMs = (): number => Math.round(performance.now() - started);
  const config = facts.config;
  if (!config) {
    return {
      stack: 'client',
      package: pkg,
      outcome: 'unavailable',
      durationMs: 0,
      note: 'not run: the configuration could not be resolved, so there are no settings to connect with',
    };
  }

  let built: BuiltConnectionOptions;
  try {
    built = await connectionOptionsFrom({ ...facts, config }, options);
  } catch (error) {
    // The app's envconfig reads PEM files with readFileSync and throws the same ENOENT / EISDIR before connecting.
    return {
      stack: 'client',
      package: pkg,
      outcome: 'error',
      durationMs: durationMs(),
      error: summarizeSdkError(error),
      note: 'reading the configured PEM files failed before any connect',
    };
  }

  const timeoutMs = options.timeoutMs;
  const note = built.dialled ? `dialled ${sanitize(describeDial(built), 300)}` : undefined;
  let backstop: NodeJS.Timeout | undefined;
  let connected = false;
  let logMark = 0;
  /** What the SDK said before its deadline, when the probe stopped early on it. */
  let early: { error: NonNullable<SdkOutcome['error']>; how: string } | undefined;
  try {
    const sdk = await loadClientSdk();
    logMark = grpcLogMark();
    if (cancel?.aborted) return cancelled(pkg, durationMs());
    // The SDK's time, as its own connectTimeout counts it: not the doctor loading the module.
    started = performance.now();
    // The SDK has said its piece before its deadline when its channel failed an attempt, or when its first GetSystemInfo
    // got a status its retry interceptor retries until the deadline: the probe stops there with those words.
    const capture = captureSystemInfo();
    // A fresh app process has no subchannels yet: a channel of its own here, so an earlier connect of this process (the
    // grpc stage, another profile, a repeat) cannot hand over a subchannel already failed, whose cause grpc-js lost.
    const own = {
      ...built.options,
      channelArgs: { ...built.options.channelArgs, 'grpc.use_local_subchannel_pool': 1 },
    };
    const options = capture
      ? {
          ...own,
          interceptors: [
            sdk.makeGrpcRetryInterceptor(sdk.defaultGrpcRetryOptions()),
            capture.interceptor as unknown as SdkInterceptor,
          ],
        }
      : own;
    const deadline = Date.now() + timeoutMs;
    const spoke = (connection: SdkConnection): Promise<string> => {
      const retried = capture
        ? capture.firstFailure.then((status) =>
            sdk.isRetryableError({ ...status, metadata: undefined } as unknown as Parameters<
              typeof sdk.isRetryableError
            >[0])
              ? said(
                  {
                    name: 'Error',
                    code: status.code,
                    message: `${status.code} ${statusName(status.code)}: ${status.details}`,
                  },
                  'its first GetSystemInfo attempt ended with this status, which the SDK retries until its connect deadline; it then throws "Failed to connect to Temporal server" with DEADLINE_EXCEEDED as the cause'
                )
              : new Promise<string>(() => {})
          )
        : new Promise<string>(() => {});
      const channel = channelFailure(connection, deadline).then((text) =>
        said(
          { name: 'Error', code: GrpcCode.UNAVAILABLE, message: text },
          'grpc-js put the SDK\'s channel in TRANSIENT_FAILURE after a failed connect attempt (these are its words for the cause); Connection.connect keeps waiting and, at its connect deadline, throws "Failed to connect before the deadline"'
        )
      );
      return Promise.race([retried, channel, ...(cancel ? [abortReason(cancel)] : [])]);
    };
    const said = (error: NonNullable<SdkOutcome['error']>, how: string): string => {
      early ??= { error: { ...error, message: sanitize(error.message) }, how };
      return 'the SDK said its piece';
    };
    const attempt = withConnection(
      sdk,
      options,
      timeoutMs,
      async (connection) => {
        connected = true;
        const remaining = Math.max(100, timeoutMs - durationMs());
        await connection.withDeadline(Date.now() + remaining, () =>
          connection.workflowService.describeNamespace({ namespace: config.namespace.value })
        );
      },
      spoke
    );
    const hung = new Promise<'hung'>((resolve) => {
      backstop = setTimeout(() => resolve('hung'), timeoutMs * 2 + BACKSTOP_MS);
    });
    if ((await Promise.race([attempt, hung])) === 'hung') {
      attempt.catch(() => {});
      return {
        stack: 'client',
        package: pkg,
        outcome: 'timeout',
        durationMs: durationMs(),
        note: 'Connection.connect did not return within its own connectTimeout',
      };
    }
    return {
      stack: 'client',
      package: pkg,
      outcome: 'connected',
      durationMs: durationMs(),
      ...(note ? { note: `connected and described the namespace; ${note}` } : {}),
    };
  } catch (error) {
    if (error instanceof ConnectAbandoned) {
      if (!early || cancel?.aborted) return cancelled(pkg, durationMs());
      const ms = durationMs();
      const proxyLog = proxyLogLinesSince(logMark);
      const logged = proxyLog.length ? `grpc-js logged: ${proxyLog.join(' | ')}` : undefined;
      return {
        stack: 'client',
        package: pkg,
        outcome: 'error',
        durationMs: ms,
        error: early.error,
        note: sanitize(
          [`stopped after ${ms} ms, while Connection.connect was still retrying: ${early.how}`, note, logged]
            .filter(Boolean)
            .join('; '),
          600
        ),
      };
    }
    // Option and PEM errors throw synchronously from Connection.lazy; they land here too.
    const timedOut = isConnectDeadline(error) || grpcStatusOf(error)?.code === GrpcCode.DEADLINE_EXCEEDED;
    const where = connected ? 'Connection.connect succeeded; workflowService.describeNamespace failed' : undefined;
    const proxyLog = proxyLogLinesSince(logMark);
    const logged = proxyLog.length ? `grpc-js logged: ${proxyLog.join(' | ')}` : undefined;
    return {
      stack: 'client',
      package: pkg,
      outcome: timedOut ? 'timeout' : 'error',
      durationMs: durationMs(),
      error: summarizeSdkError(error),
      ...(where || note || logged ? { note: sanitize([where, note, logged].filter(Boolean).join('; '), 600) } : {}),
    };
  } finally {
    clearTimeout(backstop);
  }
}

function cancelled(pkg: string, durationMs: number): SdkOutcome {
  return {
    stack: 'client',
    package: pkg,
    outcome: 'unavailable',
    durationMs,
    note: 'stopped: the run passed without it',
  };
}

/** Settles (never rejects) when the signal aborts, for withConnection's abandonWhen. */
function abortReason(signal: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve('cancelled');
    else signal.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });
}
