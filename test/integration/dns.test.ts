import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dnsStage } from '../../src/stages/dns.js';
import { createLookup, resolveHost } from '../../src/net/resolve.js';
import { connect } from 'node:net';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { startSilentServer, type TcpServer } from '../support/servers/index.js';
import { makeContext } from '../support/stage-context.js';
import { findCheck, runJson } from '../support/run-cli.js';
import type { EndpointFacts } from '../../src/facts.js';

let dns: DnsServer;
beforeAll(async () => {
  dns = await startDnsServer({
    'ns1.acct12.tmprl.cloud': { A: ['127.0.0.1'], AAAA: ['::1'] },
    'web.ns1.acct12.tmprl.cloud': { rcode: 'NXDOMAIN' },
    'alias.example.test': { CNAME: 'middle.example.test' },
    'middle.example.test': { CNAME: 'target.example.test' },
    'target.example.test': { A: ['127.0.0.2'] },
    'v6only.example.test': { AAAA: ['::1'] },
    'empty.example.test': {},
    'broken.example.test': { rcode: 'SERVFAIL' },
    // Resolvers answer SERVFAIL for a CNAME chain that never ends (the test server does too, after its hop limit).
    'loop-a.example.test': { CNAME: 'loop-b.example.test' },
    'loop-b.example.test': { CNAME: 'loop-a.example.test' },
    'slow.example.test': { silent: true },
    'dangling.example.test': { CNAME: 'lb-old.example.test' },
    'dangling2.example.test': { CNAME: 'middle2.example.test' },
    'middle2.example.test': { CNAME: 'lb-gone.example.test' },
  });
});
afterAll(async () => {
  await dns.close();
});

function endpoint(host: string, over: Partial<EndpointFacts> = {}): EndpointFacts {
  return { host, port: 7233, portDefaulted: false, kind: 'self-hosted', serverName: host, ...over };
}
function runDns(facts: EndpointFacts, options: { servers?: boolean; timeoutMs?: number } = {}) {
  return dnsStage.run(
    makeContext<'endpoint'>({
      facts: { endpoint: facts },
      options: {
        timeoutMs: options.timeoutMs ?? 2000,
        ...(options.servers === false ? {} : { dnsServers: [dns.server] }),
      },
    })
  );
}

describe('dns stage', () => {
  it('resolves a Cloud-style name through --dns-server and reports the web counterpart', async () => {
    const cloud = endpoint('ns1.acct12.tmprl.cloud', {
      kind: 'cloud-namespace',
      cloud: { namespaceId: 'ns1.acct12', namespaceName: 'ns1', accountId: 'acct12' },
    });
    const { checks, facts } = await runDns(cloud);
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.resolved', status: 'pass' });
    expect(checks[0]?.message).toMatch(/^ns1\.acct12\.tmprl\.cloud resolves to 127\.0\.0\.1, ::1 in \d+ ms$/);
    expect(checks[0]?.evidence).toContainEqual({
      label: 'web counterpart',
      value: 'web.ns1.acct12.tmprl.cloud: ENOTFOUND (the Web UI host is not where gRPC is served)',
    });
    expect(facts).toEqual({
      addresses: [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ],
      cnameChain: [],
      via: 'servers',
      servers: [dns.server],
    });
    expect(dns.queries).toContain('web.ns1.acct12.tmprl.cloud');
  });

  it('reports the CNAME chain', async () => {
    const { checks, facts } = await runDns(endpoint('alias.example.test'));
    expect(facts?.cnameChain).toEqual(['middle.example.test', 'target.example.test']);
    expect(facts?.addresses).toEqual([{ address: '127.0.0.2', family: 4 }]);
    expect(checks[0]?.evidence).toContainEqual({
      label: 'CNAME chain',
      value: 'alias.example.test → middle.example.test → target.example.test',
    });
  });

  it('notes a name that resolves only to ::1', async () => {
    const { checks } = await runDns(endpoint('v6only.example.test'));
    expect(findById(checks, 'dns.addresses.families')?.message).toBe(
      'v6only.example.test resolves only to ::1; a server listening on 127.0.0.1 only is unreachable by this name'
    );
  });

  it('fails dns.lookup.not-found for a missing tmprl.cloud host with the namespace-page fix', async () => {
    const { checks, facts } = await runDns(endpoint('nope.acct12.tmprl.cloud', { kind: 'cloud-namespace' }));
    expect(checks[0]).toMatchObject({
      id: 'dns.lookup.not-found',
      status: 'fail',
      message: 'nope.acct12.tmprl.cloud does not exist (ENOTFOUND)',
    });
    expect(checks[0]?.fix).toContain('copy the gRPC endpoint from the namespace page');
    expect(facts).toBeUndefined();
  });

  it('fails dns.lookup.dangling-cname naming the CNAME target that does not exist', async () => {
    const { checks } = await runDns(endpoint('dangling.example.test'));
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.dangling-cname', status: 'fail' });
    expect(checks[0]?.message).toBe(
      'dangling.example.test is a CNAME to lb-old.example.test, which does not exist (NXDOMAIN): dangling.example.test has no address'
    );
    expect(checks[0]?.evidence).toContainEqual({ label: 'missing target', value: 'lb-old.example.test' });
    expect(checks[0]?.fix).toContain('The CNAME record of dangling.example.test points at lb-old.example.test');
  });

  it('names the last hop of a longer CNAME chain that dangles', async () => {
    const { checks } = await runDns(endpoint('dangling2.example.test'));
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.dangling-cname', status: 'fail' });
    expect(checks[0]?.evidence).toContainEqual({
      label: 'CNAME chain',
      value: 'dangling2.example.test → middle2.example.test → lb-gone.example.test',
    });
    expect(checks[0]?.fix).toContain('The CNAME record of middle2.example.test points at lb-gone.example.test');
  });

  it('fails dns.lookup.no-data for a name without addresses', async () => {
    const { checks } = await runDns(endpoint('empty.example.test'));
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.no-data', status: 'fail' });
  });

  it('fails dns.lookup.server-failure on SERVFAIL, apart from a timeout: the resolver answers', async () => {
    const { checks } = await runDns(endpoint('broken.example.test'));
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.server-failure', status: 'fail' });
    expect(checks[0]?.message).toContain('the DNS server answered SERVFAIL');
    expect(checks[0]?.fix).toContain('the zone of broken.example.test is broken');
  });

  it('fails dns.lookup.server-failure on a CNAME loop, not "no address"', async () => {
    const { checks } = await runDns(endpoint('loop-a.example.test'));
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.server-failure', status: 'fail' });
    expect(checks[0]?.fix).toContain('a CNAME loop');
  });

  it('fails dns.lookup.timeout within its budget when the DNS server never answers', async () => {
    const started = Date.now();
    const { checks } = await runDns(endpoint('slow.example.test'), { timeoutMs: 900 });
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.timeout', status: 'fail' });
    expect(checks[0]?.message).toMatch(/no DNS answer within \d+ ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('uses the OS resolver (as the SDK does) without --dns-server', async () => {
    const { checks, facts } = await runDns(endpoint('localhost', { kind: 'localhost' }), { servers: false });
    expect(checks[0]?.id).toBe('dns.lookup.resolved');
    expect(facts?.via).toBe('system');
    expect(facts?.addresses.some((a) => a.address === '127.0.0.1' || a.address === '::1')).toBe(true);
  });

  it('passes an IP literal without resolving', async () => {
    const before = dns.queries.length;
    const { checks, facts } = await runDns(endpoint('127.0.0.1', { kind: 'ip-literal', ipLiteral: 4 }));
    expect(checks[0]).toMatchObject({ id: 'dns.lookup.ip-literal', status: 'pass' });
    expect(facts?.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect(dns.queries.length).toBe(before);
  });

  it('fails dns.lookup.bad-server for an unusable --dns-server value', async () => {
    const { checks } = await dnsStage.run(
      makeContext<'endpoint'>({ facts: { endpoint: endpoint('x.test') }, options: { dnsServers: ['not a server'] } })
    );
    expect(checks[0]?.id).toBe('dns.lookup.bad-server');
  });
});

describe('net/resolve createLookup', () => {
  let silent: TcpServer;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await silent.close();
  });

  it('lets net.connect reach a made-up name through the test DNS server', async () => {
    const lookup = createLookup([dns.server]);
    const address = await new Promise<string | undefined>((resolve, reject) => {
      const socket = connect({ host: 'ns1.acct12.tmprl.cloud', port: silent.port, family: 4, lookup });
      socket.once('connect', () => {
        resolve(socket.remoteAddress);
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(address).toBe('127.0.0.1');
  });

  it('answers a bounded resolveHost for an unknown name with not-found', async () => {
    const resolution = await resolveHost('missing.example.test', {
      servers: [dns.server],
      signal: new AbortController().signal,
      timeoutMs: 1000,
    });
    expect(resolution.failure).toMatchObject({ kind: 'not-found', code: 'ENOTFOUND' });
  });
});

describe('dns through the CLI', () => {
  it('roots a missing Cloud host in dns when the endpoint rules pass', async () => {
    const { report } = await runJson([
      '--address',
      'nope.acct12.tmprl.cloud:7233',
      '-n',
      'nope.acct12',
      '--api-key',
      'k',
      '--dns-server',
      dns.server,
      '--timeout',
      '1500ms',
      '--no-sdk-probe',
    ]);
    expect(report.rootCause).toMatchObject({ stage: 'dns', check: 'dns.lookup.not-found' });
    expect(findCheck(report, 'endpoint.cloud.api-key-namespace-endpoint')?.status).toBe('warn');
  });
});

function findById<T extends { id: string }>(checks: T[], id: string): T | undefined {
  return checks.find((c) => c.id === id);
}
