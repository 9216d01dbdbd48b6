// The shared state of one tls stage run with TLS on, and small helpers its parts use.
import type { X509Certificate } from 'node:crypto';
import type { CheckResult, Evidence } from '../../pipeline/types.js';
import { evidence } from '../../pipeline/check.js';
import type { ResolvedConfig } from '../../config/resolved-config.js';
import type { TlsProbeOptions, TlsProbeResult } from '../../net/tls-probe.js';
import type { TlsAlert } from '../../net/tls-alerts.js';
import { summarizeCertificate } from '../../knowledge/x509.js';
import type { PemFacts, EndpointFacts, TcpFacts, EdgeAnswer } from '../../facts.js';

/** What every probe of this stage shares: where it dials and how it names itself. */
export type ProbeBase = Pick<
  TlsProbeOptions,
  | 'address'
  | 'family'
  | 'port'
  | 'verifyName'
  | 'servername'
  | 'signal'
  | 'slowAnswer'
  | 'reuseConnection'
  | 'openConnection'
>;

/** One run of the stage with TLS on: its inputs, the checks found so far, and the probes it may make. */
export interface TlsRun {
  readonly config: ResolvedConfig;
  readonly pem: PemFacts;
  readonly endpoint: EndpointFacts;
  readonly tcp: TcpFacts;
  readonly base: ProbeBase;
  /** host:port of the address the handshakes go to. */
  readonly where: string;
  readonly now: Date;
  readonly warnDays: number;
  readonly checks: CheckResult[];
  /** The trust the chain is judged against, for evidence: the configured CA or Node's roots. */
  readonly trust: string;
  readonly caName: string | undefined;
  /** One handshake within what is left of the stage's budget. */
  probe(
    extra: Pick<TlsProbeOptions, 'ca' | 'rejectUnauthorized' | 'clientCert'> & { servername?: string },
    postHandshake?: boolean
  ): Promise<TlsProbeResult>;
  /** The client certificate and key to present, when both are configured. */
  clientPair(): { cert: string; key: string } | undefined;
  /** An ingress's non-gRPC HTTP answer on the handshake the SDK makes, handed to the grpc stage. */
  edgeAnswer?: EdgeAnswer;
  /** The mTLS connection closed right after the handshake, without an alert or any HTTP/2 byte. */
  closedAfterClientCert?: { ms: number; reset: boolean };
  /** What the certificate-less handshake drew after it: an HTTP/2 answer, an alert, a close, nothing. */
  inspectAfter?: string;
  /** The certificate-less handshake drew an HTTP/2 answer (SETTINGS or a response). */
  inspectAnsweredHttp2?: boolean;
}

/** The evidence every handshake check starts with. */
export function probeEvidence(
  run: TlsRun,
  probe: TlsProbeResult,
  extra: Record<string, string | number | undefined> = {}
): Evidence[] {
  return evidence({
    address: run.where,
    'server name (SNI)': run.base.servername ?? `none (IP literal; certificate checked for ${run.base.verifyName})`,
    trust: run.trust,
    waited: `${probe.ms} ms`,
    ...extra,
  });
}

export function postHandshakeWait(remainingMs: number): number {
  return Math.max(0, Math.min(500, remainingMs - 50));
}

export function isCertificateDemand(alert: TlsAlert): boolean {
  return alert.name === 'certificate required';
}

export function alertText(alert: TlsAlert): string {
  return `TLS alert ${alert.number ?? '?'} ${alert.name.replace(/ /g, '_')}`;
}

export function sanList(cert: X509Certificate): string[] {
  return cert.subjectAltName ? cert.subjectAltName.split(', ') : [];
}

export function chainEvidenceOf(chain: X509Certificate[]): Evidence[] {
  return chain.flatMap((cert, i) => {
    const s = summarizeCertificate(cert);
    const prefix = chain.length > 1 ? `certificate ${i + 1} ` : 'certificate ';
    return evidence({
      [`${prefix}subject`]: s.subject,
      [`${prefix}SANs`]: s.subjectAltNames.join(', ') || undefined,
      [`${prefix}issuer`]: s.issuer,
      [`${prefix}valid`]: `${s.validFrom} to ${s.validTo}`,
      [`${prefix}SHA-256`]: s.fingerprint256,
    });
  });
}
