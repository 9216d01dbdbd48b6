// What the server did with the client certificate: after a certificate-less handshake (TLS 1.3 servers demand one
// only after it, as an alert), and after the mTLS handshake (accepted, rejected with an alert, or a silent hang-up).
import type { CheckResult, Evidence } from '../../pipeline/types.js';
import { evidence, fail, pass, warn } from '../../pipeline/check.js';
import { settingRef } from '../../config/setting-names.js';
import type { TlsProbeResult } from '../../net/tls-probe.js';
import { httpStatusLine, hexPreview } from '../../net/peer-bytes.js';
import { CLIENT_CERT_REJECTION_ALERTS, type TlsAlert } from '../../net/tls-alerts.js';
import { isoDate, oneLineName } from '../../knowledge/x509.js';
import { type TlsRun, probeEvidence, isCertificateDemand, alertText } from './session.js';
import { classifyHttpAnswer, type EdgeRejection } from '../../knowledge/edge-rejection.js';
import type { HttpAnswer } from '../../net/http2-exchange.js';
import { sanitize } from '../../text/sanitize.js';

type CertRejection = Extract<EdgeRejection, { kind: 'client-cert-missing' | 'client-cert-rejected' }>;

/** "nginx/1.22.1 answered HTTP 400 (400 No required SSL certificate was sent)". */
export function answeredText(answer: HttpAnswer, excerpt: string): string {
  const who = answer.server ? sanitize(answer.server, 60) : 'the server';
  return `${who} answered HTTP ${answer.status}${excerpt ? ` "${excerpt}"` : ''}`;
}

function httpEvidence(answer: HttpAnswer, excerpt: string): Record<string, string | undefined> {
  return {
    'HTTP answer': `${answer.status}${answer.contentType ? ` (${sanitize(answer.contentType, 60)})` : ''}`,
    'server header': answer.server ? sanitize(answer.server, 60) : undefined,
    'its words': excerpt || undefined,
  };
}

/** Notes a non-gRPC answer an ingress gave to the handshake the SDK makes, for the grpc stage. */
function noteEdge(run: TlsRun, rejection: EdgeRejection, answer: HttpAnswer): void {
  if (
    rejection.kind === 'grpc' ||
    rejection.kind === 'client-cert-missing' ||
    rejection.kind === 'client-cert-rejected'
  )
    return;
  run.edgeAnswer = {
    kind: rejection.kind,
    status: rejection.status,
    excerpt: rejection.excerpt,
    ...(answer.server ? { server: sanitize(answer.server, 60) } : {}),
  };
}

/** Reads what the server did after the certificate-less handshake; returns whether it demanded a certificate. */
export function afterInspect(run: TlsRun, probe: TlsProbeResult): boolean {
  const after = probe.after;
  const hasClientCert = run.clientPair() !== undefined;
  if (!after) return false;
  run.inspectAfter = describeAfter(after);
  run.inspectAnsweredHttp2 =
    after.outcome === 'http-answer' ||
    ((after.outcome === 'quiet' || after.outcome === 'closed' || after.outcome === 'reset') &&
      after.settings === true) ||
    (after.outcome === 'server-data' && after.first[3] === 4);
  if (after.outcome === 'http-answer') {
    const rejection = classifyHttpAnswer(after.answer);
    if (rejection.kind === 'client-cert-missing' || rejection.kind === 'client-cert-rejected') {
      if (!hasClientCert) run.checks.push(ingressCertificateRequired(run, probe, rejection, after.answer));
      return true;
    }
    if (!hasClientCert) noteEdge(run, rejection, after.answer);
    return false;
  }
  if (after.outcome === 'alert') {
    if (isCertificateDemand(after.alert)) {
      if (!hasClientCert) run.checks.push(certificateRequired(run, probe, after.alert));
      return true;
    }
    if (!hasClientCert) {
      run.checks.push(
        fail('tls.session.alert', `${run.where} sent ${alertText(after.alert)} right after the handshake`, {
          durationMs: probe.ms,
          evidence: probeEvidence(run, probe, { alert: alertText(after.alert), 'after handshake': `${after.ms} ms` }),
          cause: { name: 'Error', ...(after.code ? { code: after.code } : {}), message: after.message },
          fix: 'The server rejected the connection after the handshake; if it expects mTLS, set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH).',
        })
      );
    }
    return false;
  }
  if ((after.outcome === 'closed' || after.outcome === 'reset') && !after.settings && !hasClientCert) {
    run.checks.push(
      warn(
        'tls.client-cert.inconclusive',
        `${run.where} ${after.outcome === 'reset' ? 'reset' : 'closed'} the connection ${after.ms} ms after the handshake, without a TLS alert`,
        {
          durationMs: probe.ms,
          evidence: probeEvidence(run, probe, { 'after handshake': `${after.outcome} after ${after.ms} ms` }),
          fix: 'The server may require a client certificate (mTLS) and drop clients without one: if so, set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH); the grpc check below shows whether requests get through.',
        }
      )
    );
    return false;
  }
  if (after.outcome === 'server-data' && after.first.subarray(0, 5).toString('latin1') === 'HTTP/') {
    run.checks.push(
      fail(
        'tls.server.http1',
        `${run.where} speaks HTTP/1.x over TLS (${httpStatusLine(after.first) ?? 'HTTP/1.x response'}), not HTTP/2 gRPC`,
        {
          durationMs: probe.ms,
          evidence: probeEvidence(run, probe, {
            'first response': httpStatusLine(after.first) ?? hexPreview(after.first),
          }),
          fix: `Point ${settingRef(run.config.address, 'address')} at the Temporal frontend's gRPC port; this is an HTTPS web server or a load balancer listener without HTTP/2.`,
        }
      )
    );
  }
  return false;
}

/** The verdict on the client certificate, after an mTLS handshake that completed. */
export function clientCertVerdict(run: TlsRun, probe: TlsProbeResult): void {
  const subject = run.pem.clientCert ? oneLineName(run.pem.clientCert.subject) : 'configured';
  const after = probe.after;
  if (after?.outcome === 'alert') {
    run.checks.push(
      isCertificateDemand(after.alert) || CLIENT_CERT_REJECTION_ALERTS.has(after.alert.name)
        ? certificateRejected(run, probe, after.alert)
        : fail('tls.session.alert', `${run.where} sent ${alertText(after.alert)} after the mTLS handshake`, {
            durationMs: probe.ms,
            evidence: probeEvidence(run, probe, { alert: alertText(after.alert) }),
            cause: { name: 'Error', ...(after.code ? { code: after.code } : {}), message: after.message },
            fix: 'Check the server logs for why it dropped the connection after the handshake.',
          })
    );
    return;
  }
  if (after?.outcome === 'http-answer') {
    const rejection = classifyHttpAnswer(after.answer);
    if (rejection.kind === 'client-cert-missing' || rejection.kind === 'client-cert-rejected') {
      run.checks.push(ingressCertificateRejected(run, probe, rejection, after.answer));
      return;
    }
    noteEdge(run, rejection, after.answer);
    const how =
      rejection.kind === 'grpc'
        ? 'a gRPC request over it got a gRPC answer'
        : `the handshake completed; ${answeredText(after.answer, rejection.excerpt)}, judged in the grpc stage`;
    run.checks.push(
      pass('tls.client-cert.accepted', `Server accepted the client certificate ${subject} (${how})`, {
        durationMs: probe.ms,
        evidence: [...probeEvidence(run, probe), ...clientCertEvidence(run)],
      })
    );
    return;
  }
  if ((after?.outcome === 'closed' || after?.outcome === 'reset') && !after.settings) {
    run.closedAfterClientCert = { ms: after.ms, reset: after.outcome === 'reset' };
    run.checks.push(
      warn(
        'tls.client-cert.inconclusive',
        `${run.where} ${after.outcome === 'reset' ? 'reset' : 'closed'} the connection ${after.ms} ms after receiving the client certificate ${subject}, without a TLS alert`,
        {
          durationMs: probe.ms,
          evidence: [
            ...probeEvidence(run, probe, { 'after handshake': `${after.outcome} after ${after.ms} ms` }),
            ...clientCertEvidence(run),
          ],
          fix: `The server most likely rejected the client certificate (some servers hang up without an alert): check that the CA that issued it (${clientIssuer(run)}) is accepted by the server or namespace (tcld namespace accepted-client-ca list), and that it is not expired or filtered out.`,
        }
      )
    );
    return;
  }
  const how =
    after?.outcome === 'server-data' || (after?.outcome === 'quiet' && after.settings)
      ? 'the server answered the HTTP/2 preface'
      : after?.outcome === 'closed' || after?.outcome === 'reset'
        ? 'the server spoke HTTP/2, then closed the connection on the request: judged in the grpc stage'
        : `no rejection within ${after?.ms ?? 0} ms`;
  run.checks.push(
    pass('tls.client-cert.accepted', `Server accepted the client certificate ${subject} (${how})`, {
      durationMs: probe.ms,
      evidence: [...probeEvidence(run, probe), ...clientCertEvidence(run)],
    })
  );
}

export function certificateRequired(run: TlsRun, probe: TlsProbeResult, alert: TlsAlert): CheckResult {
  const cloudApiKey = run.endpoint.kind === 'cloud-namespace' && run.config.apiKey !== undefined;
  return fail(
    'tls.client-cert.required',
    `${run.where} requires a client certificate (${alertText(alert)}) and none is configured`,
    {
      durationMs: probe.ms,
      evidence: probeEvidence(run, probe, {
        alert: alertText(alert),
        'API key': run.config.apiKey ? `set (${run.config.apiKey.source.name})` : undefined,
      }),
      cause: { name: 'Error', message: `server sent ${alertText(alert)}` },
      fix: cloudApiKey
        ? `This namespace endpoint authenticates with mTLS, so the API key is not enough here: either use the regional endpoint shown on the namespace page (<region>.<cloud>.api.temporal.io:7233) for API keys, or set --tls-cert-path and --tls-key-path to a client certificate signed by a CA uploaded to the namespace.`
        : 'Set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH) to a client certificate and key signed by a CA the server accepts.',
    }
  );
}

export function certificateRejected(run: TlsRun, probe: TlsProbeResult, alert: TlsAlert): CheckResult {
  const subject = run.pem.clientCert ? oneLineName(run.pem.clientCert.subject) : 'configured';
  return fail(
    'tls.client-cert.rejected',
    `${run.where} rejected the client certificate ${subject} (${alertText(alert)})`,
    {
      durationMs: probe.ms,
      evidence: [...probeEvidence(run, probe, { alert: alertText(alert) }), ...clientCertEvidence(run)],
      cause: { name: 'Error', message: `server sent ${alertText(alert)}` },
      fix: `The server does not accept this certificate: its issuer (${clientIssuer(run)}) must be a CA the server trusts (on Temporal Cloud, upload it with tcld namespace accepted-client-ca add), the certificate must not be expired, must allow clientAuth, and must pass any certificate filters.`,
    }
  );
}

export function clientIssuer(run: TlsRun): string {
  return run.pem.clientCert ? oneLineName(run.pem.clientCert.issuer) : 'unknown';
}

export function clientCertEvidence(run: TlsRun): Evidence[] {
  const cert = run.pem.clientCert;
  return cert
    ? evidence({
        'client certificate': oneLineName(cert.subject),
        'client issuer': oneLineName(cert.issuer),
        'client valid to': isoDate(cert.validTo),
      })
    : [];
}

/** The after-handshake outcome in a few words, for evidence. */
export function describeAfter(after: NonNullable<TlsProbeResult['after']>): string {
  switch (after.outcome) {
    case 'http-answer':
      return `HTTP ${after.answer.status}${after.answer.contentType ? ` ${sanitize(after.answer.contentType, 40)}` : ''} after ${after.ms} ms`;
    case 'alert':
      return `${alertText(after.alert)} after ${after.ms} ms`;
    case 'closed':
    case 'reset':
      return `${after.outcome} after ${after.ms} ms without an alert`;
    case 'quiet':
      return `${after.settings ? 'HTTP/2 SETTINGS, then ' : ''}no answer within ${after.ms} ms`;
    case 'server-data':
      return `${after.first.length} bytes after ${after.ms} ms`;
  }
}

/** An ingress (nginx `ssl_verify_client on`) completed the handshake, then refused the request: no certificate. */
function ingressCertificateRequired(
  run: TlsRun,
  probe: TlsProbeResult,
  rejection: CertRejection,
  answer: HttpAnswer
): CheckResult {
  const said = answeredText(answer, rejection.excerpt);
  return fail(
    'tls.client-cert.required',
    `${run.where} requires a client certificate and none is configured (${said})`,
    {
      durationMs: probe.ms,
      evidence: probeEvidence(run, probe, httpEvidence(answer, rejection.excerpt)),
      cause: { name: 'Error', message: `HTTP ${answer.status}: ${rejection.excerpt}` },
      fix: 'The TLS terminator in front of the server (an ingress such as nginx with ssl_verify_client) asks every client for a certificate: set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH) to a client certificate and key signed by the CA it accepts. The address is right.',
    }
  );
}

/** An ingress completed the mTLS handshake, then refused the request because the certificate did not verify. */
function ingressCertificateRejected(
  run: TlsRun,
  probe: TlsProbeResult,
  rejection: CertRejection,
  answer: HttpAnswer
): CheckResult {
  const subject = run.pem.clientCert ? oneLineName(run.pem.clientCert.subject) : 'configured';
  const said = answeredText(answer, rejection.excerpt);
  return fail('tls.client-cert.rejected', `${run.where} rejected the client certificate ${subject} (${said})`, {
    durationMs: probe.ms,
    evidence: [...probeEvidence(run, probe, httpEvidence(answer, rejection.excerpt)), ...clientCertEvidence(run)],
    cause: { name: 'Error', message: `HTTP ${answer.status}: ${rejection.excerpt}` },
    fix: `The TLS terminator in front of the server (an ingress such as nginx with ssl_verify_client) completed the handshake but does not accept this certificate: its issuer (${clientIssuer(run)}) must be the CA it verifies client certificates with (nginx: ssl_client_certificate), and the certificate must not be expired. The address is right.`,
  });
}
