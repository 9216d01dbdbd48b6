// Connects with @temporalio/client exactly as the user's app would (Connection.connect: wait for the channel, then
// GetSystemInfo), then reads the server version and the gRPC health service. The SDK's own connect error says
// "Failed to connect before the deadline" for every transport fault (docs/research/sdk-stacks.md#client-connect-errors), so when it says that, an
// HTTP/2 preface probe sent alongside and the lower stages' facts name the cause instead.
import { isIP } from 'node:net';
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, skip, stopwatch, warn } from '../../pipeline/check.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import {
  DefaultRootsUnreadable,
  connectionOptionsFrom,
  describeDial,
  type BuiltConnectionOptions,
} from '../../sdk/connection-options.js';
import {
  CLIENT_PACKAGE,
  GrpcCode,
  clientSdkVersion,
  grpcStatusOf,
  loadClientSdk,
  statusName,
  summarizeSdkError,
  withConnection,
  type SdkInterceptor,
} from '../../sdk/client-sdk.js';
import { probeHttp2Preface, type PrefaceAnswer } from '../../net/http2-preface.js';
import { requestOverTls, type HttpAnswer } from '../../net/http2-exchange.js';
import { classifyHttpAnswer } from '../../knowledge/edge-rejection.js';
import { slowAnswerAfterMs } from '../../net/deadline.js';
import { grpcLogMark, proxyLogLinesSince } from '../../sdk/grpc-log.js';
import { captureSystemInfo } from '../../sdk/system-info-capture.js';
import { formatHostPort, splitHostPort } from '../../text/host-port.js';
import { describeSource, authEvidence } from '../../config/setting-names.js';
import { sanitize } from '../../text/sanitize.js';
import { connectFailure, edgeFailure, settle, type GrpcContext, type Settled } from './connect-failure.js';
import { KEPT, defineStage, type EdgeAnswer, type GrpcFacts } from '../../facts.js';

const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
const HEALTH_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

/**
 * How long the preface probe waits for a first byte. A gRPC server answers the HTTP/2 preface with SETTINGS within one
 * round trip, so silence this long is evidence enough of a peer that will never speak gRPC.
 */
const PREFACE_SILENCE_MS = 1000;
/**
 * Without a view of the SDK's attempts, when the ingress watch starts: after the time a healthy connect takes even on
 * a loaded machine (a cold grpc-js connect under load took over 300 ms), plus four round trips.
 */
const EDGE_WATCH_AFTER_MS = 1000;

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true }
    );
  });
}

export const grpcStage = defineStage({
  id: 'grpc',
  title: 'Temporal gRPC (system info)',
  needs: ['config', 'pem', 'endpoint', 'tls'],
  async run(ctx) {
    const elapsed = stopwatch();
    const config = ctx.facts.config;
    let built: BuiltConnectionOptions;
    try {
      built = await connectionOptionsFrom({ ...ctx.optionalFacts, ...ctx.facts }, ctx.options);
    } catch (error) {
      if (!(error instanceof DefaultRootsUnreadable)) throw error;
      return {
        checks: [
          fail('grpc.client-roots.unreadable', `${sanitize(error.message, 500)}: the Client SDK cannot start TLS`, {
            durationMs: elapsed(),
            fix: "Point GRPC_DEFAULT_SSL_ROOTS_FILE_PATH at a PEM CA bundle, or unset it (the Client then uses Node's roots); grpc-js reads the file whole, so a pipe or device blocks the app for ever.",
          }),
        ],
      };
    }
    const sdk = await loadClientSdk();
    const logMark = grpcLogMark();
    const sdkName = `${CLIENT_PACKAGE} ${clientSdkVersion() ?? ''}`.trim();
    // The connect gets most of the budget; what is left bounds GetSystemInfo and Health/Check afterwards, or the one
    // call without retries that tells a hung server from a retried error when the connect ends in a deadline.
    const connectTimeoutMs = Math.max(100, Math.round(ctx.timeoutMs * 0.6));
    ctx.progress(`Connecting with ${sdkName} to ${built.options.address}`);
    // Sent alongside the connect so its answer is ready if the SDK gives up with its non-diagnostic deadline error.
    const probeControl = new AbortController();
    ctx.signal.addEventListener('abort', () => probeControl.abort(), { once: true });
    const target = prefaceTarget(built, ctx);
    const roundTripMs = ctx.optionalFacts.tcp?.reachable[0]?.connectMs ?? 0;
    let prefaceSent: Promise<PrefaceAnswer> | undefined;
    const preface = (): Promise<PrefaceAnswer> =>
      (prefaceSent ??= probeHttp2Preface(target, Math.min(connectTimeoutMs, PREFACE_SILENCE_MS), probeControl.signal, {
        afterMs: slowAnswerAfterMs(roundTripMs),
        notify: (waitedMs) =>
          ctx.trouble(
            `no answer to the HTTP/2 preface from ${formatHostPort(target.host, target.port)} after ${waitedMs} ms`
          ),
      }));
    // A preface answer that rules gRPC out (HTTP/1, a TLS record, a close, silence) ends the wait for the SDK at once:
    // grpc-js would only retry until its deadline and then say nothing more than "Failed to connect before the deadline".
    // When the tls stage already drew HTTP/2 frames from this server (its plaintext ClientHello, or the preface sent
    // after a handshake), the probe could only say that again: it is sent only if the connect fails and its answer
    // is needed.
    const tls = ctx.facts.tls;
    const spokeHttp2 = tls.mode === 'plaintext' ? tls.peer === 'http2' : tls.answeredHttp2 === true;
    // An ingress already answered the request the SDK makes with a page (502, 403, ...): grpc-js would retry it until
    // its deadline (and leave its retry timers behind), so the answer decides without a connect.
    const edge = tls.mode === 'tls' ? tls.edgeAnswer : undefined;
    if (edge) return { checks: [edgeFailure(edge, { ctx, built, durationMs: elapsed() })] };
    // An ingress may take its time to give up on a dead backend (haproxy retries, then 503): the same request the SDK
    // makes, sent alongside, ends the wait for the SDK once its answer is an ingress page.
    const overTls = target.tls;
    // Only once the SDK's own attempt got an HTTP status (read from its call, not its deadline) or its GetSystemInfo
    // went unanswered for many round trips (haproxy holds it while it retries a dead backend, about a second), or
    // without that view once a healthy connect would be done: it costs a handshake the healthy run does not need.
    const capture = captureSystemInfo();
    capture?.httpStatusSeen.then((status) =>
      ctx.trouble(`the SDK's GetSystemInfo was answered with HTTP status ${status}, not by a gRPC server`)
    );
    const unanswered = capture?.unansweredAfter(slowAnswerAfterMs(roundTripMs));
    unanswered?.then(() =>
      ctx.trouble(`the SDK's GetSystemInfo had no answer after ${slowAnswerAfterMs(roundTripMs)} ms`)
    );
    const sdkSawHttpStatus = capture
      ? Promise.race([capture.httpStatusSeen.then(() => undefined), unanswered, aborted(probeControl.signal)])
      : delay(EDGE_WATCH_AFTER_MS + 4 * roundTripMs, probeControl.signal);
    // Through a proxy the SDK's path is the tunnel; this request would dial directly, so it is not sent.
    const throughTunnel = ctx.optionalFacts.proxy?.route === 'tunnel';
    const edgeWatch =
      overTls && tls.mode === 'tls' && tls.answeredHttp2 && !throughTunnel
        ? sdkSawHttpStatus.then(() =>
            probeControl.signal.aborted
              ? undefined
              : requestOverTls(
                  { host: target.host, port: target.port, tls: overTls },
                  { signal: probeControl.signal, timeoutMs: connectTimeoutMs }
                ).then((outcome) => (outcome.outcome === 'http-answer' ? edgeAnswerOf(outcome.answer) : undefined))
          )
        : Promise.resolve(undefined);
    const edgeSeen = edgeWatch.then((seen) =>
      seen ? `an ingress answered HTTP ${seen.status}` : new Promise<string>(() => {})
    );
    const hopelessWire = spokeHttp2
      ? new Promise<string>(() => {})
      : preface().then((answer) =>
          answer.kind === 'http2' || answer.kind === 'error'
            ? new Promise<string>(() => {})
            : `HTTP/2 preface probe: ${answer.kind}`
        );
    const hopeless = Promise.race([hopelessWire, edgeSeen]);

    let connectMs = 0;
    // From the connect itself: loading the SDK module (about 200 ms on a cold start) is not the server's time.
    const connecting = stopwatch();
    // The SDK's default interceptors (retries) and, after them, one that keeps the connect's GetSystemInfo answer.
    const options = capture
      ? {
          ...built.options,
          interceptors: [
            sdk.makeGrpcRetryInterceptor(sdk.defaultGrpcRetryOptions()),
            capture.interceptor as unknown as SdkInterceptor,
          ],
        }
      : built.options;
    try {
      const { info, health } = await withConnection(
        sdk,
        options,
        connectTimeoutMs,
        async (connection) => {
          connectMs = connecting();
          const deadline = (share: number): number => Date.now() + Math.max(100, (ctx.timeoutMs - elapsed()) * share);
          const captured = capture?.captured();
          if (!captured) ctx.progress('Calling GetSystemInfo');
          const info = captured
            ? {
                ok: true as const,
                value: captured as Awaited<ReturnType<typeof connection.workflowService.getSystemInfo>>,
              }
            : await settle(connection.withDeadline(deadline(0.5), () => connection.workflowService.getSystemInfo({})));
          ctx.progress('Calling grpc.health.v1.Health/Check');
          const health = await settle(
            connection.withDeadline(deadline(0.9), () => connection.healthService.check({ service: WORKFLOW_SERVICE }))
          );
          return { info, health };
        },
        hopeless,
        (connection) => ctx.run.keep(KEPT.sdkConnection, connection, () => connection.close())
      );
      const checks: CheckResult[] = [connectedCheck(config, built, sdkName, connectMs)];
      const facts: GrpcFacts = { capabilities: [], dialled: built.options.address, connectMs };
      // Server text: an error may quote the credential it refused.
      if (!info.ok) ctx.options.secrets.scrubError(info.error);
      if (!health.ok) ctx.options.secrets.scrubError(health.error);
      checks.push(systemInfoCheck(info, facts));
      checks.push(healthCheck(health, facts));
      return { checks, facts };
    } catch (error) {
      // An SDK error that quotes an HTTP status came from an ingress: its page, if the watch reads one, says more.
      const quotesHttpStatus = /HTTP status code \d{3}/.test(summarizeSdkErrorText(error));
      const seen = await (quotesHttpStatus ? edgeWatch : Promise.race([edgeWatch, Promise.resolve(undefined)]));
      if (seen) return { checks: [edgeFailure(seen, { ctx, built, durationMs: elapsed() })] };
      const callOnce = (): Promise<Settled<unknown>> => {
        const budgetMs = Math.max(200, ctx.timeoutMs - elapsed());
        return settle(withConnection(sdk, { ...built.options, interceptors: [] }, budgetMs, async () => undefined));
      };
      const check = await connectFailure(error, {
        ctx,
        built,
        preface,
        durationMs: elapsed(),
        connectTimeoutMs,
        callOnce,
      });
      // What grpc-js logged about the proxy during this connect: the only place it says why a tunnel failed.
      const proxyLines = proxyLogLinesSince(logMark);
      return {
        checks: [
          proxyLines.length
            ? {
                ...check,
                evidence: [...check.evidence, ...proxyLines.map((value) => ({ label: 'grpc-js log', value }))],
              }
            : check,
        ],
      };
    } finally {
      probeControl.abort();
    }
  },
});

function prefaceTarget(built: BuiltConnectionOptions, ctx: GrpcContext): Parameters<typeof probeHttp2Preface>[0] {
  const endpoint = ctx.facts.endpoint;
  const dialled = built.dialled ? splitHostPort(built.dialled.address, endpoint.port) : undefined;
  const host = dialled?.host ?? endpoint.host;
  const port = dialled?.port ?? endpoint.port;
  const tls = built.options.tls;
  // Through the tunnel the Client takes, when the proxy stage opened one.
  const via = ctx.optionalFacts.proxy;
  const secret = via?.proxy?.credentials?.reveal();
  const proxy =
    via?.route === 'tunnel' && via.proxy && via.authority
      ? {
          proxy: {
            host: via.proxy.host,
            port: via.proxy.port,
            authority: via.authority,
            ...(secret !== undefined ? { credentials: secret } : {}),
          },
        }
      : {};
  if (!tls) return { host, port, ...proxy };
  const servername = tls.serverNameOverride ?? endpoint.serverName;
  return {
    host,
    port,
    ...proxy,
    tls: {
      // Node refuses an IP as SNI (DEP0123); the SDK sends none in that case either.
      ...(isIP(servername) === 0 ? { servername } : {}),
      ...(tls.serverRootCACertificate ? { ca: tls.serverRootCACertificate } : {}),
      ...(tls.clientCertPair ? { cert: tls.clientCertPair.crt, key: tls.clientCertPair.key } : {}),
    },
  };
}

// ---- success -------------------------------------------------------------------------------------------------------

function connectedCheck(
  config: ResolvedConfig,
  built: BuiltConnectionOptions,
  sdkName: string,
  connectMs: number
): CheckResult {
  return pass('grpc.connect.ok', `Connected with ${sdkName} in ${connectMs} ms`, {
    durationMs: connectMs,
    evidence: evidence({
      address: describeDial(built),
      tls: built.options.tls
        ? `on (${describeSource(config.tls.source)})`
        : `off (${describeSource(config.tls.source)})`,
      'server name override': built.options.tls ? built.options.tls.serverNameOverride : undefined,
      ...authEvidence(config),
    }),
  });
}

interface SystemInfo {
  serverVersion?: string | null;
  capabilities?: object | null;
}

function systemInfoCheck(info: Settled<SystemInfo>, facts: GrpcFacts): CheckResult {
  if (!info.ok) {
    const status = grpcStatusOf(info.error);
    if (status?.code === GrpcCode.UNIMPLEMENTED) {
      return pass(
        'grpc.system-info.unimplemented',
        'Server does not implement GetSystemInfo (servers before 1.15); the SDK accepts this'
      );
    }
    return warn(
      'grpc.system-info.inconclusive',
      'Connected, but a second GetSystemInfo call to read the server version failed',
      {
        cause: summarizeSdkError(info.error),
        fix: 'Nothing to change if your app works; rerun with a larger --timeout to see the server version.',
      }
    );
  }
  const capabilities = Object.entries(info.value.capabilities ?? {})
    .filter(([, enabled]) => enabled === true)
    .map(([name]) => sanitize(name, 60));
  facts.capabilities = capabilities;
  const version = info.value.serverVersion ? sanitize(info.value.serverVersion, 60) : undefined;
  if (version) facts.serverVersion = version;
  return pass(
    'grpc.system-info.ok',
    version ? `Temporal server ${version}` : 'Temporal server answered GetSystemInfo (version not reported)',
    {
      evidence: evidence({ 'server version': version, capabilities: capabilities.join(', ') || 'none reported' }),
    }
  );
}

function healthCheck(health: Settled<{ status?: number | null }>, facts: GrpcFacts): CheckResult {
  if (!health.ok) {
    const status = grpcStatusOf(health.error);
    const why = status ? `${statusName(status.code)}: ${status.details}` : summarizeSdkError(health.error).message;
    return skip(
      'grpc.health.unavailable',
      `The gRPC health service did not answer (${why}); many proxies do not expose it, so this is only a note`
    );
  }
  const name = HEALTH_STATUS[health.value.status ?? 0] ?? `status ${String(health.value.status)}`;
  facts.health = name;
  if (name === 'SERVING') return pass('grpc.health.serving', 'gRPC health check reports the workflow service SERVING');
  return warn('grpc.health.not-serving', `gRPC health check reports the workflow service ${name}`, {
    evidence: evidence({ service: WORKFLOW_SERVICE, status: name }),
    fix: 'The frontend is up but says it cannot serve: check the Temporal server logs (frontend and its persistence); on Temporal Cloud, check status.temporal.io.',
  });
}

/** An ingress page (403, 502/503, another route) as the grpc stage reports it; undefined for gRPC or a cert page. */
function edgeAnswerOf(answer: HttpAnswer): EdgeAnswer | undefined {
  const rejection = classifyHttpAnswer(answer);
  if (rejection.kind !== 'forbidden' && rejection.kind !== 'no-backend' && rejection.kind !== 'not-grpc')
    return undefined;
  return {
    kind: rejection.kind,
    status: rejection.status,
    excerpt: rejection.excerpt,
    ...(answer.server ? { server: sanitize(answer.server, 60) } : {}),
  };
}

function summarizeSdkErrorText(error: unknown): string {
  const { message, details } = error as { message?: unknown; details?: unknown };
  return `${typeof message === 'string' ? message : ''} ${typeof details === 'string' ? details : ''}`;
}
