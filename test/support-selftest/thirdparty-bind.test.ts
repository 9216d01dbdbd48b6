import { describe, expect, it } from '@jest/globals';
import { promises as dns } from 'node:dns';
import { existsSync } from 'node:fs';
import { startBind } from '../support/thirdparty/bind.js';

function resolverFor(server: string): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([server]);
  return resolver;
}

describe('startBind', () => {
  it('serves its zones on a loopback port, answers SERVFAIL for a zone that did not load, and stops', async () => {
    const bind = await startBind({
      zones: { 'example.test': { temporal: '127.0.0.1' } },
      brokenZones: ['broken.test'],
    });
    try {
      const resolver = resolverFor(bind.server);
      expect(await resolver.resolve4('temporal.example.test')).toEqual(['127.0.0.1']);
      await expect(resolver.resolve4('nope.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      await expect(resolver.resolve4('temporal.broken.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
      expect(bind.output()).toContain('zone broken.test/IN: not loaded due to errors');
    } finally {
      await bind.close();
    }
    expect(existsSync(bind.dir)).toBe(false);
  });
});
