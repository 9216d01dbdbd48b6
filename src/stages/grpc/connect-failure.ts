// Why the SDK's connect failed: a gRPC status (auth, permission, not found, ...), an option the SDK rejected, or
// "Failed to connect before the deadline", which the HTTP/2 preface probe and the lower stages' facts take apart.
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail } from '../../pipeline/check.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import { describeDial, type BuiltConnectionOptions } from '../../sdk/connection-options.js';
import {
  ConnectAbandoned,
  GrpcCode,
  decodeStatusDetails,
  grpcStatusOf,
  isConnectDeadline,
  statusName,
  summarizeSdkError,
  type GrpcStatusError,
} from '../../sdk/client-sdk.js';
import type { PrefaceAnswer } from '../../net/http2-preface.js';
import { describeSource, authEvidence, authModeOf, permissionFix, settingRef } from '../../config/setting-names.js';
import type { DoctorStageContext as StageContext, TlsFacts, EdgeAnswer } from '../../facts.js';

export type GrpcContext = StageContext<'config' | 'pem' | 'endpoint' | 'tls'>;

/** A promise's outcome without throwing. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
export function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error })
  );
}

export interface FailureContext {
  ctx: GrpcContext;
  built: BuiltConnectionOptions;
  /** The preface probe's answer (sent now if it was not sent alongside the connect). */
  preface(): Promise<PrefaceAnswer>;
  durationMs: number;
  connectTimeoutMs: number;
  /** GetSystemInfo once on a fresh connection without the SDK's retry interceptor, within what is left of the budget. */
  callOnce(): Promise<Settled<unknown>>;
}

export async function connectFailure(error: unknown, f: FailureContext): Promise<CheckResult> {
  const config = f.ctx.facts.config;
  // Server text: its message and details may quote the credential it refused.
  f.ctx.options.secrets.scrubError(error);
  const cause = summarizeSdkError(error);
  const status = grpcStatusOf(error);
  const base = {
    address: describeDial(f.built),
    tls: f.built.options.tls ? 'on' : 'off',
    ...authEvidence(config),
  };
  if (status) return statusFailure(status, f, cause, base);
  if (isConnectDeadline(error) || error instanceof ConnectAbandoned)
    return deadlineFailure(await f.preface(), f, cause, base);
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
  const secrets = f.ctx.options.secrets;
  const said = `${statusName(status.code)}: ${secrets.untrusted(status.details, 300)}`;
  const details = await decodeStatusDetails(status, secrets);
  const reason = details.map((d) => d.fields.reason).find((r): r is string => typeof r === 'string' && r.length > 0);
  const ev = evidence({
    ...base,
    [retried ? 'one call without retries' : 'gRPC status']: said,
    'server reason': reason ? secrets.untrusted(reason, 300) : undefined,
  });

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
      if (
        !retried &&
        onceStatus &&
        onceStatus.code !== GrpcCode.DEADLINE_EXCEEDED &&
        onceStatus.code !== GrpcCode.CANCELLED
      ) {
        return statusFailure(
          onceStatus,
          f,
          cause,
          { ...base, 'SDK error': `${said} (its retry interceptor retried until the deadline)` },
          true
        );
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

function deadlineFailure(
  answer: PrefaceAnswer,
  f: FailureContext,
  sdkCause: ReturnType<typeof summarizeSdkError>,
  base: Base
): CheckResult {
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
      return fail(
        'grpc.protocol.not-http2',
        `Server at ${where} answers with HTTP/1 (${answer.statusLine}), not HTTP/2 gRPC`,
        {
          evidence: ev(`answered ${answer.statusLine}`),
          ...(cause ? { cause } : {}),
          durationMs,
          fix: `Point ${address} at the Temporal frontend gRPC port (7233 by default), not an HTTP port such as the Web UI or a load balancer's HTTP/1 listener; a proxy in between must pass HTTP/2 (gRPC) through.`,
        }
      );
    case 'other':
      return fail(
        'grpc.protocol.not-http2',
        `Server at ${where} answers the HTTP/2 preface with bytes that are not HTTP/2`,
        {
          evidence: ev(`answered 0x${answer.firstBytesHex}`),
          ...(cause ? { cause } : {}),
          durationMs,
          fix: `Point ${address} at the Temporal frontend gRPC port (7233 by default); whatever listens on ${where} speaks another protocol.`,
        }
      );
    case 'tls-record':
      return fail(
        'grpc.transport.tls-mismatch',
        `Server at ${where} answers with TLS, but TLS is off (${describeSource(config.tls.source)})`,
        {
          evidence: ev('answered with a TLS record'),
          ...(cause ? { cause } : {}),
          durationMs,
          fix: `${turnTlsOn}; Temporal Cloud and most production servers require it.`,
        }
      );
    case 'closed':
      if (tlsOff && f.ctx.facts.tls.mode === 'plaintext' && f.ctx.facts.tls.serverSpeaksTls) {
        return fail(
          'grpc.transport.tls-mismatch',
          `Server at ${where} speaks TLS, but TLS is off (${describeSource(config.tls.source)})`,
          {
            evidence: ev(answer.reset ? 'connection reset' : 'connection closed'),
            ...(cause ? { cause } : {}),
            durationMs,
            fix: `${turnTlsOn}; Temporal Cloud and most production servers require it.`,
          }
        );
      }
      if (!tlsOff && f.ctx.facts.tls.mode === 'tls' && f.ctx.facts.tls.closedAfterClientCert) {
        // The tls stage saw the same hang-up right after sending the client certificate: a TLS 1.3 server refusing
        // it without an alert, not a port that does not speak gRPC (docs/research/middleboxes.md#client-certificate-rejection).
        return fail(
          'grpc.transport.closed-after-handshake',
          `Server at ${where} closed the connection right after the TLS handshake, as it did after receiving the client certificate in the tls stage`,
          {
            evidence: ev(answer.reset ? 'connection reset before any byte' : 'connection closed before any byte'),
            ...(cause ? { cause } : {}),
            durationMs,
            fix: `ALPN h2 was agreed, so this is not a port without HTTP/2: most likely the server refuses the client certificate without a TLS alert (see tls.client-cert.inconclusive above): check that its issuer is a CA the server accepts (on Temporal Cloud: tcld namespace accepted-client-ca list) and that it is not expired. Less likely: a TLS terminator in front of the server with no backend.`,
          }
        );
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
      return fail(
        'grpc.transport.silent',
        `Server at ${where} accepted the connection but sent nothing within ${answer.waitedMs} ms of the HTTP/2 preface`,
        {
          evidence: ev(`no answer in ${answer.waitedMs} ms`),
          ...(cause ? { cause } : {}),
          durationMs,
          fix: `Something accepts connections on ${where} but does not speak gRPC: a firewall or proxy that swallows traffic, or the wrong port. Check ${address}, and any proxy in between.`,
        }
      );
    case 'http2':
    case 'error':
      return fail(
        'grpc.connect.deadline',
        `The SDK could not connect within ${f.connectTimeoutMs} ms, and its error does not say why`,
        {
          evidence: ev(answer.kind === 'http2' ? 'the server answers HTTP/2' : `probe failed: ${answer.message}`),
          ...(cause ? { cause } : {}),
          durationMs,
          fix: 'Rely on the lower stages above (dns, tcp, tls): they passed, so rerun with a larger --timeout in case the server is only slow, and compare with the Worker stack (--stack worker), whose errors name the cause.',
        }
      );
  }
}

/**
 * An ingress in front of the server answered the gRPC request with a page of its own (nginx, haproxy): the request
 * never reached Temporal, so the SDK's status (UNAVAILABLE retried to a deadline, PERMISSION_DENIED for a 403, INTERNAL
 * for a 400) would point at the wrong place. docs/research/middleboxes.md#grpc-ingresses
 */
export function edgeFailure(edge: EdgeAnswer, f: Pick<FailureContext, 'ctx' | 'built' | 'durationMs'>): CheckResult {
  const who = edge.server ?? 'a proxy or ingress';
  const where = f.built.options.address;
  const said = `HTTP ${edge.status}${edge.excerpt ? ` "${edge.excerpt}"` : ''}`;
  const details = {
    evidence: evidence({
      address: describeDial(f.built),
      tls: f.built.options.tls ? 'on' : 'off',
      ...authEvidence(f.ctx.facts.config),
      'answered by': who,
      'HTTP answer': said,
      'content type': 'not application/grpc: the answer came from the ingress, not from Temporal',
      'SDK connect':
        'not waited for: grpc-js retries this answer until its deadline, then says only UNAVAILABLE or DEADLINE_EXCEEDED',
    }),
    durationMs: f.durationMs,
  };
  switch (edge.kind) {
    case 'no-backend':
      return fail('grpc.edge.no-backend', `${who} at ${where} has no healthy backend: it answered ${said}`, {
        ...details,
        fix: `The TLS terminator / load balancer in front of Temporal is reachable, but its upstream (the Temporal frontend) is down or not reachable from it: check the frontend, and the upstream address and protocol in the proxy's config (nginx: grpc_pass grpc:// for a plaintext frontend, grpcs:// for TLS; haproxy: the backend's health). The SDK sees UNAVAILABLE and retries until its deadline.`,
      });
    case 'forbidden':
      return fail(
        'grpc.edge.forbidden',
        `${who} at ${where} refused the request with ${said} before it reached Temporal`,
        {
          ...details,
          fix: `This is the ingress's own access rule, not a Temporal namespace permission (the SDK reports both as PERMISSION_DENIED): if it checks client certificates, set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH) to one signed by the CA it trusts; otherwise ask its owner to allow this client.`,
        }
      );
    case 'not-grpc':
      return fail('grpc.edge.not-grpc', `${who} at ${where} answered a gRPC request with ${said}, not gRPC`, {
        ...details,
        fix: `Point ${settingRef(f.ctx.facts.config.address, 'address')} at the route or port that forwards gRPC to the Temporal frontend (nginx: a location with grpc_pass); this one serves something else.`,
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
