import { describe, it, expect } from '@jest/globals';
import {
  classifyHost,
  cloudRules,
  parseAddress,
  parseNamespaceId,
  sdkAddressError,
  type CloudRuleInput,
} from '../../../src/knowledge/temporal-endpoints.js';

describe('parseAddress', () => {
  it.each([
    ['localhost', 'localhost', 7233, true, undefined],
    ['localhost:7233', 'localhost', 7233, false, undefined],
    ['127.0.0.1', '127.0.0.1', 7233, true, 4],
    ['127.0.0.1:7234', '127.0.0.1', 7234, false, 4],
    ['[::1]:7233', '::1', 7233, false, 6],
    ['[::1]', '::1', 7233, true, 6],
    ['[::ffff:192.0.2.128]:8080', '::ffff:192.0.2.128', 8080, false, 6],
    ['myns.acct12.tmprl.cloud:7233', 'myns.acct12.tmprl.cloud', 7233, false, undefined],
    ['us-west-2.aws.api.temporal.io:7233', 'us-west-2.aws.api.temporal.io', 7233, false, undefined],
    [
      'temporal-frontend.temporal.svc.cluster.local:7233',
      'temporal-frontend.temporal.svc.cluster.local',
      7233,
      false,
      undefined,
    ],
    ['host.docker.internal:7233', 'host.docker.internal', 7233, false, undefined],
  ])('accepts %s as host %s port %d', (raw, host, port, defaulted, family) => {
    const parsed = parseAddress(raw);
    expect(parsed).toEqual({
      ok: true,
      value: { host, port, portDefaulted: defaulted, ...(family ? { ipLiteral: family } : {}) },
    });
    // Everything accepted is also accepted by the SDK's own parser.
    expect(sdkAddressError(raw)).toBeUndefined();
  });

  it.each([
    ['', 'empty', undefined],
    ['   ', 'empty', undefined],
    ['localhost:7233\n', 'whitespace', 'localhost:7233'],
    [' myns.acct12.tmprl.cloud:7233', 'whitespace', 'myns.acct12.tmprl.cloud:7233'],
    ['https://myns.acct12.tmprl.cloud:7233', 'scheme', 'myns.acct12.tmprl.cloud:7233'],
    ['http://localhost:7233/', 'scheme', 'localhost:7233'],
    ['grpc://localhost', 'scheme', 'localhost:7233'],
    ['dns:///myns.acct12.tmprl.cloud:7233', 'scheme', 'myns.acct12.tmprl.cloud:7233'],
    ['https://backgroundcheck-app.1a23b.tmprl.cloud:1234', 'scheme', 'backgroundcheck-app.1a23b.tmprl.cloud:1234'],
    ['localhost:7233/api', 'path', 'localhost:7233'],
    ['localhost:abc', 'port', 'localhost:7233'],
    ['localhost:', 'port', 'localhost:7233'],
    ['localhost:0', 'port', 'localhost:7233'],
    ['localhost:65536', 'port', 'localhost:7233'],
    ['::1', 'ipv6-brackets', '[::1]:7233'],
    ['2001:db8::1', 'ipv6-brackets', '[2001:db8::1]:7233'],
    ['[::1', 'invalid', undefined],
    ['[example.com]:7233', 'invalid', undefined],
    ['user@host:7233', 'invalid', undefined],
    ['256.1.1.1:7233', 'invalid', undefined],
  ])('rejects %j as %s, suggesting %s', (raw, rule, suggestion) => {
    const parsed = parseAddress(raw);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem.rule).toBe(rule);
    expect(parsed.problem.suggestion).toBe(suggestion);
  });

  it.each([
    'https://x.tmprl.cloud:7233',
    'http://localhost:7233',
    'dns:///x:7233',
    '::1',
    'localhost:abc',
    'HTTPS://x:1',
  ])('knows the SDK throws its TypeError for %s', (raw) => {
    expect(sdkAddressError(raw)).toBe(
      `Invalid address for Temporal gRPC endpoint: expected URI of the form 'hostname' or 'hostname:port'; got '${raw}'`
    );
  });

  it.each(['localhost:99999', 'localhost :7233', 'localhost:0'])(
    'knows the SDK accepts %j although the connection then fails',
    (raw) => {
      expect(sdkAddressError(raw)).toBeUndefined();
      expect(parseAddress(raw).ok).toBe(false);
    }
  );
});

describe('classifyHost', () => {
  it.each([
    [
      'myns.acct12.tmprl.cloud',
      'cloud-namespace',
      { namespaceId: 'myns.acct12', namespaceName: 'myns', accountId: 'acct12' },
    ],
    [
      'accounting-production.f45a2.tmprl.cloud',
      'cloud-namespace',
      { namespaceId: 'accounting-production.f45a2', namespaceName: 'accounting-production', accountId: 'f45a2' },
    ],
    [
      'MYNS.ACCT12.TMPRL.CLOUD.',
      'cloud-namespace',
      { namespaceId: 'myns.acct12', namespaceName: 'myns', accountId: 'acct12' },
    ],
    ['us-west-2.aws.api.temporal.io', 'cloud-regional', { region: 'us-west-2', cloudProvider: 'aws' }],
    ['ca-central-1.aws.api.temporal.io', 'cloud-regional', { region: 'ca-central-1', cloudProvider: 'aws' }],
    ['us-central1.gcp.api.temporal.io', 'cloud-regional', { region: 'us-central1', cloudProvider: 'gcp' }],
    ['aws-us-west-2.region.tmprl.cloud', 'cloud-ha-region', { cloudProvider: 'aws', region: 'us-west-2' }],
    ['vpce-0123456789abcdef-abcdefgh.vpce-svc-0123456789abcdef.us-west-2.vpce.amazonaws.com', 'cloud-privatelink', {}],
    [
      'web.myns.acct12.tmprl.cloud',
      'cloud-web',
      { namespaceId: 'myns.acct12', namespaceName: 'myns', accountId: 'acct12' },
    ],
    ['cloud.temporal.io', 'cloud-web', undefined],
    ['myns.tmprl.cloud', 'cloud-namespace', {}],
    ['localhost', 'localhost', undefined],
    ['app.localhost', 'localhost', undefined],
    ['temporal.example.com', 'self-hosted', undefined],
    ['host.docker.internal', 'self-hosted', undefined],
  ])('classifies %s as %s', (host, kind, cloud) => {
    const result = classifyHost(host);
    expect(result.kind).toBe(kind);
    expect(result.cloud).toEqual(cloud);
  });

  it('names the gRPC endpoint for the Web UI host', () => {
    expect(classifyHost('web.myns.acct12.tmprl.cloud').grpcAddress).toBe('myns.acct12.tmprl.cloud:7233');
  });

  it.each([
    ['127.0.0.1', 4],
    ['::1', 6],
  ] as const)('classifies the IP literal %s as ip-literal', (host, family) => {
    expect(classifyHost(host, family).kind).toBe('ip-literal');
  });
});

describe('parseNamespaceId', () => {
  it.each([
    ['myns.acct12', { name: 'myns', accountId: 'acct12' }],
    ['accounting-production.123de', { name: 'accounting-production', accountId: '123de' }],
    ['myns', undefined],
    ['default', undefined],
    ['a.b.c', undefined],
    ['My Ns.acct', undefined],
  ])('reads %s', (namespace, expected) => {
    expect(parseNamespaceId(namespace)).toEqual(expected);
  });
});

describe('cloudRules', () => {
  const names = {
    address: '--address',
    namespace: '--namespace',
    tls: '--tls',
    serverName: '--tls-server-name (or TEMPORAL_TLS_SERVER_NAME)',
    apiKey: '--api-key (or TEMPORAL_API_KEY)',
    clientPair: '--tls-cert-path and --tls-key-path',
  };
  const namespaceEndpoint: CloudRuleInput = {
    kind: 'cloud-namespace',
    host: 'myns.acct12.tmprl.cloud',
    port: 7233,
    cloud: { namespaceId: 'myns.acct12', namespaceName: 'myns', accountId: 'acct12' },
    namespace: 'myns.acct12',
    tls: true,
    auth: 'mtls',
    names,
  };
  const regional: CloudRuleInput = {
    ...namespaceEndpoint,
    kind: 'cloud-regional',
    host: 'us-west-2.aws.api.temporal.io',
    cloud: { region: 'us-west-2', cloudProvider: 'aws' },
  };
  const ids = (input: CloudRuleInput) => cloudRules(input).map((f) => `${f.id}:${f.status}`);

  it('passes mTLS to the matching namespace endpoint', () => {
    expect(ids(namespaceEndpoint)).toEqual(['endpoint.cloud.namespace-id:pass', 'endpoint.cloud.auth:pass']);
  });

  it('fails a bare namespace name and derives the id from the host', () => {
    const findings = cloudRules({ ...namespaceEndpoint, namespace: 'myns' });
    expect(findings[0]).toMatchObject({ id: 'endpoint.cloud.namespace-id', status: 'fail' });
    expect(findings[0]?.fix).toContain('--namespace to myns.acct12');
  });

  it('fails the default namespace on a namespace endpoint, suggesting the host namespace', () => {
    const findings = cloudRules({ ...namespaceEndpoint, namespace: 'default' });
    expect(findings[0]?.fix).toContain('myns.acct12');
  });

  it('cannot derive the account on a regional endpoint and says where to find the id', () => {
    const findings = cloudRules({ ...regional, namespace: 'myns', auth: 'api-key' });
    expect(findings[0]).toMatchObject({ id: 'endpoint.cloud.namespace-id', status: 'fail' });
    expect(findings[0]?.fix).toContain('<name>.<account-id>');
  });

  it('fails a namespace that does not match the namespace endpoint', () => {
    const findings = cloudRules({ ...namespaceEndpoint, namespace: 'other.acct12' });
    expect(findings[0]).toMatchObject({ id: 'endpoint.cloud.namespace-mismatch', status: 'fail' });
    expect(findings[0]?.fix).toContain('other.acct12.tmprl.cloud:7233');
  });

  it('fails Cloud without TLS', () => {
    expect(ids({ ...namespaceEndpoint, tls: false })).toContain('endpoint.cloud.tls-off:fail');
  });

  it('fails Cloud without any auth', () => {
    expect(ids({ ...namespaceEndpoint, auth: 'none' })).toContain('endpoint.cloud.no-auth:fail');
  });

  it('fails mTLS on a regional endpoint without a server name, naming the namespace endpoint', () => {
    const finding = cloudRules(regional).find((f) => f.id === 'endpoint.cloud.mtls-server-name');
    expect(finding?.status).toBe('fail');
    expect(finding?.fix).toContain('--tls-server-name (or TEMPORAL_TLS_SERVER_NAME) to myns.acct12.tmprl.cloud');
  });

  it('passes mTLS on a regional endpoint with the server name set', () => {
    expect(ids({ ...regional, serverName: 'myns.acct12.tmprl.cloud' })).toEqual([
      'endpoint.cloud.namespace-id:pass',
      'endpoint.cloud.auth:pass',
    ]);
  });

  it('passes an API key on a regional endpoint', () => {
    expect(ids({ ...regional, auth: 'api-key' })).toContain('endpoint.cloud.auth:pass');
  });

  it('warns (does not fail) an API key on a namespace endpoint', () => {
    expect(ids({ ...namespaceEndpoint, auth: 'api-key' })).toContain('endpoint.cloud.api-key-namespace-endpoint:warn');
  });

  it('fails a PrivateLink endpoint without a server name', () => {
    const privatelink: CloudRuleInput = {
      ...namespaceEndpoint,
      kind: 'cloud-privatelink',
      host: 'vpce-1.vpce-svc-2.us-west-2.vpce.amazonaws.com',
      cloud: {},
    };
    expect(ids(privatelink)).toContain('endpoint.cloud.privatelink-server-name:fail');
    expect(ids({ ...privatelink, serverName: 'myns.acct12.tmprl.cloud' })).toContain('endpoint.cloud.auth:pass');
  });

  it('treats the HA region endpoint like a regional one for mTLS', () => {
    const ha: CloudRuleInput = { ...regional, kind: 'cloud-ha-region', host: 'aws-us-west-2.region.tmprl.cloud' };
    expect(ids(ha)).toContain('endpoint.cloud.mtls-server-name:fail');
  });

  it('warns about a port other than 7233', () => {
    expect(ids({ ...namespaceEndpoint, port: 443 })).toContain('endpoint.cloud.port:warn');
  });

  it('has no opinion on non-Cloud endpoints', () => {
    expect(cloudRules({ ...namespaceEndpoint, kind: 'self-hosted' })).toEqual([]);
  });
});
