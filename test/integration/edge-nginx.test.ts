// Real nginx (Debian) as the gRPC ingress in front of the test Temporal frontend: client-certificate rejections after
// the handshake (HTTP 400 pages), an access rule (403), a listener without http2, an upstream that is down (502).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startNginx } from '../support/thirdparty/nginx.js';
import { refusedPort } from '../support/servers/index.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { closeAfterAll } from '../support/close-after-all.js';
import { checkIds, findCheck, runJson } from '../support/run-cli.js';
import { SDK_PROBE_BUDGET_MS } from '../../src/diagnosis/sdk-probes.js';

const YEAR_AHEAD = new Date(Date.now() + 365 * 86_400_000);
const serve = closeAfterAll();
let dir: string;
let ca: Issued;
let frontend: TemporalFrontend;
let server: Issued;
const files: Record<'ca' | 'cert' | 'key' | 'otherCert' | 'otherKey', string> = {
  ca: '',
  cert: '',
  key: '',
  otherCert: '',
  otherKey: '',
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edge-nginx-'));
  const otherCa = await createCa({ commonName: 'Other Test CA', notAfter: YEAR_AHEAD });
  ca = await createCa({ notAfter: YEAR_AHEAD });
  server = await issueCert(ca, {
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notAfter: YEAR_AHEAD,
  });
  const client = await issueCert(ca, {
    commonName: 'good-client',
    noSan: true,
    serverAuth: false,
    clientAuth: true,
    notAfter: YEAR_AHEAD,
  });
  const other = await issueCert(otherCa, {
    commonName: 'stray-client',
    noSan: true,
    serverAuth: false,
    clientAuth: true,
  });
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  files.ca = write('ca.pem', ca.certPem);
  files.cert = write('client.pem', client.certPem);
  files.key = write('client.key', client.keyPem);
  files.otherCert = write('other.pem', other.certPem);
  files.otherKey = write('other.key', other.keyPem);
  frontend = await serve(startTemporalFrontend());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (port: number, pair?: 'good' | 'other') =>
  runJson([
    '--address',
    `127.0.0.1:${port}`,
    '--tls-ca-path',
    files.ca,
    ...(pair === 'good' ? ['--tls-cert-path', files.cert, '--tls-key-path', files.key] : []),
    ...(pair === 'other' ? ['--tls-cert-path', files.otherCert, '--tls-key-path', files.otherKey] : []),
    '--timeout',
    '5s',
    '--no-sdk-probe',
  ]);

const evidenceOf = (check: { evidence?: Array<{ label: string; value: string }> } | undefined) =>
  Object.fromEntries((check?.evidence ?? []).map((e) => [e.label, e.value]));

describe('nginx ssl_verify_client on', () => {
  let port: number;
  beforeAll(async () => {
    port = (
      await serve(
        startNginx({ upstream: frontend.address, tls: server, verifyClient: { mode: 'on', caPem: ca.certPem } })
      )
    ).port;
  });

  it('passes with the right client certificate (the address is right)', async () => {
    const { report } = await run(port, 'good');
    expect(report.stages.flatMap((s) => s.checks).filter((c) => c.status !== 'pass' && c.status !== 'skip')).toEqual(
      []
    );
    expect(report.status).toBe('pass');
    // On a loaded machine the upstream's answer may take longer than the 500 ms the tls stage waits.
    expect(findCheck(report, 'tls.client-cert.accepted')?.message).toMatch(
      /a gRPC request over it got a gRPC answer|the server answered the HTTP\/2 preface/
    );
  });

  it('without a client certificate: root cause tls.client-cert.required, in nginx words', async () => {
    const { report } = await run(port);
    expect(report.rootCause).toMatchObject({ stage: 'tls', check: 'tls.client-cert.required' });
    expect(report.rootCause?.message).toContain('nginx/1.22');
    expect(report.rootCause?.message).toContain('"400 No required SSL certificate was sent"');
    expect(evidenceOf(report.rootCause ?? undefined)['its words']).toBe('400 No required SSL certificate was sent');
    expect(report.rootCause?.fix).toContain('--tls-cert-path');
    expect(checkIds(report)).not.toContain('grpc.protocol.not-grpc:fail');
  });

  it('with a certificate from another CA: root cause tls.client-cert.rejected naming its issuer', async () => {
    const { report } = await run(port, 'other');
    expect(report.rootCause).toMatchObject({ stage: 'tls', check: 'tls.client-cert.rejected' });
    expect(report.rootCause?.message).toContain('"400 The SSL certificate error"');
    expect(report.rootCause?.fix).toContain('CN=Other Test CA');
    expect(evidenceOf(report.rootCause ?? undefined)['client issuer']).toBe('CN=Other Test CA');
  });
});

describe('nginx ssl_verify_client optional with return 403', () => {
  let port: number;
  beforeAll(async () => {
    port = (
      await serve(
        startNginx({
          upstream: frontend.address,
          tls: server,
          verifyClient: { mode: 'optional', caPem: ca.certPem },
          forbidUnverified: true,
        })
      )
    ).port;
  });

  it('without a certificate: grpc.edge.forbidden, the ingress rule and not a namespace permission', async () => {
    const { report } = await run(port);
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.edge.forbidden' });
    expect(report.rootCause?.message).toContain('HTTP 403 "403 Forbidden"');
    expect(report.rootCause?.fix).toContain('not a Temporal namespace permission');
  });

  it('with the right certificate: passes', async () => {
    const { report } = await run(port, 'good');
    expect(report.stages.flatMap((s) => s.checks).filter((c) => c.status !== 'pass' && c.status !== 'skip')).toEqual(
      []
    );
    expect(report.status).toBe('pass');
  });
});

describe('nginx in front of a dead upstream, and without http2', () => {
  it('dead upstream: grpc.edge.no-backend (HTTP 502) within a second or two, not a deadline', async () => {
    const dead = await serve(startNginx({ upstream: `127.0.0.1:${await refusedPort()}`, tls: server }));
    const started = Date.now();
    const { report } = await run(dead.port);
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.edge.no-backend' });
    expect(report.rootCause?.message).toContain('HTTP 502 "502 Bad Gateway"');
    expect(report.rootCause?.message).toContain('nginx/1.22');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('dead upstream with the SDK probe: the SDK section shows its first attempt, without waiting its budget', async () => {
    const dead = await serve(startNginx({ upstream: `127.0.0.1:${await refusedPort()}`, tls: server }));
    const { report } = await runJson([
      '--address',
      `127.0.0.1:${dead.port}`,
      '--tls-ca-path',
      files.ca,
      '--timeout',
      '5s',
      '--stack',
      'client',
    ]);
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.edge.no-backend' });
    // At its deadline the probe would end as a timeout (DEADLINE_EXCEEDED): an error with the 502 is the early stop.
    expect(report.sdk[0]).toMatchObject({ stack: 'client', outcome: 'error', error: { code: 14 } });
    expect(report.sdk[0]?.error?.message).toContain('Received HTTP status code 502');
    expect(report.sdk[0]?.note).toContain('still retrying');
    expect(report.sdk[0]?.durationMs).toBeLessThan(SDK_PROBE_BUDGET_MS);
  });

  it('no http2 on the TLS listener: tls.alpn.no-h2 from its no_application_protocol alert', async () => {
    const noH2 = await serve(startNginx({ upstream: frontend.address, tls: server, http2: false }));
    const { report } = await run(noH2.port);
    expect(report.rootCause).toMatchObject({ stage: 'tls', check: 'tls.alpn.no-h2' });
  });
});

describe('nginx default virtual host: an SNI no server block names', () => {
  let dns: DnsServer;
  let port: number;
  beforeAll(async () => {
    const [ingress, billing] = await Promise.all(
      ['ingress.example.test', 'billing.example.test'].map((name) =>
        issueCert(ca, { commonName: name, dnsNames: [name], notAfter: YEAR_AHEAD })
      )
    );
    const nginx = await serve(
      startNginx({
        upstream: frontend.address,
        tls: server,
        serverName: 'localhost',
        virtualHosts: [
          { serverName: 'ingress.example.test', tls: ingress as Issued, default: true },
          { serverName: 'billing.example.test', tls: billing as Issued },
        ],
      })
    );
    port = nginx.port;
    dns = await serve(
      startDnsServer({
        'temporal.example.test': { A: ['127.0.0.1'] },
        'billing.example.test': { A: ['127.0.0.1'] },
      })
    );
  });

  const byName = (host: string) =>
    runJson([
      '--address',
      `${host}:${port}`,
      '--dns-server',
      dns.server,
      '--tls-ca-path',
      files.ca,
      '--timeout',
      '5s',
      '--no-sdk-probe',
    ]);

  it('says the server has no certificate for the name, and does not suggest the default host as the server name', async () => {
    const { report } = await byName('temporal.example.test');
    expect(report.rootCause).toMatchObject({ stage: 'tls', check: 'tls.server-name.mismatch' });
    const mismatch = findCheck(report, 'tls.server-name.mismatch');
    expect(mismatch?.message).toBe(
      'Server certificate is not valid for temporal.example.test; it names DNS:ingress.example.test: the server did not recognise temporal.example.test and sent its default certificate'
    );
    expect(evidenceOf(mismatch)['with SNI no-such-host.invalid']).toMatch(/^the same certificate/);
    expect(mismatch?.fix).toMatch(/^The server has no certificate for temporal\.example\.test: it did not recognise/);
    expect(mismatch?.fix).toContain('The fix is on the server');
    expect(mismatch?.fix).not.toMatch(/(?<!Do not )set --tls-server-name[^.]*ingress\.example\.test|Connect by a name/);
    expect(JSON.stringify(findCheck(report, 'tls.worker.server-name.mismatch') ?? {})).not.toMatch(
      /(?<!Do not )[Ss]et --tls-server-name[^.]*ingress\.example\.test/
    );
    expect(mismatch?.fix).toContain('Do not set --tls-server-name or TEMPORAL_TLS_SERVER_NAME to ingress.example.test');
  });

  it('passes the name check for a name nginx has a server block for', async () => {
    const { report } = await byName('billing.example.test');
    expect(findCheck(report, 'tls.server-name.matches')?.status).toBe('pass');
    expect(checkIds(report)).not.toContain('tls.server-name.mismatch:fail');
  });
});
