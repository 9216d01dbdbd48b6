// The dns stage against real resolvers (Debian's dnsmasq and BIND) started in the foreground on loopback, through
// --dns-server, as a user would point the doctor at a resolver that misbehaves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDnsmasq, type Dnsmasq } from '../support/thirdparty/dnsmasq.js';
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
