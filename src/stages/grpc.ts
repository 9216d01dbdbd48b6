// Connects with @temporalio/client exactly as the user's app would (Connection.connect: wait for the channel, then
// GetSystemInfo), then reads the server version and the gRPC health service. The SDK's own connect error says "Failed
// to connect before the deadline" for every transport fault (docs/research/sdk-stacks.md#client-connect-errors), so
// when it says that, an HTTP/2 preface probe sent alongside and the lower stages' facts name the cause instead.
import { isIP } from 'node:net';
import { defineStage, type CheckResult, type StageContext } from '../pipeline/types.js';
import { evidence, fail, pass, skip, stopwatch, warn } from '../pipeline/check.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { connectionOptionsFrom, describeDial, type BuiltConnectionOptions } from '../sdk/connection-options.js';
import {
  CLIENT_PACKAGE,
  ConnectAbandoned,
  GrpcCode,
  clientSdkVersion,
  decodeStatusDetails,
  grpcStatusOf,
  isConnectDeadline,
  loadClientSdk,
  statusName,
  summarizeSdkError,
  withConnection,
  KEPT_CONNECTION,
  type SdkInterceptor,
  type GrpcStatusError,
} from '../sdk/client-sdk.js';
import { probeHttp2Preface, type PrefaceAnswer } from '../net/http2-preface.js';
import { slowAnswerAfterMs } from '../net/deadline.js';
import { captureSystemInfo } from '../sdk/system-info-capture.js';
import { formatHostPort } from '../knowledge/temporal-endpoints.js';
import { describeSource } from '../report/safe-target.js';
import type { TlsFacts } from './tls.js';
import { sanitize } from '../report/sanitize.js';
import { authEvidence, authModeOf, settingRef } from './temporal-hints.js';

export interface GrpcFacts {
  serverVersion?: string;
  capabilities: string[];
  health?: string;
  /** What the SDK dialled: the configured address, or with --dns-server the IP the tcp stage reached. */
  dialled: string;
  connectMs: number;
}

const WORKFLOW_SERVICE = 'temporal.api.workflowservice.v1.WorkflowService';
const HEALTH_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;

/**
 * How long the preface probe waits for a first byte. A gRPC server answers the HTTP/2 preface with SETTINGS within one
 * round trip, so silence this long is evidence enough of a peer that will never speak gRPC.
 */
const PREFACE_SILENCE_MS = 1000;

type GrpcContext = StageContext<'config' | 'pem' | 'endpoint' | 'tls'>;

export const grpcStage = defineStage({
  id: 'grpc',
  title: 'Temporal gRPC (system info)',
  needs: ['config', 'pem', 'endpoint', 'tls'],
  async run(ctx) {
    const elapsed = stopwatch();
    const config = ctx.facts.config;
    const built = await connectionOptionsFrom({ ...ctx.optionalFacts, ...ctx.facts }, ctx.options);
    const sdk = await loadClientSdk();
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
        notify: (waitedMs) => ctx.trouble(`no answer to the HTTP/2 preface from ${formatHostPort(target.host, target.port)} after ${waitedMs} ms`),
      }));
    // A preface answer that rules gRPC out (HTTP/1, a TLS record, a close, silence) ends the wait for the SDK at once:
    // grpc-js would only retry until its deadline and then say nothing more than "Failed to connect before the deadline".
    // When the tls stage already drew HTTP/2 frames from this server (its plaintext ClientHello, or the preface sent
    // after a handshake), the probe could only say that again: it is sent only if the connect fails and its answer
    // is needed.
    const tls = ctx.facts.tls;
    const spokeHttp2 = tls.mode === 'plaintext' ? tls.peer === 'http2' : tls.answeredHttp2 === true;
    const hopeless = spokeHttp2
      ? new Promise<string>(() => {})
      : preface().then((answer) =>
          answer.kind === 'http2' || answer.kind === 'error' ? new Promise<string>(() => {}) : `HTTP/2 preface probe: ${answer.kind}`
        );

    let connectMs = 0;
    // From the connect itself: loading the SDK module (about 200 ms on a cold start) is not the server's time.
    const connecting = stopwatch();
    // The SDK's default interceptors (retries) and, after them, one that keeps the connect's GetSystemInfo answer.
    const capture = captureSystemInfo();
    const options = capture
      ? { ...built.options, interceptors: [sdk.makeGrpcRetryInterceptor(sdk.defaultGrpcRetryOptions()), capture.interceptor as unknown as SdkInterceptor] }
      : built.options;
    try {
      const { info, health } = await withConnection(sdk, options, connectTimeoutMs, async (connection) => {
        connectMs = connecting();
        const deadline = (share: number): number => Date.now() + Math.max(100, (ctx.timeoutMs - elapsed()) * share);
        const captured = capture?.captured();
        if (!captured) ctx.progress('Calling GetSystemInfo');
        const info = captured
          ? { ok: true as const, value: captured as Awaited<ReturnType<typeof connection.workflowService.getSystemInfo>> }
          : await settle(connection.withDeadline(deadline(0.5), () => connection.workflowService.getSystemInfo({})));
        ctx.progress('Calling grpc.health.v1.Health/Check');
        const health = await settle(
          connection.withDeadline(deadline(0.9), () => connection.healthService.check({ service: WORKFLOW_SERVICE }))
        );
        return { info, health };
      }, hopeless, (connection) => ctx.run.keep(KEPT_CONNECTION, connection, () => connection.close()));
      const checks: CheckResult[] = [connectedCheck(config, built, sdkName, connectMs)];
      const facts: GrpcFacts = { capabilities: [], dialled: built.options.address, connectMs };
      checks.push(systemInfoCheck(info, facts));
      checks.push(healthCheck(health, facts));
      return { checks, facts };
    } catch (error) {
      const callOnce = (): Promise<Settled<unknown>> => {
        const budgetMs = Math.max(200, ctx.timeoutMs - elapsed());
        return settle(withConnection(sdk, { ...built.options, interceptors: [] }, budgetMs, async () => undefined));
      };
      return { checks: [await connectFailure(error, { ctx, built, preface, durationMs: elapsed(), connectTimeoutMs, callOnce })] };
    } finally {
      probeControl.abort();
    }
  },
});

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error })
  );
}

function prefaceTarget(built: BuiltConnectionOptions, ctx: GrpcContext): Parameters<typeof probeHttp2Preface>[0] {
  const endpoint = ctx.facts.endpoint;
  const dialled = built.dialled ? splitHostPort(built.dialled.address) : undefined;
  const host = dialled?.host ?? endpoint.host;
  const port = dialled?.port ?? endpoint.port;
  const tls = built.options.tls;
  if (!tls) return { host, port };
  const servername = tls.serverNameOverride ?? endpoint.serverName;
  return {
    host,
    port,
    tls: {
      // Node refuses an IP as SNI (DEP0123); the SDK sends none in that case either.
      ...(isIP(servername) === 0 ? { servername } : {}),
      ...(tls.serverRootCACertificate ? { ca: tls.serverRootCACertificate } : {}),
      ...(tls.clientCertPair ? { cert: tls.clientCertPair.crt, key: tls.clientCertPair.key } : {}),
    },
  };
}

function splitHostPort(address: string): { host: string; port: number } {
  const match = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  return { host: match?.[1] ?? address, port: Number(match?.[2] ?? 7233) };
}

// ---- success -------------------------------------------------------------------------------------------------------

function connectedCheck(config: ResolvedConfig, built: BuiltConnectionOptions, sdkName: string, connectMs: number): CheckResult {
  return pass('grpc.connect.ok', `Connected with ${sdkName} in ${connectMs} ms`, {
    durationMs: connectMs,
    evidence: evidence({
      address: describeDial(built),
      tls: built.options.tls ? `on (${describeSource(config.tls.source)})` : `off (${describeSource(config.tls.source)})`,
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
      return pass('grpc.system-info.unimplemented', 'Server does not implement GetSystemInfo (servers before 1.15); the SDK accepts this');
    }
    return warn('grpc.system-info.inconclusive', 'Connected, but a second GetSystemInfo call to read the server version failed', {
      cause: summarizeSdkError(info.error),
      fix: 'Nothing to change if your app works; rerun with a larger --timeout to see the server version.',
    });
  }
  const capabilities = Object.entries(info.value.capabilities ?? {})
    .filter(([, enabled]) => enabled === true)
    .map(([name]) => sanitize(name, 60));
  facts.capabilities = capabilities;
  const version = info.value.serverVersion ? sanitize(info.value.serverVersion, 60) : undefined;
  if (version) facts.serverVersion = version;
  return pass('grpc.system-info.ok', version ? `Temporal server ${version}` : 'Temporal server answered GetSystemInfo (version not reported)', {
    evidence: evidence({ 'server version': version, capabilities: capabilities.join(', ') || 'none reported' }),
  });
}

function healthCheck(health: Settled<{ status?: number | null }>, facts: GrpcFacts): CheckResult {
  if (!health.ok) {
    const status = grpcStatusOf(health.error);
    const why = status ? `${statusName(status.code)}: ${status.details}` : summarizeSdkError(health.error).message;
    return skip('grpc.health.unavailable', `The gRPC health service did not answer (${why}); many proxies do not expose it, so this is only a note`);
  }
  const name = HEALTH_STATUS[health.value.status ?? 0] ?? `status ${String(health.value.status)}`;
  facts.health = name;
  if (name === 'SERVING') return pass('grpc.health.serving', 'gRPC health check reports the workflow service SERVING');
  return warn('grpc.health.not-serving', `gRPC health check reports the workflow service ${name}`, {
    evidence: evidence({ service: WORKFLOW_SERVICE, status: name }),
    fix: 'The frontend is up but says it cannot serve: check the Temporal server logs (frontend and its persistence); on Temporal Cloud, check status.temporal.io.',
  });
}

// ---- failure -------------------------------------------------------------------------------------------------------

interface FailureContext {
  ctx: GrpcContext;
  built: BuiltConnectionOptions;
  /** The preface probe's answer (sent now if it was not sent alongside the connect). */
  preface(): Promise<PrefaceAnswer>;
  durationMs: number;
  connectTimeoutMs: number;
  /** GetSystemInfo once on a fresh connection without the SDK's retry interceptor, within what is left of the budget. */
  callOnce(): Promise<Settled<unknown>>;
}

async function connectFailure(error: unknown, f: FailureContext): Promise<CheckResult> {
  const config = f.ctx.facts.config;
  const cause = summarizeSdkError(error);
  const status = grpcStatusOf(error);
  const base = {
    address: describeDial(f.built),
    tls: f.built.options.tls ? 'on' : 'off',
    ...authEvidence(config),
  };
  if (status) return statusFailure(status, f, cause, base);
  if (isConnectDeadline(error) || error instanceof ConnectAbandoned) return deadlineFailure(await f.preface(), f, cause, base);
  return optionsRejected(f, cause, base);
}

type Base = Record<string, string | undefined>;

async function statusFailure(
  status: GrpcStatusError,
  f: FailureContext,
  cause: ReturnType<typeof summarizeSdkError>,
  base: Base,
  retried = false
): Promise<CheckResult> {
  const config = f.ctx.facts.config;
  const durationMs = f.durationMs;
  const said = `${statusName(status.code)}: ${status.details}`;
  const details = await decodeStatusDetails(status);
  const reason = details.map((d) => d.fields.reason).find((r): r is string => typeof r === 'string' && r.length > 0);
  const ev = evidence({ ...base, [retried ? 'one call without retries' : 'gRPC status']: said, 'server reason': reason ? sanitize(reason, 300) : undefined });

  switch (status.code) {
    case GrpcCode.UNAUTHENTICATED:
      return unauthenticated(config, said, ev, cause, durationMs);
    case GrpcCode.PERMISSION_DENIED:
      return fail('grpc.auth.permission-denied', `Server refused GetSystemInfo on connect (${said})`, {
        evidence: ev,
        cause,
        durationMs,
        fix: permissionFix(config),
      });
    case GrpcCode.DEADLINE_EXCEEDED: {
      // Either the server never answers, or the SDK's retry interceptor retried a retryable error until the deadline:
      // one call without retries tells which.
      const once = await f.callOnce();
      const onceStatus = once.ok ? undefined : grpcStatusOf(once.error);
      if (!retried && onceStatus && onceStatus.code !== GrpcCode.DEADLINE_EXCEEDED && onceStatus.code !== GrpcCode.CANCELLED) {
        return statusFailure(onceStatus, f, cause, { ...base, 'SDK error': `${said} (its retry interceptor retried until the deadline)` }, true);
      }
      return fail(
        'grpc.system-info.deadline',
        `Server accepted the HTTP/2 connection but did not answer GetSystemInfo within ${f.connectTimeoutMs} ms`,
        {
          evidence: ev,
          cause,
          durationMs,
          fix: 'The Temporal frontend (or a proxy in front of it that accepts gRPC without forwarding it) is stuck or overloaded: check the frontend service and its logs, or rerun with a larger --timeout if it is only slow.',
        }
      );
    }
    case GrpcCode.UNAVAILABLE:
      return fail('grpc.system-info.unavailable', `Server answered GetSystemInfo with ${said}`, {
        evidence: ev,
        cause,
        durationMs,
        fix: 'The endpoint is reachable but reports it cannot serve (a frontend starting or shutting down, or a proxy with no healthy backend): check the Temporal server or the proxy, then retry.',
      });
    default:
      return notGrpcOrFailed(status, said, config, ev, cause, durationMs);
  }
}

function notGrpcOrFailed(
  status: GrpcStatusError,
  said: string,
  config: ResolvedConfig,
  ev: ReturnType<typeof evidence>,
  cause: ReturnType<typeof summarizeSdkError>,
  durationMs: number
): CheckResult {
  if (/content-type|HTTP status code|Protocol error|Received message larger than max/i.test(status.details)) {
    return fail('grpc.protocol.not-grpc', `Server speaks HTTP/2 but does not answer as a gRPC server (${said})`, {
      evidence: ev,
      cause,
      durationMs,
      fix: `Point ${settingRef(config.address, 'address')} at the Temporal frontend gRPC port (7233 by default); this port serves HTTP/2 but not gRPC (a web server, or a proxy route that is not gRPC).`,
    });
  }
  return fail('grpc.system-info.failed', `GetSystemInfo failed: ${said}`, {
    evidence: ev,
    cause,
    durationMs,
    fix: 'The server answered with an unexpected gRPC error: check the Temporal frontend logs, or any proxy between this machine and the server.',
  });
}

function unauthenticated(
  config: ResolvedConfig,
  said: string,
  ev: ReturnType<typeof evidence>,
  cause: ReturnType<typeof summarizeSdkError>,
  durationMs: number
): CheckResult {
  const mode = authModeOf(config);
  if (mode === 'api-key' && config.apiKey) {
    const name = config.apiKey.source.name;
    return fail('grpc.auth.unauthenticated', `Server rejected the API key from ${name} (${said})`, {
      evidence: ev,
      cause,
      durationMs,
      fix: `The key in ${name} is not accepted: it may be expired, revoked, mistyped or from another account. Create a new API key (Temporal Cloud: Settings → API Keys) and put it in ${name}.`,
    });
  }
  if (mode === 'authorization-header') {
    const name = config.grpcMeta.authorization?.source.name ?? 'the authorization header';
    return fail('grpc.auth.unauthenticated', `Server rejected the authorization header from ${name} (${said})`, {
      evidence: ev,
      cause,
      durationMs,
      fix: `Check the credential in ${name}; for Temporal Cloud API keys prefer --api-key or TEMPORAL_API_KEY, which send "Bearer <key>" for you.`,
    });
  }
  const certHint = mode === 'mtls' ? ' The client certificate alone is not accepted here.' : '';
  return fail('grpc.auth.unauthenticated', `Server requires credentials (${said}) and no API key is configured`, {
    evidence: ev,
    cause,
    durationMs,
    fix: `Set --api-key or TEMPORAL_API_KEY to an API key for this namespace.${certHint} If the namespace uses mTLS instead, set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH).`,
  });
}

export function permissionFix(config: ResolvedConfig): string {
  switch (authModeOf(config)) {
    case 'api-key':
      return `The API key from ${config.apiKey?.source.name} is valid but not allowed here. Known causes: the key belongs to a user or service account without a role on this namespace; the namespace uses mTLS, not API keys; the address is another region's endpoint (use <namespace>.<account>.tmprl.cloud:7233 or the namespace's own regional endpoint); the key is for another namespace or account.`;
    case 'mtls':
      return `The client certificate from ${config.clientCert?.source.name} is not accepted for this namespace. Known causes: its CA is not among the namespace's accepted client CAs (tcld namespace accepted-client-ca list), or the certificate does not match the namespace's certificate filters (CN, O, OU, SAN).`;
    case 'authorization-header':
      return `The authorization header from ${config.grpcMeta.authorization?.source.name} is valid but not allowed here: check the role or claims it grants for this namespace.`;
    default:
      return 'The server requires an authorized identity and none was sent: configure the API key (--api-key / TEMPORAL_API_KEY) or the mTLS client certificate (--tls-cert-path / --tls-key-path) this namespace accepts.';
  }
}

const PEER_TEXT: Record<NonNullable<Extract<TlsFacts, { mode: 'plaintext' }>['peer']>, string> = {
  tls: 'a TLS answer',
  http1: 'an HTTP/1.x answer',
  http2: 'HTTP/2 frames',
  unknown: 'non-TLS bytes',
  silent: 'no answer',
  closed: 'the connection closed',
};

const NON_DIAGNOSTIC =
  'Failed to connect before the deadline (non-diagnostic: grpc-js gives the same text for every DNS, TCP, TLS and HTTP/2 failure)';

function lowerStageEvidence(ctx: GrpcContext): Base {
  const tcp = ctx.optionalFacts.tcp?.reachable[0];
  const tls = ctx.facts.tls;
  return {
    'tcp stage': tcp ? `connected to ${tcp.address} in ${tcp.connectMs} ms` : undefined,
    'tls stage':
      tls.mode === 'tls'
        ? `${tls.protocol} handshake completed, ALPN ${tls.alpn === false ? 'none' : tls.alpn}${tls.authorized ? ', certificate verified' : ''}`
        : tls.serverSpeaksTls
          ? 'TLS off, and the server answered a TLS probe'
          : `TLS off${tls.peer ? `; a TLS ClientHello got ${PEER_TEXT[tls.peer]}` : ''}`,
  };
}

function deadlineFailure(answer: PrefaceAnswer, f: FailureContext, sdkCause: ReturnType<typeof summarizeSdkError>, base: Base): CheckResult {
  const config = f.ctx.facts.config;
  // When the doctor ended the wait itself, the SDK has said nothing yet: there is no error of its to show.
  const abandoned = sdkCause.name === 'ConnectAbandoned';
  const cause = abandoned ? undefined : sdkCause;
  const durationMs = f.durationMs;
  const address = settingRef(config.address, 'address');
  const where = f.built.options.address;
  const ev = (probe: string): ReturnType<typeof evidence> =>
    evidence({
      ...base,
      'SDK error': abandoned ? 'none yet: the wait was ended once the probe below ruled gRPC out' : NON_DIAGNOSTIC,
      'HTTP/2 preface probe': probe,
      ...lowerStageEvidence(f.ctx),
    });
  const tlsOff = !f.built.options.tls;
  const turnTlsOn = config.tlsExplicit
    ? `Set ${config.tlsExplicit.source.name} to true (or pass --tls)`
    : 'Turn TLS on with --tls or TEMPORAL_TLS=true';

  switch (answer.kind) {
    case 'http1':
      return fail('grpc.protocol.not-http2', `Server at ${where} answers with HTTP/1 (${answer.statusLine}), not HTTP/2 gRPC`, {
        evidence: ev(`answered ${answer.statusLine}`),
        ...(cause ? { cause } : {}),
        durationMs,
        fix: `Point ${address} at the Temporal frontend gRPC port (7233 by default), not an HTTP port such as the Web UI or a load balancer's HTTP/1 listener; a proxy in between must pass HTTP/2 (gRPC) through.`,
      });
    case 'other':
      return fail('grpc.protocol.not-http2', `Server at ${where} answers the HTTP/2 preface with bytes that are not HTTP/2`, {
        evidence: ev(`answered 0x${answer.firstBytesHex}`),
        ...(cause ? { cause } : {}),
        durationMs,
        fix: `Point ${address} at the Temporal frontend gRPC port (7233 by default); whatever listens on ${where} speaks another protocol.`,
      });
    case 'tls-record':
      return fail('grpc.transport.tls-mismatch', `Server at ${where} answers with TLS, but TLS is off (${describeSource(config.tls.source)})`, {
        evidence: ev('answered with a TLS record'),
        ...(cause ? { cause } : {}),
        durationMs,
        fix: `${turnTlsOn}; Temporal Cloud and most production servers require it.`,
      });
    case 'closed':
      if (tlsOff && f.ctx.facts.tls.mode === 'plaintext' && f.ctx.facts.tls.serverSpeaksTls) {
        return fail('grpc.transport.tls-mismatch', `Server at ${where} speaks TLS, but TLS is off (${describeSource(config.tls.source)})`, {
          evidence: ev(answer.reset ? 'connection reset' : 'connection closed'),
          ...(cause ? { cause } : {}),
          durationMs,
          fix: `${turnTlsOn}; Temporal Cloud and most production servers require it.`,
        });
      }
      return fail(
        'grpc.transport.closed',
        `Server at ${where} ${answer.reset ? 'reset' : 'closed'} the connection when sent the HTTP/2 preface: it is not ${tlsOff ? 'a plaintext' : 'a'} gRPC server`,
        {
          evidence: ev(answer.reset ? 'connection reset before any byte' : 'connection closed before any byte'),
          ...(cause ? { cause } : {}),
          durationMs,
          fix: tlsOff
            ? `If the server expects TLS: ${turnTlsOn[0]?.toLowerCase()}${turnTlsOn.slice(1)}. Otherwise check that ${address} names the Temporal frontend gRPC port.`
            : `Check that ${address} names the Temporal frontend gRPC port; a TLS terminator in front of it may not forward HTTP/2.`,
        }
      );
    case 'silent':
      return fail('grpc.transport.silent', `Server at ${where} accepted the connection but sent nothing within ${answer.waitedMs} ms of the HTTP/2 preface`, {
        evidence: ev(`no answer in ${answer.waitedMs} ms`),
        ...(cause ? { cause } : {}),
        durationMs,
        fix: `Something accepts connections on ${where} but does not speak gRPC: a firewall or proxy that swallows traffic, or the wrong port. Check ${address}, and any proxy in between.`,
      });
    case 'http2':
    case 'error':
      return fail('grpc.connect.deadline', `The SDK could not connect within ${f.connectTimeoutMs} ms, and its error does not say why`, {
        evidence: ev(answer.kind === 'http2' ? 'the server answers HTTP/2' : `probe failed: ${answer.message}`),
        ...(cause ? { cause } : {}),
        durationMs,
        fix: 'Rely on the lower stages above (dns, tcp, tls): they passed, so rerun with a larger --timeout in case the server is only slow, and compare with the Worker stack (--stack worker), whose errors name the cause.',
      });
  }
}

function optionsRejected(f: FailureContext, cause: ReturnType<typeof summarizeSdkError>, base: Base): CheckResult {
  const config = f.ctx.facts.config;
  const text = cause.message;
  const fix = /Metadata string value|illegal characters/i.test(text)
    ? `Remove whitespace and line breaks from ${config.apiKey ? config.apiKey.source.name : 'the gRPC metadata values (--grpc-meta / TEMPORAL_GRPC_META_*)'}: gRPC header values must be one line of printable ASCII.`
    : /Invalid address/i.test(text)
      ? `Give ${settingRef(config.address, 'address')} as host:port, without a scheme such as https://.`
      : /Both `apiKey`/i.test(text)
        ? 'Set either the API key or an authorization gRPC header, not both.'
        : 'The SDK refused these settings before connecting: correct the setting its message names.';
  return fail('grpc.options.rejected', `The SDK rejected the connection settings: ${text}`, {
    evidence: evidence(base),
    cause,
    durationMs: f.durationMs,
    fix,
  });
}
