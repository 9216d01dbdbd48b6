// A TLS handshake that did not complete, taken apart by what came back: nothing, a reset, plaintext or HTTP, a TLS
// alert (untrusted chain, name, protocol, a certificate demanded or rejected inside a TLS 1.2 handshake).
import { fail } from '../../pipeline/check.js';
import { describeSource, settingRef } from '../../config/setting-names.js';
import type { TlsProbeResult } from '../../net/tls-probe.js';
import { httpStatusLine, hexPreview } from '../../net/peer-bytes.js';
import { CLIENT_CERT_REJECTION_ALERTS, NOT_TLS_CODES, type TlsAlert } from '../../net/tls-alerts.js';
import { type TlsRun, probeEvidence, isCertificateDemand, alertText } from './session.js';
import { certificateRequired, certificateRejected } from './client-certificate.js';
import { oneLineName } from '../../knowledge/x509.js';

/** `withoutCert`: the certificate-less handshake that came before, when it failed too (it changes what 40 means). */
export function handshakeFailure(
  run: TlsRun,
  probe: TlsProbeResult,
  clientCertSent: boolean,
  withoutCert?: TlsProbeResult
): void {
  const failure = probe.failure;
  const received = probe.received;
  const durationMs = probe.ms;
  const cause = failure
    ? { cause: { name: 'Error', ...(failure.code ? { code: failure.code } : {}), message: failure.message } }
    : {};
  const tlsName = settingRef(run.config.tlsExplicit ?? run.config.tls, 'tls');

  if (probe.reached === 'tcp') {
    run.checks.push(
      fail('tls.connect.failed', `Could not reconnect to ${run.where} for the TLS handshake: ${probe.tcp.outcome}`, {
        durationMs,
        evidence: probeEvidence(run, probe, { tcp: `${probe.tcp.outcome} after ${probe.tcp.ms} ms` }),
        fix: 'The server stopped accepting connections between the tcp and tls checks: rerun; if it repeats, the server or a load balancer is flapping.',
        ...(probe.tcp.code
          ? { cause: { name: 'Error', code: probe.tcp.code, message: probe.tcp.message ?? probe.tcp.code } }
          : {}),
      })
    );
    return;
  }
  if (received.guess === 'http1') {
    const status = httpStatusLine(received.first);
    run.checks.push(
      fail(
        'tls.server.http1',
        `${run.where} answered the TLS handshake with plaintext HTTP/1.x${status ? ` (${status})` : ''}: it is a web server, not a TLS gRPC endpoint`,
        {
          durationMs,
          evidence: probeEvidence(run, probe, { 'first bytes': status ?? hexPreview(received.first) }),
          ...cause,
          fix: `Point ${settingRef(run.config.address, 'address')} at the Temporal frontend's gRPC port (7233 by default), not a web UI or HTTP service port.`,
        }
      )
    );
    return;
  }
  if (
    received.guess === 'http2' ||
    received.guess === 'unknown' ||
    (failure?.code !== undefined && NOT_TLS_CODES.has(failure.code))
  ) {
    const what =
      received.guess === 'http2'
        ? 'with HTTP/2 frames: a plaintext HTTP/2 server, as gRPC is'
        : `in plaintext (${hexPreview(received.first)})`;
    run.checks.push(
      fail('tls.server.plaintext', `${run.where} does not speak TLS: it answered the ClientHello ${what}`, {
        durationMs,
        evidence: probeEvidence(run, probe, {
          'first bytes': hexPreview(received.first),
          tls: `on (${describeSource(run.config.tls.source)})`,
        }),
        ...cause,
        fix: `Turn TLS off for this server (--tls=false, or remove ${tlsName})${run.config.apiKey ? '; note that the API key then travels unencrypted' : ''}, or point ${settingRef(run.config.address, 'address')} at the server's TLS port.`,
      })
    );
    return;
  }
  if (failure?.kind === 'timeout') {
    run.checks.push(
      fail(
        'tls.handshake.timeout',
        `${run.where} accepted TCP but ${received.bytes === 0 ? 'sent nothing' : `stalled after ${received.bytes} bytes`} within ${durationMs} ms of the TLS ClientHello`,
        {
          durationMs,
          evidence: probeEvidence(run, probe, { 'bytes received': received.bytes }),
          fix: `Something accepts connections on port ${run.endpoint.port} but does not complete TLS (a firewall or proxy that swallows traffic, a wrong port, or an overloaded server). The Worker hangs forever here and the Client fails after 10 s; check the port and anything between you and the server.`,
        }
      )
    );
    return;
  }
  if (failure?.kind === 'alert' && failure.alert) {
    alertDuringHandshake(run, probe, failure.alert, clientCertSent, cause, withoutCert);
    return;
  }
  if (failure?.kind === 'verify') {
    // Only the enforced (mTLS) handshake raises these; the inspect handshake already reported the chain.
    run.checks.push(
      fail(
        'tls.server-chain.untrusted',
        `Server certificate did not verify during the mTLS handshake (${failure.code ?? failure.message})`,
        {
          durationMs,
          evidence: probeEvidence(run, probe),
          ...cause,
          fix: `Point ${run.caName ?? '--tls-ca-path'} at the CA that issued the server certificate.`,
        }
      )
    );
    return;
  }
  if (failure?.kind === 'reset' || failure?.kind === 'closed') {
    run.checks.push(
      fail(
        `tls.handshake.${failure.kind}`,
        `${run.where} ${failure.kind === 'reset' ? 'reset' : 'closed'} the connection during the TLS handshake without a TLS alert`,
        {
          durationMs,
          evidence: probeEvidence(run, probe, { 'bytes received': received.bytes }),
          ...cause,
          fix: `The server or something in front of it dropped the ClientHello without a byte: a load balancer in TCP (passthrough) mode with no healthy backend (it accepts the connection, then closes it: check its backend), a proxy or firewall filtering TLS, a server that expects another server name (SNI ${run.base.servername ?? 'none'}), or a plaintext server that hangs up on TLS (try --tls=false).`,
        }
      )
    );
    return;
  }
  run.checks.push(
    fail('tls.handshake.failed', `TLS handshake with ${run.where} failed: ${failure?.message ?? 'unknown error'}`, {
      durationMs,
      evidence: probeEvidence(run, probe),
      ...cause,
      fix: 'Check the TLS settings against what the server expects; rerun with -o markdown and attach the report if the cause is unclear.',
    })
  );
}

export function alertDuringHandshake(
  run: TlsRun,
  probe: TlsProbeResult,
  alert: TlsAlert,
  clientCertSent: boolean,
  cause: object,
  withoutCert?: TlsProbeResult
): void {
  const details = { durationMs: probe.ms, evidence: probeEvidence(run, probe, { alert: alertText(alert) }), ...cause };
  if (alert.name === 'no application protocol') {
    run.checks.push(
      fail(
        'tls.alpn.no-h2',
        `${run.where} refused ALPN h2 (${alertText(alert)}): it does not serve HTTP/2 over TLS, so gRPC cannot run`,
        {
          ...details,
          fix: 'Point the address at the gRPC port, or configure the load balancer / TLS terminator in front of Temporal to offer ALPN h2 (HTTP/2).',
        }
      )
    );
    return;
  }
  if (isCertificateDemand(alert) && !clientCertSent) {
    run.checks.push(certificateRequired(run, probe, alert));
    return;
  }
  if (clientCertSent && CLIENT_CERT_REJECTION_ALERTS.has(alert.name)) {
    run.checks.push(certificateRejected(run, probe, alert));
    return;
  }
  if (alert.name === 'unrecognized name') {
    run.checks.push(
      fail(
        'tls.server-name.unrecognized',
        `${run.where} does not serve the server name ${run.base.servername ?? '(none sent)'} (${alertText(alert)})`,
        {
          ...details,
          fix: `Set ${settingRef(run.config.serverName, 'tlsServerName')} to the name the server is configured for (on Temporal Cloud, the namespace endpoint <name>.<account-id>.tmprl.cloud).`,
        }
      )
    );
    return;
  }
  if (
    alert.name === 'handshake failure' &&
    clientCertSent &&
    withoutCert?.failure?.alert?.name === 'handshake failure'
  ) {
    // 40 with and without the certificate: either no shared version or cipher, or a TLS 1.2 server that refuses this
    // certificate with 40 too. The certificate-less handshake alone cannot tell, so say both.
    run.checks.push(
      fail(
        'tls.handshake.alert',
        `${run.where} aborted the TLS handshake with ${alertText(alert)}, with and without the client certificate`,
        {
          ...details,
          fix: `Either the server does not accept the client certificate (its issuer ${run.pem.clientCert ? oneLineName(run.pem.clientCert.issuer) : 'unknown'} must be a CA it trusts; TLS 1.2 servers refuse a certificate with this alert too), or client and server share no TLS version or cipher suite (the SDK needs TLS 1.2 or 1.3 with modern ciphers).`,
        }
      )
    );
    return;
  }
  run.checks.push(
    fail('tls.handshake.alert', `${run.where} aborted the TLS handshake with ${alertText(alert)}`, {
      ...details,
      fix:
        alert.name === 'handshake failure' && !clientCertSent
          ? 'Client and server share no TLS version or cipher suite (the SDK needs TLS 1.2 or 1.3 with modern ciphers; update the server or the TLS terminator in front of it), or a TLS 1.2 server requires a client certificate, which it refuses with this same alert: if so, set --tls-cert-path and --tls-key-path (TEMPORAL_TLS_CLIENT_CERT_PATH, TEMPORAL_TLS_CLIENT_KEY_PATH).'
          : alert.name === 'protocol version' ||
              alert.name === 'insufficient security' ||
              alert.name === 'handshake failure'
            ? 'Client and server share no TLS version or cipher suite: the SDK needs TLS 1.2 or 1.3 with modern ciphers; update the server or the TLS terminator in front of it.'
            : 'Check the server logs for why it rejected the handshake; rerun with -o markdown and attach the report if the cause is unclear.',
    })
  );
}
