// Through the tunnel: the tls stage's handshakes and the grpc stage's HTTP/2 preface run through the proxy, so a
// server problem behind a working proxy is named by the stage after `proxy`, and a TLS server behind it passes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSquid, type ProxyServer } from '../support/thirdparty/proxies.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startHttp1Server } from '../support/servers/hostile.js';
import { createCa, issueCert } from '../support/pki.js';
import { findCheck, runJson } from '../support/run-cli.js';

const YEAR_AHEAD = new Date(Date.now() + 365 * 86_400_000);
let squid: ProxyServer;
let tlsFrontend: TemporalFrontend;
let http1: Awaited<ReturnType<typeof startHttp1Server>>;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'proxy-tunnel-'));
  const ca = await createCa({ notAfter: YEAR_AHEAD });
  const server = await issueCert(ca, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notAfter: YEAR_AHEAD,
  });
  writeFileSync(join(dir, 'ca.pem'), ca.certPem);
  [squid, tlsFrontend, http1] = await Promise.all([
    startSquid(),
    startTemporalFrontend({ tls: { certPem: server.certPem, keyPem: server.keyPem } }),
    startHttp1Server(),
  ]);
}, 30000);

afterAll(async () => {
  await Promise.all([squid?.close(), tlsFrontend?.close(), http1?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function viaSquid(args: string[]) {
  process.env.grpc_proxy = squid.url();
  try {
    return await runJson([...args, '--stack', 'client', '--timeout', '4s'], { env: { grpc_proxy: squid.url() } });
  } finally {
    delete process.env.grpc_proxy;
  }
}

describe('stages through the tunnel', () => {
  it('shakes hands with a TLS server through the proxy and connects', async () => {
    const { report } = await viaSquid(['--address', tlsFrontend.address, '--tls-ca-path', join(dir, 'ca.pem')]);
    expect(findCheck(report, 'proxy.connect.ok')?.status).toBe('pass');
    const tls = report.stages.find((s) => s.id === 'tls');
    expect(tls?.status).toBe('pass');
    expect(JSON.stringify(tls?.checks)).toContain('via proxy');
    expect(report.status).toBe('pass');
  }, 30000);

  it('names the stage after proxy for an HTTP/1 server behind a working proxy', async () => {
    const { report } = await viaSquid(['--address', `127.0.0.1:${http1.port}`]);
    expect(findCheck(report, 'proxy.connect.ok')?.status).toBe('pass');
    expect(report.rootCause?.stage).toBe('grpc');
    expect(JSON.stringify(report.rootCause)).toMatch(/HTTP\/1/);
  }, 30000);
});
