// Property tests over the input a broken setup hands the doctor: damaged PEM, paths that are not files, addresses in
// every form, broken temporal.toml and any mix of TEMPORAL_* variables. Whatever comes in, the run ends with a report
// (or a usage error) and exit code 0, 1 or 2: never an unhandled exception, never a crash check, never a hang.
// The network stages stay out of the loops (--only config,pem,endpoint, or a refused loopback port), so this is fast.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Report } from '../../src/report/model.js';
import { SETTINGS } from '../../src/config/settings.js';
import { createCa, createTestPki, issueCert, type Issued, type TestPki } from '../support/pki.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { refusedPort } from '../support/servers/hostile.js';

const OFFLINE = ['--only', 'config,pem,endpoint', '--no-sdk-probe', '-o', 'json'];
/** Per case: a run that takes longer than this is treated as a hang (offline stages take milliseconds). */
const CASE_LIMIT_MS = 5000;
const STACK_FRAME = /^\s+at .+\(.+:\d+:\d+\)/m;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

let dir: string;
let pki: TestPki;
let rsa: Issued;
let counter = 0;
let refused: number;

/** Every good PEM the mutations start from. */
let goodPems: Array<{ name: string; text: string }>;
/** Paths that are not (usable) files. */
let badPaths: Record<string, string>;

function freshFile(content: string | Uint8Array): string {
  const path = join(dir, `f${counter++}`);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fuzz-input-'));
  pki = await createTestPki();
  rsa = await issueCert(await createCa({ keyType: 'rsa' }), {
    commonName: 'rsa-client',
    keyType: 'rsa',
    clientAuth: true,
    serverAuth: false,
  });
  goodPems = [
    { name: 'client cert', text: pki.client.certPem },
    { name: 'client key (EC)', text: pki.client.keyPem },
    { name: 'CA cert', text: pki.ca.certPem },
    { name: 'RSA key', text: rsa.keyPem },
    { name: 'RSA cert', text: rsa.certPem },
    { name: 'cert + key', text: pki.client.certPem + pki.client.keyPem },
  ];
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const unreadable = freshFile(pki.client.certPem);
  chmodSync(unreadable, 0o000);
  const folder = join(dir, 'a-directory');
  mkdirSync(folder);
  badPaths = {
    directory: folder,
    fifo,
    'dev-zero': '/dev/zero',
    'dev-urandom': '/dev/urandom',
    'dev-null': '/dev/null',
    unreadable,
    missing: join(dir, 'does-not-exist.pem'),
    'inside a file': join(unreadable, 'child.pem'),
    huge: freshFile(Buffer.alloc(2 * 1024 * 1024, pki.client.certPem)),
    empty: freshFile(''),
    'unicode name': join(dir, 'сертификат ✓ \u202e.pem'),
    'newline in name': join(dir, 'line\nbreak.pem'),
  };
  writeFileSync(badPaths['unicode name'] as string, pki.client.certPem);
  refused = await refusedPort();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI, failing the case if it does not finish in time (a blocked read or a lost promise). */
async function runBounded(argv: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no result within ${CASE_LIMIT_MS} ms: ${JSON.stringify(argv).slice(0, 300)}`)),
      CASE_LIMIT_MS
    );
  });
  try {
    return await Promise.race([runCli(argv, { env }), hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** The property every case must hold: a report or a usage error, a matching exit code, no crash anywhere. */
function expectHandled(result: CliResult, format: 'json' | 'text' = 'json'): Report | undefined {
  expect([0, 1, 2]).toContain(result.exitCode);
  expect(STACK_FRAME.test(result.stdout) || STACK_FRAME.test(result.stderr)).toBe(false);
  if (result.exitCode === 2) {
    // A usage error: one line saying so, no report.
    expect(result.stderr).toMatch(/^temporal-doctor: /);
    expect(result.stderr).not.toContain('unexpected error');
    return undefined;
  }
  if (format === 'text') return undefined;
  const report = JSON.parse(result.stdout) as Report;
  const broken = report.stages
    .flatMap((s) => s.checks)
    .filter((c) => c.id.endsWith('.crashed') || c.id.endsWith('.deadline'));
  expect(broken.map((c) => `${c.id}: ${c.cause?.message ?? c.message}`)).toEqual([]);
  expect(result.exitCode).toBe(report.status === 'fail' ? 1 : 0);
  for (const check of report.stages.flatMap((s) => s.checks)) {
    expect(check.message.length).toBeGreaterThan(0);
    if (check.status === 'fail' || check.status === 'warn') expect(check.fix ?? '').not.toBe('');
  }
  return report;
}

// ---- PEM contents ----------------------------------------------------------------------------------------------

type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'random'; bytes: Uint8Array }
  | { kind: 'huge' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.oneof(
        fc.constantFrom(' ', '\t', '\r\n', '\\n', '\n\n', '\u0000', '\ufeff', '-----END CERTIFICATE-----\n', '\u202e'),
        fc.string({ maxLength: 8 })
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 4096 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'huge' as const }) }
);

function mutate(pem: string, mutations: Mutation[]): Buffer {
  let bytes = Buffer.from(pem);
  for (const m of mutations) {
    const at = (n: number): number => (bytes.length === 0 ? 0 : n % bytes.length);
    switch (m.kind) {
      case 'flip':
        if (bytes.length > 0) bytes[at(m.at)] = (bytes[at(m.at)] as number) ^ m.mask;
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at(m.at));
        break;
      case 'delete-line': {
        const lines = bytes.toString('latin1').split('\n');
        lines.splice(m.line % Math.max(1, lines.length), 1);
        bytes = Buffer.from(lines.join('\n'), 'latin1');
        break;
      }
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at(m.at)), Buffer.from(m.text), bytes.subarray(at(m.at))]);
        break;
      case 'random':
        bytes = Buffer.from(m.bytes);
        break;
      case 'huge':
        bytes = Buffer.concat([bytes, Buffer.alloc(2 * 1024 * 1024, 'QUFB')]);
        break;
    }
  }
  return bytes;
}

const PEM_SLOTS = [
  { path: '--tls-cert-path', env: 'TEMPORAL_TLS_CLIENT_CERT_DATA' },
  { path: '--tls-key-path', env: 'TEMPORAL_TLS_CLIENT_KEY_DATA' },
  { path: '--tls-ca-path', env: 'TEMPORAL_TLS_SERVER_CA_CERT_DATA' },
] as const;

describe('damaged PEM material', () => {
  it('always yields a pem verdict, as a file or inline', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(0, 1, 2),
        fc.boolean(),
        fc.boolean(),
        async (pemIndex, mutations, slotIndex, inline, withPair) => {
          const good = goodPems[pemIndex % goodPems.length] as { text: string };
          const damaged = mutate(good.text, mutations);
          const slot = PEM_SLOTS[slotIndex] as (typeof PEM_SLOTS)[number];
          // The other half of the client pair, intact, so the pair checks run too.
          const pair =
            withPair && slotIndex < 2
              ? [
                  slotIndex === 0 ? '--tls-key-path' : '--tls-cert-path',
                  freshFile(slotIndex === 0 ? pki.client.keyPem : pki.client.certPem),
                ]
              : [];
          const argv = ['--address', `127.0.0.1:${refused}`, ...pair, ...OFFLINE];
          const result = inline
            ? await runBounded(argv, { [slot.env]: damaged.toString('latin1').replace(/\u0000/g, '') })
            : await runBounded([...argv, slot.path, freshFile(damaged)]);
          const report = expectHandled(result);
          expect(report?.stages.find((s) => s.id === 'pem')?.checks.length).toBeGreaterThan(0);
        }
      ),
      { numRuns: 300, seed: SEED }
    );
  }, 60_000);

  it.each(PEM_SLOTS.map((slot) => [slot.env] as const))(
    'judges 2 MiB of one-line base64 after a broken block in %s without stalling',
    async (name) => {
      const broken = (pki.client.certPem + pki.client.keyPem).replace('-----END CERTIFICATE-----\n', '');
      const started = performance.now();
      const report = expectHandled(await runBounded(OFFLINE, { [name]: broken + 'QUFB'.repeat(512 * 1024) }));
      expect(report?.stages.find((s) => s.id === 'pem')?.status).toBe('fail');
      expect(performance.now() - started).toBeLessThan(2000);
    }
  );
});

// ---- paths that are not PEM files -------------------------------------------------------------------------------

describe('paths that are not files', () => {
  const slots = ['--tls-cert-path', '--tls-key-path', '--tls-ca-path', '--config-file'];

  it('reports a directory, FIFO, device, unreadable or huge file without blocking on it', async () => {
    const kinds = Object.keys(badPaths);
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(slots, { minLength: 1 }),
        fc.array(fc.constantFrom(...kinds), { minLength: 4, maxLength: 4 }),
        async (used, picks) => {
          const argv = used.flatMap((flag, i) => [flag, badPaths[picks[i] as string] as string]);
          const report = expectHandled(await runBounded(['--address', `127.0.0.1:${refused}`, ...argv, ...OFFLINE]));
          // None of these makes a usable PEM setup (a readable client certificate alone is half a pair, and in the CA
          // slot a leaf); running as root, chmod 000 is not enforced and the file is read and judged like that.
          if (used.some((flag) => flag !== '--config-file')) expect(report?.status).toBe('fail');
        }
      ),
      { numRuns: 120, seed: SEED }
    );
  }, 60_000);

  it('reports a FIFO, a device and a directory as --config-file of a fleet run, without reading them', async () => {
    for (const kind of ['fifo', 'dev-zero', 'dev-urandom', 'directory', 'huge']) {
      const result = await runBounded(['--all-profiles', '--config-file', badPaths[kind] as string, ...OFFLINE]);
      expect({ kind, exit: result.exitCode }).toEqual({ kind, exit: 2 });
      expect(result.stderr).toMatch(/^temporal-doctor: --all-profiles: cannot read profiles from .*: it is /);
    }
  });
});

// ---- addresses --------------------------------------------------------------------------------------------------

const hostArb = fc.oneof(
  fc.domain(),
  fc.ipV4(),
  fc.ipV6(),
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    'localhost',
    'xn--nxasmq6b.example',
    'пример.рф',
    'ex ample.com',
    '::1',
    '[::1',
    '::1]',
    '[fe80::1%eth0]',
    '0x7f.1',
    '127.1',
    ''
  )
);
const portArb = fc.oneof(
  fc.integer({ min: -5, max: 70_000 }).map(String),
  fc.constantFrom('', '7233', '07233', '+7233', '7233 ', '٧٢٣٣', 'http', '1e3', '0x1c31'),
  fc.string({ maxLength: 6 })
);
const addressArb = fc
  .tuple(
    fc.constantFrom('', '', '', 'http://', 'https://', 'grpc://', 'dns:///', 'unix:', 'HTTPS://', '//'),
    hostArb,
    fc.option(portArb),
    fc.constantFrom('', '', '', '/', '/namespaces/default', '?x=1', '#frag'),
    fc.constantFrom('', '', ' ', '\n', '\t', '\r\n', '\u0000', '\u001b[31m', '\u200b')
  )
  .map(([scheme, host, port, tail, pad]) => `${pad}${scheme}${host}${port === null ? '' : `:${port}`}${tail}${pad}`);

describe('addresses', () => {
  it('judges any address offline, given as a flag or TEMPORAL_ADDRESS', async () => {
    await fc.assert(
      fc.asyncProperty(addressArb, fc.boolean(), async (address, fromEnv) => {
        const result = fromEnv
          ? await runBounded(OFFLINE, { TEMPORAL_ADDRESS: address })
          : await runBounded([`--address=${address}`, ...OFFLINE]);
        const report = expectHandled(result);
        if (report) expect(report.stages.find((s) => s.id === 'endpoint')?.status).not.toBe('skip');
      }),
      { numRuns: 250, seed: SEED }
    );
  }, 60_000);

  it('runs every stage against a refused loopback port whatever decorates the address', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('127.0.0.1', 'localhost', '[::1]', '127.1', '[::ffff:127.0.0.1]'),
        fc.constantFrom('', ' ', '\n', 'http://', 'https://'),
        fc.constantFrom('', '/', '\t'),
        fc.constantFrom('text', 'json', 'markdown', 'junit'),
        async (host, before, after, output) => {
          const result = await runBounded([
            `--address=${before}${host}:${refused}${after}`,
            '--timeout',
            '300ms',
            '--no-sdk-probe',
            '-o',
            output,
          ]);
          expectHandled(result, output === 'json' ? 'json' : 'text');
          expect(result.exitCode).toBe(1);
        }
      ),
      { numRuns: 40, seed: SEED }
    );
  }, 60_000);
});

// ---- temporal.toml ----------------------------------------------------------------------------------------------

const tomlKeyArb = fc.oneof(
  fc.constantFrom(
    'address',
    'namespace',
    'api_key',
    'tls',
    'codec',
    'grpc_meta',
    'addres',
    'client_cert_path',
    'disabled',
    'server_name'
  ),
  fc.string({ minLength: 1, maxLength: 10 })
);
const tomlValueArb = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.constantFrom(
    'true',
    'false',
    '[]',
    '{}',
    '"',
    "'''",
    '[1, "a"]',
    '{ path = "/x" }',
    '1979-05-27T07:32:00Z',
    'inf',
    'nan',
    ''
  )
);
const tomlTextArb = fc.oneof(
  // Structured: profile tables with random keys and values, some nested.
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('default', 'prod', 'a b', 'prod.tls', 'default.codec', 'default.grpc_meta'),
          fc.string({ maxLength: 8 })
        ),
        fc.array(fc.tuple(tomlKeyArb, tomlValueArb), { maxLength: 5 })
      ),
      { maxLength: 4 }
    )
    .map((tables) =>
      tables
        .map(([name, entries]) => `[profile.${name}]\n${entries.map(([k, v]) => `${k} = ${v}`).join('\n')}`)
        .join('\n\n')
    ),
  // Anything at all.
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom(
    '[profile',
    '[[profile.default]]',
    'profile = 1',
    '[profile.default]\naddress = "a"\naddress = "b"',
    '\ufeff[profile.default]'
  )
);

describe('temporal.toml', () => {
  it('reads any file text under any profile name, single and fleet runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        tomlTextArb,
        fc.option(fc.oneof(fc.constantFrom('default', 'prod', 'missing'), fc.string({ maxLength: 8 }))),
        fc.boolean(),
        fc.boolean(),
        async (text, profile, fromEnv, fleet) => {
          const file = freshFile(text);
          const env = fromEnv
            ? { TEMPORAL_CONFIG_FILE: file, ...(profile !== null ? { TEMPORAL_PROFILE: profile } : {}) }
            : {};
          const flags = fromEnv
            ? []
            : ['--config-file', file, ...(profile !== null && !fleet ? [`--profile=${profile}`] : [])];
          const result = await runBounded([...flags, ...(fleet ? ['--all-profiles'] : []), ...OFFLINE], env);
          if (fleet) {
            expect([0, 1, 2]).toContain(result.exitCode);
            expect(STACK_FRAME.test(result.stderr)).toBe(false);
            if (result.exitCode !== 2) {
              const fleetReport = JSON.parse(result.stdout) as { reports: Report[] };
              expect(
                fleetReport.reports
                  .flatMap((r) => r.stages.flatMap((s) => s.checks.map((c) => c.id)))
                  .filter((id) => id.endsWith('.crashed'))
              ).toEqual([]);
            }
            return;
          }
          const report = expectHandled(result);
          if (report) expect(report.stages.find((s) => s.id === 'config')?.checks.length).toBeGreaterThan(0);
        }
      ),
      { numRuns: 200, seed: SEED }
    );
  }, 60_000);
});

// ---- TEMPORAL_* environment -------------------------------------------------------------------------------------

describe('environment variables', () => {
  const names = [
    ...SETTINGS.flatMap((spec) => spec.env),
    'TEMPORAL_GRPC_META_AUTHORIZATION',
    'TEMPORAL_GRPC_META_X_TENANT',
    'TEMPORAL_GRPC_META_',
    'TEMPORAL_HOST',
    'TEMPORAL_CLI_ADDRESS',
    'TEMPORAL_TLS_CERT_PATH',
    'TEMPORAL_APIKEY',
  ];

  it('resolves any combination of TEMPORAL_* variables and values', async () => {
    const valueArb = fc.oneof(
      fc.constantFrom(
        '',
        ' ',
        'true',
        'false',
        '1',
        '0',
        'TRUE',
        'yes',
        'localhost:7233',
        `127.0.0.1:7233`,
        'default',
        'Bearer x',
        'a=b'
      ),
      fc.constantFrom('cert', 'key', 'ca', 'missing', 'dir').map((kind) => `@${kind}`),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 })
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...names), valueArb, { maxKeys: 8 }), async (picked) => {
        const paths: Record<string, string> = {
          '@cert': freshFile(pki.client.certPem),
          '@key': freshFile(pki.client.keyPem),
          '@ca': freshFile(pki.ca.certPem),
          '@missing': join(dir, 'nope.pem'),
          '@dir': dir,
        };
        const env = Object.fromEntries(
          Object.entries(picked).map(([name, value]) => [
            name,
            Object.hasOwn(paths, value) ? (paths[value] as string) : value,
          ])
        );
        // Keep the profile file out of it unless the case names one.
        const report = expectHandled(
          await runBounded(OFFLINE, { TEMPORAL_CONFIG_FILE: join(dir, 'no-such.toml'), ...env })
        );
        if (report) expect(report.stages[0]?.id).toBe('config');
      }),
      { numRuns: 250, seed: SEED }
    );
  }, 60_000);
});
