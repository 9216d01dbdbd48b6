// The cloud stage's comparisons as pure functions: the GetNamespace answer read as the service sends it, the filter
// and CA rules, and the state / auth / endpoint / connectivity verdicts the integration tests do not reach.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { createCa, issueCert, type Issued } from '../../support/pki.js';
import { readNamespace, type NamespaceView } from '../../../src/stages/cloud/namespace-view.js';
import {
  certificateNames,
  filterMatches,
  findAcceptedCa,
  matchesPattern,
} from '../../../src/stages/cloud/certificates.js';
import {
  authCheck,
  connectivityCheck,
  endpointCheck,
  stateCheck,
  type TargetInput,
} from '../../../src/stages/cloud/access.js';

let root: Issued;
let intermediate: Issued;
let leaf: Issued;
let stranger: Issued;

beforeAll(async () => {
  root = await createCa({ commonName: 'Root CA' });
  intermediate = await issueCert(root, { commonName: 'Issuing CA', isCa: true });
  leaf = await issueCert(intermediate, {
    commonName: 'worker-7',
    dnsNames: ['worker-7.payments.example'],
    clientAuth: true,
    serverAuth: false,
  });
  stranger = await createCa({ commonName: 'Stranger CA' });
});

function view(overrides: Partial<NamespaceView> = {}): NamespaceView {
  return {
    namespace: 'myns.acct12',
    state: 'active',
    mtlsEnabled: true,
    apiKeyEnabled: false,
    acceptedCas: [],
    unreadableCas: 0,
    filters: [],
    mtlsGrpcAddress: 'myns.acct12.tmprl.cloud:7233',
    grpcAddress: 'us-west-2.aws.api.temporal.io:7233',
    regions: ['aws-us-west-2'],
    privateRegions: [],
    publicRules: 0,
    privateRules: 0,
    ...overrides,
  };
}

function target(overrides: Partial<TargetInput> = {}): TargetInput {
  return {
    host: 'myns.acct12.tmprl.cloud',
    port: 7233,
    kind: 'cloud-namespace',
    serverName: 'myns.acct12.tmprl.cloud',
    auth: 'mtls',
    names: {
      address: '--address',
      serverName: '--tls-server-name',
      clientPair: '--tls-cert-path and --tls-key-path',
      apiKey: '--api-key',
    },
    ...overrides,
  };
}

describe('reading the GetNamespace answer', () => {
  it('reads the CA bundle as PEM bytes or as base64 of PEM, and the replicas as regions', () => {
    const raw = {
      namespace: 'myns.acct12',
      state: 'RESOURCE_STATE_ACTIVE',
      spec: { mtlsAuth: { acceptedClientCa: Buffer.from(root.certPem + stranger.certPem), enabled: true } },
      replicas: [{ region: 'aws-us-west-2', isPrimary: true }],
    };
    const fromBytes = readNamespace(raw, 'x');
    expect(fromBytes.acceptedCas.map((c) => c.fingerprint256)).toEqual([
      root.cert.fingerprint256,
      stranger.cert.fingerprint256,
    ]);
    expect(fromBytes).toMatchObject({ state: 'active', regions: ['aws-us-west-2'], activeRegion: 'aws-us-west-2' });
    const legacy = readNamespace(
      { spec: { mtlsAuth: { acceptedClientCaDeprecated: Buffer.from(root.certPem).toString('base64') } } },
      'myns.acct12'
    );
    expect(legacy.acceptedCas).toHaveLength(1);
    // Before `enabled` existed, a CA meant mTLS was on.
    expect(legacy.mtlsEnabled).toBe(true);
    expect(legacy.namespace).toBe('myns.acct12');
  });
});

describe('certificate rules', () => {
  it('matches filters case-insensitively with one leading or trailing wildcard, every field of a filter', () => {
    expect(matchesPattern('worker-7', 'WORKER-*')).toBe(true);
    expect(matchesPattern('worker-7.payments.example', '*.payments.example')).toBe(true);
    expect(matchesPattern('worker-7', 'worker')).toBe(false);
    const names = certificateNames(leaf.cert);
    expect(names.subjectAlternativeName).toEqual(['worker-7.payments.example']);
    expect(filterMatches({ commonName: 'worker-*', subjectAlternativeName: '*.payments.example' }, names)).toBe(true);
    expect(filterMatches({ commonName: 'worker-*', organization: 'Payments' }, names)).toBe(false);
  });

  it('walks the configured chain up to an accepted intermediate or root, and not to a stranger', () => {
    const chain = [leaf.cert, intermediate.cert];
    expect(findAcceptedCa(chain, [root.cert])?.ca.fingerprint256).toBe(root.cert.fingerprint256);
    expect(findAcceptedCa(chain, [intermediate.cert])?.ca.fingerprint256).toBe(intermediate.cert.fingerprint256);
    expect(findAcceptedCa([leaf.cert], [root.cert])).toBeUndefined();
    expect(findAcceptedCa(chain, [stranger.cert])).toBeUndefined();
  });
});

describe('state, auth, endpoint and connectivity verdicts', () => {
  it('fails a stopped namespace, warns about one still being created, passes an active one', () => {
    expect(stateCheck(view({ state: 'suspended' }))).toMatchObject({ status: 'fail', id: 'cloud.namespace.state' });
    expect(stateCheck(view({ state: 'activating' })).status).toBe('warn');
    expect(stateCheck(view()).status).toBe('pass');
  });

  it('fails mTLS against a namespace with mTLS off, naming the API key endpoint', () => {
    const check = authCheck(view({ mtlsEnabled: false, apiKeyEnabled: true }), target());
    expect(check).toMatchObject({ id: 'cloud.auth.mtls-disabled', status: 'fail' });
    expect(check.fix).toContain('dial us-west-2.aws.api.temporal.io:7233');
    expect(authCheck(view(), target({ auth: 'none' })).status).toBe('skip');
  });

  it('passes a private endpoint dialled with the namespace endpoint as server name, fails another name', () => {
    const vpce = { host: 'vpce-0abc.vpce-svc.us-west-2.vpce.amazonaws.com', kind: 'cloud-privatelink' as const };
    expect(endpointCheck(view(), target({ ...vpce })).status).toBe('pass');
    expect(endpointCheck(view(), target({ ...vpce, serverName: vpce.host }))).toMatchObject({
      status: 'fail',
      fix: 'Set --tls-server-name to myns.acct12.tmprl.cloud.',
    });
  });

  it('fails mTLS on the API key endpoint without the namespace server name, and another namespace host', () => {
    const regional = target({
      host: 'us-west-2.aws.api.temporal.io',
      serverName: 'us-west-2.aws.api.temporal.io',
      kind: 'cloud-regional',
      cloud: { region: 'us-west-2', cloudProvider: 'aws' },
    });
    expect(endpointCheck(view(), regional)).toMatchObject({ status: 'fail', id: 'cloud.endpoint.address' });
    expect(endpointCheck(view(), { ...regional, serverName: 'myns.acct12.tmprl.cloud' }).status).toBe('pass');
    expect(
      endpointCheck(view(), target({ host: 'other.acct12.tmprl.cloud', serverName: 'other.acct12.tmprl.cloud' })).status
    ).toBe('fail');
    expect(endpointCheck(view({ mtlsGrpcAddress: undefined, grpcAddress: undefined }), target()).status).toBe('skip');
  });

  it('warns about private-only rules on a public endpoint and a private endpoint without private connectivity', () => {
    expect(connectivityCheck(view({ privateRules: 1 }), target()).id).toBe('cloud.connectivity.private-only');
    expect(connectivityCheck(view(), target({ host: 'vpce-1.vpce.amazonaws.com', kind: 'cloud-privatelink' })).id).toBe(
      'cloud.connectivity.no-private'
    );
    expect(connectivityCheck(view({ privateRules: 1, publicRules: 1 }), target()).status).toBe('pass');
  });
});
