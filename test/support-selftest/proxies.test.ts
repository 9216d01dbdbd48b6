// The proxy launchers: each starts, answers CONNECT with the status its config says, and stops.
import { afterAll, describe, expect, it } from '@jest/globals';
import { startSquid, startTinyproxy, type ProxyServer } from '../support/thirdparty/proxies.js';
import { httpConnect } from '../../src/net/http-connect.js';
import { startTemporalFrontend } from '../support/servers/temporal-frontend.js';

const started: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

const bounds = () => ({ signal: new AbortController().signal, timeoutMs: 5000 });

describe.each([
  ['squid', startSquid],
  ['tinyproxy', startTinyproxy],
] as const)('%s launcher', (_name, start) => {
  it('tunnels to an allowed port, refuses others, and demands its credentials', async () => {
    const server = await startTemporalFrontend();
    started.push(server);
    const open: ProxyServer = await start({ allowPorts: [server.port] });
    const auth: ProxyServer = await start({ auth: { user: 'u', password: 'p4ss-word' } });
    started.push(open, auth);
    const ok = await httpConnect({ host: open.host, port: open.port }, `127.0.0.1:${server.port}`, bounds());
    expect(ok.answer).toMatchObject({ kind: 'status', status: 200 });
    const denied = await httpConnect({ host: open.host, port: open.port }, '127.0.0.1:1', bounds());
    expect(denied.answer).toMatchObject({ kind: 'status', status: 403 });
    const noCreds = await httpConnect({ host: auth.host, port: auth.port }, `127.0.0.1:${server.port}`, bounds());
    expect(noCreds.answer).toMatchObject({ kind: 'status', status: 407 });
    const creds = await httpConnect(
      { host: auth.host, port: auth.port, credentials: 'u:p4ss-word' },
      `127.0.0.1:${server.port}`,
      bounds()
    );
    expect(creds.answer).toMatchObject({ kind: 'status', status: 200 });
    await open.close();
    const dead = await httpConnect({ host: open.host, port: open.port }, `127.0.0.1:${server.port}`, bounds());
    expect(dead.answer.kind).toBe('unreachable');
  }, 30000);
});
