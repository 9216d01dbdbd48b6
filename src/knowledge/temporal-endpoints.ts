// Pure knowledge about Temporal addresses: how the SDK parses `--address`, which kind of endpoint a host is
// (Temporal Cloud namespace / regional / HA / PrivateLink / Web UI, localhost, IP literal, self-hosted), and the
// Temporal Cloud identity and authentication rules that can be judged before any packet is sent
// (docs/research/common-failures.md#cloud-identifiers-and-endpoints, #cloud-authentication-modes).
import { isIP } from 'node:net';
import { quoted } from '../text/sanitize.js';
import { formatHostPort } from '../text/host-port.js';

/** The SDK's default gRPC port (`DEFAULT_TEMPORAL_GRPC_PORT`). */
export const DEFAULT_GRPC_PORT = 7233;

export type EndpointKind =
  | 'cloud-namespace'
  | 'cloud-regional'
  | 'cloud-ha-region'
  | 'cloud-privatelink'
  | 'cloud-web'
  | 'localhost'
  | 'ip-literal'
  | 'self-hosted';

export const CLOUD_GRPC_KINDS: ReadonlySet<EndpointKind> = new Set([
  'cloud-namespace',
  'cloud-regional',
  'cloud-ha-region',
  'cloud-privatelink',
]);

export interface HostPort {
  /** IPv6 literals without brackets. */
  host: string;
  port: number;
  portDefaulted: boolean;
  ipLiteral?: 4 | 6;
}

export type AddressRule = 'empty' | 'whitespace' | 'scheme' | 'path' | 'port' | 'ipv6-brackets' | 'invalid';

export interface AddressProblem {
  rule: AddressRule;
  /** Completes "Address <raw> …", e.g. "has a scheme (https://); the SDK takes host:port only". */
  problem: string;
  /** The corrected address, when it can be derived. */
  suggestion?: string;
}

export type ParsedAddress = { ok: true; value: HostPort } | { ok: false; problem: AddressProblem };

// ---- what the SDK does --------------------------------------------------------------------------------------------

// Copied from @temporalio/common lib/internal-non-workflow/parse-host-uri.js (1.24.0): both the Client and the Worker
// call normalizeGrpcEndpointAddress(address, 7233) and throw a TypeError when it does not match or has a scheme.
const SDK_ADDRESS =
  /^(?:(?<scheme>[a-z][a-z0-9]+):(?:\/\/)?)??(?<hostname>(?:\d{1,3}(?:\.\d{1,3}){3})|(?:\[(?<ipv6>[0-9a-fA-F.:]+)\])|(?:[^:/]+))(?::(?<port>\d+))?$/;

/** The TypeError text the SDK throws for this address, or undefined when the SDK accepts it. */
export function sdkAddressError(raw: string): string | undefined {
  const match = SDK_ADDRESS.exec(raw);
  if (match?.groups && match.groups.scheme === undefined) return undefined;
  return `Invalid address for Temporal gRPC endpoint: expected URI of the form 'hostname' or 'hostname:port'; got '${raw}'`;
}

// ---- parsing ------------------------------------------------------------------------------------------------------

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i;
const HOST_CHARS = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i;

/** Joins host and port the way the SDK does: IPv6 in brackets. */
/**
 * Parses an address as the SDK would accept it (`host`, `host:port`, `[v6]:port`; port defaults to 7233), but names
 * the exact problem and the corrected address instead of the SDK's one-size TypeError.
 */
export function parseAddress(raw: string): ParsedAddress {
  if (raw.trim() === '') return problem('empty', 'is empty');
  if (/\s/.test(raw)) {
    const squeezed = raw.replace(/\s+/g, '');
    const fixed = parseAddress(squeezed);
    const where =
      raw.trim() === raw
        ? 'contains whitespace'
        : 'has leading or trailing whitespace (often a newline from a file or secret)';
    return problem('whitespace', where, fixed.ok ? formatHostPort(fixed.value.host, fixed.value.port) : undefined);
  }

  const scheme = SCHEME.exec(raw);
  if (scheme) {
    const [, name = '', rest = ''] = scheme;
    const authority = rest.replace(/^\/+/, '').split(/[/?#]/)[0] ?? '';
    const inner = parseAddress(authority);
    const suggestion = inner.ok ? formatHostPort(inner.value.host, inner.value.port) : undefined;
    return problem('scheme', `has a scheme (${name.toLowerCase()}://); the SDK takes host:port only`, suggestion);
  }

  const slash = raw.search(/[/?#]/);
  if (slash >= 0) {
    const inner = parseAddress(raw.slice(0, slash));
    const suggestion = inner.ok ? formatHostPort(inner.value.host, inner.value.port) : undefined;
    return problem('path', `has a path (${raw.slice(slash)}); the SDK takes host:port only`, suggestion);
  }

  if (raw.startsWith('[')) return parseBracketed(raw);

  const colons = raw.split(':').length - 1;
  if (colons >= 2) return unbracketedIpv6(raw);

  const [host = '', portText] = raw.split(':');
  return finish(host, portText);
}

function parseBracketed(raw: string): ParsedAddress {
  const match = /^\[([^\]]*)\](?::(.*))?$/.exec(raw);
  if (!match)
    return problem('invalid', 'has an opening [ without a matching ]: write an IPv6 address as [address]:port');
  const [, inside = '', portText] = match;
  if (isIP(inside) !== 6) return problem('invalid', `has [${inside}] in brackets, which is not an IPv6 address`);
  return finish(inside, portText, 6);
}

function unbracketedIpv6(raw: string): ParsedAddress {
  if (isIP(raw) === 6) {
    return problem('ipv6-brackets', 'is an IPv6 address without brackets', formatHostPort(raw, DEFAULT_GRPC_PORT));
  }
  const cut = raw.lastIndexOf(':');
  const head = raw.slice(0, cut);
  const tail = raw.slice(cut + 1);
  if (isIP(head) === 6 && /^\d+$/.test(tail))
    return problem('ipv6-brackets', 'is an IPv6 address without brackets', `[${head}]:${tail}`);
  return problem('invalid', 'has more than one ":"; write host:port, or [IPv6]:port');
}

function finish(host: string, portText: string | undefined, ipLiteral?: 6): ParsedAddress {
  if (host === '') return problem('invalid', 'has no host name');
  let port = DEFAULT_GRPC_PORT;
  if (portText !== undefined) {
    if (!/^\d+$/.test(portText)) {
      return problem(
        'port',
        portText === '' ? 'ends with ":" but has no port' : `has port "${portText}", which is not a number`,
        formatHostPort(host, DEFAULT_GRPC_PORT)
      );
    }
    port = Number(portText);
    if (port < 1 || port > 65535)
      return problem('port', `has port ${portText}, outside 1-65535`, formatHostPort(host, DEFAULT_GRPC_PORT));
  }
  const family = ipLiteral ?? (isIP(host) === 4 ? 4 : undefined);
  if (family === undefined) {
    if (/^[\d.]+$/.test(host))
      return problem('invalid', `has host ${host}, which looks like an IPv4 address but is not one`);
    if (!HOST_CHARS.test(host))
      return problem('invalid', `has host ${quoted(host)}, which has characters a host name cannot have`);
  }
  const value: HostPort = { host, port, portDefaulted: portText === undefined };
  if (family !== undefined) value.ipLiteral = family;
  return { ok: true, value };
}

function problem(rule: AddressRule, text: string, suggestion?: string): ParsedAddress {
  return {
    ok: false,
    problem: suggestion === undefined ? { rule, problem: text } : { rule, problem: text, suggestion },
  };
}

// ---- classification -----------------------------------------------------------------------------------------------

export interface CloudIdentity {
  /** `<name>.<account>` when the host names it. */
  namespaceId?: string;
  namespaceName?: string;
  accountId?: string;
  region?: string;
  cloudProvider?: string;
}

export interface Classification {
  kind: EndpointKind;
  cloud?: CloudIdentity;
  /** For a Web UI host: the gRPC endpoint to use instead, when the host names the namespace. */
  grpcAddress?: string;
}

const NAMESPACE_NAME = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const ACCOUNT_ID = '[a-z0-9]+';
const NAMESPACE_HOST = new RegExp(`^(${NAMESPACE_NAME})\\.(${ACCOUNT_ID})\\.tmprl\\.cloud$`);
const WEB_HOST = new RegExp(`^web\\.(${NAMESPACE_NAME})\\.(${ACCOUNT_ID})\\.tmprl\\.cloud$`);
const HA_REGION_HOST = /^([a-z0-9]+)-([a-z0-9-]+)\.region\.tmprl\.cloud$/;
const REGIONAL_HOST = /^([a-z0-9-]+)\.([a-z0-9]+)\.api\.temporal\.io$/;
const PRIVATELINK_HOST = /(^|[.-])(vpce|privatelink)([.-]|$)/;

export function classifyHost(host: string, ipLiteral?: 4 | 6): Classification {
  if (ipLiteral !== undefined) return { kind: 'ip-literal' };
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return { kind: 'localhost' };

  const web = WEB_HOST.exec(name);
  if (web) {
    const [, ns = '', account = ''] = web;
    return {
      kind: 'cloud-web',
      cloud: { namespaceId: `${ns}.${account}`, namespaceName: ns, accountId: account },
      grpcAddress: `${ns}.${account}.tmprl.cloud:${DEFAULT_GRPC_PORT}`,
    };
  }
  if (name === 'cloud.temporal.io' || name.endsWith('.cloud.temporal.io')) return { kind: 'cloud-web' };

  const ha = HA_REGION_HOST.exec(name);
  if (ha) return { kind: 'cloud-ha-region', cloud: { cloudProvider: ha[1] ?? '', region: ha[2] ?? '' } };
  const namespaceHost = NAMESPACE_HOST.exec(name);
  if (namespaceHost) {
    const [, ns = '', account = ''] = namespaceHost;
    return {
      kind: 'cloud-namespace',
      cloud: { namespaceId: `${ns}.${account}`, namespaceName: ns, accountId: account },
    };
  }
  const regional = REGIONAL_HOST.exec(name);
  if (regional)
    return { kind: 'cloud-regional', cloud: { region: regional[1] ?? '', cloudProvider: regional[2] ?? '' } };
  if (PRIVATELINK_HOST.test(name)) return { kind: 'cloud-privatelink', cloud: {} };
  // Any other *.tmprl.cloud name is still Cloud (e.g. a namespace host missing its account id); DNS will tell.
  if (name.endsWith('.tmprl.cloud')) return { kind: 'cloud-namespace', cloud: {} };
  return { kind: 'self-hosted' };
}

export const KIND_DESCRIPTION: Record<EndpointKind, string> = {
  'cloud-namespace': 'Temporal Cloud namespace endpoint',
  'cloud-regional': 'Temporal Cloud regional endpoint',
  'cloud-ha-region': 'Temporal Cloud High Availability region endpoint',
  'cloud-privatelink': 'Temporal Cloud private connectivity (PrivateLink / Private Service Connect) endpoint',
  'cloud-web': 'Temporal Cloud Web UI',
  localhost: 'local machine',
  'ip-literal': 'IP address',
  'self-hosted': 'self-hosted Temporal Service',
};

/**
 * A Temporal Cloud namespace id is `<name>.<account-id>`
 * (docs/research/common-failures.md#cloud-identifiers-and-endpoints); the name alone is not enough.
 */
export function parseNamespaceId(namespace: string): { name: string; accountId: string } | undefined {
  const match = new RegExp(`^(${NAMESPACE_NAME})\\.(${ACCOUNT_ID})$`).exec(namespace);
  return match ? { name: match[1] ?? '', accountId: match[2] ?? '' } : undefined;
}

/** Web UI ports of the usual Temporal deployments: `temporal server start-dev` (8233) and docker-compose (8080). */
export const WEB_UI_PORTS: Readonly<Record<number, string>> = {
  8233: 'temporal server start-dev serves its Web UI on 8233',
  8080: 'the docker-compose and Helm setups serve the Web UI on 8080',
};

// ---- Temporal Cloud rules -----------------------------------------------------------------------------------------

export type AuthMode = 'api-key' | 'mtls' | 'both' | 'none';

export interface CloudRuleInput {
  kind: EndpointKind;
  host: string;
  port: number;
  cloud: CloudIdentity;
  namespace: string;
  tls: boolean;
  auth: AuthMode;
  serverName?: string;
  /** How to name each setting in a fix: the flag, plus the env var or profile key actually used. `tls` is the setting
   * that turned TLS off, or '' when it is off by default. */
  names: { address: string; namespace: string; tls: string; serverName: string; apiKey: string; clientPair: string };
}

export interface Finding {
  id: string;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  fix?: string;
}

/**
 * The Temporal Cloud identity and auth rules (docs/research/common-failures.md#cloud-identifiers-and-endpoints,
 * #cloud-authentication-modes), for a host already classified as a Cloud gRPC endpoint.
 */
export function cloudRules(input: CloudRuleInput): Finding[] {
  if (!CLOUD_GRPC_KINDS.has(input.kind)) return [];
  return [...portRule(input), ...namespaceRules(input), ...authRules(input), ...tlsRule(input)];
}

function portRule(input: CloudRuleInput): Finding[] {
  if (input.port === DEFAULT_GRPC_PORT) return [];
  return [
    {
      id: 'endpoint.cloud.port',
      status: 'warn',
      message: `Temporal Cloud serves gRPC on port ${DEFAULT_GRPC_PORT}, but the address uses port ${input.port}`,
      fix: `Set ${input.names.address} to ${formatHostPort(input.host, DEFAULT_GRPC_PORT)}: the gRPC endpoint on the namespace page includes the port.`,
    },
  ];
}

/** Only when credentials are set: an API key or a client pair turns TLS on by itself, so without them no-auth says it all. */
function tlsRule(input: CloudRuleInput): Finding[] {
  if (input.tls || input.auth === 'none') return [];
  return [
    {
      id: 'endpoint.cloud.tls-off',
      status: 'fail',
      message: `Temporal Cloud only accepts TLS connections, but TLS is off (${input.names.tls || 'default'})`,
      fix: `Turn TLS on: pass --tls (or TEMPORAL_TLS=true)${input.names.tls ? ` and remove ${input.names.tls}` : ''}; Temporal Cloud resets plaintext connections.`,
    },
  ];
}

/** The namespace id a host or the namespace setting reveals, for fixes: `<name>.<account>`. */
function expectedNamespaceId(input: CloudRuleInput): string | undefined {
  return input.cloud.namespaceId ?? (parseNamespaceId(input.namespace) ? input.namespace : undefined);
}

function namespaceRules(input: CloudRuleInput): Finding[] {
  const id = parseNamespaceId(input.namespace);
  const hostId = input.kind === 'cloud-namespace' ? input.cloud.namespaceId : undefined;
  if (!id) {
    const account = input.cloud.accountId;
    const bare = /^[a-z0-9-]+$/.test(input.namespace) && input.namespace !== 'default';
    const wanted = bare && account ? `${input.namespace}.${account}` : hostId;
    return [
      {
        id: 'endpoint.cloud.namespace-id',
        status: 'fail',
        message: `Namespace ${input.namespace} is not a Temporal Cloud namespace id (<name>.<account-id>)`,
        fix: wanted
          ? `Set ${input.names.namespace} to ${wanted}: Temporal Cloud needs the namespace id, the name alone is not enough.`
          : `Set ${input.names.namespace} to the namespace id <name>.<account-id> shown on the namespace page in the Cloud UI (for example accounting-production.f45a2).`,
      },
    ];
  }
  if (hostId && hostId !== input.namespace) {
    return [
      {
        id: 'endpoint.cloud.namespace-mismatch',
        status: 'fail',
        message: `Namespace ${input.namespace} does not match the namespace endpoint ${input.host}, which serves ${hostId}`,
        fix: `Use the endpoint of the namespace you mean: set ${input.names.address} to ${input.namespace}.tmprl.cloud:${DEFAULT_GRPC_PORT}, or ${input.names.namespace} to ${hostId}.`,
      },
    ];
  }
  return [
    {
      id: 'endpoint.cloud.namespace-id',
      status: 'pass',
      message: `Namespace ${input.namespace} is a Temporal Cloud namespace id (name ${id.name}, account ${id.accountId})`,
    },
  ];
}

function authRules(input: CloudRuleInput): Finding[] {
  const nsId = expectedNamespaceId(input);
  const namespaceEndpoint = nsId ? `${nsId}.tmprl.cloud` : '<name>.<account-id>.tmprl.cloud';
  if (input.auth === 'none') {
    return [
      {
        id: 'endpoint.cloud.no-auth',
        status: 'fail',
        message: 'Temporal Cloud needs an API key or an mTLS client certificate, and neither is configured',
        fix: `Set ${input.names.apiKey} for API key auth, or ${input.names.clientPair} for mTLS, matching the auth method of the namespace (tcld namespace auth-method get).`,
      },
    ];
  }
  const usesMtls = input.auth === 'mtls' || input.auth === 'both';
  const overridden = input.serverName !== undefined && input.serverName.toLowerCase() !== input.host.toLowerCase();
  if (input.kind === 'cloud-privatelink' && !overridden) {
    return [
      {
        id: 'endpoint.cloud.privatelink-server-name',
        status: 'fail',
        message: `The private endpoint ${input.host} is not a name on Temporal Cloud's certificate; the TLS server name must be the namespace endpoint`,
        fix: `Set ${input.names.serverName} to ${namespaceEndpoint} (or use private DNS so that ${namespaceEndpoint} resolves to the private endpoint and dial that name).`,
      },
    ];
  }
  if ((input.kind === 'cloud-regional' || input.kind === 'cloud-ha-region') && usesMtls && !overridden) {
    return [
      {
        id: 'endpoint.cloud.mtls-server-name',
        status: 'fail',
        message: `mTLS on the ${input.kind === 'cloud-regional' ? 'regional' : 'region'} endpoint ${input.host} needs the TLS server name set to the namespace endpoint`,
        fix: `Set ${input.names.serverName} to ${namespaceEndpoint}, or dial the namespace endpoint ${namespaceEndpoint}:${DEFAULT_GRPC_PORT} directly.`,
      },
    ];
  }
  if (input.kind === 'cloud-namespace' && input.auth === 'api-key') {
    return [
      {
        id: 'endpoint.cloud.api-key-namespace-endpoint',
        status: 'warn',
        message: `API key sent to the namespace endpoint ${input.host}: this works only when the namespace does not have both API key and mTLS auth enabled`,
        fix: `If the connection then fails with "tls: certificate required", set ${input.names.address} to the regional endpoint on the namespace page (<region>.<cloud>.api.temporal.io:${DEFAULT_GRPC_PORT}); Temporal's docs disagree on which endpoint API keys should use.`,
      },
    ];
  }
  const how =
    input.auth === 'api-key'
      ? 'API key'
      : input.auth === 'mtls'
        ? 'mTLS client certificate'
        : 'API key and mTLS client certificate';
  return [
    {
      id: 'endpoint.cloud.auth',
      status: 'pass',
      message: `Authenticates to the ${KIND_DESCRIPTION[input.kind]} with ${how}`,
    },
  ];
}
