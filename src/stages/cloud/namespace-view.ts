// The GetNamespace answer as the comparisons read it: typed, with the accepted CA bundle parsed
// (docs/research/cloud-ops-api.md#the-namespace-message).
import { X509Certificate } from 'node:crypto';
import { scanArmor } from '../../knowledge/pem-text.js';
import { sanitize } from '../../text/sanitize.js';

export interface CertificateFilter {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  subjectAlternativeName?: string;
}

export interface NamespaceView {
  namespace: string;
  /** `active`, `deleting`, ... (ResourceState without its prefix, or the deprecated string state). */
  state: string;
  mtlsEnabled: boolean;
  apiKeyEnabled: boolean;
  acceptedCas: X509Certificate[];
  /** Blocks of the accepted CA bundle that are not certificates (counted, never shown). */
  unreadableCas: number;
  filters: CertificateFilter[];
  grpcAddress?: string;
  mtlsGrpcAddress?: string;
  webAddress?: string;
  /** Region ids such as `aws-us-west-2`: spec regions, replica regions and region-status keys. */
  regions: string[];
  activeRegion?: string;
  /** Regions with a private connectivity (AWS PrivateLink) set up. */
  privateRegions: string[];
  /** Connectivity rules on the namespace: how many allow the public internet, how many a private connection. */
  publicRules: number;
  privateRules: number;
}

type Raw = Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? sanitize(value, 300) : undefined;
const table = (value: unknown): Raw => (typeof value === 'object' && value !== null ? (value as Raw) : {});
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.map(table) : []);

export function readNamespace(raw: Raw, fallbackName: string): NamespaceView {
  const spec = table(raw.spec);
  const mtls = table(spec.mtlsAuth);
  const endpoints = table(raw.endpoints);
  const bundle = acceptedCaText(mtls);
  const { certificates, unreadable } = parseBundle(bundle);
  const filters = list(mtls.certificateFilters).map((f) => {
    const filter: CertificateFilter = {};
    for (const key of ['commonName', 'organization', 'organizationalUnit', 'subjectAlternativeName'] as const) {
      const value = text(f[key]);
      if (value) filter[key] = value;
    }
    return filter;
  });
  const replicas = list(raw.replicas);
  const regions = new Set<string>([
    ...(Array.isArray(spec.regions) ? spec.regions.filter((r): r is string => typeof r === 'string') : []),
    ...replicas.map((r) => text(r.region) ?? '').filter(Boolean),
    ...Object.keys(table(raw.regionStatus)),
  ]);
  const primary = replicas.find((r) => r.isPrimary === true);
  const rules = list(raw.connectivityRules).map((rule) => table(rule.spec));
  const view: NamespaceView = {
    namespace: text(raw.namespace) ?? fallbackName,
    state: stateOf(raw),
    // Before API version v0.2.0 a namespace had mTLS whenever it had a CA; `enabled` says it since.
    mtlsEnabled: mtls.enabled === true || (mtls.enabled === undefined && certificates.length > 0),
    apiKeyEnabled: table(spec.apiKeyAuth).enabled === true,
    acceptedCas: certificates,
    unreadableCas: unreadable,
    filters: filters.filter((f) => Object.keys(f).length > 0),
    regions: [...regions].map((r) => sanitize(r, 100)),
    privateRegions: list(raw.privateConnectivities).map((p) => text(p.region) ?? '(unnamed region)'),
    publicRules: rules.filter((r) => r.publicRule !== undefined && r.publicRule !== null).length,
    privateRules: rules.filter((r) => r.privateRule !== undefined && r.privateRule !== null).length,
  };
  const optional = {
    grpcAddress: text(endpoints.grpcAddress),
    mtlsGrpcAddress: text(endpoints.mtlsGrpcAddress),
    webAddress: text(endpoints.webAddress),
    activeRegion: text(raw.activeRegion) ?? text(primary?.region),
  };
  for (const [key, value] of Object.entries(optional)) if (value) Object.assign(view, { [key]: value });
  return view;
}

function stateOf(raw: Raw): string {
  const state = text(raw.state);
  if (state && state !== 'RESOURCE_STATE_UNSPECIFIED') return state.replace(/^RESOURCE_STATE_/, '').toLowerCase();
  return (text(raw.stateDeprecated) ?? 'unknown').toLowerCase();
}

/**
 * The bundle is PEM in `accepted_client_ca` (bytes) since v0.2.0, base64 of PEM in the deprecated string field before;
 * tools have been seen to store base64 in the bytes field too, so both spellings are read.
 */
function acceptedCaText(mtls: Raw): string {
  const bytes = mtls.acceptedClientCa;
  const fromBytes =
    bytes instanceof Uint8Array ? Buffer.from(bytes).toString('utf8') : typeof bytes === 'string' ? bytes : '';
  const candidates = [
    fromBytes,
    typeof mtls.acceptedClientCaDeprecated === 'string' ? mtls.acceptedClientCaDeprecated : '',
  ];
  for (const candidate of candidates) {
    if (candidate.includes('-----BEGIN')) return candidate;
    const decoded = Buffer.from(candidate.trim(), 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) return decoded;
  }
  return '';
}

function parseBundle(bundle: string): { certificates: X509Certificate[]; unreadable: number } {
  const certificates: X509Certificate[] = [];
  let unreadable = 0;
  for (const block of scanArmor(bundle)) {
    if (block.label !== 'CERTIFICATE') {
      unreadable++;
      continue;
    }
    try {
      certificates.push(new X509Certificate(Buffer.from(block.body, 'base64')));
    } catch {
      unreadable++;
    }
  }
  return { certificates, unreadable };
}
