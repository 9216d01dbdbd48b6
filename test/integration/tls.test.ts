import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { tlsStage } from '../../src/stages/tls/index.js';
import type { CheckResult } from '../../src/pipeline/types.js';
import type { ResolvedConfig } from '../../src/config/resolved-config.js';
import { Secret } from '../../src/text/secret.js';
import { createCa, issueCert, createSelfSigned, type Issued } from '../support/pki.js';
import {
  startTlsServer,
  startHttp1Server,
  startHttp2NonGrpcServer,
  startSilentServer,
  startPlainTcpServer,
  type LoopbackServer,
} from '../support/servers/index.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { startNoAlpnHttp2Server } from '../support/servers/tls-no-alpn.js';
import { flag, makeConfig, makeContext } from '../support/stage-context.js';
import { findCheck, runJson } from '../support/run-cli.js';
import { closeAfterAll } from '../support/close-after-all.js';
import type { TlsFacts, EndpointFacts, PemFacts } from '../../src/facts.js';
import { silentHandshakeAfterMs } from '../../src/net/deadline.js';

const DAY = 86_400_000;
const YEAR_AHEAD = new Date(Date.now() + 365 * DAY);

let ca: Issued;
let otherCa: Issued;
let server: Issued;
let client: Issued;
let otherClient: Issued;
const serve = closeAfterAll();

beforeAll(async () => {
  [ca, otherCa] = await Promise.all([
    createCa({ notAfter: YEAR_AHEAD }),
    createCa({ commonName: 'Other Test CA', notAfter: YEAR_AHEAD }),
  ]);
  [server, client, otherClient] = await Promise.all([
    issueCert(ca, {
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1', '::1'],
      notAfter: YEAR_AHEAD,
    }),
    issueCert(ca, {
      commonName: 'test-client',
      noSan: true,
      serverAuth: false,
      clientAuth: true,
      notAfter: YEAR_AHEAD,
    }),
    issueCert(otherCa, {
      commonName: 'other-client',
      noSan: true,
      serverAuth: false,
      clientAuth: true,
      notAfter: YEAR_AHEAD,
    }),
  ]);
});

interface Target {
  port: number;
  host?: string;
  ipLiteral?: 4 | 6;
  serverName?: string;
  tls?: boolean;
  caPem?: string;
  clientPair?: Issued;
  apiKey?: boolean;
  timeoutMs?: number;
  /** The stack judged: the Client's view alone unless a test asks for the Worker's too. */
  stack?: 'client' | 'worker' | 'both';
}

function runTls(target: Target): Promise<{ checks: CheckResult[]; facts?: TlsFacts }> {
  const host = target.host ?? 'localhost';
  const config: ResolvedConfig = makeConfig({
    address: flag(`${host}:${target.port}`, '--address'),
    tls: target.tls === false ? flag(false, '--tls') : flag(true, '--tls'),
    ...(target.caPem ? { serverCa: flag({ kind: 'path' as const, path: 'ca.pem' }, '--tls-ca-path') } : {}),
    ...(target.serverName ? { serverName: flag(target.serverName, '--tls-server-name') } : {}),
    ...(target.apiKey ? { apiKey: flag(new Secret('secret-key'), '--api-key') } : {}),
  });
  const pem: PemFacts = { clientChain: [], serverCaCerts: [] };
  if (target.caPem) {
    pem.serverCaPem = target.caPem;
    pem.serverCaCerts = [new X509Certificate(target.caPem)];
  }
  if (target.clientPair) {
    pem.clientCertPem = target.clientPair.certPem;
    pem.clientKeyPem = new Secret(target.clientPair.keyPem);
    pem.clientCert = target.clientPair.cert;
    pem.clientChain = [target.clientPair.cert];
  }
  const endpoint: EndpointFacts = {
    host,
    port: target.port,
    portDefaulted: false,
    kind: target.ipLiteral ? 'ip-literal' : 'localhost',
    serverName: target.serverName ?? host,
    ...(target.ipLiteral ? { ipLiteral: target.ipLiteral } : {}),
  };
  const tcp = {
    reachable: [{ address: '127.0.0.1', family: 4 as const, connectMs: 1 }],
    port: target.port,
    attempts: [],
  };
  const ctx = makeContext<'config' | 'pem' | 'endpoint' | 'tcp'>({
    facts: { config, pem, endpoint, tcp },
    options: { timeoutMs: target.timeoutMs ?? 3000, stack: target.stack ?? 'client' },
  });
  return tlsStage.run(ctx);
}

const statuses = (checks: CheckResult[]) => checks.map((c) => `${c.id}:${c.status}`);
const check = (checks: CheckResult[], id: string) => checks.find((c) => c.id === id);

describe('tls stage: healthy servers', () => {
  it('passes TLS with the server CA configured, with no warnings, and reports the session', async () => {
    const tlsServer = await serve(startTlsServer({ cert: server }));
    const { checks, facts } = await runTls({ port: tlsServer.port, caPem: ca.certPem });
    expect(statuses(checks)).toEqual([
      'tls.server-chain.trusted:pass',
      'tls.server-name.matches:pass',
      'tls.alpn.h2:pass',
    ]);
    expect(facts).toMatchObject({
      mode: 'tls',
      protocol: 'TLSv1.3',
      alpn: 'h2',
      authorized: true,
      clientCertRequested: false,
      serverName: 'localhost',
    });
    if (facts?.mode !== 'tls') throw new Error('expected TLS facts');
    expect(facts.peerChain[0]).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=Test CA', isCa: false });
    expect(facts.peerChain[0]?.subjectAltNames).toContain('DNS:localhost');
    expect(tlsServer.handshakes[0]).toMatchObject({ servername: 'localhost', alpnProtocol: 'h2' });
  });

  it('passes mTLS and presents the client certificate only to a verified server', async () => {
    const mtls = await serve(startTlsServer({ cert: server, ca: ca.certPem, requireClientCert: true }));
    const { checks, facts } = await runTls({ port: mtls.port, caPem: ca.certPem, clientPair: client });
    expect(statuses(checks)).toEqual([
      'tls.server-chain.trusted:pass',
      'tls.server-name.matches:pass',
      'tls.alpn.h2:pass',
      'tls.client-cert.accepted:pass',
    ]);
    expect(facts).toMatchObject({ mode: 'tls', clientCertRequested: true });
    expect(mtls.handshakes.some((h) => h.clientCertSubject === 'test-client')).toBe(true);
  });

  it('sends no SNI to an IP literal and checks the IP SAN itself (no DEP0123 warning)', async () => {
    const tlsServer = await serve(startTlsServer({ cert: server }));
    const warnings: string[] = [];
    const onWarning = (w: Error & { code?: string }) => warnings.push(w.code ?? w.message);
    process.on('warning', onWarning);
    try {
      const { checks } = await runTls({ port: tlsServer.port, host: '127.0.0.1', ipLiteral: 4, caPem: ca.certPem });
      expect(check(checks, 'tls.server-name.matches')?.message).toBe('Server certificate is valid for 127.0.0.1');
      expect(tlsServer.handshakes[0]?.servername).toBe(false);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('DEP0123');
  });

  it('verifies against --tls-server-name when it differs from the host', async () => {
    const cloudCert = await issueCert(ca, { dnsNames: ['ns1.acct12.tmprl.cloud'], notAfter: YEAR_AHEAD });
    const tlsServer = await serve(startTlsServer({ cert: cloudCert }));
    const { checks } = await runTls({ port: tlsServer.port, caPem: ca.certPem, serverName: 'ns1.acct12.tmprl.cloud' });
    expect(check(checks, 'tls.server-name.matches')?.status).toBe('pass');
    expect(tlsServer.handshakes[0]?.servername).toBe('ns1.acct12.tmprl.cloud');
  });
});

describe('tls stage: server chain and name', () => {
  it('fails tls.server-chain.untrusted when no CA is configured for a private CA', async () => {
    const tlsServer = await serve(startTlsServer({ cert: server }));
    const { checks, facts } = await runTls({ port: tlsServer.port });
    const untrusted = check(checks, 'tls.server-chain.untrusted');
    expect(untrusted).toMatchObject({
      status: 'fail',
      message: 'Server certificate (issued by CN=Test CA) does not chain to a trusted root',
    });
    expect(untrusted?.fix).toContain('--tls-ca-path');
    expect(untrusted?.cause?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(facts).toBeUndefined();
  });

  it('fails tls.server-chain.untrusted naming the wrong CA file, after proving default roots do not help either', async () => {
    const tlsServer = await serve(startTlsServer({ cert: server }));
    const { checks } = await runTls({ port: tlsServer.port, caPem: otherCa.certPem });
    const untrusted = check(checks, 'tls.server-chain.untrusted');
    expect(untrusted?.message).toBe(
      'Server certificate (issued by CN=Test CA) is not signed by the CA in --tls-ca-path'
    );
    expect(untrusted?.evidence).toContainEqual({ label: 'with default roots', value: 'does not verify either' });
  });

  it('does not send the client certificate to a server that failed verification', async () => {
    const mtls = await serve(startTlsServer({ cert: server, ca: ca.certPem, requestClientCert: true }));
    const { checks } = await runTls({ port: mtls.port, caPem: otherCa.certPem, clientPair: client });
    expect(check(checks, 'tls.client-cert.not-sent')?.status).toBe('skip');
    expect(mtls.handshakes.every((h) => h.clientCertSubject === undefined)).toBe(true);
  });

  it('fails tls.server-name.mismatch and suggests --tls-server-name with a name the certificate holds', async () => {
    const otherName = await issueCert(ca, { dnsNames: ['other.example'], notAfter: YEAR_AHEAD });
    const tlsServer = await serve(startTlsServer({ cert: otherName }));
    const { checks } = await runTls({ port: tlsServer.port, caPem: ca.certPem });
    const mismatch = check(checks, 'tls.server-name.mismatch');
    expect(mismatch).toMatchObject({
      status: 'fail',
      message: 'Server certificate is not valid for localhost; it names DNS:other.example',
    });
    expect(mismatch?.fix).toContain('--tls-server-name or TEMPORAL_TLS_SERVER_NAME to other.example');
    expect(check(checks, 'tls.server-chain.trusted')?.status).toBe('pass');
  });

  it('fails tls.server-cert.expired for an expired server certificate', async () => {
    const expired = await issueCert(ca, {
      dnsNames: ['localhost'],
      notBefore: new Date('2020-01-01T00:00:00Z'),
      notAfter: new Date('2021-01-01T00:00:00Z'),
    });
    const tlsServer = await serve(startTlsServer({ cert: expired }));
    const { checks } = await runTls({ port: tlsServer.port, caPem: ca.certPem });
    expect(check(checks, 'tls.server-cert.expired')).toMatchObject({
      status: 'fail',
      message: 'Server certificate CN=localhost expired on 2021-01-01T00:00:00.000Z',
    });
  });

  it('fails tls.server-cert.not-yet-valid for a certificate from the future', async () => {
    const future = await issueCert(ca, {
      dnsNames: ['localhost'],
      notBefore: new Date(Date.now() + 10 * DAY),
      notAfter: YEAR_AHEAD,
    });
    const tlsServer = await serve(startTlsServer({ cert: future }));
    const { checks } = await runTls({ port: tlsServer.port, caPem: ca.certPem });
    expect(check(checks, 'tls.server-cert.not-yet-valid')?.status).toBe('fail');
  });

  it('warns tls.server-cert.expiring for a certificate inside the warning window', async () => {
    const soon = await issueCert(ca, { dnsNames: ['localhost'], notAfter: new Date(Date.now() + 5 * DAY) });
    const tlsServer = await serve(startTlsServer({ cert: soon }));
    const { checks, facts } = await runTls({ port: tlsServer.port, caPem: ca.certPem });
    expect(check(checks, 'tls.server-cert.expiring')?.message).toMatch(/expires in [45] days/);
    expect(facts?.mode).toBe('tls');
  });

  it('warns about certificates only the Client accepts: CN-only and a CA:TRUE self-signed leaf', async () => {
    const cnOnly = await issueCert(ca, { commonName: 'localhost', noSan: true, notAfter: YEAR_AHEAD });
    const selfSignedCa = await createSelfSigned({
      commonName: 'localhost',
      dnsNames: ['localhost'],
      isCa: true,
      notAfter: YEAR_AHEAD,
    });
    const cnServer = await serve(startTlsServer({ cert: cnOnly }));
    const caLeafServer = await serve(startTlsServer({ cert: selfSignedCa }));
    const cn = await runTls({ port: cnServer.port, caPem: ca.certPem });
    expect(check(cn.checks, 'tls.server-cert.cn-only')?.status).toBe('warn');
    const caLeaf = await runTls({ port: caLeafServer.port, caPem: selfSignedCa.certPem });
    expect(check(caLeaf.checks, 'tls.server-cert.ca-as-leaf')?.status).toBe('warn');
  });

  it("judges the Worker's view inside the stage when the Worker is judged, and says each Worker finding once", async () => {
    const cnOnly = await issueCert(ca, { commonName: 'localhost', noSan: true, notAfter: YEAR_AHEAD });
    const cnServer = await serve(startTlsServer({ cert: cnOnly }));
    const both = await runTls({ port: cnServer.port, caPem: ca.certPem, stack: 'both' });
    expect(check(both.checks, 'tls.worker.server-cert.cn-only')?.status).toBe('fail');
    expect(check(both.checks, 'tls.server-cert.cn-only')).toBeUndefined();
    expect(check(both.checks, 'tls.worker.server-chain.trusted')?.status).toBe('pass');
    const client = await runTls({ port: cnServer.port, caPem: ca.certPem, stack: 'client' });
    expect(client.checks.some((c) => c.id.startsWith('tls.worker.'))).toBe(false);
  });

  it('adds no Worker view when no certificate was seen', async () => {
    const tlsServer = await serve(startTlsServer({ cert: server }));
    const healthy = await runTls({ port: tlsServer.port, caPem: ca.certPem, stack: 'worker' });
    expect(check(healthy.checks, 'tls.worker.server-name.matches')?.status).toBe('pass');
    const plaintext = await runTls({ port: tlsServer.port, tls: false, stack: 'worker' });
    expect(plaintext.checks.some((c) => c.id.startsWith('tls.worker.'))).toBe(false);
  });
});

describe('tls stage: client certificates', () => {
  it('fails tls.client-cert.required when the server demands a certificate and none is configured (alert 116)', async () => {
    const mtls = await serve(startTlsServer({ cert: server, ca: ca.certPem, requireClientCert: true }));
    const { checks } = await runTls({ port: mtls.port, caPem: ca.certPem });
    const required = check(checks, 'tls.client-cert.required');
    expect(required).toMatchObject({
      status: 'fail',
      message: `127.0.0.1:${mtls.port} requires a client certificate (TLS alert 116 certificate_required) and none is configured`,
    });
    expect(required?.fix).toContain('--tls-cert-path');
    expect(required?.evidence.find((e) => e.label === 'waited')?.value).toMatch(/^\d+ ms$/);
  });

  it('explains an mTLS namespace endpoint to API-key users', async () => {
    const mtls = await serve(startTlsServer({ cert: server, ca: ca.certPem, requireClientCert: true }));
    const config = { port: mtls.port, caPem: ca.certPem, apiKey: true };
    const { checks } = await runTls(config);
    expect(check(checks, 'tls.client-cert.required')?.evidence).toContainEqual({
      label: 'API key',
      value: 'set (--api-key)',
    });
  });

  it('fails tls.client-cert.rejected when the server hangs up on the certificate and its TLS 1.2 CertificateRequest names another CA', async () => {
    // node:tls servers drop an untrusted client certificate with a bare close, as many real servers do.
    const mtls = await serve(startTlsServer({ cert: server, ca: ca.certPem, requireClientCert: true }));
    const { checks, facts } = await runTls({ port: mtls.port, caPem: ca.certPem, clientPair: otherClient });
    const rejected = check(checks, 'tls.client-cert.rejected');
    expect(rejected?.status).toBe('fail');
    expect(rejected?.message).toContain(
      'the server accepts client certificates issued by CN=Test CA; yours is issued by CN=Other Test CA'
    );
    expect(rejected?.evidence).toContainEqual({
      label: 'CAs the server accepts (TLS 1.2 CertificateRequest)',
      value: 'CN=Test CA',
    });
    expect(check(checks, 'tls.client-cert.inconclusive')).toBeUndefined();
    expect(facts).toBeUndefined();
  });

  it('stays tls.client-cert.inconclusive against a TLS 1.3-only server that hangs up, and says what could not be seen', async () => {
    const mtls = await serve(
      startTlsServer({ cert: server, ca: ca.certPem, requireClientCert: true, minVersion: 'TLSv1.3' })
    );
    const { checks, facts } = await runTls({ port: mtls.port, caPem: ca.certPem, clientPair: otherClient });
    const inconclusive = check(checks, 'tls.client-cert.inconclusive');
    expect(inconclusive?.status).toBe('warn');
    expect(inconclusive?.fix).toContain('CN=Other Test CA');
    expect(inconclusive?.evidence).toContainEqual({
      label: 'CAs the server accepts',
      value:
        'not visible: the server speaks TLS 1.3 only, where the CertificateRequest (the list of accepted CAs) is encrypted',
    });
    expect(facts).toMatchObject({ closedAfterClientCert: { reset: false } });
  });

  it('fails tls.client-cert.rejected when the server speaks HTTP/2 without a certificate but hangs up on this one', async () => {
    const mtls = await serve(
      startTlsServer({
        cert: server,
        ca: ca.certPem,
        requestClientCert: true,
        dropUnverifiedCert: true,
        minVersion: 'TLSv1.3',
      })
    );
    const { checks } = await runTls({ port: mtls.port, caPem: ca.certPem, clientPair: otherClient });
    const rejected = check(checks, 'tls.client-cert.rejected');
    expect(rejected?.message ?? JSON.stringify(checks.map((c) => c.id))).toContain(
      'without a certificate the same server answers HTTP/2'
    );
  });
});

describe('tls stage: what answers is not a TLS gRPC server', () => {
  it('fails tls.alpn.no-h2 when the server refuses h2 with alert 120', async () => {
    const http1Only = await serve(startTlsServer({ cert: server, alpn: ['http/1.1'] }));
    const { checks } = await runTls({ port: http1Only.port, caPem: ca.certPem });
    expect(check(checks, 'tls.alpn.no-h2')).toMatchObject({ status: 'fail' });
    expect(check(checks, 'tls.alpn.no-h2')?.message).toContain('TLS alert 120 no_application_protocol');
  });

  it('warns tls.alpn.not-negotiated when a terminator negotiates no ALPN but speaks HTTP/2 (Worker fails, Client works)', async () => {
    const noAlpn = await serve(startNoAlpnHttp2Server(server));
    const { checks, facts } = await runTls({ port: noAlpn.port, caPem: ca.certPem });
    expect(check(checks, 'tls.alpn.not-negotiated')?.status).toBe('warn');
    expect(checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(facts).toMatchObject({ mode: 'tls', alpn: false });
  });

  it('fails tls.server.http1 when a TLS server without ALPN answers HTTP/1.x', async () => {
    const noAlpn403 = await serve(startTlsServer({ cert: server, alpn: 'none' }));
    const { checks } = await runTls({ port: noAlpn403.port, caPem: ca.certPem });
    expect(check(checks, 'tls.server.http1')?.message).toBe(
      `127.0.0.1:${noAlpn403.port} speaks HTTP/1.x over TLS (HTTP/1.0 403 Forbidden), not HTTP/2 gRPC`
    );
  });

  it('fails tls.server.plaintext against a plaintext gRPC (h2c) server', async () => {
    const h2c = await serve(startHttp2NonGrpcServer());
    const { checks } = await runTls({ port: h2c.port, caPem: ca.certPem });
    expect(check(checks, 'tls.server.plaintext')?.message).toBe(
      `127.0.0.1:${h2c.port} does not speak TLS: it answered the ClientHello with HTTP/2 frames: a plaintext HTTP/2 server, as gRPC is`
    );
    expect(check(checks, 'tls.server.plaintext')?.fix).toContain('--tls=false');
  });

  it('fails tls.server.http1 against a plaintext HTTP/1.x server', async () => {
    const web = await serve(startHttp1Server());
    const { checks } = await runTls({ port: web.port });
    expect(check(checks, 'tls.server.http1')?.message).toContain(
      'answered the TLS handshake with plaintext HTTP/1.x (HTTP/1.1 200 OK)'
    );
  });

  it('fails tls.handshake.timeout against a silent server, saying how long it waited', async () => {
    const silent = await serve(startSilentServer());
    const started = Date.now();
    const { checks } = await runTls({ port: silent.port, caPem: ca.certPem, timeoutMs: 1500 });
    const timeout = check(checks, 'tls.handshake.timeout');
    expect(timeout?.message).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1:${silent.port} accepted TCP but sent nothing within 1[45]\\d\\d ms of the TLS ClientHello$`
      )
    );
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('decides a silent TLS peer within silentHandshakeAfterMs, not the whole budget', async () => {
    const silent = await serve(startSilentServer());
    const started = Date.now();
    const { checks } = await runTls({ port: silent.port, caPem: ca.certPem, timeoutMs: 5000 });
    const timeout = check(checks, 'tls.handshake.timeout');
    expect(timeout?.status).toBe('fail');
    const waited = Number(/sent nothing within (\d+) ms/.exec(timeout?.message ?? '')?.[1]);
    expect(waited).toBeGreaterThanOrEqual(silentHandshakeAfterMs(0) - 50);
    expect(waited).toBeLessThan(silentHandshakeAfterMs(0) + 500);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('fails tls.handshake.reset when the server resets on the ClientHello', async () => {
    const resetOnHello = await serve(
      startPlainTcpServer((socket) => {
        socket.once('data', () => socket.resetAndDestroy());
      })
    );
    const { checks } = await runTls({ port: resetOnHello.port, caPem: ca.certPem });
    expect(check(checks, 'tls.handshake.reset')?.status).toBe('fail');
  });
});

describe('tls stage: TLS off', () => {
  it('fails tls.server.speaks-tls when TLS is off but the server answers the ClientHello', async () => {
    const tlsServer = await serve(startTlsServer({ cert: server, ca: ca.certPem, requestClientCert: true }));
    const { checks, facts } = await runTls({ port: tlsServer.port, tls: false });
    expect(check(checks, 'tls.server.speaks-tls')).toMatchObject({
      status: 'fail',
      message: `127.0.0.1:${tlsServer.port} speaks TLS, but TLS is off (flag --tls)`,
    });
    expect(facts).toBeUndefined();
    // The probe ran without verification, so it must never have presented a client certificate.
    expect(tlsServer.handshakes.every((h) => h.clientCertSubject === undefined)).toBe(true);
  });

  it('skips with plaintext facts when a plaintext gRPC server does not answer with TLS', async () => {
    const h2c = await serve(startHttp2NonGrpcServer());
    const { checks, facts } = await runTls({ port: h2c.port, tls: false });
    expect(statuses(checks)).toEqual(['tls.mode.plaintext:skip']);
    expect(facts).toEqual({ mode: 'plaintext', serverSpeaksTls: false, peer: 'http2' });
  });

  it('notes an HTTP/1.x responder in the plaintext facts for the grpc stage', async () => {
    const web = await serve(startHttp1Server());
    const { facts } = await runTls({ port: web.port, tls: false });
    expect(facts).toEqual({ mode: 'plaintext', serverSpeaksTls: false, peer: 'http1' });
  });
});

describe('tls through the CLI', () => {
  let dns: DnsServer;
  let cloudServer: LoopbackServer;
  beforeAll(async () => {
    const cloudCert = await issueCert(ca, { dnsNames: ['ns1.acct12.tmprl.cloud'], notAfter: YEAR_AHEAD });
    cloudServer = await serve(startTlsServer({ cert: cloudCert, ca: ca.certPem, requireClientCert: true }));
    dns = await startDnsServer({ 'ns1.acct12.tmprl.cloud': { A: ['127.0.0.1'] } });
  });
  afterAll(async () => {
    await dns.close();
  });

  it('passes mTLS to a Cloud-style name that resolves to loopback through --dns-server', async () => {
    const { report } = await runJson([
      '--address',
      `ns1.acct12.tmprl.cloud:${cloudServer.port}`,
      '-n',
      'ns1.acct12',
      `--tls-ca-data=${ca.certPem}`,
      `--tls-cert-data=${client.certPem}`,
      `--tls-key-data=${client.keyPem}`,
      '--dns-server',
      dns.server,
      '--timeout',
      '3s',
      '--only',
      'tls',
    ]);
    for (const id of [
      'dns.lookup.resolved',
      'tcp.connect.ok',
      'tls.server-chain.trusted',
      'tls.server-name.matches',
      'tls.alpn.h2',
      'tls.client-cert.accepted',
    ]) {
      expect(findCheck(report, id)?.status).toBe('pass');
    }
    const tlsStageReport = report.stages.find((s) => s.id === 'tls');
    expect(tlsStageReport?.status).toBe('pass');
  });

  it('roots the failure in tls when the Cloud-style server requires a client certificate', async () => {
    const { report } = await runJson([
      '--address',
      `ns1.acct12.tmprl.cloud:${cloudServer.port}`,
      '-n',
      'ns1.acct12',
      '--api-key',
      'secret-key',
      `--tls-ca-data=${ca.certPem}`,
      '--dns-server',
      dns.server,
      '--timeout',
      '1500ms',
    ]);
    expect(report.rootCause).toMatchObject({ stage: 'tls', check: 'tls.client-cert.required' });
    expect(report.rootCause?.fix).toContain('regional endpoint');
    expect(JSON.stringify(report)).not.toContain('secret-key');
  });
});
