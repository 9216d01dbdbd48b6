// Which CA does the server accept client certificates from? Under TLS 1.2 the CertificateRequest travels in clear and
// names them (net/tls12-hello.ts); under TLS 1.3 it is encrypted, so a TLS 1.3-only server keeps it to itself
// (docs/research/middleboxes.md#client-certificate-rejection). Compared with the issuer chain of the configured
// client certificate, it turns "rejected" and "closed after the certificate" into "accepts CN=X; yours is CN=Y".
import type { X509Certificate } from 'node:crypto';
import type { Evidence } from '../../pipeline/types.js';
import { evidence } from '../../pipeline/check.js';
import { probeTls12FirstFlight } from '../../net/tls12-hello.js';
import { certificateNames, nameText, sameName } from '../../knowledge/der-names.js';
import { oneLineName } from '../../knowledge/x509.js';
import { sanitize } from '../../text/sanitize.js';
import type { TlsRun } from './session.js';

export type AcceptedCas =
  /** The server named the CAs it accepts; `matches` says whether the client chain leads to one of them. */
  | { kind: 'listed'; names: string[]; matches: boolean | undefined }
  /** It asks for a certificate but names no CA (any issuer it trusts may do). */
  | { kind: 'unnamed' }
  | { kind: 'not-requested' }
  /** Nothing could be seen, and why. */
  | { kind: 'hidden'; why: string };

const PROBE_MS = 1000;

export async function readAcceptedCas(run: TlsRun, timeoutMs: number, signal: AbortSignal): Promise<AcceptedCas> {
  // The raw ClientHello dials directly: through a proxy the path the SDK takes is the tunnel, and a direct dial may be
  // blocked (egress-only networks) or reach another server.
  if (run.base.openConnection)
    return {
      kind: 'hidden',
      why: 'the connection goes through a proxy tunnel, and the doctor reads the accepted CAs only on a direct path',
    };
  const flight = await probeTls12FirstFlight(
    {
      address: run.base.address,
      family: run.base.family,
      port: run.base.port,
      ...(run.base.servername ? { servername: run.base.servername } : {}),
    },
    { signal, timeoutMs: Math.min(PROBE_MS, timeoutMs) }
  );
  switch (flight.kind) {
    case 'tls12': {
      if (!flight.requestsCertificate) return { kind: 'not-requested' };
      if (flight.certificateAuthorities.length === 0) return { kind: 'unnamed' };
      const names = flight.certificateAuthorities.map((der) => sanitize(nameText(der) ?? 'an unreadable name', 200));
      return { kind: 'listed', names, matches: chainMatches(run.pem.clientChain ?? [], flight.certificateAuthorities) };
    }
    case 'alert':
      return flight.number === 70
        ? {
            kind: 'hidden',
            why: 'the server speaks TLS 1.3 only, where the CertificateRequest (the list of accepted CAs) is encrypted',
          }
        : { kind: 'hidden', why: `a TLS 1.2 ClientHello got alert ${flight.number} ${flight.name.replace(/ /g, '_')}` };
    default:
      return { kind: 'hidden', why: `a TLS 1.2 ClientHello got no readable answer (${sanitize(flight.why, 120)})` };
  }
}

/** Whether the chain's issuers (or an intermediate it carries) are among the names; undefined if unreadable. */
function chainMatches(chain: X509Certificate[], accepted: Uint8Array[]): boolean | undefined {
  if (chain.length === 0) return undefined;
  const names = chain.map((cert, i) => ({ parsed: certificateNames(new Uint8Array(cert.raw)), intermediate: i > 0 }));
  if (names.some((n) => !n.parsed)) return undefined;
  const candidates = names.flatMap((n) =>
    n.parsed ? [n.parsed.issuer, ...(n.intermediate ? [n.parsed.subject] : [])] : []
  );
  return accepted.some((name) => candidates.some((candidate) => sameName(name, candidate)));
}

export function acceptedCasEvidence(found: AcceptedCas): Evidence[] {
  switch (found.kind) {
    case 'listed':
      return evidence({ 'CAs the server accepts (TLS 1.2 CertificateRequest)': found.names.join('; ') });
    case 'unnamed':
      return evidence({ 'CAs the server accepts': 'it asks for a client certificate but names no CA' });
    case 'not-requested':
      return evidence({ 'CAs the server accepts': 'a TLS 1.2 handshake asks for no client certificate' });
    case 'hidden':
      return evidence({ 'CAs the server accepts': `not visible: ${found.why}` });
  }
}

/** "the server accepts client certificates issued by CN=X; yours is issued by CN=Y", when that is what was seen. */
export function mismatchText(run: TlsRun, found: AcceptedCas): string | undefined {
  if (found.kind !== 'listed' || found.matches !== false || !run.pem.clientCert) return undefined;
  return `the server accepts client certificates issued by ${found.names.join(' or ')}; yours is issued by ${oneLineName(run.pem.clientCert.issuer)}`;
}
