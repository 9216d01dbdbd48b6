// The dns stage against real resolvers (Debian's dnsmasq and BIND) started in the foreground on loopback, through
// --dns-server, as a user would point the doctor at a resolver that misbehaves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createSocket, type Socket } from 'node:dgram';
import { startDnsmasq, type Dnsmasq } from '../support/thirdparty/dnsmasq.js';
import { startBind, type Bind } from '../support/thirdparty/bind.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { findCheck, runJson } from '../support/run-cli.js';

let frontend: TemporalFrontend;
beforeAll(async () => {
  frontend = await startTemporalFrontend();
});
afterAll(() => frontend.close());

describe('dnsmasq', () => {
  let dnsmasq: Dnsmasq;
  beforeAll(async () => {
    dnsmasq = await startDnsmasq({
      localDomains: ['example.test'],
      hosts: { 'temporal.example.test': ['127.0.0.1'] },
      cnames: { 'alias.example.test': 'temporal.example.test', 'dangling.example.test': 'lb-old.example.test' },
    });
  });
  afterAll(() => dnsmasq.close());

  function check(host: string) {
    return runJson([
      '--address',
      `${host}:${frontend.port}`,
      '--dns-server',
      dnsmasq.server,
      '--timeout',
      '2s',
      '--no-sdk-probe',
    ]);
  }

  it('names the missing target of a dangling CNAME', async () => {
    const { report } = await check('dangling.example.test');
    expect(report.rootCause).toMatchObject({ stage: 'dns', check: 'dns.lookup.dangling-cname' });
    const dangling = findCheck(report, 'dns.lookup.dangling-cname');
    expect(dangling?.message).toBe(
      'dangling.example.test is a CNAME to lb-old.example.test, which does not exist (NXDOMAIN): dangling.example.test has no address'
    );
    expect(dangling?.fix).toContain('points at lb-old.example.test, which does not exist');
  });

  it('passes through a CNAME whose target exists, with the chain as evidence', async () => {
    const { report } = await check('alias.example.test');
    const resolved = findCheck(report, 'dns.lookup.resolved');
    expect(resolved?.status).toBe('pass');
    expect(resolved?.evidence).toContainEqual({
      label: 'CNAME chain',
      value: 'alias.example.test → temporal.example.test',
    });
    expect(findCheck(report, 'tcp.connect.ok')?.status).toBe('pass');
  });

  it('still says a plain missing name does not exist', async () => {
    const { report } = await check('nope.example.test');
    expect(report.rootCause).toMatchObject({ stage: 'dns', check: 'dns.lookup.not-found' });
  });
});

describe('BIND answering SERVFAIL, and a resolver that never answers', () => {
  let bind: Bind;
  let silent: Socket;
  let silentServer: string;
  let silentQueries = 0;
  beforeAll(async () => {
    bind = await startBind({ zones: { 'example.test': { temporal: '127.0.0.1' } }, brokenZones: ['broken.test'] });
    // Reads every query and never replies, as a resolver behind a dropping firewall looks to the client.
    silent = createSocket('udp4');
    silent.on('message', () => (silentQueries += 1));
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    silentServer = `127.0.0.1:${silent.address().port}`;
  });
  afterAll(async () => {
    await bind.close();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  const check = (host: string, server: string, timeout = '2s') =>
    runJson(['--address', `${host}:${frontend.port}`, '--dns-server', server, '--timeout', timeout, '--no-sdk-probe']);

  it('passes a name in a zone BIND serves', async () => {
    const { report } = await check('temporal.example.test', bind.server);
    expect(findCheck(report, 'dns.lookup.resolved')?.status).toBe('pass');
  });

  it('a zone BIND could not load: dns.lookup.server-failure (the resolver answers)', async () => {
    const { report } = await check('temporal.broken.test', bind.server);
    expect(report.rootCause).toMatchObject({ stage: 'dns', check: 'dns.lookup.server-failure' });
    expect(findCheck(report, 'dns.lookup.server-failure')?.message).toContain('the DNS server answered SERVFAIL');
    expect(bind.output()).toContain('zone broken.test/IN: not loaded due to errors');
  });

  it('a resolver that reads and never replies: dns.lookup.timeout within the budget', async () => {
    const started = Date.now();
    const { report } = await check('temporal.example.test', silentServer, '1500ms');
    expect(report.rootCause).toMatchObject({ stage: 'dns', check: 'dns.lookup.timeout' });
    expect(findCheck(report, 'dns.lookup.timeout')?.message).toMatch(/no DNS answer within \d+ ms/);
    expect(silentQueries).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
