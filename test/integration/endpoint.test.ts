import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { endpointStage } from '../../src/stages/endpoint.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { Secret } from '../../src/text/secret.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { flag, makeConfig, makeContext } from '../support/stage-context.js';
import { findCheck, runJson } from '../support/run-cli.js';

function runEndpoint(over: Partial<ResolvedConfig>) {
  return endpointStage.run(makeContext<'config'>({ facts: { config: makeConfig(over) } }));
}
const ids = (checks: Array<{ id: string; status: string }>) => checks.map((c) => `${c.id}:${c.status}`);
const pemPath = (path: string) => flag({ kind: 'path' as const, path }, '--tls-cert-path');

describe('endpoint stage', () => {
  it('parses the default address and hands on host, port and SNI', async () => {
    const { checks, facts } = await runEndpoint({});
    expect(ids(checks)).toEqual(['endpoint.address.parsed:pass']);
    expect(checks[0]?.message).toBe('localhost:7233 is a local machine');
    expect(facts).toEqual({
      host: 'localhost',
      port: 7233,
      portDefaulted: false,
      kind: 'localhost',
      serverName: 'localhost',
    });
  });

  it('defaults the port to 7233 and keeps IPv6 literals unbracketed', async () => {
    const { facts } = await runEndpoint({ address: flag('[::1]', '--address') });
    expect(facts).toEqual({
      host: '::1',
      port: 7233,
      portDefaulted: true,
      ipLiteral: 6,
      kind: 'ip-literal',
      serverName: '::1',
    });
  });

  it('fails endpoint.address.scheme quoting the SDK TypeError and the address to use', async () => {
    const { checks, facts } = await runEndpoint({ address: flag('https://myns.acct12.tmprl.cloud:7233', '--address') });
    expect(facts).toBeUndefined();
    expect(checks[0]).toMatchObject({
      id: 'endpoint.address.scheme',
      status: 'fail',
      message:
        'Address "https://myns.acct12.tmprl.cloud:7233" (from --address) has a scheme (https://); the SDK takes host:port only',
      cause: {
        name: 'TypeError',
        message:
          "Invalid address for Temporal gRPC endpoint: expected URI of the form 'hostname' or 'hostname:port'; got 'https://myns.acct12.tmprl.cloud:7233'",
      },
    });
    expect(checks[0]?.fix).toContain('Set --address to myns.acct12.tmprl.cloud:7233');
  });

  it.each([
    ['localhost:7233/namespaces', 'endpoint.address.path'],
    ['localhost:99999', 'endpoint.address.port'],
    ['localhost:7233\n', 'endpoint.address.whitespace'],
    ['', 'endpoint.address.empty'],
    ['::1', 'endpoint.address.ipv6-brackets'],
  ])('fails %j with %s', async (address, id) => {
    const { checks, facts } = await runEndpoint({
      address: { value: address, source: { kind: 'env', name: 'TEMPORAL_ADDRESS' } },
    });
    expect(checks[0]).toMatchObject({ id, status: 'fail' });
    expect(checks[0]?.fix).toContain('TEMPORAL_ADDRESS');
    expect(facts).toBeUndefined();
  });

  it('warns that 8233 is the dev server Web UI port', async () => {
    const { checks } = await runEndpoint({ address: flag('localhost:8233', '--address') });
    expect(ids(checks)).toContain('endpoint.address.web-ui-port:warn');
    expect(checks.find((c) => c.id === 'endpoint.address.web-ui-port')?.fix).toContain('localhost:7233');
  });

  const cloudMtls: Partial<ResolvedConfig> = {
    address: flag('myns.acct12.tmprl.cloud:7233', '--address'),
    namespace: flag('myns.acct12', '--namespace'),
    tls: { value: true, source: { kind: 'derived', name: 'implied by --tls-cert-path' } },
    clientCert: pemPath('client.pem'),
    clientKey: flag({ kind: 'path' as const, path: 'client.key' }, '--tls-key-path'),
  };

  it('recognises a healthy Cloud namespace endpoint with mTLS', async () => {
    const { checks, facts } = await runEndpoint(cloudMtls);
    expect(ids(checks)).toEqual([
      'endpoint.address.parsed:pass',
      'endpoint.cloud.namespace-id:pass',
      'endpoint.cloud.auth:pass',
    ]);
    expect(checks[0]?.message).toBe(
      'myns.acct12.tmprl.cloud:7233 is a Temporal Cloud namespace endpoint (namespace myns, account acct12)'
    );
    expect(facts).toMatchObject({
      kind: 'cloud-namespace',
      cloud: { namespaceId: 'myns.acct12', accountId: 'acct12' },
    });
  });

  it('fails a bare Cloud namespace name with the full id as the fix, but still hands on facts', async () => {
    const { checks, facts } = await runEndpoint({
      ...cloudMtls,
      namespace: { value: 'myns', source: { kind: 'env', name: 'TEMPORAL_NAMESPACE' } },
    });
    const check = checks.find((c) => c.id === 'endpoint.cloud.namespace-id');
    expect(check?.status).toBe('fail');
    expect(check?.fix).toBe(
      'Set TEMPORAL_NAMESPACE to myns.acct12: Temporal Cloud needs the namespace id, the name alone is not enough.'
    );
    expect(facts?.host).toBe('myns.acct12.tmprl.cloud');
  });

  it('fails a namespace that does not match the namespace endpoint', async () => {
    const { checks } = await runEndpoint({ ...cloudMtls, namespace: flag('other.acct12', '--namespace') });
    expect(ids(checks)).toContain('endpoint.cloud.namespace-mismatch:fail');
  });

  it('fails Cloud without credentials as no-auth (credentials would turn TLS on by themselves)', async () => {
    const { checks } = await runEndpoint({
      address: cloudMtls.address as ResolvedConfig['address'],
      namespace: cloudMtls.namespace as ResolvedConfig['namespace'],
    });
    expect(ids(checks)).toContain('endpoint.cloud.no-auth:fail');
    expect(ids(checks)).not.toContain('endpoint.cloud.tls-off:fail');
  });

  it('fails Cloud with an API key but TLS turned off explicitly', async () => {
    const { checks } = await runEndpoint({
      address: cloudMtls.address as ResolvedConfig['address'],
      namespace: cloudMtls.namespace as ResolvedConfig['namespace'],
      tls: { value: false, source: { kind: 'env', name: 'TEMPORAL_TLS' } },
      apiKey: flag(new Secret('k'), '--api-key'),
    });
    const tlsOff = checks.find((c) => c.id === 'endpoint.cloud.tls-off');
    expect(tlsOff).toMatchObject({
      status: 'fail',
      message: 'Temporal Cloud only accepts TLS connections, but TLS is off (TEMPORAL_TLS)',
    });
    expect(tlsOff?.fix).toContain('remove TEMPORAL_TLS');
  });

  it('fails mTLS on a regional endpoint without --tls-server-name, and names the SNI once it is set', async () => {
    const regional = { ...cloudMtls, address: flag('us-west-2.aws.api.temporal.io:7233', '--address') };
    const without = await runEndpoint(regional);
    expect(without.checks.find((c) => c.id === 'endpoint.cloud.mtls-server-name')?.fix).toContain(
      '--tls-server-name or TEMPORAL_TLS_SERVER_NAME to myns.acct12.tmprl.cloud'
    );
    const withName = await runEndpoint({
      ...regional,
      serverName: flag('myns.acct12.tmprl.cloud', '--tls-server-name'),
    });
    expect(ids(withName.checks)).toEqual([
      'endpoint.address.parsed:pass',
      'endpoint.cloud.region:pass',
      'endpoint.cloud.namespace-id:pass',
      'endpoint.cloud.auth:pass',
      'endpoint.server-name.override:pass',
    ]);
    expect(withName.facts?.serverName).toBe('myns.acct12.tmprl.cloud');
  });

  it('fails a regional endpoint with a region code AWS never uses, naming the likely endpoint', async () => {
    const { checks, facts } = await runEndpoint({
      ...cloudMtls,
      address: flag('us-east1.aws.api.temporal.io:7233', '--address'),
      serverName: flag('myns.acct12.tmprl.cloud', '--tls-server-name'),
    });
    const region = checks.find((c) => c.id === 'endpoint.cloud.region');
    expect(region).toMatchObject({
      status: 'fail',
      message:
        'us-east1.aws.api.temporal.io is not a Temporal Cloud endpoint: us-east1 is not an AWS region code (AWS writes them like us-east-1); did you mean us-east-1.aws.api.temporal.io:7233?',
    });
    expect(region?.fix).toContain('Set --address to us-east-1.aws.api.temporal.io:7233');
    // The facts stay: dns and tcp still add evidence while the root cause stays here.
    expect(facts?.host).toBe('us-east1.aws.api.temporal.io');
  });

  it('fails a regional endpoint written under tmprl.cloud, and warns a well-formed region Temporal Cloud does not list', async () => {
    const mixed = await runEndpoint({ ...cloudMtls, address: flag('us-east-1.aws.api.tmprl.cloud', '--address') });
    expect(mixed.checks.find((c) => c.id === 'endpoint.cloud.region')).toMatchObject({
      status: 'fail',
      message:
        'us-east-1.aws.api.tmprl.cloud is not a Temporal Cloud endpoint (regional endpoints are <region>.<cloud>.api.temporal.io); did you mean us-east-1.aws.api.temporal.io:7233?',
    });
    const unlisted = await runEndpoint({
      ...cloudMtls,
      address: flag('us-west-3.aws.api.temporal.io:7233', '--address'),
      serverName: flag('myns.acct12.tmprl.cloud', '--tls-server-name'),
    });
    expect(unlisted.checks.find((c) => c.id === 'endpoint.cloud.region')).toMatchObject({
      status: 'warn',
      message:
        'us-west-3 is not one of the Temporal Cloud AWS regions known to this doctor; did you mean us-west-2.aws.api.temporal.io:7233?',
    });
  });

  it('adds no region check for namespace endpoints and self-hosted names', async () => {
    for (const address of ['myns.acct12.tmprl.cloud:7233', 'temporal.example.com:7233', 'localhost:7233']) {
      const { checks } = await runEndpoint({ ...cloudMtls, address: flag(address, '--address') });
      expect(checks.map((c) => c.id)).not.toContain('endpoint.cloud.region');
    }
  });

  it('warns (does not fail) an API key on a namespace endpoint', async () => {
    const { checks } = await runEndpoint({
      address: cloudMtls.address as ResolvedConfig['address'],
      namespace: cloudMtls.namespace as ResolvedConfig['namespace'],
      tls: { value: true, source: { kind: 'derived', name: 'implied by --api-key' } },
      apiKey: flag(new Secret('k'), '--api-key'),
    });
    expect(ids(checks)).toContain('endpoint.cloud.api-key-namespace-endpoint:warn');
    expect(checks.some((c) => c.status === 'fail')).toBe(false);
  });
});

describe('endpoint through the CLI', () => {
  let dns: DnsServer;
  beforeAll(async () => {
    dns = await startDnsServer({
      'web.myns.acct12.tmprl.cloud': { A: ['127.0.0.1'] },
      'myns.acct12.tmprl.cloud': { A: ['127.0.0.1'] },
    });
  });
  afterAll(async () => {
    await dns.close();
  });

  it('fails the Web UI host at endpoint with the gRPC address, before any DNS query', async () => {
    const { report, exitCode } = await runJson([
      '--address',
      'web.myns.acct12.tmprl.cloud:7233',
      '-n',
      'myns.acct12',
      '--dns-server',
      dns.server,
      '--no-sdk-probe',
    ]);
    expect(report.rootCause).toMatchObject({ stage: 'endpoint', check: 'endpoint.address.web-ui' });
    expect(report.rootCause?.message).toBe(
      'web.myns.acct12.tmprl.cloud is the Temporal Cloud Web UI, not the gRPC endpoint; use myns.acct12.tmprl.cloud:7233'
    );
    expect(report.rootCause?.fix).toContain('Set --address to myns.acct12.tmprl.cloud:7233');
    expect(report.stages.find((s) => s.id === 'dns')?.status).toBe('skip');
    expect(dns.queries).toEqual([]);
    expect(exitCode).not.toBe(0);
  });

  it('fails an https:// address at endpoint, quoting the SDK error', async () => {
    const { report } = await runJson(['--address', 'https://localhost:7233', '--no-sdk-probe']);
    expect(report.rootCause).toMatchObject({ stage: 'endpoint', check: 'endpoint.address.scheme' });
    expect(findCheck(report, 'endpoint.address.scheme')?.cause?.message).toContain(
      'Invalid address for Temporal gRPC endpoint'
    );
  });

  it('fails cloud.temporal.io and derives the gRPC endpoint from the namespace id', async () => {
    const { report } = await runJson(['--address', 'cloud.temporal.io:443', '-n', 'myns.acct12', '--no-sdk-probe']);
    expect(report.rootCause?.message).toContain('use myns.acct12.tmprl.cloud:7233');
  });
});
