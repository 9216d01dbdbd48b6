// X.509 certificates and keys: display (one-line names, ISO dates, the one certificate summary), key/certificate
// matching, the certificate properties one of the two SDK stacks rejects (lint), and a minimal DER reader for the
// fields Node does not expose (version, signature algorithm). Pure: parsing is Node's crypto.
import { createPublicKey, type X509Certificate, type KeyObject } from 'node:crypto';
import { sanitize } from '../text/sanitize.js';

/** Whether a private key belongs to a certificate: their public keys are the same. */
export function keyMatchesCertificate(key: KeyObject, cert: X509Certificate): boolean {
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' });
  return fromKey.equals(fromCert);
}

/** Safe to show: type, curve or size, and the PEM format. Never the key. */
export function describeKey(key: KeyObject, label?: string): string {
  const details = key.asymmetricKeyDetails ?? {};
  const type = (key.asymmetricKeyType ?? 'unknown').toUpperCase();
  const size = details.namedCurve ?? (details.modulusLength ? `${details.modulusLength} bits` : undefined);
  const format =
    label === 'RSA PRIVATE KEY'
      ? 'PKCS#1'
      : label === 'EC PRIVATE KEY'
        ? 'SEC1'
        : label === 'PRIVATE KEY'
          ? 'PKCS#8'
          : label;
  return [type, size, format ? `(${format})` : undefined].filter(Boolean).join(' ');
}

export function oneLineName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/** A certificate as evidence shows it: names on one line, dates in ISO 8601. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  isCa: boolean;
}

/**
 * A certificate date (X509Certificate.validFrom/validTo) as ISO 8601. A damaged certificate can carry a time that is
 * no date at all, and `toISOString()` throws on that: show it as it is instead.
 */
export function isoDate(text: string): string {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? `${sanitize(text, 60)} (not a valid date)` : date.toISOString();
}

export function summarizeCertificate(cert: X509Certificate): CertificateSummary {
  return {
    subject: oneLineName(cert.subject),
    issuer: oneLineName(cert.issuer),
    subjectAltNames: cert.subjectAltName ? cert.subjectAltName.split(', ') : [],
    validFrom: isoDate(cert.validFrom),
    validTo: isoDate(cert.validTo),
    fingerprint256: cert.fingerprint256,
    isCa: cert.ca,
  };
}

export type CertRole = 'client' | 'ca';

export type CertRule =
  'expired' | 'not-yet-valid' | 'expiring' | 'v1' | 'sha1' | 'is-ca' | 'no-client-auth' | 'cn-only';

export interface CertFinding {
  rule: CertRule;
  status: 'warn' | 'fail';
  /** One line, no final period; the stage prefixes which certificate. */
  problem: string;
  /** Why it matters, naming the stack that rejects it. */
  why: string;
}

const DAY_MS = 86_400_000;

/**
 * Rules for a certificate by its role. Client: the leaf we present. CA: each certificate of the server CA bundle.
 * Time rules use `now` (the clock the TLS libraries will use, so skew shows up as not-yet-valid).
 */
export function lintCertificate(cert: X509Certificate, role: CertRole, now: Date, warnDays: number): CertFinding[] {
  const findings: CertFinding[] = [];
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() < now.getTime()) {
    findings.push({
      rule: 'expired',
      status: 'fail',
      problem: `expired ${Math.ceil((now.getTime() - notAfter.getTime()) / DAY_MS)} day(s) ago (${notAfter.toISOString()})`,
      why:
        role === 'client'
          ? 'the server rejects an expired client certificate'
          : 'no chain through an expired CA verifies',
    });
  } else if (notBefore.getTime() > now.getTime()) {
    findings.push({
      rule: 'not-yet-valid',
      status: 'fail',
      problem: `is not valid until ${notBefore.toISOString()} (this machine's clock says ${now.toISOString()})`,
      why: 'either the clock here is behind or the certificate was issued with a future start date',
    });
  } else if (notAfter.getTime() - now.getTime() < warnDays * DAY_MS) {
    findings.push({
      rule: 'expiring',
      status: 'warn',
      problem: `expires in ${Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS)} day(s) (${notAfter.toISOString()})`,
      why: 'connections start failing the moment it expires',
    });
  }
  const der = readCertificateDer(cert.raw);
  if (der?.version === 1) {
    findings.push({
      rule: 'v1',
      status: 'warn',
      problem: 'is an X.509 v1 certificate (no extensions)',
      why:
        role === 'client'
          ? 'a v1 certificate carries no key usage or SAN, and rustls-based verifiers reject v1 end-entity certificates (UnsupportedCertVersion)'
          : 'rustls (the Worker) accepts a v1 root but rejects a v1 server certificate (UnsupportedCertVersion), and the recipe that makes v1 CAs makes v1 server certificates too',
    });
  }
  const selfSigned = isSelfSigned(cert);
  if (der && WEAK_SIGNATURES.has(der.signatureOid) && !(role === 'ca' && selfSigned)) {
    findings.push({
      rule: 'sha1',
      status: 'warn',
      problem: `is signed with ${WEAK_SIGNATURES.get(der.signatureOid)}`,
      why: 'rustls (the Worker) and Go (the Temporal Server) reject SHA-1 and MD5 signatures',
    });
  }
  if (role === 'client') {
    if (cert.ca) {
      findings.push({
        rule: 'is-ca',
        status: 'warn',
        problem: 'is a CA certificate (basicConstraints CA:TRUE)',
        why: 'a client certificate should be a leaf issued by the CA; a CA certificate here is usually the wrong file',
      });
    }
    const usages = extendedKeyUsages(cert);
    if (usages && !usages.includes(CLIENT_AUTH_OID) && !usages.includes(ANY_EKU_OID)) {
      findings.push({
        rule: 'no-client-auth',
        status: 'warn',
        problem: 'has an extended key usage without clientAuth',
        why: 'a server that checks key usage (Go, hence the Temporal Server) rejects it for client authentication',
      });
    }
  }
  // A self-signed leaf in the CA slot is the server's own certificate, pinned: then rustls checks its names too.
  if (role === 'ca' && selfSigned && !cert.ca && !cert.subjectAltName) {
    findings.push({
      rule: 'cn-only',
      status: 'warn',
      problem: 'is a self-signed server certificate with a Common Name but no subjectAltName',
      why: 'the Worker (rustls) matches names only against SANs and rejects it (NotValidForName, presented: []); the Client accepts it',
    });
  }
  return findings;
}

/** Subject equals issuer and its own key verifies the signature (checkIssued would also demand keyCertSign). */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}

/** Extended key usage OIDs, or undefined when the certificate has no EKU extension (any usage allowed). */
function extendedKeyUsages(cert: X509Certificate): string[] | undefined {
  // Node names the EKU list `keyUsage`.
  const usages = (cert as unknown as { keyUsage?: string[] }).keyUsage;
  return Array.isArray(usages) && usages.length > 0 ? usages : undefined;
}

const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
const ANY_EKU_OID = '2.5.29.37.0';

/** Signature algorithm OIDs (DER content bytes, hex) that rustls and Go refuse. */
const WEAK_SIGNATURES = new Map<string, string>([
  ['2a864886f70d010105', 'SHA-1 with RSA'],
  ['2a8648ce3d0401', 'ECDSA with SHA-1'],
  ['2a8648ce380403', 'DSA with SHA-1'],
  ['2b0e03021d', 'SHA-1 with RSA (OIW)'],
  ['2a864886f70d010104', 'MD5 with RSA'],
]);

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

function readTlv(der: Buffer, offset: number): Tlv | undefined {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) return undefined;
  let start = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) return undefined;
      length = length * 256 + lengthByte;
    }
    start += count;
  }
  const end = start + length;
  return end <= der.length ? { tag, start, end } : undefined;
}

/**
 * The two fields Node does not expose: the X.509 version (a v1 tbsCertificate has no [0] version tag) and the
 * signature algorithm OID. Undefined when the DER does not have the expected shape.
 */
export function readCertificateDer(der: Buffer): { version: number; signatureOid: string } | undefined {
  const certificate = readTlv(der, 0);
  const tbs = certificate && readTlv(der, certificate.start);
  let field = tbs && readTlv(der, tbs.start);
  if (!tbs || !field) return undefined;
  let version = 1;
  if (field.tag === 0xa0) {
    const integer = readTlv(der, field.start);
    version = (integer ? (der[integer.end - 1] ?? 0) : 0) + 1;
    field = readTlv(der, field.end);
  }
  const algorithm = field && readTlv(der, field.end);
  const oid = algorithm && readTlv(der, algorithm.start);
  if (!oid || oid.tag !== 0x06) return undefined;
  return { version, signatureOid: der.subarray(oid.start, oid.end).toString('hex') };
}
