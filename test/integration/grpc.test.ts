import { beforeAll, describe, expect, it } from '@jest/globals';
import { findCheck, runCli, runJson } from '../support/run-cli.js';
import {
  startTemporalFrontend,
  type FrontendOptions,
  type TemporalFrontend,
} from '../support/servers/temporal-frontend.js';
import * as grpc from '@grpc/grpc-js';
import { startStatusServer, type StatusServer } from '../support/servers/grpc-status.js';
import {
  startHttp1Server,
  startHttp2NonGrpcServer,
  startResetServer,
  startSilentServer,
} from '../support/servers/index.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { grpcStage } from '../../src/stages/grpc/index.js';
import { temporalStageContext } from '../support/temporal-stage-context.js';
import { closeAfterAll } from '../support/close-after-all.js';

const API_KEY = 'tdk-test-0123456789abcdef';
const FAST = ['--timeout', '2s'];
// The test PKI's certificates live 30 days; the default expiry warning (30 days) would turn healthy runs into warnings.
const FRESH = ['--expiry-warn-days', '7'];

let pki: TestPki;
const track = closeAfterAll();

function failingGrpcServer(code: grpc.status, details: string): Promise<StatusServer> {
  return track(startStatusServer({ GetSystemInfo: { code, details } }));
}

function frontend(opts: FrontendOptions = {}): Promise<TemporalFrontend> {
  return track(startTemporalFrontend(opts));
}
function tlsServer(): FrontendOptions['tls'] {
  return { certPem: pki.server.certPem, keyPem: pki.server.keyPem };
}

beforeAll(async () => {
  pki = await createTestPki();
});

describe('grpc stage: healthy servers', () => {
  it('passes against a plaintext frontend and reports version, capabilities and health', async () => {
    const server = await frontend({ serverVersion: '1.27.2' });
    const { report, exitCode } = await runJson(['--address', `localhost:${server.port}`], { env: {} });
    expect(report.stages.find((s) => s.id === 'grpc')?.status).toBe('pass');
    expect(findCheck(report, 'grpc.connect.ok')?.status).toBe('pass');
    const info = findCheck(report, 'grpc.system-info.ok');
    expect(info?.message).toBe('Temporal server 1.27.2');
    expect(info?.evidence.find((e) => e.label === 'capabilities')?.value).toContain('signalAndQueryHeader');
    expect(findCheck(report, 'grpc.health.serving')?.status).toBe('pass');
    expect(server.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['GetSystemInfo', 'Health/Check']));
    expect(exitCode).toBe(0);
    expect(report.sdk).toEqual([]);
  });

  it('passes over TLS with the configured CA', async () => {
    const server = await frontend({ tls: tlsServer() });
    const { report } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, ...FRESH],
      { env: {} }
    );
    expect(report.status).toBe('pass');
    expect(findCheck(report, 'grpc.connect.ok')?.evidence).toContainEqual({
      label: 'tls',
      value: 'on (derived implied by --tls-ca-data)',
    });
  });

  it('passes over mTLS with the client certificate and key', async () => {
    const server = await frontend({ tls: { ...tlsServer()!, clientCaPem: pki.ca.certPem } });
    const { report } = await runJson(
      [
        '--address',
        `localhost:${server.port}`,
        `--tls-ca-data=${pki.ca.certPem}`,
        `--tls-cert-data=${pki.client.certPem}`,
        `--tls-key-data=${pki.client.keyPem}`,
        ...FRESH,
      ],
      { env: {} }
    );
    expect(report.status).toBe('pass');
    expect(findCheck(report, 'grpc.connect.ok')?.evidence).toContainEqual({
      label: 'auth',
      value: 'mTLS client certificate from --tls-cert-data',
    });
  });

  it('passes with an API key from the environment, sends it as authorization, and never prints it', async () => {
    const server = await frontend({ tls: tlsServer(), apiKey: API_KEY });
    const { report, stdout } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, ...FRESH],
      {
        env: { TEMPORAL_API_KEY: API_KEY },
      }
    );
    expect(report.status).toBe('pass');
    // The tls stage's own request carries no credentials; the SDK's connect sends the key.
    const systemInfoCalls = server.calls.filter((c) => c.method === 'GetSystemInfo');
    expect(systemInfoCalls.map((c) => c.metadata.authorization)).toEqual(['absent', 'present']);
    const auth = findCheck(report, 'grpc.connect.ok')?.evidence;
    expect(auth).toContainEqual({ label: 'auth', value: 'API key from TEMPORAL_API_KEY' });
    expect(auth?.find((e) => e.label === 'API key')?.value).toMatch(/^\[redacted\] \(25 chars, sha256 [0-9a-f]{4}…\)$/);
    expect(stdout).not.toContain(API_KEY);
  });

  it('accepts a server without GetSystemInfo, as the SDK does', async () => {
    const server = await frontend({ systemInfo: 'unimplemented' });
    const { report } = await runJson(['--address', `localhost:${server.port}`], { env: {} });
    expect(findCheck(report, 'grpc.system-info.unimplemented')?.status).toBe('pass');
    expect(report.status).toBe('pass');
  });

  it('warns when the health service reports NOT_SERVING', async () => {
    const server = await frontend({ health: 'NOT_SERVING' });
    const { report } = await runJson(['--address', `localhost:${server.port}`], { env: {} });
    expect(findCheck(report, 'grpc.health.not-serving')).toMatchObject({
      status: 'warn',
      message: 'gRPC health check reports the workflow service NOT_SERVING',
    });
    expect(report.status).toBe('warn');
    expect(report.rootCause).toBeNull();
  });
});

describe('grpc stage: authentication', () => {
  it('fails when the server wants an API key and none is configured, and says so', async () => {
    const server = await frontend({ tls: tlsServer(), apiKey: API_KEY });
    const { report, exitCode } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, ...FAST],
      { env: {} }
    );
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.auth.unauthenticated' });
    expect(report.rootCause?.message).toBe(
      'Server requires credentials (UNAUTHENTICATED: Request unauthenticated.) and no API key is configured'
    );
    expect(report.rootCause?.fix).toContain('TEMPORAL_API_KEY');
    expect(report.sdk[0]?.error).toMatchObject({ name: 'ServiceError', code: 16 });
    expect(report.sdk[0]?.error?.message).toBe(
      'Failed to connect to Temporal server (cause: 16 UNAUTHENTICATED: Request unauthenticated.)'
    );
    expect(exitCode).toBe(1);
  });

  it('fails when the server rejects the API key, naming the setting but never the key', async () => {
    const server = await frontend({ tls: tlsServer(), apiKey: API_KEY });
    const wrongKey = 'tdk-wrong-key-should-never-print';
    const { report, stdout } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, '--api-key', wrongKey, ...FAST],
      {
        env: {},
      }
    );
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.auth.unauthenticated' });
    expect(report.rootCause?.message).toBe(
      'Server rejected the API key from --api-key (UNAUTHENTICATED: Request unauthenticated.)'
    );
    expect(report.sdk[0]?.error?.message).toContain('16 UNAUTHENTICATED');
    expect(stdout).not.toContain(wrongKey);
    const pretty = await runCli(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, '--api-key', wrongKey, ...FAST],
      { env: {} }
    );
    expect(pretty.stdout + pretty.stderr).not.toContain(wrongKey);
  });

  it('fails when GetSystemInfo is refused with PERMISSION_DENIED, with the server reason decoded', async () => {
    const server = await frontend({ systemInfo: 'permission-denied' });
    const { report } = await runJson(['--address', `localhost:${server.port}`, ...FAST], { env: {} });
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.auth.permission-denied' });
    expect(report.rootCause?.evidence).toContainEqual({
      label: 'server reason',
      value: 'caller has insufficient permissions for GetSystemInfo',
    });
    expect(report.sdk[0]?.error?.message).toContain('7 PERMISSION_DENIED: Request unauthorized.');
  });
});

describe('grpc stage: not a working Temporal frontend', () => {
  it('fails with a deadline when the server accepts HTTP/2 but never answers GetSystemInfo, within the budget', async () => {
    const server = await frontend({ systemInfo: 'hang' });
    const started = performance.now();
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--timeout', '1s'], { env: {} });
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.system-info.deadline' });
    expect(report.sdk[0]).toMatchObject({ outcome: 'timeout', error: { name: 'ServiceError', code: 4 } });
    expect(report.sdk[0]?.durationMs).toBeLessThan(2500);
    expect(performance.now() - started).toBeLessThan(6000);
  });

  it('names an HTTP/1 server behind the non-diagnostic "Failed to connect before the deadline"', async () => {
    const server = await track(startHttp1Server());
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--timeout', '1s'], { env: {} });
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.protocol.not-http2' });
    expect(report.rootCause?.message).toBe(
      `Server at localhost:${server.port} answers with HTTP/1 (HTTP/1.1 200 OK), not HTTP/2 gRPC`
    );
    // The preface probe proves the case before grpc-js's deadline, so the stage stops waiting for the SDK...
    expect(report.rootCause?.evidence?.find((e) => e.label === 'SDK error')?.value).toContain('ruled gRPC out');
    // ...while "what your SDK says" still shows the SDK's own words: its channel's failed attempt, read before the
    // deadline's non-diagnostic "Failed to connect before the deadline", which the note names.
    expect(report.sdk[0]).toMatchObject({ outcome: 'error', error: { code: 14 } });
    expect(report.sdk[0]?.error?.message).toContain('No connection established. Last error: Protocol error');
    expect(report.sdk[0]?.note).toContain('Failed to connect before the deadline');
  });

  it('names an HTTP/2 server that is not gRPC', async () => {
    const server = await track(startHttp2NonGrpcServer());
    // 2 s: the stage spends its budget on GetSystemInfo retries before one call without retries names the cause, and
    // under a loaded test run 1 s plus the runner's grace was not always enough.
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--timeout', '2s'], { env: {} });
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.protocol.not-grpc' });
  });

  it('names a peer that accepts the connection and then stays silent', async () => {
    const server = await track(startSilentServer());
    const ctx = temporalStageContext<'config' | 'pem' | 'endpoint' | 'tls'>({
      settings: { address: `localhost:${server.port}` },
      timeoutMs: 1000,
    });
    try {
      const { checks, facts } = await grpcStage.run(ctx);
      expect(checks.map((c) => c.id)).toEqual(['grpc.transport.silent']);
      // Silence proven by the preface probe ends the wait before the SDK's own deadline.
      // The doctor ended the SDK's wait: there is no SDK error to show, and the evidence says so.
      expect(checks[0]?.cause).toBeUndefined();
      expect(checks[0]?.evidence).toContainEqual({
        label: 'SDK error',
        value: 'none yet: the wait was ended once the probe below ruled gRPC out',
      });
      expect(facts).toBeUndefined();
    } finally {
      ctx.done();
    }
  });

  it('names the UNAVAILABLE the server answers, which the SDK retries until its deadline', async () => {
    const server = await failingGrpcServer(grpc.status.UNAVAILABLE, 'no healthy upstream');
    const { report } = await runJson(['--address', `localhost:${server.port}`, '--timeout', '1s'], { env: {} });
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.system-info.unavailable' });
    expect(report.rootCause?.message).toBe('Server answered GetSystemInfo with UNAVAILABLE: no healthy upstream');
    expect(report.rootCause?.evidence?.find((e) => e.label === 'SDK error')?.value).toContain(
      'retried until the deadline'
    );
  });

  it('reports any other gRPC error GetSystemInfo returns', async () => {
    const server = await failingGrpcServer(grpc.status.INTERNAL, 'frontend exploded');
    const { report } = await runJson(['--address', `localhost:${server.port}`, ...FAST], { env: {} });
    expect(report.rootCause).toMatchObject({
      stage: 'grpc',
      check: 'grpc.system-info.failed',
      message: 'GetSystemInfo failed: INTERNAL: frontend exploded',
    });
  });

  it('names a peer that resets the connection on the HTTP/2 preface', async () => {
    const server = await track(startResetServer());
    // End to end the tcp stage already sees the reset (tcp.connect.reset); the grpc stage must name it as well.
    const ctx = temporalStageContext<'config' | 'pem' | 'endpoint' | 'tls'>({
      settings: { address: `localhost:${server.port}` },
      timeoutMs: 1000,
    });
    try {
      const { checks } = await grpcStage.run(ctx);
      expect(checks.map((c) => c.id)).toEqual(['grpc.transport.closed']);
      expect(checks[0]?.fix).toContain('If the server expects TLS: turn TLS on with --tls or TEMPORAL_TLS=true');
    } finally {
      ctx.done();
    }
  });

  it('names a TLS server reached with TLS off when the tls stage saw it speak TLS', async () => {
    const server = await frontend({ tls: tlsServer() });
    const ctx = temporalStageContext<'config' | 'pem' | 'endpoint' | 'tls'>({
      settings: { address: `localhost:${server.port}` },
      timeoutMs: 1000,
      facts: { tls: { mode: 'plaintext', serverSpeaksTls: true } },
    });
    try {
      const { checks } = await grpcStage.run(ctx);
      expect(checks.map((c) => c.id)).toEqual(['grpc.transport.tls-mismatch']);
      expect(checks[0]?.message).toBe(`Server at localhost:${server.port} speaks TLS, but TLS is off (default)`);
    } finally {
      ctx.done();
    }
  });
});
