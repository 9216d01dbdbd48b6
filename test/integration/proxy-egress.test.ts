// An egress-only network: the doctor runs (as the built command) inside a network namespace whose only way out is
// squid on the host end of a veth pair. Its direct connect to the server is refused; the Client's path through the
// proxy works. `--stack client` must pass; `--stack both` must name the Worker (direct) as the stack that breaks.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import {
  canCreateNamespaces,
  createEgressNamespace,
  type EgressNamespace,
  runDoctorInNamespace,
} from '../support/thirdparty/egress-netns.js';
import { startSquid, type ProxyServer } from '../support/thirdparty/proxies.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import type { Report } from '../../src/report/model.js';

/** A name only the proxy can resolve (its hosts_file), as on a network without outside DNS. */
const INNER_NAME = 'temporal.egress.test';
const available = canCreateNamespaces() && existsSync('dist/cli-bundle');
let netns: EgressNamespace | undefined;
let squid: ProxyServer | undefined;
let frontend: TemporalFrontend | undefined;

beforeAll(async () => {
  if (!available) return;
  netns = createEgressNamespace();
  [squid, frontend] = await Promise.all([
    startSquid({ host: netns.hostAddress, hosts: { [INNER_NAME]: '127.0.0.1' } }),
    startTemporalFrontend(),
  ]);
}, 30000);

afterAll(async () => {
  await Promise.all([squid?.close(), frontend?.close()]);
  netns?.close();
});

async function doctorInside(
  args: string[],
  address = frontend?.address ?? ''
): Promise<{ report: Report; stderr: string }> {
  const run = await runDoctorInNamespace(netns?.name ?? '', ['--address', address, ...args], {
    env: { grpc_proxy: squid?.url() ?? '' },
    killAfterMs: 40000,
  });
  try {
    return { report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
  } catch {
    throw new Error(`not JSON:\n${run.stdout}\n${run.stderr}`);
  }
}

const check = (report: Report, id: string) => report.stages.flatMap((s) => s.checks).find((c) => c.id === id);

(available ? describe : describe.skip)('egress-only network (network namespace, squid on the veth)', () => {
  it('--stack client passes through the proxy; the direct tcp failure is not the Client path', async () => {
    const { report, stderr } = await doctorInside(['--stack', 'client', '--timeout', '4s', '-o', 'json']);
    expect(check(report, 'tcp.connect.refused')?.status).toBe('skip');
    expect(check(report, 'proxy.connect.ok')?.status).toBe('pass');
    expect(check(report, 'grpc.connect.ok')?.status).toBe('pass');
    expect(check(report, 'namespace.describe.ok')?.status).toBe('pass');
    expect(report.status).not.toBe('fail');
    expect(stderr).not.toContain('through proxy');
  }, 60000);

  it('--stack client passes for a name that only the proxy resolves', async () => {
    const { report } = await doctorInside(
      ['--stack', 'client', '--timeout', '4s', '-o', 'json'],
      `${INNER_NAME}:${frontend?.port ?? 0}`
    );
    expect(report.stages.find((s) => s.id === 'dns')?.status).toBe('skip');
    expect(check(report, 'tcp.connect.no-address')?.status).toBe('skip');
    expect(check(report, 'proxy.connect.ok')?.status).toBe('pass');
    expect(check(report, 'grpc.connect.ok')?.status).toBe('pass');
    expect(report.status).not.toBe('fail');
  }, 60000);

  it('--stack both names the Worker (direct) as the stack that breaks', async () => {
    const { report } = await doctorInside(['--stack', 'both', '--timeout', '4s', '--no-sdk-probe', '-o', 'json']);
    expect(report.rootCause?.stage).toBe('tcp');
    expect(report.notes.join('\n')).toMatch(/Client connects; Worker will fail/);
    expect(check(report, 'proxy.stacks.differ')?.status).toBe('warn');
  }, 60000);
});
