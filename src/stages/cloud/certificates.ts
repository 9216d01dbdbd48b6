// The client certificate against what the namespace accepts: its accepted CA bundle (which CA the chain reaches, and
// whether that CA is still valid) and its certificate filters (docs/research/cloud-ops-api.md#mtls-rules).
import type { X509Certificate } from 'node:crypto';
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, skip, warn } from '../../pipeline/check.js';
import { isSelfSigned, oneLineName } from '../../knowledge/x509.js';
import type { CertificateFilter, NamespaceView } from './namespace-view.js';
import { consolePage } from './fixes.js';

export interface ClientCertificateInput {
  /** Leaf first, as configured. */
  chain: X509Certificate[];
  /** How the user set the certificate (`--tls-cert-path`, `TEMPORAL_TLS_CLIENT_CERT_PATH`). */
  setting: string;
  now: Date;
  warnDays: number;
}

const DAY_MS = 86_400_000;

const name = (cert: X509Certificate): string => oneLineName(cert.subject);
const described = (cert: X509Certificate): string => `${name(cert)} (SHA-256 ${cert.fingerprint256})`;

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** The accepted CA the configured chain reaches, walking up from the leaf through the certificates sent with it. */
export function findAcceptedCa(
  chain: X509Certificate[],
  accepted: X509Certificate[]
): { ca: X509Certificate; signed: X509Certificate } | undefined {
  let current = chain[0];
  const visited = new Set<string>();
  while (current && !visited.has(current.fingerprint256) && visited.size < 10) {
    visited.add(current.fingerprint256);
    const below: X509Certificate = current;
    const ca = accepted.find((candidate) => issuedBy(below, candidate));
    if (ca) return { ca, signed: below };
    if (isSelfSigned(below)) return undefined;
    current = chain.find((candidate) => candidate !== below && issuedBy(below, candidate));
  }
  return undefined;
}

export function acceptedCaChecks(view: NamespaceView, input: ClientCertificateInput): CheckResult[] {
  const [leaf] = input.chain;
  if (!leaf) return [];
  const page = consolePage(view.namespace);
  const addCommand = `tcld namespace accepted-client-ca add --namespace ${view.namespace} --ca-certificate-file <your CA PEM>`;
  if (view.acceptedCas.length === 0) {
    return [
      fail(
        'cloud.mtls.accepted-ca',
        `Namespace ${view.namespace} has no accepted client CA, so no client certificate can connect`,
        {
          evidence: evidence({
            namespace: view.namespace,
            'accepted CAs': view.unreadableCas ? `none readable (${view.unreadableCas} unreadable blocks)` : 'none',
            'your certificate': described(leaf),
            'issued by': oneLineName(leaf.issuer),
          }),
          fix: `Upload the CA that issued your client certificate (${oneLineName(leaf.issuer)}): ${addCommand}, or under Authentication on ${page}.`,
        }
      ),
    ];
  }
  const accepted = view.acceptedCas.map((ca, i) => [`accepted CA ${i + 1}`, described(ca)] as const);
  const found = findAcceptedCa(input.chain, view.acceptedCas);
  if (!found) {
    const issuer = input.chain.find((candidate) => candidate !== leaf && issuedBy(leaf, candidate));
    const issuerText = issuer
      ? described(issuer)
      : `${oneLineName(leaf.issuer)} (not in ${input.setting}, fingerprint unknown)`;
    return [
      fail(
        'cloud.mtls.accepted-ca',
        `Your client certificate's issuer ${oneLineName(leaf.issuer)} is not among the ${view.acceptedCas.length} CA(s) namespace ${view.namespace} accepts (${view.acceptedCas.map(name).join('; ')})`,
        {
          evidence: [
            ...evidence({ namespace: view.namespace, 'your certificate': described(leaf), 'its issuer': issuerText }),
            ...accepted.map(([label, value]) => ({ label, value })),
          ],
          fix: `Add your issuing CA to the namespace: ${addCommand} (or under Authentication on ${page}); or use a client certificate issued by one of the accepted CAs. Temporal Cloud refuses a client certificate that does not chain to an accepted CA.`,
        }
      ),
    ];
  }
  const checks: CheckResult[] = [
    pass(
      'cloud.mtls.accepted-ca',
      `Your client certificate chains to accepted CA ${name(found.ca)} of namespace ${view.namespace}`,
      {
        evidence: [
          ...evidence({ 'your certificate': described(leaf), 'signed by accepted CA': described(found.ca) }),
          ...accepted.map(([label, value]) => ({ label, value })),
        ],
      }
    ),
  ];
  checks.push(...expiryChecks(view, found.ca, input));
  return checks;
}

function expiryChecks(view: NamespaceView, matched: X509Certificate, input: ClientCertificateInput): CheckResult[] {
  const checks: CheckResult[] = [];
  const setCommand = `tcld namespace accepted-client-ca set --namespace ${view.namespace} --ca-certificate-file <bundle with the renewed CA>`;
  for (const ca of view.acceptedCas) {
    const validTo = new Date(ca.validTo);
    const daysLeft = Math.floor((validTo.getTime() - input.now.getTime()) / DAY_MS);
    const isYours = ca === matched;
    const details = {
      evidence: evidence({
        'accepted CA': described(ca),
        'valid until': validTo.toISOString(),
        'issues your certificate': isYours ? 'yes' : 'no',
      }),
    };
    if (validTo.getTime() <= input.now.getTime()) {
      const message = `Accepted CA ${name(ca)} of namespace ${view.namespace} expired on ${validTo.toISOString()}`;
      const fix = `Upload a renewed CA and issue client certificates from it: ${setCommand} (or under Authentication on ${consolePage(view.namespace)}).`;
      checks.push(
        isYours
          ? fail('cloud.mtls.ca-expired', `${message}; it is the CA your client certificate chains to`, {
              ...details,
              fix,
            })
          : warn('cloud.mtls.ca-expired', message, {
              ...details,
              fix: `Remove it from the bundle or renew it: ${setCommand}.`,
            })
      );
    } else if (daysLeft <= input.warnDays) {
      checks.push(
        warn(
          'cloud.mtls.ca-expiring',
          `Accepted CA ${name(ca)} of namespace ${view.namespace} expires in ${daysLeft} day(s)${isYours ? '; it is the CA your client certificate chains to' : ''}`,
          {
            ...details,
            fix: `Add the renewed CA to the bundle before ${validTo.toISOString()} (keep both while clients move over): tcld namespace accepted-client-ca add --namespace ${view.namespace} --ca-certificate-file <renewed CA>.`,
          }
        )
      );
    }
  }
  return checks;
}

// ---- certificate filters --------------------------------------------------------------------------------------------

/** What the filters are matched against: the leaf's subject attributes and SAN values. */
export interface CertificateNames {
  commonName: string[];
  organization: string[];
  organizationalUnit: string[];
  subjectAlternativeName: string[];
}

export function certificateNames(cert: X509Certificate): CertificateNames {
  const names: CertificateNames = {
    commonName: [],
    organization: [],
    organizationalUnit: [],
    subjectAlternativeName: [],
  };
  const fields: Record<string, keyof CertificateNames> = {
    CN: 'commonName',
    O: 'organization',
    OU: 'organizationalUnit',
  };
  for (const line of cert.subject.split('\n')) {
    const eq = line.indexOf('=');
    const field = fields[line.slice(0, eq)];
    if (eq > 0 && field) names[field].push(line.slice(eq + 1));
  }
  for (const entry of (cert.subjectAltName ?? '').split(', ').filter(Boolean)) {
    names.subjectAlternativeName.push(entry.slice(entry.indexOf(':') + 1));
  }
  return names;
}

/** Case-insensitive; one leading or trailing `*` matches any prefix or suffix. */
export function matchesPattern(value: string, pattern: string): boolean {
  const v = value.toLowerCase();
  const p = pattern.toLowerCase();
  if (p.length > 1 && p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.length > 1 && p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return v === p;
}

export function filterMatches(filter: CertificateFilter, names: CertificateNames): boolean {
  return (Object.keys(filter) as Array<keyof CertificateFilter>).every((field) =>
    names[field].some((value) => matchesPattern(value, filter[field] ?? ''))
  );
}

const describeFilter = (filter: CertificateFilter): string =>
  Object.entries(filter)
    .map(([field, value]) => `${field}=${value}`)
    .join(', ');

export function filterChecks(view: NamespaceView, input: ClientCertificateInput): CheckResult[] {
  const [leaf] = input.chain;
  if (!leaf) return [];
  if (view.filters.length === 0) {
    return [
      skip(
        'cloud.mtls.certificate-filters',
        `Namespace ${view.namespace} has no certificate filters: any certificate from an accepted CA is allowed`
      ),
    ];
  }
  const names = certificateNames(leaf);
  const yours = evidence({
    'your CN': names.commonName.join(', ') || '(none)',
    'your O': names.organization.join(', ') || '(none)',
    'your OU': names.organizationalUnit.join(', ') || '(none)',
    'your SANs': names.subjectAlternativeName.join(', ') || '(none)',
  });
  const filters = view.filters.map((f, i) => ({ label: `filter ${i + 1}`, value: describeFilter(f) }));
  const matching = view.filters.findIndex((f) => filterMatches(f, names));
  if (matching >= 0) {
    return [
      pass(
        'cloud.mtls.certificate-filters',
        `Your client certificate matches certificate filter ${matching + 1} of namespace ${view.namespace} (${describeFilter(view.filters[matching] ?? {})})`,
        { evidence: [...yours, ...filters] }
      ),
    ];
  }
  return [
    fail(
      'cloud.mtls.certificate-filters',
      `Your client certificate ${name(leaf)} matches none of the ${view.filters.length} certificate filter(s) of namespace ${view.namespace}`,
      {
        evidence: [...yours, ...filters],
        fix: `Issue a client certificate whose subject or SAN matches a filter, or add a filter for it: tcld namespace certificate-filters add --namespace ${view.namespace} --certificate-filter-input '{"filters":[{"commonName":"${names.commonName[0] ?? '<CN>'}"}]}' (or under Authentication on ${consolePage(view.namespace)}). Every field of a filter must match; * is allowed once at the start or end.`,
      }
    ),
  ];
}
