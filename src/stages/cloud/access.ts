// The namespace's state, auth methods, endpoints and connectivity rules against how the user connects
// (docs/research/cloud-ops-api.md#endpoints-and-regions, #the-namespace-message).
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, skip, warn } from '../../pipeline/check.js';
import type { AuthMode, CloudIdentity, EndpointKind } from '../../knowledge/temporal-endpoints.js';
import { DEFAULT_GRPC_PORT } from '../../knowledge/temporal-endpoints.js';
import { formatHostPort, splitHostPort } from '../../text/host-port.js';
import type { NamespaceView } from './namespace-view.js';
import { consolePage } from './fixes.js';

export interface TargetInput {
  host: string;
  port: number;
  kind: EndpointKind;
  /** The TLS server name the SDK sends (the host unless overridden). */
  serverName: string;
  cloud?: CloudIdentity;
  auth: AuthMode;
  /** How fixes name the settings: `--address`, `TEMPORAL_ADDRESS`, ... */
  names: { address: string; serverName: string; clientPair: string; apiKey: string };
}

const STOPPED: Record<string, string> = {
  deleting: 'is being deleted',
  deleted: 'is deleted',
  suspended: 'is suspended',
  expired: 'has expired',
  activation_failed: 'failed to be created',
};
const TROUBLED: Record<string, string> = {
  activating: 'is still being created; connections fail until it is active',
  update_failed: 'failed to apply its last change',
  delete_failed: 'failed to be deleted',
};

export function stateCheck(view: NamespaceView): CheckResult {
  const details = { evidence: evidence({ namespace: view.namespace, state: view.state }) };
  const stopped = STOPPED[view.state];
  if (stopped) {
    return fail('cloud.namespace.state', `Namespace ${view.namespace} ${stopped} (Cloud Ops API state ${view.state})`, {
      ...details,
      fix:
        view.state === 'suspended' || view.state === 'expired'
          ? `Ask your Temporal Cloud account owner or Temporal Cloud support why namespace ${view.namespace} is ${view.state}; it serves no connections until it is active again.`
          : `Use a namespace that is active (create one on the Cloud UI or with tcld namespace create); a ${view.state.replace('_', ' ')} namespace serves no connections.`,
    });
  }
  const troubled = TROUBLED[view.state];
  if (troubled || view.state === 'unknown') {
    return warn('cloud.namespace.state', `Namespace ${view.namespace} ${troubled ?? `is in state ${view.state}`}`, {
      ...details,
      fix: `Check ${consolePage(view.namespace)}; for a failed state Temporal Cloud support has to step in.`,
    });
  }
  const note = view.state === 'updating' ? ' (a change is being applied; new CAs or filters may not apply yet)' : '';
  return pass('cloud.namespace.state', `Namespace ${view.namespace} is ${view.state}${note}`, details);
}

const methods = (view: NamespaceView): string =>
  [view.apiKeyEnabled ? 'API keys' : '', view.mtlsEnabled ? 'mTLS' : ''].filter(Boolean).join(' and ') ||
  'neither API keys nor mTLS';

export function authCheck(view: NamespaceView, target: TargetInput): CheckResult {
  const details = {
    evidence: evidence({
      'API key auth': view.apiKeyEnabled ? 'enabled' : 'disabled',
      'mTLS auth': view.mtlsEnabled ? 'enabled' : 'disabled',
      'you authenticate with': target.auth,
    }),
  };
  const page = consolePage(view.namespace);
  if (target.auth === 'none') {
    return skip(
      'cloud.auth.method',
      `No credentials configured; namespace ${view.namespace} accepts ${methods(view)}`,
      details
    );
  }
  if (target.auth === 'api-key' && !view.apiKeyEnabled) {
    return fail(
      'cloud.auth.api-key-disabled',
      `Namespace ${view.namespace} does not accept API keys (API key auth is disabled); it accepts ${methods(view)}`,
      {
        ...details,
        fix: `Enable API key authentication under Authentication on ${page} (or tcld namespace auth-method set --namespace ${view.namespace}), or connect with mTLS: set ${target.names.clientPair}${view.mtlsGrpcAddress ? ` and dial ${view.mtlsGrpcAddress}` : ''}.`,
      }
    );
  }
  if (target.auth === 'mtls' && !view.mtlsEnabled) {
    return fail(
      'cloud.auth.mtls-disabled',
      `Namespace ${view.namespace} does not accept mTLS client certificates (mTLS auth is disabled); it accepts ${methods(view)}`,
      {
        ...details,
        fix: `Connect with an API key: set ${target.names.apiKey}${view.grpcAddress ? ` and dial ${view.grpcAddress}` : ''}; or enable mTLS and upload your CA under Authentication on ${page}.`,
      }
    );
  }
  if (target.auth === 'both' && !view.apiKeyEnabled && !view.mtlsEnabled) {
    return fail(
      'cloud.auth.mtls-disabled',
      `Namespace ${view.namespace} accepts neither API keys nor mTLS client certificates`,
      {
        ...details,
        fix: `Enable an authentication method under Authentication on ${page}.`,
      }
    );
  }
  return pass(
    'cloud.auth.method',
    `Namespace ${view.namespace} accepts ${methods(view)}; you use ${target.auth === 'both' ? 'both' : target.auth === 'api-key' ? 'an API key' : 'mTLS'}`,
    details
  );
}

interface Address {
  host: string;
  port: number;
}

const parse = (address: string | undefined): Address | undefined => {
  if (!address) return undefined;
  const { host, port } = splitHostPort(address, DEFAULT_GRPC_PORT);
  return { host: host.toLowerCase().replace(/\.$/, ''), port };
};
const show = (address: Address): string => formatHostPort(address.host, address.port);
const sameHost = (a: Address | undefined, host: string): boolean => a !== undefined && a.host === host.toLowerCase();

/** `aws-us-west-2` for us-west-2.aws.api.temporal.io and aws-us-west-2.region.tmprl.cloud. */
function regionOf(target: TargetInput): string | undefined {
  const { region, cloudProvider } = target.cloud ?? {};
  return region && cloudProvider ? `${cloudProvider}-${region}`.toLowerCase() : undefined;
}

export function endpointCheck(view: NamespaceView, target: TargetInput): CheckResult {
  const grpc = parse(view.grpcAddress);
  const mtls = parse(view.mtlsGrpcAddress);
  const usesKey = target.auth === 'api-key' || target.auth === 'both';
  const usesMtls = target.auth === 'mtls' || target.auth === 'both';
  const wanted = (usesMtls && !usesKey ? (mtls ?? grpc) : (grpc ?? mtls)) as Address | undefined;
  const dialled = { host: target.host.toLowerCase().replace(/\.$/, ''), port: target.port };
  const details = {
    evidence: evidence({
      dialled: show(dialled),
      'TLS server name': target.serverName,
      'API key endpoint (grpcAddress)': view.grpcAddress,
      'mTLS endpoint (mtlsGrpcAddress)': view.mtlsGrpcAddress,
      regions: view.regions.join(', ') || undefined,
      'active region': view.activeRegion,
    }),
  };
  if (!wanted || target.auth === 'none') {
    return skip(
      'cloud.endpoint.address',
      `No endpoint to compare: the Cloud Ops API lists none for ${target.auth === 'none' ? 'unauthenticated use' : 'this auth method'}`,
      details
    );
  }
  const setAddress = (to: Address): string =>
    `Set ${target.names.address} to ${show(to)}, the endpoint the Cloud Ops API lists for namespace ${view.namespace}`;
  const sni = target.serverName.toLowerCase();
  // The endpoints for the auth in use: API keys also work on the mTLS host when mTLS is off (it is then the only method).
  const accepted = [
    ...(usesKey ? [grpc, view.mtlsEnabled ? undefined : mtls] : []),
    ...(usesMtls ? [mtls] : []),
  ].filter((a): a is Address => a !== undefined);
  const hit = accepted.find((a) => a.host === dialled.host || (usesMtls && a === mtls && a.host === sni));
  if (hit) {
    if (hit.port !== dialled.port) {
      return fail(
        'cloud.endpoint.address',
        `${show(dialled)} uses port ${dialled.port}, but namespace ${view.namespace} serves on ${show(hit)}`,
        {
          ...details,
          fix: `${setAddress(hit)}.`,
        }
      );
    }
    return pass(
      'cloud.endpoint.address',
      `${show(dialled)} is the ${hit === mtls ? 'mTLS' : 'API key'} endpoint of namespace ${view.namespace}`,
      details
    );
  }
  if (target.kind === 'cloud-privatelink') {
    const name = (usesMtls ? mtls : grpc) ?? wanted;
    return sni === name.host
      ? pass(
          'cloud.endpoint.address',
          `Private endpoint ${target.host} is dialled with TLS server name ${name.host}, the namespace's endpoint`,
          details
        )
      : fail(
          'cloud.endpoint.address',
          `Private endpoint ${target.host} is dialled with TLS server name ${target.serverName}, not the namespace's endpoint ${name.host}`,
          {
            ...details,
            fix: `Set ${target.names.serverName} to ${name.host}.`,
          }
        );
  }
  if (usesKey && !usesMtls && sameHost(mtls, dialled.host) && view.mtlsEnabled && grpc) {
    return fail(
      'cloud.endpoint.address',
      `API key sent to ${show(dialled)}, the mTLS endpoint of namespace ${view.namespace}: with mTLS enabled it asks for a client certificate`,
      {
        ...details,
        fix: `${setAddress(grpc)} for API key connections.`,
      }
    );
  }
  const region = regionOf(target);
  if (region && view.regions.length > 0 && !view.regions.map((r) => r.toLowerCase()).includes(region)) {
    return fail(
      'cloud.endpoint.region',
      `${show(dialled)} is in region ${region}, but namespace ${view.namespace} is in ${view.regions.join(', ')}`,
      {
        ...details,
        fix: `${setAddress(wanted)}.`,
      }
    );
  }
  if (usesMtls && !usesKey && sameHost(grpc, dialled.host) && mtls && sni !== mtls.host) {
    return fail(
      'cloud.endpoint.address',
      `mTLS to ${show(dialled)}, the API key endpoint of namespace ${view.namespace}, with TLS server name ${target.serverName} instead of ${mtls.host}`,
      {
        ...details,
        fix: `${setAddress(mtls)}, or set ${target.names.serverName} to ${mtls.host}.`,
      }
    );
  }
  if (target.kind === 'cloud-namespace') {
    return fail('cloud.endpoint.address', `${show(dialled)} is not an endpoint of namespace ${view.namespace}`, {
      ...details,
      fix: `${setAddress(wanted)}.`,
    });
  }
  return warn(
    'cloud.endpoint.address',
    `${show(dialled)} is not the endpoint the Cloud Ops API lists for namespace ${view.namespace} (${show(wanted)})`,
    {
      ...details,
      fix: `If the connection fails, ${setAddress(wanted).charAt(0).toLowerCase()}${setAddress(wanted).slice(1)}.`,
    }
  );
}

export function connectivityCheck(view: NamespaceView, target: TargetInput): CheckResult {
  const details = {
    evidence: evidence({
      'public connectivity rules': view.publicRules,
      'private connectivity rules': view.privateRules,
      'private connectivity regions': view.privateRegions.join(', ') || undefined,
      dialled: formatHostPort(target.host, target.port),
    }),
  };
  const privateOnly = view.privateRules > 0 && view.publicRules === 0;
  const endpoint = view.mtlsGrpcAddress ?? view.grpcAddress ?? target.host;
  if (privateOnly && target.kind !== 'cloud-privatelink') {
    return warn(
      'cloud.connectivity.private-only',
      `Namespace ${view.namespace} allows private connections only (${view.privateRules} private connectivity rule(s), no public one), and ${target.host} is a public endpoint`,
      {
        ...details,
        fix: `Connect from the private network: dial the PrivateLink / Private Service Connect endpoint with ${target.names.serverName} set to ${splitHostPort(endpoint, DEFAULT_GRPC_PORT).host}, or let private DNS resolve ${target.host} to it; or add a public connectivity rule on ${consolePage(view.namespace)}.`,
      }
    );
  }
  if (target.kind === 'cloud-privatelink' && view.privateRules === 0 && view.privateRegions.length === 0) {
    return warn(
      'cloud.connectivity.no-private',
      `${target.host} looks like a private endpoint, but namespace ${view.namespace} has no private connectivity set up`,
      {
        ...details,
        fix: `Add a private connectivity rule for your VPC endpoint on ${consolePage(view.namespace)}, or dial the public endpoint ${endpoint}.`,
      }
    );
  }
  return pass(
    'cloud.connectivity.rules',
    view.privateRules > 0
      ? `Namespace ${view.namespace} allows public and private connections`
      : `Namespace ${view.namespace} allows connections over the public internet`,
    details
  );
}
