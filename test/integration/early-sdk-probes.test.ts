// The SDK probes start early on a sign of trouble (a peer silent for many round trips), not on every run: the sign
// comes from the probes that see it, through the pipeline, to SdkProbes; a run that passes stops what started early.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { probeTls } from '../../src/net/tls-probe.js';
import { probeHttp2Preface } from '../../src/net/http2-preface.js';
import { runPipeline, type PipelineHooks } from '../../src/pipeline/run-pipeline.js';
import { pipelineRun } from '../../src/diagnosis/select-stages.js';
import { STAGES } from '../../src/stages/index.js';
import { NO_ROUTE_PROBE_MS, SDK_PROBE_BUDGET_MS, SdkProbes } from '../../src/diagnosis/sdk-probes.js';
import { withDefaults, type DoctorOptions } from '../../src/options.js';
import { tlsStage } from '../../src/stages/tls/index.js';
import { makeConfig, makeContext, flag } from '../support/stage-context.js';
import { refusedPort, startSilentServer, type TcpServer } from '../support/servers/hostile.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startTlsServer, type TlsServer } from '../support/servers/tls.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { runCli } from '../support/run-cli.js';
import type { Facts } from '../../src/facts.js';

let silent: TcpServer;
let frontend: TemporalFrontend;
let tlsServer: TlsServer;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
  [silent, frontend, tlsServer] = await Promise.all([
    startSilentServer(),
    startTemporalFrontend(),
    startTlsServer({ cert: { certPem: pki.server.certPem, keyPem: pki.server.keyPem } }),
  ]);
});
afterAll(async () => {
  await Promise.all([silent.close(), frontend.close(), tlsServer.close()]);
});

const never = new AbortController().signal;

function watch(afterMs: number) {
  const notified: number[] = [];
  return { notified, slowAnswer: { afterMs, notify: (waitedMs: number) => notified.push(waitedMs) } };
}

describe('slow-answer watches on the network probes', () => {
  it('a TLS ClientHello left unanswered is reported once the watch runs out, before the probe gives up', async () => {
    const { notified, slowAnswer } = watch(50);
    const probe = await probeTls({
      address: '127.0.0.1',
      family: 4,
      port: silent.port,
      verifyName: 'localhost',
      ca: [],
      rejectUnauthorized: false,
      postHandshakeWaitMs: 0,
      timeoutMs: 400,
      signal: never,
      slowAnswer,
    });
    expect(probe.failure?.kind).toBe('timeout');
    expect(notified).toHaveLength(1);
    expect(notified[0]).toBeGreaterThanOrEqual(45);
  });

  it('a TLS handshake that completes in time is not reported', async () => {
    const { notified, slowAnswer } = watch(2000);
    const probe = await probeTls({
      address: '127.0.0.1',
      family: 4,
      port: tlsServer.port,
      verifyName: 'localhost',
      ca: pki.ca.certPem,
      rejectUnauthorized: true,
      postHandshakeWaitMs: 0,
      timeoutMs: 2000,
      signal: never,
      slowAnswer,
    });
    expect(probe.reached).toBe('established');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(notified).toEqual([]);
  });

  it('an HTTP/2 preface left unanswered is reported; one answered with SETTINGS is not', async () => {
    const slow = watch(50);
    expect(
      await probeHttp2Preface({ host: '127.0.0.1', port: silent.port }, 400, undefined, slow.slowAnswer)
    ).toMatchObject({ kind: 'silent' });
    expect(slow.notified).toHaveLength(1);

    const fast = watch(2000);
    expect(
      await probeHttp2Preface({ host: '127.0.0.1', port: frontend.port }, 2000, undefined, fast.slowAnswer)
    ).toEqual({ kind: 'http2' });
    expect(fast.notified).toEqual([]);
  });
});

describe('the tls stage', () => {
  const facts = (port: number): Pick<Facts, 'config' | 'pem' | 'endpoint' | 'tcp'> => ({
    config: makeConfig({ address: flag(`127.0.0.1:${port}`, '--address') }),
    pem: {} as Facts['pem'],
    endpoint: { host: '127.0.0.1', port, serverName: '127.0.0.1', kind: 'ip-literal' } as unknown as Facts['endpoint'],
    tcp: { reachable: [{ address: '127.0.0.1', family: 4, connectMs: 1 }], port, attempts: [] },
  });

  it('signals trouble while a ClientHello to a silent peer is still unanswered', async () => {
    const ctx = makeContext({ facts: facts(silent.port), options: { timeoutMs: 3000 } });
    const result = await tlsStage.run(ctx);
    expect(result.checks.map((c) => c.id)).toEqual(['tls.mode.plaintext']);
    expect(ctx.troubleSigns).toHaveLength(1);
    expect(ctx.troubleSigns[0]).toMatch(
      /^no TLS handshake with 127\.0\.0\.1:\d+ after \d+ ms \(its TCP connect took 1 ms\)$/
    );
  });

  it('signals nothing when the peer answers at once (a plaintext gRPC server)', async () => {
    const ctx = makeContext({ facts: facts(frontend.port), options: { timeoutMs: 3000 } });
    await tlsStage.run(ctx);
    expect(ctx.troubleSigns).toEqual([]);
  });
});

/** Runs the real stages against `address`, recording the pipeline's hooks. */
async function pipelineSigns(address: string, hooks: PipelineHooks<Facts> = {}) {
  const signs: string[] = [];
  const options = withDefaults({ env: {}, settings: { address }, timeoutMs: 3000, sdkProbe: false });
  const result = await runPipeline(STAGES, pipelineRun(STAGES, options), undefined, {
    afterStage: (report, facts) => hooks.afterStage?.(report, facts),
    onTrouble: (stage, sign, facts) => {
      signs.push(`${stage}: ${sign}`);
      hooks.onTrouble?.(stage, sign, facts);
    },
  });
  return { signs, result };
}

describe('the pipeline', () => {
  it('passes the signs of a silent peer on, once per stage, while the stages still run', async () => {
    const { signs, result } = await pipelineSigns(silent.address);
    expect(result.stages.find((s) => s.id === 'grpc')?.checks[0]?.id).toBe('grpc.transport.silent');
    expect(signs).toEqual([
      expect.stringMatching(/^tls: no TLS handshake/),
      expect.stringMatching(/^grpc: no answer to the HTTP\/2 preface/),
    ]);
  });

  it('passes no sign on for a healthy target', async () => {
    const { signs, result } = await pipelineSigns(frontend.address);
    expect(result.stages.find((s) => s.id === 'namespace')?.status).toBe('pass');
    expect(signs).toEqual([]);
  });
});

describe('SdkProbes', () => {
  const options = (address: string, over: Partial<DoctorOptions> = {}): DoctorOptions =>
    withDefaults({ env: {}, settings: { address }, timeoutMs: 1500, ...over });

  it('starts both probes on the first sign of trouble, before any stage failed, and not twice', async () => {
    const probes = new SdkProbes(options(silent.address));
    const startedAfter: string[] = [];
    const { result } = await pipelineSigns(silent.address, {
      onTrouble: (stage, sign, facts) => probes.onTrouble(stage, sign, facts),
      afterStage: (report, facts) => {
        if (probes.started && startedAfter.length === 0) startedAfter.push(`${report.id}:${report.status}`);
        probes.afterStage(report, facts);
      },
    });
    // Started while the tls stage ran (its ClientHello unanswered), though that stage does not fail.
    expect(startedAfter).toEqual(['tls:skip']);
    const [client, worker] = await Promise.all([probes.client(result.facts), probes.worker(result.facts)]);
    expect(client).toMatchObject({
      stack: 'client',
      outcome: 'timeout',
      error: { message: 'Failed to connect before the deadline' },
    });
    expect(worker).toMatchObject({ stack: 'worker', outcome: 'timeout' });
  });

  it('a refused port: stops once the SDK channel failed an attempt, in grpc-js words, not at the deadline', async () => {
    const closed = await refusedPort();
    const probes = new SdkProbes(options(`127.0.0.1:${closed}`, { timeoutMs: 5000 }));
    const { result } = await pipelineSigns(`127.0.0.1:${closed}`, probes);
    expect(result.stages.find((s) => s.id === 'tcp')?.checks[0]?.id).toBe('tcp.connect.refused');
    const outcome = await probes.client(result.facts);
    // A timeout here would be the deadline's "Failed to connect before the deadline": the early stop is an error.
    expect(outcome).toMatchObject({ outcome: 'error', error: { code: 14 } });
    expect(outcome.error?.message).toContain(`ECONNREFUSED 127.0.0.1:${closed}`);
    expect(outcome.note).toContain('still retrying');
    expect(outcome.note).toContain('Failed to connect before the deadline');
    expect(outcome.durationMs).toBeLessThan(NO_ROUTE_PROBE_MS);
    expect(NO_ROUTE_PROBE_MS).toBeLessThan(SDK_PROBE_BUDGET_MS);
  });

  it('starts nothing on a sign before TCP connected, or with --no-sdk-probe', () => {
    const noTcp = new SdkProbes(options(silent.address));
    noTcp.onTrouble('tls', 'silent', {});
    expect(noTcp.started).toBe(false);
    const off = new SdkProbes(options(silent.address, { sdkProbe: false }));
    off.onTrouble('tls', 'silent', { tcp: { reachable: [], port: silent.port, attempts: [] } });
    expect(off.started).toBe(false);
  });

  it('stops probes that started early when the run passes: the connect is abandoned and the Worker child killed', async () => {
    const probes = new SdkProbes(options(silent.address, { timeoutMs: 800 }));
    const { result } = await pipelineSigns(silent.address);
    probes.onTrouble('tls', 'a sign that came to nothing', result.facts);
    const client = probes.client(result.facts);
    const worker = probes.worker(result.facts);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    probes.cancel();
    const outcomes = await Promise.all([client, worker]);
    expect(outcomes).toEqual([
      expect.objectContaining({ stack: 'client', outcome: 'unavailable', note: 'stopped: the run passed without it' }),
      expect.objectContaining({ stack: 'worker', outcome: 'unavailable', note: 'stopped: the run passed without it' }),
    ]);
    // Sooner than the 800 ms budget either probe would otherwise wait out.
    expect(performance.now() - started).toBeLessThan(700);
    probes.onTrouble('grpc', 'another sign', result.facts);
    expect(await probes.client(result.facts)).toBe(outcomes[0]);
    // grpc-js keeps its waitForReady timer until the connect deadline even after close (the CLI exits regardless);
    // let it run out so that jest exits cleanly.
    await new Promise((resolve) => setTimeout(resolve, 800));
  });
});

describe('the text report for a silent server', () => {
  it("says what each SDK said: the Client's deadline error, and what the Worker's silence means", async () => {
    const { stdout, exitCode } = await runCli(['--address', silent.address, '--timeout', '1500ms']);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(
      /^What your SDK says \(@temporalio\/client 1\.24\.0, after \d+ ms\): Error: Failed to connect before the deadline$/m
    );
    expect(stdout).toMatch(
      /^What your Worker says \(@temporalio\/worker 1\.24\.0[^)]*\)?, after \d+ ms\): NativeConnection\.connect gave no answer within 1500 ms and was stopped: it has no connect timeout, so a Worker started with these settings hangs here$/m
    );
  });
});
