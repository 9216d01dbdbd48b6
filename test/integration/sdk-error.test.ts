import { beforeAll, describe, expect, it } from '@jest/globals';
import { findCheck, runCli, runJson } from '../support/run-cli.js';
import {
  startTemporalFrontend,
  type FrontendOptions,
  type TemporalFrontend,
} from '../support/servers/temporal-frontend.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { closeAfterAll } from '../support/close-after-all.js';
import { STAGE_IDS } from '../../src/facts.js';

const FAST = ['--timeout', '2s'];
const FRESH = ['--expiry-warn-days', '7'];
const API_KEY = 'tdk-sdk-error-test-key';

let pki: TestPki;
const track = closeAfterAll();

function frontend(opts: FrontendOptions = {}): Promise<TemporalFrontend> {
  return track(startTemporalFrontend(opts));
}

beforeAll(async () => {
  pki = await createTestPki();
});

describe('a healthy frontend end to end', () => {
  it('passes with -o json, reporting all eight connection stages and the SDK version, without probing the SDK', async () => {
    const server = await frontend();
    const { report, exitCode } = await runJson(['--address', `localhost:${server.port}`], { env: {} });
    expect(report.status).toBe('pass');
    expect(exitCode).toBe(0);
    // codec has no endpoint here; cloud concerns Temporal Cloud targets only, and the proxy stage is left out when no
    // proxy applies (docs/checks/proxy.md).
    const eight = STAGE_IDS.filter((id) => id !== 'codec' && id !== 'cloud' && id !== 'proxy');
    expect(report.stages.map((s) => s.id)).not.toContain('cloud');
    expect(report.stages.map((s) => s.id)).not.toContain('proxy');
    expect(eight).toEqual(['config', 'pem', 'endpoint', 'dns', 'tcp', 'tls', 'grpc', 'namespace']);
    for (const id of eight) {
      const stage = report.stages.find((s) => s.id === id);
      expect(stage).toBeDefined();
      expect(stage?.skippedBecause).toBeUndefined();
      expect(['pass', 'skip']).toContain(stage?.status);
    }
    expect(report.stages.find((s) => s.id === 'grpc')?.status).toBe('pass');
    expect(report.stages.find((s) => s.id === 'namespace')?.status).toBe('pass');
    expect(report.environment.sdk['@temporalio/client']).toBe('1.24.0');
    expect(report.sdk).toEqual([]);
  });
});

describe('what your SDK says', () => {
  it('records the SDK class, gRPC code and message beside the verdict, and prints it under the root cause', async () => {
    const server = await frontend({ systemInfo: 'unauthenticated' });
    const { report } = await runJson(['--address', `localhost:${server.port}`, ...FAST], { env: {} });
    expect(report.rootCause).toMatchObject({ stage: 'grpc', check: 'grpc.auth.unauthenticated' });
    expect(report.sdk.filter((s) => s.stack === 'client')).toHaveLength(1);
    expect(report.sdk[0]).toMatchObject({
      stack: 'client',
      package: '@temporalio/client 1.24.0',
      outcome: 'error',
      error: {
        name: 'ServiceError',
        code: 16,
        message: 'Failed to connect to Temporal server (cause: 16 UNAUTHENTICATED: Request unauthenticated.)',
      },
    });
    const pretty = await runCli(['--address', `localhost:${server.port}`, ...FAST], { env: {} });
    expect(pretty.stdout).toMatch(
      /What your SDK says \(@temporalio\/client 1\.24\.0, after \d+ ms\): ServiceError \[16\]: Failed to connect to Temporal server \(cause: 16 UNAUTHENTICATED: Request unauthenticated\.\)/
    );
  });

  it('captures the OpenSSL error the SDK throws at once for a key that does not match the certificate', async () => {
    const server = await frontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
    });
    const { report } = await runJson(
      [
        '--address',
        `localhost:${server.port}`,
        `--tls-ca-data=${pki.ca.certPem}`,
        `--tls-cert-data=${pki.client.certPem}`,
        `--tls-key-data=${pki.otherClient.keyPem}`,
        ...FAST,
        ...FRESH,
      ],
      { env: {} }
    );
    expect(report.rootCause?.stage).toBe('pem');
    // grpc-js rethrows OpenSSL's error as a plain Error, so its ERR_OSSL_* code is lost; the text remains.
    expect(report.sdk[0]).toMatchObject({
      outcome: 'error',
      error: { name: 'Error', message: 'Error: error:05800074:x509 certificate routines::key values mismatch' },
    });
    expect(report.sdk[0]?.durationMs).toBeLessThan(1500);
  });

  it('shows the SDK refusing an API key with a trailing newline, with the key redacted, confirming the config finding', async () => {
    const server = await frontend({ tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem }, apiKey: API_KEY });
    const { report, stdout } = await runJson(
      ['--address', `localhost:${server.port}`, `--tls-ca-data=${pki.ca.certPem}`, ...FAST, ...FRESH],
      {
        env: { TEMPORAL_API_KEY: `${API_KEY}\n` },
      }
    );
    expect(report.rootCause).toMatchObject({ stage: 'config', check: 'config.api-key.whitespace' });
    expect(report.rootCause?.corroboratedBy?.map((c) => c.check)).toEqual(['grpc.options.rejected']);
    expect(findCheck(report, 'grpc.options.rejected')?.message).toBe(
      'The SDK rejected the connection settings: Metadata string value "Bearer [redacted] ⏎ " contains illegal characters'
    );
    expect(report.sdk[0]?.error?.message).toBe(
      'Metadata string value "Bearer [redacted] ⏎ " contains illegal characters'
    );
    expect(stdout).not.toContain(API_KEY);
  });

  it('says why it has nothing to show when the settings cannot be resolved', async () => {
    const { report } = await runJson(['--profile', 'prod', ...FAST], { env: {} });
    expect(report.rootCause?.stage).toBe('config');
    expect(report.sdk[0]).toMatchObject({ stack: 'client', outcome: 'unavailable' });
    expect(report.sdk[0]?.note).toContain('configuration could not be resolved');
  });

  it('is not run with --no-sdk-probe, nor for the worker stack alone', async () => {
    const server = await frontend({ systemInfo: 'unauthenticated' });
    const off = await runJson(['--address', `localhost:${server.port}`, '--no-sdk-probe', ...FAST], { env: {} });
    expect(off.report.status).toBe('fail');
    expect(off.report.sdk).toEqual([]);
    const worker = await runJson(['--address', `localhost:${server.port}`, '--stack', 'worker', ...FAST], { env: {} });
    expect(worker.report.sdk.filter((s) => s.stack === 'client')).toEqual([]);
  });
});
