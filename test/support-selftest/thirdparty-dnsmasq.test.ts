import { describe, expect, it } from '@jest/globals';
import { promises as dns } from 'node:dns';
import { existsSync } from 'node:fs';
import { startDnsmasq } from '../support/thirdparty/dnsmasq.js';

function resolverFor(server: string): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([server]);
  return resolver;
}

describe('startDnsmasq', () => {
  it('answers host records, CNAMEs and NXDOMAIN for its local domain on a loopback port, and stops', async () => {
    const dnsmasq = await startDnsmasq({
      localDomains: ['example.test'],
      hosts: { 'ok.example.test': ['127.0.0.1'] },
      cnames: { 'alias.example.test': 'ok.example.test', 'dangling.example.test': 'gone.example.test' },
    });
    try {
      const resolver = resolverFor(dnsmasq.server);
      expect(await resolver.resolve4('ok.example.test')).toEqual(['127.0.0.1']);
      expect(await resolver.resolve4('alias.example.test')).toEqual(['127.0.0.1']);
      expect(await resolver.resolveCname('dangling.example.test')).toEqual(['gone.example.test']);
      await expect(resolver.resolve4('gone.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      expect(dnsmasq.output()).toContain('query[A] ok.example.test');
    } finally {
      await dnsmasq.close();
    }
    expect(existsSync(dnsmasq.dir)).toBe(false);
    await expect(resolverFor(dnsmasq.server).resolve4('ok.example.test')).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNREFUSED|ETIMEOUT/),
    });
  });
});
