import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect as connectHttp2 } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { existsSync } from 'node:fs';
import { createTestPki, issueCert, type TestPki } from '../support/pki.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startNginx } from '../support/thirdparty/nginx.js';

let pki: TestPki;
let frontend: TemporalFrontend;
beforeAll(async () => {
  pki = await createTestPki();
  frontend = await startTemporalFrontend();
});
afterAll(() => frontend.close());

function statusOf(port: number, cert?: { certPem: string; keyPem: string }): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(`https://localhost:${port}`, {
      ca: pki.ca.certPem,
      ...(cert ? { cert: cert.certPem, key: cert.keyPem } : {}),
    });
    session.on('error', reject);
    const request = session.request({ ':method': 'POST', ':path': '/x', 'content-type': 'application/grpc' });
    request.on('response', (headers) => {
      session.destroy();
      resolve(Number(headers[':status']));
    });
    request.on('error', reject);
    request.end();
  });
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('startNginx', () => {
  it('runs nginx in the foreground on a loopback port with ssl_verify_client, and stops it and its folder', async () => {
    const nginx = await startNginx({
      upstream: frontend.address,
      tls: pki.server,
      verifyClient: { mode: 'on', caPem: pki.ca.certPem },
    });
    try {
      expect(await statusOf(nginx.port)).toBe(400);
      expect(await statusOf(nginx.port, pki.client)).toBe(200);
    } finally {
      await nginx.close();
    }
    expect(await refuses(nginx.port)).toBe(true);
    expect(existsSync(nginx.dir)).toBe(false);
  });

  it('serves virtual hosts by SNI, and the default server certificate for a name no block has', async () => {
    const [first, second] = await Promise.all(
      ['first.example.test', 'second.example.test'].map((name) => issueCert(pki.ca, { dnsNames: [name] }))
    );
    const nginx = await startNginx({
      upstream: frontend.address,
      tls: pki.server,
      serverName: 'localhost',
      virtualHosts: [
        { serverName: 'first.example.test', tls: first as { certPem: string; keyPem: string }, default: true },
        { serverName: 'second.example.test', tls: second as { certPem: string; keyPem: string } },
      ],
    });
    const namesFor = (servername: string) =>
      new Promise<string | undefined>((resolve, reject) => {
        const socket = connectTls({ host: '127.0.0.1', port: nginx.port, servername, rejectUnauthorized: false });
        socket.once('secureConnect', () => {
          resolve(socket.getPeerCertificate().subjectaltname);
          socket.destroy();
        });
        socket.once('error', reject);
      });
    try {
      expect(await namesFor('second.example.test')).toBe('DNS:second.example.test');
      expect(await namesFor('localhost')).toContain('DNS:localhost');
      expect(await namesFor('unknown.example.test')).toBe('DNS:first.example.test');
    } finally {
      await nginx.close();
    }
  });

  it('rejects with nginx output when the config cannot start', async () => {
    await expect(startNginx({ upstream: 'not a host:port:', tls: pki.server })).rejects.toThrow(/nginx did not start/);
  });
});
