// The CONNECT probe against peers that are not proxies: silence, a close, random bytes, an HTTP answer split across
// packets, and a 502 from a proxy that cannot reach the target.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:net';
import { httpConnect } from '../../src/net/http-connect.js';
import {
  startPlainTcpServer,
  startRandomBytesServer,
  startResetServer,
  startSilentServer,
  refusedPort,
} from '../support/servers/index.js';
import { startSquid, type ProxyServer } from '../support/thirdparty/proxies.js';

const servers: Array<{ close(): Promise<void> }> = [];
let squid: ProxyServer;
beforeAll(async () => {
  squid = await startSquid();
  servers.push(squid);
}, 30000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const bounds = (timeoutMs = 1500) => ({ signal: new AbortController().signal, timeoutMs });
const via = async (server: { port: number; close(): Promise<void> }) => {
  servers.push(server);
  return httpConnect({ host: '127.0.0.1', port: server.port }, 'temporal:7233', bounds());
};

describe('httpConnect', () => {
  it('classifies a silent peer, a reset, and non-HTTP bytes', async () => {
    expect((await via(await startSilentServer())).answer.kind).toBe('silent');
    // A reset may land on the TCP connect itself (then the proxy is unreachable) or after it (then it closed).
    expect(['closed', 'unreachable']).toContain((await via(await startResetServer())).answer.kind);
    const hangUp = await startPlainTcpServer((socket) => {
      socket.once('data', () => socket.end());
    });
    expect((await via(hangUp)).answer).toEqual({ kind: 'closed', reset: false });
    expect((await via(await startRandomBytesServer())).answer.kind).toBe('not-http');
  });

  it('reads a status line split across packets and sends Basic credentials', async () => {
    let seen = '';
    const server: Server = createServer((socket) => {
      socket.on('data', (chunk) => {
        seen += chunk.toString();
        if (!seen.includes('\r\n\r\n')) return;
        socket.write('HTTP/1.1 40');
        setTimeout(() => socket.end('7 Proxy Authentication Required\r\n\r\n'), 50);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    servers.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const result = await httpConnect({ host: '127.0.0.1', port, credentials: 'u:pw' }, 'temporal:7233', bounds());
    expect(result.answer).toEqual({
      kind: 'status',
      status: 407,
      statusLine: 'HTTP/1.1 407 Proxy Authentication Required',
    });
    expect(seen).toContain('CONNECT temporal:7233 HTTP/1.1\r\nHost: temporal:7233\r\n');
    expect(seen).toContain(`Proxy-Authorization: Basic ${Buffer.from('u:pw').toString('base64')}`);
  });

  it('reads squid answering 503 when it cannot reach the target, and a dead proxy as unreachable', async () => {
    const closed = await refusedPort();
    const upstream = await httpConnect({ host: squid.host, port: squid.port }, `127.0.0.1:${closed}`, bounds(5000));
    expect(upstream.answer).toMatchObject({ kind: 'status', status: 503 });
    const dead = await httpConnect({ host: '127.0.0.1', port: closed }, 'temporal:7233', bounds());
    expect(dead.answer.kind).toBe('unreachable');
    expect(dead.tcp.outcome).toBe('refused');
  }, 15000);
});
