import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, encryptKeyPem, issueCert, type Issued } from '../support/pki.js';
import { findCheck, runCli, runJson } from '../support/run-cli.js';

const DAY = 86_400_000;
const YEAR_AHEAD = new Date(Date.now() + 365 * DAY);

let dir: string;
let ca: Issued;
let client: Issued;
let other: Issued;
let server: Issued;
const files: Record<string, string> = {};

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  files[name] = path;
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pem-integration-'));
  ca = await createCa({ notAfter: YEAR_AHEAD });
  [client, other, server] = await Promise.all([
    issueCert(ca, { commonName: 'test-client', clientAuth: true, serverAuth: false, notAfter: YEAR_AHEAD }),
    issueCert(ca, { commonName: 'other-client', clientAuth: true, serverAuth: false, notAfter: YEAR_AHEAD }),
    issueCert(ca, { commonName: 'localhost', dnsNames: ['localhost'], notAfter: YEAR_AHEAD }),
  ]);
  write('client.pem', client.certPem);
  write('client.key', client.keyPem);
  write('other.key', other.keyPem);
  write('ca.pem', ca.certPem);
  write('ca.key', ca.keyPem);
  write('server.pem', server.certPem);
  write('encrypted.key', encryptKeyPem(client.keyPem, 'passphrase'));
  const expired = await issueCert(ca, {
    commonName: 'expired-client',
    notBefore: new Date(Date.now() - 90 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  write('expired.pem', expired.certPem);
  write('expired.key', expired.keyPem);
  write('crlf.pem', client.certPem.replace(/\n/g, '\r\n'));
  execFileSync('mkfifo', [join(dir, 'fifo.pem')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mtls = (extra: Record<string, string> = {}) => ({
  TEMPORAL_TLS_CLIENT_CERT_PATH: files['client.pem'] as string,
  TEMPORAL_TLS_CLIENT_KEY_PATH: files['client.key'] as string,
  ...extra,
});
const literalNewlines = (pem: string) => pem.trim().replace(/\n/g, '\\n');

describe('pem stage through the CLI', () => {
  it('names both settings when the client cert and key paths are swapped', async () => {
    const keyFile = files['client.key'] as string;
    const certFile = files['client.pem'] as string;
    const { report, exitCode } = await runJson([], {
      env: { TEMPORAL_CLIENT_CERT_PATH: keyFile, TEMPORAL_CLIENT_KEY_PATH: certFile },
    });
    expect(exitCode).toBe(1);
    expect(report.rootCause?.stage).toBe('pem');
    expect(report.rootCause?.check).toBe('pem.client-cert.swapped');
    for (const text of [report.rootCause?.message, report.rootCause?.fix]) {
      expect(text).toContain('TEMPORAL_CLIENT_CERT_PATH');
      expect(text).toContain('TEMPORAL_CLIENT_KEY_PATH');
    }
  });

  it('says so when the client certificate has literal \\n sequences', async () => {
    const env = {
      TEMPORAL_TLS_CLIENT_CERT_DATA: literalNewlines(client.certPem),
      TEMPORAL_TLS_CLIENT_KEY_PATH: files['client.key'] as string,
    };
    const { report, exitCode } = await runJson(['--only', 'pem'], { env });
    expect(exitCode).toBe(1);
    expect(report.rootCause).toMatchObject({ stage: 'pem', check: 'pem.client-cert.literal-newlines' });
    expect(report.rootCause?.message).toContain('literal \\n');
    expect(report.rootCause?.fix).toContain('TEMPORAL_TLS_CLIENT_CERT_DATA');
    const evidence = findCheck(report, 'pem.client-cert.literal-newlines')?.evidence;
    expect(evidence).toContainEqual({
      label: 'after repair',
      value: 'replaced literal \\n with newlines: parses as a certificate (CN=test-client)',
    });
  });

  it('passes good mTLS material and a CA, with certificate evidence', async () => {
    const { report, exitCode } = await runJson(['--only', 'pem'], {
      env: mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: files['ca.pem'] as string }),
    });
    expect(exitCode).toBe(0);
    const pem = report.stages.find((s) => s.id === 'pem');
    expect(pem?.status).toBe('pass');
    expect(pem?.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'pem.client-cert.parsed:pass',
      'pem.client-key.parsed:pass',
      'pem.server-ca.parsed:pass',
      'pem.client-key.matches-cert:pass',
    ]);
    const parsed = findCheck(report, 'pem.client-cert.parsed');
    expect(parsed?.evidence.map((e) => e.label)).toEqual([
      'setting',
      'from',
      'subject',
      'SANs',
      'issuer',
      'valid from',
      'valid to',
      'SHA-256',
    ]);
    expect(parsed?.evidence).toContainEqual({ label: 'SHA-256', value: client.cert.fingerprint256 });
    expect(findCheck(report, 'pem.client-key.parsed')?.message).toBe('Client key is EC prime256v1 (PKCS#8)');
  });

  it('skips with facts when TLS is off', async () => {
    const { report } = await runJson(['--only', 'pem'], { env: {} });
    expect(findCheck(report, 'pem.material.none')?.status).toBe('skip');
    expect(report.rootCause).toBeNull();
  });

  it('skips when TLS is on with no material (API key with the default trust store)', async () => {
    const { report } = await runJson(['--only', 'pem'], { env: { TEMPORAL_API_KEY: 'k' } });
    expect(findCheck(report, 'pem.material.none')?.message).toContain('default trust store');
  });

  it.each<[string, () => Record<string, string>, string, string[]]>([
    [
      'a key that belongs to another certificate',
      () => mtls({ TEMPORAL_TLS_CLIENT_KEY_PATH: files['other.key'] as string }),
      'pem.client-key.matches-cert',
      ['TEMPORAL_TLS_CLIENT_KEY_PATH', 'TEMPORAL_TLS_CLIENT_CERT_PATH'],
    ],
    [
      'an encrypted key',
      () => mtls({ TEMPORAL_TLS_CLIENT_KEY_PATH: files['encrypted.key'] as string }),
      'pem.client-key.encrypted',
      ['TEMPORAL_TLS_CLIENT_KEY_PATH'],
    ],
    [
      'a missing file',
      () => mtls({ TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'nope.pem') }),
      'pem.client-cert.unreadable',
      ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'does not exist'],
    ],
    [
      'a directory',
      () => mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: dir }),
      'pem.server-ca.unreadable',
      ['TEMPORAL_TLS_SERVER_CA_CERT_PATH', 'is a directory'],
    ],
    [
      'a FIFO, without hanging',
      () => mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: join(dir, 'fifo.pem') }),
      'pem.server-ca.unreadable',
      ['not a regular file'],
    ],
    [
      'the server leaf given as CA',
      () => mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: files['server.pem'] as string }),
      'pem.server-ca.not-a-ca',
      ['CN=localhost', 'CN=Test CA'],
    ],
    [
      'the CA key given as CA',
      () => mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: files['ca.key'] as string }),
      'pem.server-ca.wrong-type',
      ['holds a private key', 'ca.key'],
    ],
    [
      'an expired client certificate',
      () =>
        mtls({
          TEMPORAL_TLS_CLIENT_CERT_PATH: files['expired.pem'] as string,
          TEMPORAL_TLS_CLIENT_KEY_PATH: files['expired.key'] as string,
        }),
      'pem.client-cert.expired',
      ['expired'],
    ],
    [
      'base64 of a PEM as data',
      () => ({ TEMPORAL_TLS_SERVER_CA_CERT_DATA: Buffer.from(ca.certPem).toString('base64') }),
      'pem.server-ca.base64-encoded',
      ['base64'],
    ],
    [
      'a path as data',
      () => ({ TEMPORAL_TLS_SERVER_CA_CERT_DATA: files['ca.pem'] as string }),
      'pem.server-ca.path-as-data',
      ['TEMPORAL_TLS_SERVER_CA_CERT_PATH'],
    ],
    [
      'an indented key',
      () =>
        mtls({ TEMPORAL_TLS_CLIENT_KEY_DATA: client.keyPem.replace(/^/gm, '  '), TEMPORAL_TLS_CLIENT_KEY_PATH: '' }),
      'pem.client-key.indented',
      ['TEMPORAL_TLS_CLIENT_KEY_DATA'],
    ],
  ])('fails on %s', async (_name, env, checkId, mentions) => {
    const { report, exitCode } = await runJson(['--only', 'pem'], { env: env() });
    expect(exitCode).toBe(1);
    expect(report.rootCause).toMatchObject({ stage: 'pem', check: checkId });
    const text = `${report.rootCause?.message} ${report.rootCause?.fix}`;
    for (const mention of mentions) expect(text).toContain(mention);
  });

  it('accepts CRLF line endings with a note', async () => {
    const { report } = await runJson(['--only', 'pem'], {
      env: mtls({ TEMPORAL_TLS_CLIENT_CERT_PATH: files['crlf.pem'] as string }),
    });
    expect(findCheck(report, 'pem.client-cert.crlf')?.status).toBe('pass');
    expect(report.rootCause).toBeNull();
  });
});

describe('pem stage never shows private key material', () => {
  const keyBodyLines = () =>
    [client.keyPem, other.keyPem, ca.keyPem].flatMap((pem) =>
      pem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'))
    );

  const scenarios: Array<[string, () => Record<string, string>]> = [
    [
      'swapped',
      () => ({
        TEMPORAL_CLIENT_CERT_PATH: files['client.key'] as string,
        TEMPORAL_CLIENT_KEY_PATH: files['client.pem'] as string,
      }),
    ],
    [
      'key with literal \\n in the key slot',
      () => mtls({ TEMPORAL_TLS_CLIENT_KEY_DATA: literalNewlines(client.keyPem), TEMPORAL_TLS_CLIENT_KEY_PATH: '' }),
    ],
    [
      'key with literal \\n in the cert slot',
      () => ({
        TEMPORAL_TLS_CLIENT_CERT_DATA: literalNewlines(client.keyPem),
        TEMPORAL_TLS_CLIENT_KEY_PATH: files['client.key'] as string,
      }),
    ],
    [
      'key squashed onto one line',
      () => mtls({ TEMPORAL_TLS_CLIENT_KEY_DATA: client.keyPem.replace(/\n/g, ' '), TEMPORAL_TLS_CLIENT_KEY_PATH: '' }),
    ],
    [
      'key as base64',
      () =>
        mtls({
          TEMPORAL_TLS_CLIENT_KEY_DATA: Buffer.from(client.keyPem).toString('base64'),
          TEMPORAL_TLS_CLIENT_KEY_PATH: '',
        }),
    ],
    [
      'bare key body',
      () =>
        mtls({ TEMPORAL_TLS_CLIENT_KEY_DATA: keyBodyLines().slice(0, 3).join(''), TEMPORAL_TLS_CLIENT_KEY_PATH: '' }),
    ],
    ['CA key in the CA slot', () => mtls({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: files['ca.key'] as string })],
    ['mismatched key', () => mtls({ TEMPORAL_TLS_CLIENT_KEY_PATH: files['other.key'] as string })],
    [
      'key data with its cert',
      () => mtls({ TEMPORAL_TLS_CLIENT_KEY_DATA: client.certPem + client.keyPem, TEMPORAL_TLS_CLIENT_KEY_PATH: '' }),
    ],
    [
      'key data given both ways',
      () => ({
        TEMPORAL_TLS_CLIENT_KEY_DATA: client.keyPem,
        TEMPORAL_TLS_CLIENT_KEY_PATH: files['client.key'] as string,
      }),
    ],
  ];

  it.each(scenarios)('in text or JSON output: %s', async (_name, env) => {
    const outputs = [
      (await runCli(['--only', 'pem', '-v'], { env: env() })).stdout,
      (await runCli(['--only', 'pem', '-o', 'json'], { env: env() })).stdout,
    ];
    for (const output of outputs) {
      expect(output.length).toBeGreaterThan(100);
      expect(output).not.toMatch(/PRIVATE KEY-----\s*[A-Za-z0-9+/]{16}/);
      for (const line of keyBodyLines()) expect(output).not.toContain(line);
      expect(output).not.toContain(Buffer.from(client.keyPem).toString('base64').slice(0, 40));
    }
  });
});
