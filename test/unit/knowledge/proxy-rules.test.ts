// grpc-js's proxy rules as data, and the Worker's: each rule checked against what http_proxy.ts does.
import { describe, expect, it } from '@jest/globals';
import {
  clientProxyPath,
  parseWorkerProxy,
  proxyPasswords,
  proxyTraps,
  redactProxyUrl,
  workerProxyOption,
  workerProxyPath,
  type ProxyPath,
} from '../../../src/knowledge/proxy-rules.js';

const ADDRESS = 'temporal.example.com:7233';
const path = (env: Record<string, string>, address = ADDRESS): ProxyPath => clientProxyPath(env, address, 7233);

describe('clientProxyPath (grpc-js)', () => {
  it('prefers grpc_proxy, then https_proxy, then http_proxy', () => {
    const all = { grpc_proxy: 'http://g:1', https_proxy: 'http://s:2', http_proxy: 'http://h:3' };
    expect(path(all)).toMatchObject({ kind: 'proxy', proxy: { host: 'g', port: 1, from: 'grpc_proxy' } });
    expect(path({ https_proxy: 'http://s:2', http_proxy: 'http://h:3' })).toMatchObject({
      proxy: { from: 'https_proxy' },
    });
    expect(path({ http_proxy: 'http://h:3' })).toMatchObject({ proxy: { from: 'http_proxy' } });
  });

  it('ignores upper-case names, empty values, https:// and unparsable URLs', () => {
    expect(path({ HTTPS_PROXY: 'http://s:2', GRPC_PROXY: 'http://g:1' }).kind).toBe('direct');
    expect(path({ grpc_proxy: '', https_proxy: 'http://s:2' })).toMatchObject({ proxy: { from: 'https_proxy' } });
    expect(path({ https_proxy: 'https://s:2' })).toMatchObject({
      kind: 'direct',
      why: expect.stringContaining('https:'),
    });
    expect(path({ https_proxy: 'not a url' }).kind).toBe('direct');
  });

  it('defaults the proxy port to 80 and sends the target unbracketed', () => {
    expect(path({ http_proxy: 'http://proxy' })).toMatchObject({ proxy: { port: 80 }, authority: ADDRESS });
    expect(path({ http_proxy: 'http://proxy:3128' }, '[::1]:7233')).toMatchObject({ authority: '::1:7233' });
  });

  it('takes credentials from the URL, decoded, as a Secret', () => {
    const p = path({ https_proxy: 'http://us%40r:p%3Ass@proxy:3128' });
    expect(p.kind === 'proxy' && p.proxy.credentials?.reveal()).toBe('us@r:p:ss');
    expect(p.kind === 'proxy' && p.proxy.shown).toBe('http://us%40r:***@proxy:3128');
    expect(JSON.stringify(p)).not.toContain('p%3Ass');
    const userOnly = path({ https_proxy: 'http://token@proxy:3128' });
    expect(userOnly.kind === 'proxy' && userOnly.proxy.credentials?.reveal()).toBe('token');
  });

  it('bypasses with no_grpc_proxy before no_proxy, by untrimmed suffix and IPv4 CIDR', () => {
    const proxy = { https_proxy: 'http://proxy:3128' };
    expect(path({ ...proxy, no_proxy: 'example.com' }).kind).toBe('direct');
    expect(path({ ...proxy, no_grpc_proxy: 'other.org', no_proxy: 'example.com' }).kind).toBe('proxy');
    expect(path({ ...proxy, no_proxy: 'localhost, temporal.example.com' }).kind).toBe('proxy');
    expect(path({ ...proxy, no_proxy: '10.0.0.0/8' }, '10.1.2.3:7233').kind).toBe('direct');
    expect(path({ ...proxy, no_proxy: '10.0.0.0/8' }, '11.1.2.3:7233').kind).toBe('proxy');
    expect(path({ ...proxy, no_proxy: 'a.org,' }).kind).toBe('direct');
    expect(path({ ...proxy, NO_PROXY: 'example.com' }).kind).toBe('proxy');
  });
});

describe('the Worker', () => {
  it('reads no variable, only --worker-proxy', () => {
    expect(workerProxyPath(undefined, ADDRESS, 7233).kind).toBe('direct');
    expect(workerProxyPath('http://u:pw@proxy:3128', ADDRESS, 7233)).toMatchObject({
      kind: 'proxy',
      proxy: { host: 'proxy', port: 3128, from: '--worker-proxy', shown: 'http://u:***@proxy:3128' },
    });
  });

  it('requires a port and http, and builds NativeConnectionOptions.proxy', () => {
    expect(parseWorkerProxy('proxy')).toBeUndefined();
    expect(parseWorkerProxy('https://proxy:3128')).toBeUndefined();
    expect(workerProxyOption('proxy:3128')).toEqual({ type: 'http-connect', targetHost: 'proxy:3128' });
    expect(workerProxyOption('http://u:p%40w@[::1]:3128')).toEqual({
      type: 'http-connect',
      targetHost: '[::1]:3128',
      basicAuth: { username: 'u', password: 'p@w' },
    });
  });
});

describe('redaction', () => {
  it('shows the URL with *** for the password, and lists passwords for the scrub', () => {
    expect(redactProxyUrl('http://user:secret@proxy:3128')).toBe('http://user:***@proxy:3128');
    expect(redactProxyUrl('http://proxy:3128')).toBe('http://proxy:3128');
    expect(proxyPasswords({ https_proxy: 'http://u:s3cr%21t@p:1' }, 'http://w:other@p:2')).toEqual(
      expect.arrayContaining(['s3cr%21t', 's3cr!t', 'other'])
    );
  });
});

describe('proxyTraps', () => {
  const traps = (env: Record<string, string>, tls = true, worker?: string) => {
    const client = path(env);
    const w = workerProxyPath(worker, ADDRESS, 7233);
    return proxyTraps(env, ADDRESS, 7233, tls, client, w, ['client', 'worker']).map((t) => t.id);
  };

  it('names each trap', () => {
    expect(traps({ HTTPS_PROXY: 'http://p:1' })).toEqual(['proxy.env.upper-case-ignored']);
    expect(traps({ https_proxy: 'https://p:1' })).toEqual(['proxy.env.scheme-ignored']);
    expect(traps({ http_proxy: 'http://p:1' })).toEqual(['proxy.env.http-proxy-for-tls', 'proxy.stacks.differ']);
    expect(traps({ http_proxy: 'http://p:1' }, false)).toEqual(['proxy.stacks.differ']);
    expect(traps({ grpc_proxy: 'http://p:1', no_proxy: 'x, temporal.example.com' })).toEqual([
      'proxy.no-proxy.untrimmed',
      'proxy.stacks.differ',
    ]);
    expect(traps({ grpc_proxy: 'http://p:1', no_proxy: 'x,,y' })).toEqual(['proxy.no-proxy.empty-entry']);
    expect(traps({ grpc_proxy: 'http://p:1' }, true, 'http://p:1')).toEqual([]);
    expect(traps({})).toEqual([]);
  });
});
