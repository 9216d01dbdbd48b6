// A hostile server that quotes back every credential it was sent (API key, gRPC metadata, the codec token, and what
// it is told to know besides: a proxy password, lines of the private key), in its gRPC status message and in a
// PermissionDeniedFailure.reason detail, whole, the token alone, base64 and URL-encoded. Secrets come from flags, the
// environment and a temporal.toml profile. No output (text, JSON, Markdown, JUnit, both report files, the GitHub
// annotations and job summary, stderr) may carry any of them; the library's report object neither.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnose } from '../../src/index.js';
import { runCli } from '../support/run-cli.js';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startCodecServer, type CodecServer } from '../support/servers/codec.js';

const SECRET = {
  apiKey: 'echoApiKey_9f2c41d7b3',
  meta: 'echoMeta_5b7e20a9c4',
  profileApiKey: 'tomlsecretkey_ZZ9ab',
  profileMeta: 'tomlmetasecret_QQ7',
  codecToken: 'echoCodec_d81f3a6e07',
  proxyPassword: 'proxyPw_c3e9a0417',
  shortApiKey: 'Zq9x7',
  shortMeta: 'Mw3k8',
};

/** Every way a value can travel in text: itself, base64, base64url, URL-encoded (with and without the scheme). */
function forms(value: string): string[] {
  const out = new Set([value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')]);
  out.add(Buffer.from(value).toString('base64').replace(/=+$/, ''));
  out.add(encodeURIComponent(value));
  out.add(encodeURIComponent(`Bearer ${value}`));
  out.add(Buffer.from(`Bearer ${value}`).toString('base64'));
  return [...out];
}

function expectClean(text: string, where: string, values: readonly string[]): void {
  const leaks = values.flatMap((value, i) =>
    forms(value)
      .filter((form) => text.includes(form))
      .map((form) => `value #${i} as ${form === value ? 'itself' : 'an encoded form'} at ${text.indexOf(form)}`)
  );
  expect(leaks.length ? `${where}: ${leaks.join('; ')}` : 'clean').toBe('clean');
}

let dir: string;
let key: Issued;
let onDescribe: TemporalFrontend;
let onSystemInfo: TemporalFrontend;
let codec: CodecServer;
let profileFile: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'echoed-secrets-'));
  key = await issueCert(await createCa(), { commonName: 'echo-client', clientAuth: true, serverAuth: false });
  const keyLines = key.keyPem.split('\n').filter((line) => line && !line.startsWith('-----'));
  const extra = [SECRET.proxyPassword, ...keyLines.slice(0, 2)];
  [onDescribe, onSystemInfo, codec] = await Promise.all([
    startTemporalFrontend({ echoSecrets: { on: 'DescribeNamespace', extra } }),
    startTemporalFrontend({ echoSecrets: { on: 'GetSystemInfo', extra } }),
    startCodecServer({ auth: 'Bearer the-right-one', echoAuthInErrors: 'encoded', cors: false }),
  ]);
  profileFile = join(dir, 'temporal.toml');
  writeFileSync(
    profileFile,
    [
      '[profile.default]',
      `address = "${onDescribe.address}"`,
      `api_key = "${SECRET.profileApiKey}"`,
      '[profile.default.tls]',
      'disabled = true',
      '[profile.default.grpc_meta]',
      `x-tenant-token = "${SECRET.profileMeta}"`,
      '[profile.default.codec]',
      `endpoint = "${codec.endpoint}"`,
      `auth = "Bearer ${SECRET.codecToken}"`,
    ].join('\n')
  );
});

afterAll(async () => {
  await Promise.all([onDescribe.close(), onSystemInfo.close(), codec.close()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Scenario {
  argv: () => string[];
  env?: () => Record<string, string>;
  stage: string;
  secrets: string[];
  /** The run was given the private key, so the key lines the server quotes must be scrubbed too. */
  keyGiven?: boolean;
}

const SCENARIOS: Array<[string, Scenario]> = [
  [
    'namespace stage: API key and metadata from flags, proxy password from HTTPS_PROXY',
    {
      argv: () => [
        '--address',
        onDescribe.address,
        '--tls=false',
        '--api-key',
        SECRET.apiKey,
        '--grpc-meta',
        `x-tenant=${SECRET.meta}`,
      ],
      env: () => ({ HTTPS_PROXY: `http://user:${SECRET.proxyPassword}@127.0.0.1:9` }),
      stage: 'namespace',
      secrets: [SECRET.apiKey, SECRET.meta, SECRET.proxyPassword],
    },
  ],
  [
    'namespace stage and codec: api_key, grpc_meta and codec.auth from a temporal.toml profile',
    {
      argv: () => [],
      env: () => ({ TEMPORAL_CONFIG_FILE: profileFile }),
      stage: 'namespace',
      secrets: [SECRET.profileApiKey, SECRET.profileMeta, SECRET.codecToken],
    },
  ],
  [
    'grpc stage: metadata from TEMPORAL_GRPC_META_*, an inline private key',
    {
      argv: () => ['--address', onSystemInfo.address, '--tls=false', '--tls-key-data', key.keyPem],
      env: () => ({ TEMPORAL_GRPC_META_X_TENANT: SECRET.meta, TEMPORAL_API_KEY: SECRET.apiKey }),
      stage: 'grpc',
      secrets: [SECRET.meta, SECRET.apiKey],
      keyGiven: true,
    },
  ],
  [
    'grpc stage: five-character API key and metadata value (the short-value rule)',
    {
      argv: () => [
        '--address',
        onSystemInfo.address,
        '--tls=false',
        '--api-key',
        SECRET.shortApiKey,
        '--grpc-meta',
        `x-t=${SECRET.shortMeta}`,
      ],
      stage: 'grpc',
      secrets: [SECRET.shortApiKey, SECRET.shortMeta],
    },
  ],
];

const FORMATS = [
  ['-o', 'text', '-v'],
  ['-o', 'json'],
  ['-o', 'markdown'],
  ['-o', 'junit'],
];

describe('a server that echoes every credential', () => {
  it.each(SCENARIOS)(
    '%s',
    async (_name, scenario) => {
      const keyLines = key.keyPem.split('\n').filter((line) => line.length >= 16 && !line.startsWith('-----'));
      for (const [f, format] of FORMATS.entries()) {
        const summary = join(dir, `summary-${f}.md`);
        const base = join(dir, `report-${f}`);
        writeFileSync(summary, '');
        const run = await runCli([...scenario.argv(), ...format, '--no-sdk-probe', '--report-file', base], {
          env: { ...scenario.env?.(), GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
        });
        const where = format.join(' ');
        const report = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { rootCause?: { stage: string } };
        expect({ where, stage: report.rootCause?.stage }).toEqual({ where, stage: scenario.stage });
        const sinks = {
          stdout: run.stdout,
          stderr: run.stderr,
          summary: readFileSync(summary, 'utf8'),
          'report .md': readFileSync(`${base}.md`, 'utf8'),
          'report .json': readFileSync(`${base}.json`, 'utf8'),
        };
        for (const [sink, text] of Object.entries(sinks)) {
          expectClean(text, `${where} ${sink}`, scenario.secrets);
          for (const line of scenario.keyGiven ? keyLines : [])
            expect(text.includes(line) ? `${where} ${sink}: key line` : 'clean').toBe('clean');
        }
        // The control: the server's text did reach the report, with the values replaced.
        expect(sinks['report .json']).toContain('denied');
        expect(sinks['report .json']).toContain('[redacted]');
      }
    },
    60_000
  );

  it("scrubs the library's report object itself, and its renderers", async () => {
    const report = await diagnose({
      address: onDescribe.address,
      tls: false,
      apiKey: SECRET.apiKey,
      grpcMeta: [`x-tenant=${SECRET.meta}`],
      sdkProbe: false,
      env: { TEMPORAL_CONFIG_FILE: profileFile },
    });
    expect(report.rootCause?.stage).toBe('namespace');
    const text = JSON.stringify(report);
    expect(text).toContain('denied');
    expectClean(text, 'report object', [SECRET.apiKey, SECRET.meta, SECRET.profileApiKey, SECRET.profileMeta]);
    const { renderText, renderMarkdown, renderJunit, renderGithubAnnotations } = await import('../../src/index.js');
    for (const out of [
      renderText(report, { verbose: true }),
      renderMarkdown(report),
      renderJunit(report),
      renderGithubAnnotations(report),
    ]) {
      expectClean(out, 'library renderer', [SECRET.apiKey, SECRET.meta]);
    }
  }, 30_000);

  it('a codec server that quotes the token alone, base64 and URL-encoded (flag)', async () => {
    const run = await runCli(
      [
        '--only',
        'codec',
        '--codec-endpoint',
        codec.endpoint,
        '--codec-auth',
        `Bearer ${SECRET.codecToken}`,
        '-v',
        '--no-sdk-probe',
      ],
      { env: {} }
    );
    expect(run.stdout).toContain('codec.decode.auth-rejected');
    expect(run.stdout).toMatch(/token=\[redacted\]/);
    expectClean(run.stdout + run.stderr, 'codec', [SECRET.codecToken]);
  }, 30_000);
});

describe('explain', () => {
  it('does not echo a short token from the environment or the profile, nor a token= pair', async () => {
    const paste = `Metadata string value "Bearer ${SECRET.shortApiKey}" contains illegal characters token=rawtokenvalue123 key ${SECRET.profileApiKey}`;
    for (const format of ['text', 'json', 'markdown']) {
      const run = await runCli(['explain', paste, '-o', format], {
        env: { TEMPORAL_GRPC_META_X_TENANT: SECRET.shortApiKey, TEMPORAL_CONFIG_FILE: profileFile },
      });
      expect(run.stdout).toContain('[redacted]');
      expectClean(run.stdout + run.stderr, `explain -o ${format}`, [
        SECRET.shortApiKey,
        SECRET.profileApiKey,
        'rawtokenvalue123',
      ]);
    }
  });
});
