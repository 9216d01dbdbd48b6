// The cloud stage end to end: a Temporal Cloud-style namespace endpoint (test DNS -> loopback frontend) and a Cloud
// Ops API stand-in over TLS, both built from @temporalio/proto, with the namespace's control-plane settings varied.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { findCheck, runJson } from '../support/run-cli.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startCloudOps, type CloudNamespace, type CloudOpsOptions } from '../support/servers/cloud-ops.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { createCa, createTestPki, issueCert, type Issued, type TestPki } from '../support/pki.js';
import { closeAfterAll } from '../support/close-after-all.js';

const HOST = 'myns.acct12.tmprl.cloud';
const NS = 'myns.acct12';
const REGIONAL_WEST = 'us-west-2.aws.api.temporal.io';
const REGIONAL_EAST = 'us-east-1.aws.api.temporal.io';
const CLOUD_KEY = 'tdk-cloud-ops-key-1f2e';
const DATA_KEY = 'tdk-data-plane-key-9a8b';
const FAST = ['--timeout', '3s', '--expiry-warn-days', '7', '--stack', 'client', '--sdk-probe=false'];

let pki: TestPki;
let dns: DnsServer;
let hostCert: Issued;
let dir: string;
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
let caFile: string;
let clientCertFile: string;
let clientKeyFile: string;
const track = closeAfterAll();

beforeAll(async () => {
  pki = await createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'doctor-cloud-'));
  caFile = file('ca.pem', pki.ca.certPem);
  clientCertFile = file('client.pem', pki.client.certPem);
  clientKeyFile = file('client.key', pki.client.keyPem);
  hostCert = await issueCert(pki.ca, { commonName: HOST, dnsNames: [HOST, REGIONAL_WEST, REGIONAL_EAST] });
  dns = await track(
    startDnsServer({
      [HOST]: { A: ['127.0.0.1'] },
      [REGIONAL_WEST]: { A: ['127.0.0.1'] },
      [REGIONAL_EAST]: { A: ['127.0.0.1'] },
    })
  );
});

/** `denied`: the endpoint refuses the namespace (PERMISSION_DENIED), as Temporal Cloud does when the control plane's
 * settings do not admit the client; a live answer would contradict the Ops API's proof. */
function frontend(opts: { clientCaPem?: string; apiKey?: string; denied?: boolean } = {}): Promise<TemporalFrontend> {
  return track(
    startTemporalFrontend({
      tls: {
        certPem: hostCert.certPem,
        keyPem: hostCert.keyPem,
        ...(opts.clientCaPem ? { clientCaPem: opts.clientCaPem } : {}),
      },
      ...(opts.apiKey ? { apiKey: opts.apiKey } : {}),
      namespaces: [{ name: NS }],
      ...(opts.denied ? { deniedNamespaces: [NS] } : {}),
    })
  );
}

async function cloudOps(port: number, namespace: Partial<CloudNamespace> = {}, extra: Partial<CloudOpsOptions> = {}) {
  const ops = await track(
    startCloudOps({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem },
      apiKey: CLOUD_KEY,
      namespaces: [
        {
          namespace: NS,
          acceptedCaPem: pki.ca.certPem,
          mtlsGrpcAddress: `${HOST}:${port}`,
          grpcAddress: `${REGIONAL_WEST}:${port}`,
          ...namespace,
        },
      ],
      ...extra,
    })
  );
  return { ops, args: ['--cloud-api-address', `localhost:${ops.port}`, '--cloud-api-ca-path', caFile] };
}

function mtlsArgs(port: number, host = HOST): string[] {
  return [
    '--address',
    `${host}:${port}`,
    '--namespace',
    NS,
    '--dns-server',
    dns.server,
    '--tls-ca-path',
    caFile,
    '--tls-cert-path',
    clientCertFile,
    '--tls-key-path',
    clientKeyFile,
    ...FAST,
  ];
}

function apiKeyArgs(port: number, host: string): string[] {
  return [
    '--address',
    `${host}:${port}`,
    '--namespace',
    NS,
    '--dns-server',
    dns.server,
    '--tls-ca-path',
    caFile,
    ...FAST,
  ];
}

const withKey = { env: { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY } };

describe('cloud stage: when it runs', () => {
  it('is left out of the report for a self-hosted target, even with a Cloud API key', async () => {
    const server = await track(startTemporalFrontend());
    const { report } = await runJson(['--address', `localhost:${server.port}`, ...FAST], withKey);
    expect(report.stages.map((s) => s.id)).not.toContain('cloud');
    expect(report.status).toBe('pass');
  });

  it('without a Cloud API key is skipped, says what it would add and how, and changes nothing else', async () => {
    const server = await frontend({ clientCaPem: pki.ca.certPem });
    const { ops, args } = await cloudOps(server.port);
    const { report } = await runJson([...mtlsArgs(server.port), ...args], { env: {} });
    const stage = report.stages.find((s) => s.id === 'cloud');
    expect(stage?.status).toBe('skip');
    const check = findCheck(report, 'cloud.api.no-key');
    expect(check?.status).toBe('skip');
    expect(check?.message).toContain('--cloud-api-key or TEMPORAL_CLOUD_API_KEY');
    expect(check?.message).toContain('accepted CAs, certificate filters, auth methods, endpoints and state');
    expect(ops.calls).toEqual([]);
    expect(report.rootCause).toBeNull();
    expect(report.stages.map((s) => s.id).indexOf('cloud')).toBe(
      report.stages.map((s) => s.id).indexOf('endpoint') + 1
    );
  });

  it('never sends the data-plane API key to the Cloud Ops API unless --cloud-api-key-from-api-key says so', async () => {
    const server = await frontend({ apiKey: CLOUD_KEY });
    const { ops, args } = await cloudOps(server.port, {
      apiKeyEnabled: true,
      mtlsEnabled: false,
      acceptedCaPem: undefined,
    });
    const base = [...apiKeyArgs(server.port, REGIONAL_WEST), ...args];
    const without = await runJson(base, { env: { TEMPORAL_API_KEY: CLOUD_KEY } });
    expect(findCheck(without.report, 'cloud.api.no-key')?.message).toContain('--cloud-api-key-from-api-key');
    expect(ops.calls).toEqual([]);
    const opted = await runJson([...base, '--cloud-api-key-from-api-key'], { env: { TEMPORAL_API_KEY: CLOUD_KEY } });
    expect(ops.calls.map((c) => c.method)).toEqual(['GetNamespace']);
    expect(ops.calls[0]?.authorizedWithKnownKey).toBe(true);
    expect(findCheck(opted.report, 'cloud.api.namespace')?.evidence).toContainEqual({
      label: 'API key from',
      value: 'TEMPORAL_API_KEY (--cloud-api-key-from-api-key)',
    });
    expect(findCheck(opted.report, 'cloud.endpoint.address')?.status).toBe('pass');
    expect(opted.report.status).not.toBe('fail');
  });
});

describe('cloud stage: mTLS against the accepted CAs and filters', () => {
  it('passes when the client certificate chains to an accepted CA, naming it with its fingerprint', async () => {
    const server = await frontend({ clientCaPem: pki.ca.certPem });
    const { ops, args } = await cloudOps(server.port);
    const { report } = await runJson([...mtlsArgs(server.port), ...args], withKey);
    const ca = findCheck(report, 'cloud.mtls.accepted-ca');
    expect(ca?.status).toBe('pass');
    expect(ca?.evidence).toContainEqual({
      label: 'signed by accepted CA',
      value: `CN=Test CA (SHA-256 ${pki.ca.cert.fingerprint256})`,
    });
    for (const id of ['cloud.api.namespace', 'cloud.namespace.state', 'cloud.auth.method', 'cloud.endpoint.address'])
      expect(findCheck(report, id)?.status).toBe('pass');
    expect(findCheck(report, 'cloud.mtls.certificate-filters')?.status).toBe('skip');
    expect(report.rootCause).toBeNull();
    expect(ops.calls[0]).toMatchObject({
      method: 'GetNamespace',
      authorizedWithKnownKey: true,
      request: { namespace: NS },
    });
    expect(ops.calls[0]?.apiVersion).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it("makes a CA the namespace does not accept the root cause, naming both CAs, confirmed by the server's refusal", async () => {
    const server = await frontend({ clientCaPem: pki.otherCa.certPem });
    const { args } = await cloudOps(server.port, { acceptedCaPem: pki.otherCa.certPem });
    const { report } = await runJson([...mtlsArgs(server.port), ...args], withKey);
    expect(report.rootCause).toMatchObject({ stage: 'cloud', check: 'cloud.mtls.accepted-ca' });
    expect(report.rootCause?.message).toContain(
      "Your client certificate's issuer CN=Test CA is not among the 1 CA(s) namespace myns.acct12 accepts (CN=Other Test CA)"
    );
    expect(report.rootCause?.evidence).toContainEqual({
      label: 'accepted CA 1',
      value: `CN=Other Test CA (SHA-256 ${pki.otherCa.cert.fingerprint256})`,
    });
    expect(report.rootCause?.evidence?.find((e) => e.label === 'its issuer')?.value).toContain('CN=Test CA');
    expect(report.rootCause?.fix).toContain(
      'tcld namespace accepted-client-ca add --namespace myns.acct12 --ca-certificate-file <your CA PEM>'
    );
    expect(report.rootCause?.fix).toContain('https://cloud.temporal.io/namespaces/myns.acct12');
    expect(report.rootCause?.corroboratedBy?.some((c) => c.stage === 'tls' || c.stage === 'grpc')).toBe(true);
  });

  it('makes a certificate that matches no filter the root cause, and passes a matching wildcard filter', async () => {
    const server = await frontend({ clientCaPem: pki.ca.certPem, denied: true });
    const { args } = await cloudOps(server.port, {
      certificateFilters: [{ commonName: 'worker-*' }, { organization: 'Payments', commonName: 'test-client' }],
    });
    const { report } = await runJson([...mtlsArgs(server.port), ...args], withKey);
    expect(report.rootCause).toMatchObject({ stage: 'cloud', check: 'cloud.mtls.certificate-filters' });
    expect(report.rootCause?.message).toMatch(
      /^Your client certificate CN=test-client matches none of the 2 certificate filter\(s\) of namespace myns\.acct12 \(confirmed by namespace: /
    );
    expect(report.rootCause?.evidence).toContainEqual({ label: 'filter 1', value: 'commonName=worker-*' });
    expect(report.rootCause?.evidence).toContainEqual({ label: 'your CN', value: 'test-client' });
    expect(report.rootCause?.fix).toContain('tcld namespace certificate-filters add --namespace myns.acct12');

    const admitting = await frontend({ clientCaPem: pki.ca.certPem });
    const matching = await cloudOps(admitting.port, { certificateFilters: [{ commonName: 'TEST-*' }] });
    const ok = await runJson([...mtlsArgs(admitting.port), ...matching.args], withKey);
    expect(findCheck(ok.report, 'cloud.mtls.certificate-filters')?.status).toBe('pass');
    expect(ok.report.rootCause).toBeNull();
  });

  it('warns about accepted CAs that expired or expire soon, and fails when it is the CA the client chains to', async () => {
    const soon = await createCa({ commonName: 'Soon CA', notAfter: new Date(Date.now() + 3 * 86_400_000) });
    const old = await createCa({
      commonName: 'Old CA',
      notBefore: new Date(Date.now() - 40 * 86_400_000),
      notAfter: new Date(Date.now() - 86_400_000),
    });
    const server = await frontend({ clientCaPem: pki.ca.certPem });
    const { args } = await cloudOps(server.port, { acceptedCaPem: pki.ca.certPem + soon.certPem + old.certPem });
    const { report } = await runJson([...mtlsArgs(server.port), ...args], withKey);
    expect(findCheck(report, 'cloud.mtls.accepted-ca')?.status).toBe('pass');
    const checks = report.stages.find((s) => s.id === 'cloud')?.checks ?? [];
    expect(checks.find((c) => c.id === 'cloud.mtls.ca-expiring')?.message).toBe(
      'Accepted CA CN=Soon CA of namespace myns.acct12 expires in 2 day(s)'
    );
    expect(checks.find((c) => c.id === 'cloud.mtls.ca-expired')).toMatchObject({ status: 'warn' });
    expect(report.rootCause).toBeNull();

    const expiredOwn = await cloudOps(server.port, { acceptedCaPem: old.certPem });
    const oldClient = await issueCert(old, {
      commonName: 'old-client',
      noSan: true,
      serverAuth: false,
      clientAuth: true,
      now: new Date(Date.now() - 20 * 86_400_000),
    });
    const own = await runJson(
      [
        ...mtlsArgs(server.port).filter(
          (a) => a !== clientCertFile && a !== clientKeyFile && a !== '--tls-cert-path' && a !== '--tls-key-path'
        ),
        '--tls-cert-path',
        file('old-client.pem', oldClient.certPem),
        '--tls-key-path',
        file('old-client.key', oldClient.keyPem),
        ...expiredOwn.args,
      ],
      withKey
    );
    expect(findCheck(own.report, 'cloud.mtls.ca-expired')).toMatchObject({ status: 'fail' });
  });
});

describe('cloud stage: auth methods, endpoints, state, connectivity', () => {
  it('makes API key auth disabled on the namespace the root cause, confirmed by the refused key', async () => {
    const server = await frontend({ apiKey: 'tdk-some-other-key' });
    const { args } = await cloudOps(server.port, { apiKeyEnabled: false, mtlsEnabled: true });
    const { report } = await runJson([...apiKeyArgs(server.port, REGIONAL_WEST), ...args], {
      env: { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY, TEMPORAL_API_KEY: DATA_KEY },
    });
    expect(report.rootCause).toMatchObject({ stage: 'cloud', check: 'cloud.auth.api-key-disabled' });
    expect(report.rootCause?.message).toBe(
      'Namespace myns.acct12 does not accept API keys (API key auth is disabled); it accepts mTLS (confirmed by grpc: Server rejected the API key from TEMPORAL_API_KEY (UNAUTHENTICATED: Request unauthenticated.))'
    );
    expect(report.rootCause?.fix).toContain('https://cloud.temporal.io/namespaces/myns.acct12');
    expect(report.rootCause?.corroboratedBy?.map((c) => c.check)).toContain('grpc.auth.unauthenticated');
  });

  it('names the exact endpoint when an API key is sent to the mTLS endpoint', async () => {
    const server = await frontend({ clientCaPem: pki.ca.certPem });
    const { args } = await cloudOps(server.port, { apiKeyEnabled: true, mtlsEnabled: true });
    const { report } = await runJson([...apiKeyArgs(server.port, HOST), ...args], {
      env: { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY, TEMPORAL_API_KEY: DATA_KEY },
    });
    expect(report.rootCause).toMatchObject({ stage: 'cloud', check: 'cloud.endpoint.address' });
    expect(report.rootCause?.message).toContain(`API key sent to ${HOST}:${server.port}, the mTLS endpoint`);
    expect(report.rootCause?.fix).toBe(
      `Set --address to ${REGIONAL_WEST}:${server.port}, the endpoint the Cloud Ops API lists for namespace ${NS} for API key connections.`
    );
  });

  it("names the namespace's endpoint when the address is another region's", async () => {
    const server = await frontend({ apiKey: DATA_KEY, denied: true });
    const { args } = await cloudOps(server.port, { apiKeyEnabled: true, mtlsEnabled: false, acceptedCaPem: undefined });
    const { report } = await runJson([...apiKeyArgs(server.port, REGIONAL_EAST), ...args], {
      env: { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY, TEMPORAL_API_KEY: DATA_KEY },
    });
    expect(report.rootCause).toMatchObject({ stage: 'cloud', check: 'cloud.endpoint.region' });
    expect(report.rootCause?.message).toMatch(
      new RegExp(
        `^${REGIONAL_EAST.replace(/\./g, '\\.')}:${server.port} is in region aws-us-east-1, but namespace ${NS.replace('.', '\\.')} is in aws-us-west-2 \\(confirmed by namespace: `
      )
    );
    expect(report.rootCause?.fix).toContain(`Set --address to ${REGIONAL_WEST}:${server.port}`);
  });

  it('fails a namespace that is being deleted, and warns about private-only connectivity', async () => {
    const server = await frontend({ clientCaPem: pki.ca.certPem });
    const deleting = await cloudOps(server.port, { state: 'DELETING' });
    const gone = await runJson([...mtlsArgs(server.port), ...deleting.args], withKey);
    expect(gone.report.rootCause).toMatchObject({ stage: 'cloud', check: 'cloud.namespace.state' });
    expect(gone.report.rootCause?.message).toBe(
      'Namespace myns.acct12 is being deleted (Cloud Ops API state deleting)'
    );

    const privateOnly = await cloudOps(server.port, { connectivityRules: ['private'] });
    const priv = await runJson([...mtlsArgs(server.port), ...privateOnly.args], withKey);
    expect(findCheck(priv.report, 'cloud.connectivity.private-only')?.status).toBe('warn');
    expect(findCheck(priv.report, 'cloud.connectivity.private-only')?.fix).toContain(
      `--tls-server-name or TEMPORAL_TLS_SERVER_NAME set to ${HOST}`
    );
  });
});

describe("cloud stage: the Ops API's own failures are warnings, never the root cause of a working connection", () => {
  async function failing(
    extra: Partial<CloudOpsOptions>,
    env: Record<string, string>,
    namespace: Partial<CloudNamespace> = {}
  ) {
    const server = await frontend({ clientCaPem: pki.ca.certPem });
    const { args } = await cloudOps(server.port, namespace, extra);
    return runJson([...mtlsArgs(server.port), ...args], { env });
  }

  it('an unknown Cloud API key', async () => {
    const { report } = await failing({}, { TEMPORAL_CLOUD_API_KEY: 'tdk-wrong-cloud-key' });
    expect(findCheck(report, 'cloud.api.unauthenticated')).toMatchObject({
      status: 'warn',
      message: 'The Cloud Ops API did not accept the Cloud API key from TEMPORAL_CLOUD_API_KEY',
    });
    expect(report.rootCause).toBeNull();
    expect(report.status).toBe('warn');
    expect(findCheck(report, 'namespace.describe.ok')?.status).toBe('pass');
  });

  it('a key without read access to the namespace', async () => {
    const { report } = await failing({ denied: [NS] }, { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY });
    expect(findCheck(report, 'cloud.api.permission-denied')?.status).toBe('warn');
    expect(report.rootCause).toBeNull();
  });

  it("a namespace outside the key's account, with a did-you-mean from GetNamespaces, or none when listing is refused", async () => {
    const { report } = await failing({}, { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY }, { namespace: 'myns.acct99' });
    expect(findCheck(report, 'cloud.api.namespace-not-found')?.message).toBe(
      'Namespace myns.acct12 is not in the Temporal Cloud account of the Cloud API key; did you mean myns.acct99?'
    );
    const refused = await failing(
      { canList: false },
      { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY },
      { namespace: 'myns.acct99' }
    );
    const check = findCheck(refused.report, 'cloud.api.namespace-not-found');
    expect(check?.message).toBe('Namespace myns.acct12 is not in the Temporal Cloud account of the Cloud API key');
    expect(check?.evidence).toContainEqual({
      label: 'account namespaces',
      value: "the key may not list the account's namespaces",
    });
    expect(refused.report.rootCause).toBeNull();
  });

  it('an API version the service refuses', async () => {
    const { report } = await failing({ acceptedVersions: ['v9.0.0'] }, { TEMPORAL_CLOUD_API_KEY: CLOUD_KEY });
    expect(findCheck(report, 'cloud.api.version-rejected')?.status).toBe('warn');
    expect(findCheck(report, 'cloud.api.version-rejected')?.evidence).toContainEqual({
      label: 'status',
      value: 'INVALID_ARGUMENT (3)',
    });
  });

  it('an Ops API that does not answer', async () => {
    const server = await frontend({ clientCaPem: pki.ca.certPem });
    const { ops, args } = await cloudOps(server.port);
    await ops.close();
    const { report } = await runJson([...mtlsArgs(server.port), ...args], withKey);
    expect(findCheck(report, 'cloud.api.unreachable')?.status).toBe('warn');
    expect(report.rootCause).toBeNull();
  });
});
