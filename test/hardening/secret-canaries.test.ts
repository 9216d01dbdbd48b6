// Marker secrets (RSA and EC private keys as files and inline, an API key, codec auth, gRPC metadata) through every
// output format and every failure path the stages have, plus a passing run: none of them may reach stdout, stderr, the
// GitHub annotations, the job summary or the report files, in any chunking. And on the wire: the doctor never sends
// the key, and never presents the client certificate to a server it could not verify.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Report } from '../../src/report/model.js';
import { CANARY, CANARY_PREFIX, expectNoSecrets, keyDer, keyFragments } from '../support/canaries.js';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { runCli } from '../support/run-cli.js';
import { startCodecServer, type CodecServer } from '../support/servers/codec.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { refusedPort } from '../support/servers/hostile.js';
import { serveLoopback, type LoopbackServer } from '../support/servers/loopback.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startTlsServer, type TlsServer } from '../support/servers/tls.js';
import { startCloudOps, type CloudOpsServer } from '../support/servers/cloud-ops.js';

const SECRET_FLAG_WARNING = /^temporal-doctor: warning: --[a-z-]+ puts a secret on the command line/;

const FORMATS: string[][] = [
  ['-o', 'text'],
  ['-o', 'text', '-v'],
  ['-o', 'json'],
  ['-o', 'markdown'],
  ['-o', 'junit'],
];
/**
 * Every run also writes the Markdown and JSON report files and the job summary, so the SDK probe (about a second per
 * run) is kept to the two formats that print it their own way: verbose text and JUnit.
 */
const PROBED_FORMATS = new Set(['-o text -v', '-o junit']);

let dir: string;
let ca: Issued;
let rsa: Issued;
let ec: Issued;
let keys: string[];
const files: Record<string, string> = {};
let refused: string;
let dns: DnsServer;
let untrusted: TlsServer;
let misnamed: TlsServer;
let frontend: TemporalFrontend;
let mtlsFrontend: TemporalFrontend;
let codec: CodecServer;
let echoing: TemporalFrontend;
let profileFile: string;
// A Temporal Cloud-style target: namespace endpoint via test DNS, and two Cloud Ops API stand-ins.
const CLOUD_HOST = 'canary.acct12.tmprl.cloud';
const CLOUD_NS = 'canary.acct12';
let cloudDns: DnsServer;
let cloudFrontend: TemporalFrontend;
let opsEcho: CloudOpsServer;
let opsReads: CloudOpsServer;

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'secret-canaries-'));
  ca = await createCa();
  const otherCa = await createCa({ commonName: 'Untrusted CA' });
  [rsa, ec] = await Promise.all([
    issueCert(ca, { commonName: 'canary-rsa-client', keyType: 'rsa', clientAuth: true, serverAuth: false }),
    issueCert(ca, { commonName: 'canary-ec-client', clientAuth: true, serverAuth: false }),
  ]);
  keys = [rsa.keyPem, ec.keyPem];
  const [server, untrustedServer, misnamedServer] = await Promise.all([
    issueCert(ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }),
    issueCert(otherCa, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }),
    issueCert(ca, { dnsNames: ['other.example'] }),
  ]);
  Object.assign(files, {
    ca: file('ca.pem', ca.certPem),
    rsaKey: file('rsa.key', rsa.keyPem),
    rsaCert: file('rsa.pem', rsa.certPem),
    ecKey: file('ec.key', ec.keyPem),
    ecCert: file('ec.pem', ec.certPem),
  });
  refused = `127.0.0.1:${await refusedPort()}`;
  [dns, untrusted, misnamed, frontend, mtlsFrontend, codec, echoing] = await Promise.all([
    startDnsServer({ 'gone.canary.test': { rcode: 'NXDOMAIN' } }),
    startTlsServer({ cert: untrustedServer, requestClientCert: true, ca: ca.certPem }),
    startTlsServer({ cert: misnamedServer, requestClientCert: true, ca: ca.certPem }),
    startTemporalFrontend({ apiKey: CANARY.apiKey }),
    startTemporalFrontend({
      apiKey: CANARY.apiKey,
      tls: { certPem: server.certPem, keyPem: server.keyPem, clientCaPem: ca.certPem },
    }),
    startCodecServer({ auth: 'Bearer the-right-codec-auth', echoAuthInErrors: 'encoded' }),
    startTemporalFrontend({ echoSecrets: { on: 'DescribeNamespace' } }),
  ]);
  // The secrets a user keeps in temporal.toml (the Temporal CLI writes them there), against a server that quotes them.
  profileFile = file(
    'temporal.toml',
    [
      '[profile.default]',
      `address = "${echoing.address}"`,
      `api_key = "${CANARY.profileApiKey}"`,
      '[profile.default.tls]',
      'disabled = true',
      '[profile.default.grpc_meta]',
      `x-tenant-token = "${CANARY.profileGrpcMeta}"`,
      '[profile.default.codec]',
      `endpoint = "${codec.endpoint}"`,
      `auth = "${CANARY.profileCodecAuth}"`,
    ].join('\n')
  );
});

// Its own hook (and so its own time budget): the Cloud target's servers.
beforeAll(async () => {
  const [cloudCert, server, otherCa] = await Promise.all([
    issueCert(ca, { dnsNames: [CLOUD_HOST] }),
    issueCert(ca, { dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }),
    createCa({ commonName: 'Accepted CA' }),
  ]);
  [cloudDns, cloudFrontend] = await Promise.all([
    startDnsServer({ [CLOUD_HOST]: { A: ['127.0.0.1'] } }),
    startTemporalFrontend({
      tls: { certPem: cloudCert.certPem, keyPem: cloudCert.keyPem, clientCaPem: ca.certPem },
      namespaces: [{ name: CLOUD_NS }],
    }),
  ]);
  const namespace = {
    namespace: CLOUD_NS,
    acceptedCaPem: otherCa.certPem,
    mtlsGrpcAddress: `${CLOUD_HOST}:${cloudFrontend.port}`,
  };
  [opsEcho, opsReads] = await Promise.all([
    startCloudOps({
      tls: { certPem: server.certPem, keyPem: server.keyPem },
      apiKey: 'tdk-another-cloud-key',
      namespaces: [namespace],
      echoAuthorization: true,
    }),
    startCloudOps({
      tls: { certPem: server.certPem, keyPem: server.keyPem },
      apiKey: CANARY.cloudApiKey,
      namespaces: [namespace],
    }),
  ]);
});

afterAll(async () => {
  await Promise.all([
    dns.close(),
    untrusted.close(),
    misnamed.close(),
    frontend.close(),
    mtlsFrontend.close(),
    codec.close(),
    echoing.close(),
    cloudDns.close(),
    cloudFrontend.close(),
    opsEcho.close(),
    opsReads.close(),
  ]);
  rmSync(dir, { recursive: true, force: true });
});

interface Scenario {
  argv: string[];
  env?: Record<string, string>;
  /** Root-cause stage, or 'none' for a passing run. */
  stage: string;
  /** The SDK probe (the SDK's own error text can quote what it was given). */
  sdkProbe: boolean;
  /** Secrets were given where argv and env do not show them (a profile): the control still applies. */
  given?: boolean;
}

const inlinePair = (pair: Issued): string[] => ['--tls-cert-data', pair.certPem, '--tls-key-data', pair.keyPem];
const filePair = (kind: 'rsa' | 'ec'): string[] => [
  '--tls-cert-path',
  files[`${kind}Cert`] as string,
  '--tls-key-path',
  files[`${kind}Key`] as string,
];

const cloudTarget = (ops: CloudOpsServer): string[] => [
  '--address',
  `${CLOUD_HOST}:${cloudFrontend.port}`,
  '--namespace',
  CLOUD_NS,
  '--dns-server',
  cloudDns.server,
  '--tls-ca-path',
  files.ca as string,
  ...filePair('ec'),
  '--cloud-api-address',
  `localhost:${ops.port}`,
  '--cloud-api-ca-path',
  files.ca as string,
  '--timeout',
  '2s',
];

const SCENARIOS: Array<[string, () => Scenario]> = [
  [
    'cloud: a Cloud API key the Ops API refuses and quotes back in its error',
    () => ({
      argv: [...cloudTarget(opsEcho), '--cloud-api-key', CANARY.cloudApiKey],
      stage: 'none',
      sdkProbe: false,
    }),
  ],
  [
    'cloud: a Cloud API key from TEMPORAL_CLOUD_API_KEY whose accepted-CA finding the live namespace contradicts, with the data-plane API key',
    () => ({
      argv: [...cloudTarget(opsReads), '--api-key', CANARY.apiKey],
      env: { TEMPORAL_CLOUD_API_KEY: CANARY.cloudApiKey },
      stage: 'none',
      sdkProbe: true,
    }),
  ],
  [
    'config: API key with a newline next to an authorization header, EC key inline from the environment',
    () => ({
      argv: ['--address', refused, '--timeout', '1s'],
      env: {
        TEMPORAL_API_KEY: `${CANARY.apiKey}\n`,
        TEMPORAL_GRPC_META_AUTHORIZATION: CANARY.grpcMetaAuthorization,
        TEMPORAL_TLS_CLIENT_CERT_DATA: ec.certPem,
        TEMPORAL_TLS_CLIENT_KEY_DATA: ec.keyPem,
      },
      stage: 'config',
      sdkProbe: true,
    }),
  ],
  [
    'pem: RSA key inline with the EC certificate (mismatch), API key',
    () => ({
      argv: [
        '--address',
        refused,
        '--api-key',
        CANARY.apiKey,
        '--tls-cert-data',
        ec.certPem,
        '--tls-key-data',
        rsa.keyPem,
        '--timeout',
        '1s',
      ],
      stage: 'pem',
      sdkProbe: true,
    }),
  ],
  [
    'pem: a truncated RSA key from TEMPORAL_TLS_CLIENT_KEY_DATA',
    () => ({
      argv: ['--address', refused, '--timeout', '1s'],
      env: {
        TEMPORAL_TLS_CLIENT_CERT_DATA: rsa.certPem,
        TEMPORAL_TLS_CLIENT_KEY_DATA: rsa.keyPem.slice(0, Math.floor(rsa.keyPem.length * 0.7)),
      },
      stage: 'pem',
      sdkProbe: true,
    }),
  ],
  [
    'pem: the RSA key file given as the certificate',
    () => ({
      argv: [
        '--address',
        refused,
        '--tls-cert-path',
        files.rsaKey as string,
        '--tls-key-path',
        files.rsaKey as string,
        '--timeout',
        '1s',
      ],
      stage: 'pem',
      sdkProbe: false,
    }),
  ],
  [
    'endpoint: an address with a scheme, EC key files, codec auth',
    () => ({
      argv: [
        '--address',
        `https://${refused}`,
        '--api-key',
        CANARY.apiKey,
        ...filePair('ec'),
        '--codec-endpoint',
        `http://${refused}`,
        '--codec-auth',
        CANARY.codecAuth,
        '--timeout',
        '1s',
      ],
      stage: 'endpoint',
      sdkProbe: true,
    }),
  ],
  [
    'dns: a name that does not exist, RSA key inline, metadata',
    () => ({
      argv: [
        '--address',
        'gone.canary.test:7233',
        '--dns-server',
        dns.server,
        '--api-key',
        CANARY.apiKey,
        ...inlinePair(rsa),
        '--grpc-meta',
        `x-tenant=${CANARY.grpcMetaOther}`,
        '--timeout',
        '1s',
      ],
      stage: 'dns',
      sdkProbe: false,
    }),
  ],
  [
    'tcp: a refused port with every secret at once',
    () => ({
      argv: [
        '--address',
        refused,
        '--api-key',
        CANARY.apiKey,
        ...inlinePair(rsa),
        '--grpc-meta',
        `x-tenant=${CANARY.grpcMetaOther}`,
        '--codec-endpoint',
        `http://${refused}`,
        '--codec-auth',
        CANARY.codecAuth,
        '--timeout',
        '1s',
      ],
      stage: 'tcp',
      sdkProbe: true,
    }),
  ],
  [
    'tls: an untrusted server chain, EC key files and an API key',
    () => ({
      argv: [
        '--address',
        untrusted.address,
        '--tls-ca-path',
        files.ca as string,
        ...filePair('ec'),
        '--api-key',
        CANARY.apiKey,
        '--timeout',
        '1s',
      ],
      stage: 'tls',
      sdkProbe: true,
    }),
  ],
  [
    'grpc: an authorization header the server refuses',
    () => ({
      argv: [
        '--address',
        frontend.address,
        '--tls=false',
        '--grpc-meta',
        `authorization=${CANARY.grpcMetaAuthorization}`,
        '--timeout',
        '1s',
      ],
      stage: 'grpc',
      sdkProbe: true,
    }),
  ],
  [
    'namespace: a namespace that does not exist, with a valid API key',
    () => ({
      argv: [
        '--address',
        frontend.address,
        '--tls=false',
        '--api-key',
        CANARY.apiKey,
        '--namespace',
        'no-such-ns',
        '--grpc-meta',
        `x-tenant=${CANARY.grpcMetaOther}`,
        '--timeout',
        '1s',
      ],
      stage: 'namespace',
      sdkProbe: true,
    }),
  ],
  [
    'codec: auth the codec server rejects and quotes back',
    () => ({
      argv: [
        '--address',
        frontend.address,
        '--tls=false',
        '--api-key',
        CANARY.apiKey,
        '--codec-endpoint',
        codec.endpoint,
        '--codec-auth',
        CANARY.codecAuth,
        '--timeout',
        '1s',
      ],
      stage: 'codec',
      sdkProbe: false,
    }),
  ],
  [
    'namespace: api_key, grpc_meta and codec.auth from a temporal.toml profile, quoted back by the server and the codec',
    () => ({
      argv: ['--timeout', '1s'],
      env: { TEMPORAL_CONFIG_FILE: profileFile },
      stage: 'namespace',
      sdkProbe: true,
      given: true,
    }),
  ],
  [
    'pass: mTLS with the RSA key inline and an API key',
    () => ({
      argv: [
        '--address',
        mtlsFrontend.address,
        '--tls-ca-path',
        files.ca as string,
        ...inlinePair(rsa),
        '--api-key',
        CANARY.apiKey,
        '--timeout',
        '2s',
      ],
      stage: 'none',
      sdkProbe: true,
    }),
  ],
  [
    'pass: mTLS with the EC key from TEMPORAL_TLS_CLIENT_KEY_DATA',
    () => ({
      argv: ['--address', mtlsFrontend.address, '--timeout', '2s'],
      env: {
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: files.ca as string,
        TEMPORAL_TLS_CLIENT_CERT_PATH: files.ecCert as string,
        TEMPORAL_TLS_CLIENT_KEY_DATA: ec.keyPem,
        TEMPORAL_API_KEY: CANARY.apiKey,
      },
      stage: 'none',
      sdkProbe: true,
    }),
  ],
];

describe('no output carries a secret', () => {
  it.each(SCENARIOS.map(([name, make], i) => [name, make, i] as const))(
    '%s',
    async (_name, make, i) => {
      const scenario = make();
      const seen: string[] = [];
      for (const [f, format] of FORMATS.entries()) {
        const summary = join(dir, `summary-${i}-${f}.md`);
        const base = join(dir, `report-${i}-${f}`);
        const probed = scenario.sdkProbe && PROBED_FORMATS.has(format.join(' '));
        const run = await runCli(
          [...scenario.argv, ...format, ...(probed ? [] : ['--no-sdk-probe']), '--report-file', base],
          {
            env: { ...scenario.env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
          }
        );
        const where = `${format.join(' ')}`;
        const report = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Report;
        expect({
          where,
          exit: run.exitCode,
          root: report.rootCause?.stage ?? 'none',
          ...(report.rootCause && scenario.stage === 'none'
            ? {
                why: `${report.rootCause.check}: ${report.rootCause.message} (${report.stages.flatMap((st) => st.checks).find((c) => c.id === report.rootCause?.check)?.cause?.message ?? ''})`,
              }
            : {}),
          // The warnings for secrets given as flags name the flag only (expectNoSecrets below scans stderr too).
          stderr: run.stderr.split('\n').filter((line) => !line.startsWith('::') && !SECRET_FLAG_WARNING.test(line)),
        }).toEqual({
          where,
          exit: scenario.stage === 'none' ? 0 : 1,
          root: scenario.stage,
          stderr: [expect.stringMatching(/^temporal-doctor: report written to /), ''],
        });
        expectNoSecrets(run.stdout, `${where} stdout`, keys);
        expectNoSecrets(run.stderr, `${where} stderr (annotations)`, keys);
        expectNoSecrets(readFileSync(summary, 'utf8'), `${where} GITHUB_STEP_SUMMARY`, keys);
        expectNoSecrets(readFileSync(`${base}.md`, 'utf8'), `${where} --report-file .md`, keys);
        expectNoSecrets(readFileSync(`${base}.json`, 'utf8'), `${where} --report-file .json`, keys);
        if (probed && scenario.stage !== 'none') expect(report.sdk.length).toBeGreaterThan(0);
        seen.push(run.stdout);
      }
      // The control: where a secret value was given, the runs did show that it was there, redacted.
      const given = [...scenario.argv, ...Object.values(scenario.env ?? {})];
      if (scenario.given || given.some((value) => value.includes(CANARY_PREFIX) || value.includes('PRIVATE KEY-----')))
        expect(seen.join('\n')).toContain('[redacted]');
    },
    60_000
  );
});

describe('what the doctor sends', () => {
  it('never presents the client certificate to a server whose chain it could not verify (every probe, both SDK stacks)', async () => {
    untrusted.handshakes.length = 0;
    for (const pair of [filePair('ec'), inlinePair(rsa)]) {
      const run = await runCli([
        '--address',
        untrusted.address,
        '--tls-ca-path',
        files.ca as string,
        ...pair,
        '--timeout',
        '1s',
        '-o',
        'json',
      ]);
      expect((JSON.parse(run.stdout) as Report).rootCause?.check).toBe('tls.server-chain.untrusted');
    }
    // The inspect probe completes its handshake (verification off), so the server did see connections.
    expect(untrusted.handshakes.length).toBeGreaterThan(0);
    expect(untrusted.handshakes.filter((h) => h.clientCertSubject !== undefined)).toEqual([]);
  }, 30_000);

  it("never presents the client certificate on the doctor's own probes to a server whose name does not match", async () => {
    misnamed.handshakes.length = 0;
    const run = await runCli([
      '--address',
      misnamed.address,
      '--tls-ca-path',
      files.ca as string,
      ...filePair('ec'),
      '--timeout',
      '1s',
      '--no-sdk-probe',
      '-o',
      'json',
    ]);
    expect((JSON.parse(run.stdout) as Report).rootCause?.check).toBe('tls.server-name.mismatch');
    expect(misnamed.handshakes.length).toBeGreaterThan(0);
    expect(misnamed.handshakes.filter((h) => h.clientCertSubject !== undefined)).toEqual([]);
  }, 30_000);

  it('control: the same client certificate is presented to a server it verified', async () => {
    const trusted = await startTlsServer({
      cert: await issueCert(ca, { ipAddresses: ['127.0.0.1'] }),
      requestClientCert: true,
      ca: ca.certPem,
    });
    try {
      await runCli([
        '--address',
        trusted.address,
        '--tls-ca-path',
        files.ca as string,
        ...filePair('ec'),
        '--timeout',
        '1s',
        '--no-sdk-probe',
        '-o',
        'json',
      ]);
      expect(trusted.handshakes.map((h) => h.clientCertSubject)).toContain('canary-ec-client');
    } finally {
      await trusted.close();
    }
  }, 30_000);

  it('never puts the private key, in any encoding, in the bytes it sends (plaintext and TLS, SDK probe on)', async () => {
    const received: Buffer[] = [];
    const recorder: LoopbackServer = await serveLoopback(
      createServer((socket: Socket) => {
        socket.on('data', (chunk: Buffer) => received.push(chunk));
        socket.on('error', () => {});
      })
    );
    try {
      for (const tls of [['--tls=false'], ['--tls', '--tls-ca-path', files.ca as string]]) {
        await runCli(
          [
            '--address',
            recorder.address,
            ...tls,
            ...inlinePair(rsa),
            '--api-key',
            CANARY.apiKey,
            '--timeout',
            '1s',
            '-o',
            'json',
          ],
          {
            env: { TEMPORAL_GRPC_META_X_EC_KEY: 'not-a-secret' },
          }
        );
      }
      const bytes = Buffer.concat(received);
      expect(bytes.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(bytes.indexOf(keyDer(key))).toBe(-1);
        const text = bytes.toString('latin1');
        expect(keyFragments(key).filter((fragment) => text.includes(fragment))).toEqual([]);
      }
    } finally {
      await recorder.close();
    }
  }, 30_000);

  it('sends the Cloud API key to the Cloud Ops API only, never to the namespace endpoint', async () => {
    const before = cloudFrontend.calls.length;
    const calls = opsReads.calls.length;
    await runCli([...cloudTarget(opsReads), '--no-sdk-probe', '-o', 'json'], {
      env: { TEMPORAL_CLOUD_API_KEY: CANARY.cloudApiKey },
    });
    expect(opsReads.calls.slice(calls).map((c) => c.authorizedWithKnownKey)).toEqual([true]);
    const dataPlane = cloudFrontend.calls.slice(before);
    expect(dataPlane.length).toBeGreaterThan(0);
    expect(dataPlane.map((c) => c.metadata.authorization)).toEqual(dataPlane.map(() => 'absent'));
  }, 30_000);

  it('sends the codec auth only as the Authorization header, and no key material, to the codec server', async () => {
    const before = codec.requests.length;
    await runCli([
      '--address',
      refused,
      ...inlinePair(rsa),
      '--codec-endpoint',
      codec.endpoint,
      '--codec-auth',
      CANARY.codecAuth,
      '--timeout',
      '1s',
      '--no-sdk-probe',
      '-o',
      'json',
    ]);
    const requests = codec.requests.slice(before);
    expect(requests.length).toBeGreaterThan(0);
    for (const request of requests) {
      const { authorization, ...others } = request.headers;
      if (authorization !== undefined) expect(authorization).toBe(CANARY.codecAuth);
      expectNoSecrets(JSON.stringify(others), `codec request ${request.method} ${request.path} headers`, keys);
    }
  }, 30_000);
});
