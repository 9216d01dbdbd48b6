// Temporal Cloud regions and the shapes of their endpoint names, to catch a mistyped region or a regional endpoint
// written under the wrong domain before any packet is sent (docs/research/common-failures.md#cloud-regions).
import { didYouMean, editDistance } from '../text/did-you-mean.js';
import { DEFAULT_GRPC_PORT, type Finding } from './temporal-endpoints.js';

/** The regions Temporal Cloud lists per cloud provider (https://docs.temporal.io/cloud/regions); Azure's list is not kept. */
export const CLOUD_REGIONS: Readonly<Record<'aws' | 'gcp', readonly string[]>> = {
  aws: [
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ca-central-1',
    'eu-central-1',
    'eu-west-1',
    'eu-west-2',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-2',
  ],
  gcp: [
    'asia-south1',
    'asia-southeast2',
    'australia-southeast1',
    'europe-west3',
    'us-central1',
    'us-east4',
    'us-west1',
  ],
};

const PROVIDERS = ['aws', 'gcp', 'azure'] as const;
type Provider = (typeof PROVIDERS)[number];

const DIRECTION = '(?:north|south|east|west|central|northeast|northwest|southeast|southwest)';
/** How each provider spells a region code: AWS `us-east-1`, GCP `us-east4`, Azure `eastus2`. */
const REGION_SHAPE: Record<Provider, RegExp> = {
  aws: new RegExp(`^[a-z]{2}-(?:gov-)?${DIRECTION}-\\d+$`),
  gcp: new RegExp(`^(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-${DIRECTION}\\d+$`),
  azure: /^[a-z]+\d*$/,
};
const EXAMPLE: Record<Provider, string> = { aws: 'us-east-1', gcp: 'us-east4', azure: 'eastus2' };
const PROVIDER_NAME: Record<Provider, string> = { aws: 'AWS', gcp: 'GCP', azure: 'Azure' };

type Form = 'regional' | 'ha';

interface RegionGuess {
  provider: Provider;
  region: string;
}

export interface RegionFinding extends Finding {
  /** The endpoint the user most likely meant, with the port. */
  suggestion?: string;
}

/**
 * Judges a host that names a Temporal Cloud region: `<region>.<cloud>.api.temporal.io` (regional) or
 * `<cloud>-<region>.region.tmprl.cloud` (High Availability), or one of them under the wrong domain or without its
 * cloud. A fail when the name cannot be a Cloud endpoint (a region code the provider never uses, an unknown cloud, a
 * mixed-up domain); a warn when it is well formed but not in the list kept here (a region added since, or a typo of a
 * real one). Undefined when the host names no region.
 */
export function regionFinding(host: string, address: string): RegionFinding | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  const [first = '', second = ''] = labels;
  const rest = labels.slice(2).join('.');

  // <region>.<cloud>.api.temporal.io, and the same two labels under another Temporal domain.
  const providerLabel = closestProvider(second);
  if (labels.length >= 4 && providerLabel && looksLikeRegion(first) && isTemporalDomain(rest)) {
    return judge(
      name,
      { provider: providerLabel.provider, region: first },
      'regional',
      address,
      rest !== 'api.temporal.io' || providerLabel.typo ? 'misplaced' : undefined,
      // <name>.<account>.tmprl.cloud is also a namespace endpoint's shape: an account id could read "aws".
      labels.length === 4 && rest === 'tmprl.cloud'
    );
  }
  // <cloud>-<region>.region.tmprl.cloud, and the same first label under another Temporal domain.
  const dash = first.indexOf('-');
  const haProvider = dash > 0 ? closestProvider(first.slice(0, dash)) : undefined;
  if (labels.length >= 3 && second === 'region' && haProvider && isTemporalDomain(rest)) {
    return judge(
      name,
      { provider: haProvider.provider, region: first.slice(dash + 1) },
      'ha',
      address,
      rest !== 'tmprl.cloud' || haProvider.typo ? 'misplaced' : undefined
    );
  }
  // <region>.api.temporal.io: the cloud label left out.
  if (labels.length === 4 && `${second}.${rest}` === 'api.temporal.io' && looksLikeRegion(first)) {
    const provider = providerOfRegion(first);
    if (provider) return judge(name, { provider, region: first }, 'regional', address, 'no-cloud');
  }
  return undefined;
}

function isTemporalDomain(domain: string): boolean {
  return /(^|\.)(temporal\.io|tmprl\.cloud)$/.test(domain);
}

function looksLikeRegion(label: string): boolean {
  return /^[a-z][a-z0-9-]*$/.test(label);
}

function closestProvider(label: string): { provider: Provider; typo: boolean } | undefined {
  if ((PROVIDERS as readonly string[]).includes(label)) return { provider: label as Provider, typo: false };
  const guess = label.length >= 3 ? didYouMean(label, PROVIDERS) : undefined;
  return guess ? { provider: guess as Provider, typo: true } : undefined;
}

function providerOfRegion(region: string): Provider | undefined {
  if (CLOUD_REGIONS.aws.includes(region) || REGION_SHAPE.aws.test(region)) return 'aws';
  if (CLOUD_REGIONS.gcp.includes(region) || REGION_SHAPE.gcp.test(region)) return 'gcp';
  return undefined;
}

/** The known region nearest to `region`: the same provider first, then the other one (a GCP code under aws). */
function nearestRegion(guess: RegionGuess): RegionGuess | undefined {
  const own = guess.provider === 'azure' ? [] : CLOUD_REGIONS[guess.provider];
  if (own.includes(guess.region)) return guess;
  for (const provider of ['aws', 'gcp'] as const)
    if (provider !== guess.provider && CLOUD_REGIONS[provider].includes(guess.region))
      return { provider, region: guess.region };
  const near = own.length > 0 ? didYouMean(guess.region, own) : undefined;
  if (near) return { provider: guess.provider, region: near };
  // A region typed in the other provider's style (us-east1 under aws): compare without the dashes.
  const flat = guess.region.replace(/-/g, '');
  const scored = own
    .map((region) => ({ region, distance: editDistance(flat, region.replace(/-/g, '')) }))
    .sort((a, b) => a.distance - b.distance)[0];
  return scored && scored.distance <= 1 ? { provider: guess.provider, region: scored.region } : undefined;
}

function endpointFor(guess: RegionGuess, form: Form): string {
  return form === 'regional'
    ? `${guess.region}.${guess.provider}.api.temporal.io:${DEFAULT_GRPC_PORT}`
    : `${guess.provider}-${guess.region}.region.tmprl.cloud:${DEFAULT_GRPC_PORT}`;
}

function judge(
  name: string,
  guess: RegionGuess,
  form: Form,
  address: string,
  /** Why the name as a whole is wrong even with a known region: a wrong domain or a mistyped cloud, or no cloud. */
  misplaced: 'misplaced' | 'no-cloud' | undefined,
  couldBeNamespaceHost = false
): RegionFinding {
  const known = guess.provider !== 'azure' && CLOUD_REGIONS[guess.provider].includes(guess.region);
  const shapeOk = REGION_SHAPE[guess.provider].test(guess.region);
  const nearest = nearestRegion(guess);
  const suggestion = nearest ? endpointFor(nearest, form) : undefined;
  const copy = `copy the ${form === 'regional' ? 'regional' : 'region'} endpoint from the namespace page in the Cloud UI`;
  const fix = suggestion
    ? `Set ${address} to ${suggestion} if that is the namespace's region, or ${copy}.`
    : `Set ${address} to the endpoint on the namespace page in the Cloud UI (${form === 'regional' ? '<region>.<cloud>.api.temporal.io' : '<cloud>-<region>.region.tmprl.cloud'}:${DEFAULT_GRPC_PORT}); ${copy}.`;
  const meant = suggestion ? `; did you mean ${suggestion}?` : '';
  const providerName = PROVIDER_NAME[guess.provider];

  if (misplaced !== undefined) {
    const shape = form === 'regional' ? '<region>.<cloud>.api.temporal.io' : '<cloud>-<region>.region.tmprl.cloud';
    return {
      id: 'endpoint.cloud.region',
      status: couldBeNamespaceHost ? 'warn' : 'fail',
      message: `${name} ${couldBeNamespaceHost ? 'looks like a regional endpoint but is not one' : 'is not a Temporal Cloud endpoint'} (${misplaced === 'no-cloud' ? `the cloud is missing: ${shape}` : `${form === 'regional' ? 'regional' : 'region'} endpoints are ${shape}`})${meant}`,
      fix,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  if (known) {
    return {
      id: 'endpoint.cloud.region',
      status: 'pass',
      message: `${guess.region} is a Temporal Cloud ${providerName} region`,
    };
  }
  if (!shapeOk) {
    return {
      id: 'endpoint.cloud.region',
      status: 'fail',
      message: `${name} is not a Temporal Cloud endpoint: ${guess.region} is not ${providerName === 'GCP' ? 'a' : 'an'} ${providerName} region code (${providerName} writes them like ${EXAMPLE[guess.provider]})${meant}`,
      fix,
      ...(suggestion ? { suggestion } : {}),
    };
  }
  if (guess.provider === 'azure') {
    return { id: 'endpoint.cloud.region', status: 'pass', message: `${guess.region} is written as an Azure region` };
  }
  return {
    id: 'endpoint.cloud.region',
    status: 'warn',
    message: `${guess.region} is not one of the Temporal Cloud ${providerName} regions known to this doctor${meant}`,
    fix: `${fix} (A region added to Temporal Cloud since this release would also show here: the dns check below tells whether the name exists.)`,
    ...(suggestion ? { suggestion } : {}),
  };
}
