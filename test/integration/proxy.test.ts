// The proxy stage against real squid and tinyproxy in front of the test frontend: each stack's path, the CONNECT
// answers (200, 403, 407, a dead proxy), no_proxy (and its untrimmed-space trap), and what --stack judges.
// grpc-js reads the proxy variables from process.env, so each run sets them there too, and restores them.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startSquid, startTinyproxy, type ProxyServer } from '../support/thirdparty/proxies.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { refusedPort } from '../support/servers/index.js';
import { checkIds, findCheck, runCli, runJson } from '../support/run-cli.js';
import { expectMatchesSchema } from '../support/report-schema.js';

const PASSWORD = 'Sup3r-s3cret-proxy-pw';
const AUTH = { user: 'doctor', password: PASSWORD };
let frontend: TemporalFrontend;
let squid: ProxyServer;
let squidDenying: ProxyServer;
let tinyAuth: ProxyServer;
let deadProxy: string;

beforeAll(async () => {
  frontend = await startTemporalFrontend();
  [squid, squidDenying, tinyAuth] = await Promise.all([
    startSquid(),
    startSquid({ allowPorts: [443] }),
    startTinyproxy({ auth: AUTH }),
  ]);
  deadProxy = `http://127.0.0.1:${await refusedPort()}`;
}, 30000);

afterAll(async () => {
  await Promise.all([frontend, squid, squidDenying, tinyAuth].map((s) => s?.close()));
});

async function withEnv<T>(env: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

const doctor = (env: Record<string, string>, extra: string[] = []) =>
  withEnv(env, () => runJson(['--address', frontend.address, '--timeout', '4s', ...extra], { env: { ...env } }));

describe('proxy stage', () => {
  it('passes a healthy target through squid and shows the path of each stack', async () => {
    const { report } = await doctor({ grpc_proxy: squid.url() }, ['--stack', 'client']);
    expect(checkIds(report).filter((c) => !c.endsWith(':pass') && !c.endsWith(':skip'))).toEqual([]);
    expect(report.status).toBe('pass');
    expect(findCheck(report, 'proxy.connect.ok')?.status).toBe('pass');
    expect(findCheck(report, 'grpc.connect.ok')?.status).toBe('pass');
    expect(report.notes.join('\n')).toContain(`the Client connects via ${squid.url()} (from grpc_proxy)`);
    expect(report.stages.map((s) => s.id)).toContain('proxy');
    expect(report.paths).toEqual({
      client: { route: 'proxy', proxy: squid.url(), from: 'grpc_proxy', why: 'grpc_proxy is set' },
      worker: { route: 'direct', why: expect.stringContaining('--worker-proxy') },
    });
    expectMatchesSchema(report);
  }, 30000);

  it('names the proxy stage when squid refuses the port (403)', async () => {
    const { report } = await doctor({ https_proxy: squidDenying.url() }, ['--stack', 'client']);
    expect(report.rootCause?.stage).toBe('proxy');
    expect(report.rootCause?.check).toBe('proxy.connect.forbidden');
    expect(findCheck(report, 'tls.handshake.no-tunnel')?.status).toBe('skip');
  }, 30000);

  it('names the proxy stage when the proxy cannot reach the server (503), with the fix naming the address', async () => {
    const closed = await refusedPort();
    const { report } = await withEnv({ grpc_proxy: squid.url() }, () =>
      runJson(['--address', `127.0.0.1:${closed}`, '--timeout', '4s', '--stack', 'client'], {
        env: { grpc_proxy: squid.url() },
      })
    );
    expect(report.rootCause?.check).toBe('proxy.connect.upstream-failed');
    expect(report.rootCause?.fix).toContain(`127.0.0.1:${closed}`);
    expect(findCheck(report, 'tcp.connect.refused')?.status).toBe('skip');
    // grpc-js's own words about the tunnel are evidence, not stderr noise.
    expect(report.sdk[0]?.note ?? '').toMatch(/through proxy .* with status 503/);
  }, 30000);

  it('names missing credentials (407), and passes with them', async () => {
    const without = await doctor({ grpc_proxy: tinyAuth.url() }, ['--stack', 'client']);
    expect(without.report.rootCause?.check).toBe('proxy.connect.auth-required');
    expect(without.report.rootCause?.fix).toContain('grpc_proxy');
    const withCreds = await doctor({ grpc_proxy: tinyAuth.url(AUTH) }, ['--stack', 'client']);
    expect(withCreds.report.status).toBe('pass');
    expect(findCheck(withCreds.report, 'proxy.connect.ok')?.evidence).toContainEqual({
      label: 'proxy',
      value: `http://doctor:***@127.0.0.1:${tinyAuth.port}`,
    });
  }, 30000);

  it('never prints the proxy password, in any output format', async () => {
    const env = { grpc_proxy: tinyAuth.url({ user: 'doctor', password: 'wrong-' + PASSWORD }) };
    for (const format of ['text', 'json', 'markdown', 'junit', 'github']) {
      const run = await withEnv(env, () =>
        runCli(['--address', frontend.address, '--timeout', '3s', '--stack', 'client', '-o', format], {
          env: { ...env },
        })
      );
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
      expect(run.stdout.length + run.stderr.length).toBeGreaterThan(0);
    }
  }, 60000);

  it('fails at proxy for the Client when the proxy is dead, but passes the Worker, which goes direct', async () => {
    const client = await doctor({ grpc_proxy: deadProxy }, ['--stack', 'client']);
    expect(client.report.rootCause?.check).toBe('proxy.connect.unreachable');
    const worker = await doctor({ grpc_proxy: deadProxy }, ['--stack', 'worker']);
    expect(checkIds(worker.report)).not.toContain('proxy.connect.unreachable:fail');
    expect(findCheck(worker.report, 'grpc.connect.ok')?.status).toBe('pass');
    expect(worker.report.status).not.toBe('fail');
  }, 60000);

  it('both stacks: names the Client as the one that breaks', async () => {
    const { report } = await doctor({ grpc_proxy: deadProxy }, ['--stack', 'both', '--no-sdk-probe']);
    expect(report.rootCause?.stage).toBe('proxy');
    expect(findCheck(report, 'proxy.stacks.differ')?.status).toBe('warn');
    expect(report.notes.join('\n')).toContain('Worker connects');
  }, 60000);

  it('bypasses the proxy for a no_proxy entry, but not for one with a space', async () => {
    const bypassed = await doctor({ grpc_proxy: deadProxy, no_proxy: 'localhost,127.0.0.1' }, ['--stack', 'client']);
    expect(bypassed.report.status).toBe('pass');
    // A proxy variable is set, so the stage says which path each stack takes: direct, by the no_proxy entry.
    const proxyStage = bypassed.report.stages.find((s) => s.id === 'proxy');
    expect(proxyStage?.status).toBe('skip');
    expect(proxyStage?.checks[0]?.message).toContain('No proxy applies: direct');
    const spaced = await doctor({ grpc_proxy: deadProxy, no_proxy: 'localhost, 127.0.0.1' }, ['--stack', 'client']);
    expect(findCheck(spaced.report, 'proxy.no-proxy.untrimmed')?.status).toBe('warn');
    expect(spaced.report.rootCause?.check).toBe('proxy.connect.unreachable');
  }, 60000);

  it('warns that an https:// proxy URL and upper-case variables are ignored by the Client', async () => {
    const { report } = await doctor({ https_proxy: deadProxy.replace('http:', 'https:'), HTTP_PROXY: deadProxy }, [
      '--stack',
      'client',
    ]);
    expect(findCheck(report, 'proxy.env.scheme-ignored')?.status).toBe('warn');
    expect(report.status).not.toBe('fail');
  }, 30000);

  it('passes the Worker through its own proxy (--worker-proxy), with the real NativeConnection', async () => {
    const { report } = await doctor({}, ['--stack', 'worker', '--worker-proxy', tinyAuth.url(AUTH)]);
    expect(findCheck(report, 'proxy.worker.connect.ok')?.status).toBe('pass');
    expect(report.sdk.find((s) => s.stack === 'worker')?.outcome).toBe('connected');
    expect(report.target.workerProxy?.value).toBe(`http://doctor:***@127.0.0.1:${tinyAuth.port}`);
    expect(JSON.stringify(report)).not.toContain(PASSWORD);
    expectMatchesSchema(report);
  }, 60000);

  it('checks the Worker proxy given with --worker-proxy', async () => {
    const { report } = await doctor({}, ['--stack', 'worker', '--worker-proxy', tinyAuth.url(), '--no-sdk-probe']);
    expect(findCheck(report, 'proxy.worker.connect.auth-required')?.status).toBe('fail');
  }, 30000);
});
