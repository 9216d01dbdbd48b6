// Where the Client (grpc-js/OpenSSL) and the Worker (Rust Core/rustls) disagree, against real TLS gRPC frontends:
// each case is judged by the static Worker checks AND by the real NativeConnection in the probe child process.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCheck, runCli, runJson } from '../support/run-cli.js';
import {
  startTemporalFrontend,
  type FrontendOptions,
  type TemporalFrontend,
} from '../support/servers/temporal-frontend.js';
import { startTlsTerminator } from '../support/servers/tls-terminator.js';
import { startSilentServer } from '../support/servers/hostile.js';
import type { LoopbackServer } from '../support/servers/loopback.js';
import { createCa, createSelfSigned, createTestPki, issueCert, type Issued, type TestPki } from '../support/pki.js';
import type { Report } from '../../src/report/model.js';

// 5 s: the Client-only run against a live server failed its 3 s budget with four workers on two cores under load.
const FAST = ['--timeout', '5s', '--expiry-warn-days', '7'];
// Where the Client fails, its probe waits out its connectTimeout (= --timeout): keep that short.
const CLIENT_FAILS = ['--timeout', '1500ms', '--expiry-warn-days', '7'];
const NOT_VALID_FOR_NAME =
  'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(NotValidForNameContext { expected: DnsName("localhost"), presented: [] }) }))';

let pki: TestPki;
let cnOnly: Issued;
let caAsLeaf: Issued;
const closers: Array<{ close(): Promise<void> }> = [];
const tmp = mkdtempSync(join(tmpdir(), 'worker-stack-'));

async function frontend(opts: FrontendOptions = {}): Promise<TemporalFrontend> {
  const server = await startTemporalFrontend(opts);
  closers.push(server);
  return server;
}

function track<T extends LoopbackServer>(server: T): T {
  closers.push(server);
  return server;
}

function caFile(pem: string): string {
  const path = join(tmp, `ca-${closers.length}-${Math.random().toString(16).slice(2)}.pem`);
  writeFileSync(path, pem);
  return path;
}

const workerOutcome = (report: Report) => report.sdk.find((s) => s.stack === 'worker');
const clientOutcome = (report: Report) => report.sdk.find((s) => s.stack === 'client');
const idsOf = (report: Report) => report.stages.flatMap((s) => s.checks).map((c) => c.id);

beforeAll(async () => {
  pki = await createTestPki();
  cnOnly = await issueCert(pki.ca, { commonName: 'localhost', noSan: true });
  caAsLeaf = await createSelfSigned({ isCa: true, commonName: 'localhost', dnsNames: ['localhost'] });
});
afterAll(async () => {
  await Promise.all(closers.map((c) => c.close()));
});

describe('a server certificate with no subjectAltName (CN=localhost only)', () => {
  let server: TemporalFrontend;
  let args: string[];
  beforeAll(async () => {
    server = await frontend({ tls: { certPem: cnOnly.certPem, keyPem: cnOnly.keyPem } });
    args = ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, ...FAST];
  });

  it('passes for the Client stack alone, without Worker checks or a Worker probe', async () => {
    const { report, exitCode } = await runJson([...args, '--stack', 'client'], { env: {} });
    expect(report.status).not.toBe('fail');
    expect(exitCode).toBe(0);
    expect(idsOf(report).filter((id) => id.includes('.worker.'))).toEqual([]);
    expect(workerOutcome(report)).toBeUndefined();
    // The Client-only run still hears about the Worker, as a warning.
    expect(findCheck(report, 'tls.server-cert.cn-only')?.status).toBe('warn');
  });

  it('fails for both stacks at tls with the Worker-only rule, and the real Worker says NotValidForName', async () => {
    const { report, exitCode } = await runJson([...args, '--stack', 'both'], { env: {} });
    expect(exitCode).toBe(1);
    expect(report.rootCause).toMatchObject({ stage: 'tls', check: 'tls.worker.server-cert.cn-only' });
    // The Worker view's fail replaces the tls stage's warning about the same finding.
    expect(findCheck(report, 'tls.server-cert.cn-only')).toBeUndefined();
    expect(findCheck(report, 'tls.server-chain.trusted')?.status).toBe('pass');
    expect(findCheck(report, 'tls.worker.server-chain.trusted')?.status).toBe('pass');
    expect(report.notes.join('\n')).toMatch(
      /Client connects; Worker will fail: Server certificate CN=localhost has no subjectAltName/
    );
    expect(clientOutcome(report)?.outcome).toBe('connected');
    expect(workerOutcome(report)).toMatchObject({
      outcome: 'error',
      package: '@temporalio/worker 1.24.0',
      error: { name: 'TransportError' },
    });
    expect(workerOutcome(report)?.error?.message).toContain(
      'NotValidForNameContext { expected: DnsName("localhost"), presented: [] }'
    );
  });

  it('with --stack worker, fails and runs only the Worker probe', async () => {
    const { report } = await runJson([...args, '--stack', 'worker'], { env: {} });
    expect(report.rootCause?.check).toBe('tls.worker.server-cert.cn-only');
    expect(report.sdk.map((s) => s.stack)).toEqual(['worker']);
    expect(report.sdk[0]?.error?.message).toContain('presented: []');
  });

  it('says that a pasted Worker error is explained by the root cause at tls (--error)', async () => {
    const { report } = await runJson([...args, '--error', `${NOT_VALID_FOR_NAME} pasted-marker-7f3a`], { env: {} });
    expect(report.notes.join('\n')).toMatch(
      /The error you saw \(.*Worker.*\) is explained by the root cause at tls \[tls\.worker\.server-cert\.cn-only\]/
    );
    expect(JSON.stringify(report)).not.toContain('pasted-marker-7f3a');
  });

  it('prints the verdict note and what the Worker says in text output', async () => {
    const { stdout } = await runCli(args, { env: {} });
    expect(stdout).toMatch(/Client connects; Worker will fail/);
    expect(stdout).toMatch(
      /What your Worker says \(@temporalio\/worker 1\.24\.0, after \d+ ms\): TransportError: .*NotValidForName/
    );
  });
});

describe('a self-signed CA:TRUE certificate served as the server certificate', () => {
  it('works on the Client and fails on the Worker with CaUsedAsEndEntity', async () => {
    const server = await frontend({ tls: { certPem: caAsLeaf.certPem, keyPem: caAsLeaf.keyPem } });
    const { report } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${caAsLeaf.certPem}`, ...FAST],
      { env: {} }
    );
    expect(report.rootCause?.check).toBe('tls.worker.server-cert.ca-as-leaf');
    expect(findCheck(report, 'tls.server-chain.trusted')?.status).toBe('pass');
    expect(report.notes.join('\n')).toMatch(/Client connects; Worker will fail: .*CaUsedAsEndEntity/);
    expect(workerOutcome(report)?.error?.message).toContain('CaUsedAsEndEntity');
  });
});

describe('a self-signed CA:FALSE certificate given as its own CA (control)', () => {
  it('passes on both stacks, and the real Worker connects', async () => {
    const selfSigned = await createSelfSigned({ commonName: 'localhost', dnsNames: ['localhost'] });
    const server = await frontend({ tls: { certPem: selfSigned.certPem, keyPem: selfSigned.keyPem } });
    const { report, exitCode } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${selfSigned.certPem}`, '--stack', 'worker', ...FAST],
      { env: {} }
    );
    expect(exitCode).toBe(0);
    expect(findCheck(report, 'tls.worker.server-chain.trusted')?.status).toBe('pass');
    expect(workerOutcome(report)?.outcome).toBe('connected');
  });
});

describe('a private CA', () => {
  let server: TemporalFrontend;
  beforeAll(async () => {
    server = await frontend({ tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem } });
  });

  it('passes on both stacks when it is configured (it replaces the OS store for both)', async () => {
    const { report, exitCode } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-path=${caFile(pki.ca.certPem)}`, ...FAST],
      { env: {} }
    );
    expect(report.status).toBe('pass');
    expect(exitCode).toBe(0);
    expect(findCheck(report, 'tls.worker.server-chain.trusted')?.message).toMatch(
      /chains to CN=Test CA in the CA from --tls-ca-path/
    );
    expect(findCheck(report, 'tls.worker.server-name.matches')?.status).toBe('pass');
    expect(findCheck(report, 'tls.worker.alpn.h2')?.status).toBe('pass');
    expect(report.sdk).toEqual([]);
    expect(report.environment.sdk['@temporalio/worker (project)']).toBe('1.24.0');
  });

  it('with --stack worker on a healthy server, runs the real Worker, which connects', async () => {
    const { report, exitCode } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, '--stack', 'worker', ...FAST],
      { env: {} }
    );
    expect(exitCode).toBe(0);
    expect(report.sdk).toEqual([expect.objectContaining({ stack: 'worker', outcome: 'connected' })]);
  });

  describe('given only through SSL_CERT_FILE (the OS store the Worker reads)', () => {
    let env: Record<string, string>;
    const args = (): string[] => ['--address', `localhost:${server.port}`, '--tls', ...CLIENT_FAILS];
    beforeAll(() => {
      env = { SSL_CERT_FILE: caFile(pki.ca.certPem) };
    });

    it('fails for the Client at tls while the Worker trusts it and connects', async () => {
      const { report } = await runJson(args(), { env });
      expect(report.rootCause).toMatchObject({ stage: 'tls', check: 'tls.server-chain.untrusted' });
      expect(findCheck(report, 'tls.worker.server-chain.trusted')?.message).toContain('SSL_CERT_FILE=');
      expect(workerOutcome(report)?.outcome).toBe('connected');
      expect(report.notes.join('\n')).toMatch(
        /Worker connects \(NativeConnection connected\); Client will fail: Server certificate/
      );
      expect(report.notes.join('\n')).toMatch(
        /Trust: the Client reads none of its variables .*the Worker reads SSL_CERT_FILE=/
      );
    });

    it('passes with --stack worker: the Client-only trust failure is set aside', async () => {
      const { report, exitCode } = await runJson([...args(), '--stack', 'worker'], { env });
      expect(exitCode).toBe(0);
      expect(report.status).not.toBe('fail');
      expect(findCheck(report, 'tls.server-chain.untrusted')).toMatchObject({
        status: 'skip',
        message: expect.stringMatching(/^Client only, not judged with --stack worker/),
      });
      expect(workerOutcome(report)?.outcome).toBe('connected');
    });

    it('fails with --stack client', async () => {
      const { report, exitCode } = await runJson([...args(), '--stack', 'client'], { env });
      expect(exitCode).toBe(1);
      expect(report.rootCause?.check).toBe('tls.server-chain.untrusted');
      expect(idsOf(report).some((id) => id.includes('.worker.'))).toBe(false);
    });
  });

  it('without any CA anywhere, fails for both stacks: the Worker does not find it in the OS store either', async () => {
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--tls', ...CLIENT_FAILS], { env: {} });
    expect(report.rootCause?.check).toBe('tls.server-chain.untrusted');
    expect(findCheck(report, 'tls.worker.server-chain.untrusted')?.message).toMatch(
      /UnknownIssuer.*the OS trust store/
    );
    expect(workerOutcome(report)?.error?.message).toContain('UnknownIssuer');
    expect(report.notes.filter((n) => /connects;/.test(n))).toEqual([]);
  });
});

describe('mTLS', () => {
  it('passes on both stacks with a client certificate the server accepts, and the real Worker connects', async () => {
    const server = await frontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
    });
    const { report, exitCode } = await runJson(
      [
        '--address',
        `localhost:${server.port}`,
        `--tls-ca-data=${pki.ca.certPem}`,
        `--tls-cert-data=${pki.client.certPem}`,
        `--tls-key-data=${pki.client.keyPem}`,
        '--stack',
        'worker',
        ...FAST,
      ],
      { env: {} }
    );
    expect(exitCode).toBe(0);
    expect(findCheck(report, 'tls.client-cert.accepted')?.status).toBe('pass');
    expect(workerOutcome(report)?.outcome).toBe('connected');
    expect(JSON.stringify(report)).not.toContain('PRIVATE KEY');
  });
});

describe('a TLS terminator that negotiates no ALPN in front of the frontend', () => {
  it('lets the Client through and stops the Worker with H2NotNegotiated', async () => {
    const backend = await frontend();
    const terminator = track(await startTlsTerminator({ cert: pki.server, backendPort: backend.port, alpn: 'none' }));
    const { report } = await runJson(
      ['--address', `localhost:${terminator.port}`, `--tls-ca-data=${pki.ca.certPem}`, ...FAST],
      { env: {} }
    );
    expect(report.rootCause?.check).toBe('tls.worker.alpn.not-negotiated');
    expect(report.notes.join('\n')).toMatch(/Client connects; Worker will fail/);
    expect(clientOutcome(report)?.outcome).toBe('connected');
    expect(workerOutcome(report)?.error?.message).toContain('H2NotNegotiated');
  });
});

describe('a peer that accepts TCP and never answers the TLS handshake', () => {
  it('stops the Worker probe at the deadline (NativeConnection has no timeout) and the run still ends', async () => {
    const silent = track(await startSilentServer());
    const started = Date.now();
    const { report } = await runJson(
      [
        '--address',
        `localhost:${silent.port}`,
        `--tls-ca-data=${pki.ca.certPem}`,
        '--stack',
        'worker',
        '--timeout',
        '1s',
      ],
      { env: {} }
    );
    expect(report.rootCause?.check).toBe('tls.handshake.timeout');
    expect(workerOutcome(report)).toMatchObject({
      outcome: 'timeout',
      note: expect.stringMatching(/no connect timeout/),
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('--error when the diagnosis finds no fault', () => {
  it('says the pasted error is not explained and names the stage it points at', async () => {
    const server = await frontend({ tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem } });
    const error =
      'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(UnknownIssuer) }))';
    const { report } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, '--error', error, ...FAST],
      { env: {} }
    );
    expect(report.status).toBe('pass');
    expect(report.notes.join('\n')).toMatch(
      /The error you saw \(.*\) is not explained: it points at tls, and the diagnosis found no fault there/
    );
  });
});

describe('a private CA that signs with another CA (sanity of the Worker trust check)', () => {
  it('fails the Worker trust check when the configured CA is not the issuer', async () => {
    const stranger = await createCa({ commonName: 'Stranger CA' });
    const server = await frontend({ tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem } });
    const { report } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${stranger.certPem}`, ...CLIENT_FAILS],
      { env: {} }
    );
    expect(report.rootCause?.check).toBe('tls.server-chain.untrusted');
    expect(findCheck(report, 'tls.worker.server-chain.untrusted')?.fix).toMatch(/the Worker trusts only that file/);
  });
});
