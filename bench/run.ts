// Benchmark: the doctor against the SDK's own connect, measured in the same run on loopback servers.
// Reports medians and ratios; never asserts (timings belong here, not in tests).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTemporalFrontend } from '../test/support/servers/temporal-frontend.js';
import { startSilentServer, refusedPort } from '../test/support/servers/hostile.js';
import { createTestPki, createCa, issueCert } from '../test/support/pki.js';
import { startNginx } from '../test/support/thirdparty/nginx.js';
import { startHaproxy } from '../test/support/thirdparty/haproxy.js';
import { startOpensslServer } from '../test/support/thirdparty/openssl-server.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DOCTOR = join(ROOT, 'bin', 'temporal-doctor.js');
const SDK_SCRIPT = join(ROOT, 'bench', 'sdk-connect.mjs');
const GNU_TIME = '/usr/bin/time';
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** `BENCH_ONLY=f` runs section (f) alone; `BENCH_DEBUG=1` prints each (f) run's SDK outcomes and report duration. */
const ONLY = process.env.BENCH_ONLY;
const DEBUG = process.env.BENCH_DEBUG === '1';

interface Sample {
  ms: number;
  rssKb?: number;
  exitCode: number | null;
}

// The same hermetic environment for both sides: no TEMPORAL_* or trust/proxy variables from this machine.
const ENV: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith('TEMPORAL_') && !/proxy|SSL_CERT|NODE_EXTRA_CA|GRPC_DEFAULT|RUST_BACKTRACE/i.test(k)
  )
);
ENV.NO_COLOR = '1';
ENV.HOME = mkdtempSync(join(tmpdir(), 'doctor-bench-home-'));

function measure(args: string[], timeoutMs = 60_000, onStdout?: (text: string) => void): Promise<Sample> {
  const useTime = existsSync(GNU_TIME);
  const [cmd, argv] = useTime ? [GNU_TIME, ['-f', 'RSSKB=%M', process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolvePromise) => {
    const started = performance.now();
    const child = spawn(cmd, argv, { env: ENV, stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(killer);
      onStdout?.(stdout);
      const ms = performance.now() - started;
      const rss = /RSSKB=(\d+)/.exec(stderr);
      resolvePromise({ ms, exitCode: code, ...(rss ? { rssKb: Number(rss[1]) } : {}) });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Runs both commands interleaved, so machine load hits both sides alike. */
async function compare(label: string, doctorArgs: string[], baselineArgs: string[], runs = RUNS) {
  if (ONLY && !label.startsWith(`(${ONLY}`)) return undefined;
  const doctor: Sample[] = [];
  const baseline: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    baseline.push(await measure(baselineArgs));
    doctor.push(await measure(doctorArgs));
  }
  const d = median(doctor.map((s) => s.ms));
  const b = median(baseline.map((s) => s.ms));
  const rss = doctor.map((s) => s.rssKb).filter((x): x is number => x !== undefined);
  const baseRss = baseline.map((s) => s.rssKb).filter((x): x is number => x !== undefined);
  return {
    label,
    doctorMs: Math.round(d),
    baselineMs: Math.round(b),
    ratio: d / b,
    diffMs: Math.round(d - b),
    doctorExit: doctor[0]?.exitCode,
    baselineExit: baseline[0]?.exitCode,
    doctorPeakRssMb: rss.length ? Math.max(...rss) / 1024 : undefined,
    baselinePeakRssMb: baseRss.length ? Math.max(...baseRss) / 1024 : undefined,
  };
}

function fleetConfig(dir: string, count: number, address: string): string {
  const file = join(dir, `fleet-${count}.toml`);
  let toml = '';
  for (let i = 0; i < count; i++) toml += `[profile.p${i}]\naddress = "${address}"\nnamespace = "default"\n\n`;
  writeFileSync(file, toml);
  return file;
}

async function main(): Promise<void> {
  const frontend = await startTemporalFrontend();
  const pki = await createTestPki();
  const mtlsFrontend = await startTemporalFrontend({
    tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
  });
  const silent = await startSilentServer();
  const closed = await refusedPort();
  const dir = mkdtempSync(join(tmpdir(), 'doctor-bench-'));
  const pem = { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
  writeFileSync(pem.ca, pki.ca.certPem);
  writeFileSync(pem.cert, pki.client.certPem);
  writeFileSync(pem.key, pki.client.keyPem);
  const results = [];
  let verdicts: Array<{ name: string; ms: number[]; exit: number | null }> = [];
  try {
    results.push(
      await compare(
        '(a) healthy target: doctor full check vs SDK connect + describeNamespace',
        [DOCTOR, '--address', frontend.address, '-o', 'json'],
        [SDK_SCRIPT, frontend.address]
      )
    );
    results.push(
      await compare(
        '(a2) healthy mTLS target (private CA, client certificate): the same pair',
        [
          DOCTOR,
          '--address',
          `localhost:${mtlsFrontend.port}`,
          '--tls-ca-path',
          pem.ca,
          '--tls-cert-path',
          pem.cert,
          '--tls-key-path',
          pem.key,
          '--expiry-warn-days',
          '7',
          '-o',
          'json',
        ],
        [SDK_SCRIPT, `localhost:${mtlsFrontend.port}`, 'default', pem.ca, pem.cert, pem.key]
      )
    );
    results.push(
      await compare(
        '(b) silent server: doctor time to verdict vs SDK time to error',
        [DOCTOR, '--address', silent.address, '-o', 'json'],
        [SDK_SCRIPT, silent.address],
        Math.min(RUNS, 3)
      )
    );
    results.push(await compare('(c1) --help vs bare node', [DOCTOR, '--help'], ['-e', '0'], RUNS * 2));
    results.push(
      await compare(
        '(c2) -o json against a refused port vs bare node',
        [DOCTOR, '--address', `127.0.0.1:${closed}`, '-o', 'json', '--no-sdk-probe'],
        ['-e', '0'],
        RUNS * 2
      )
    );
    if (!ONLY || ONLY === 'f') verdicts = await timeToVerdict(dir, pki, pem, frontend.address, silent.address, closed);
    const one = fleetConfig(dir, 1, frontend.address);
    const twenty = fleetConfig(dir, 20, frontend.address);
    const fifty = fleetConfig(dir, 50, frontend.address);
    results.push(
      await compare(
        '(d1) fleet: 20 targets vs 1 target',
        [DOCTOR, '--all-profiles', '--config-file', twenty, '-o', 'json'],
        [DOCTOR, '--all-profiles', '--config-file', one, '-o', 'json']
      )
    );
    results.push(
      await compare(
        '(d2) fleet: 50 targets vs 1 target',
        [DOCTOR, '--all-profiles', '--config-file', fifty, '-o', 'json'],
        [DOCTOR, '--all-profiles', '--config-file', one, '-o', 'json']
      )
    );
  } finally {
    await frontend.close();
    await mtlsFrontend.close();
    await silent.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(ENV.HOME!, { recursive: true, force: true });
  }

  const targets: Record<string, string> = {
    '(a)': '≤ 1.3×',
    '(a2)': '≤ 1.3×',
    '(b)': '≤ 0.3×',
    '(c1)': '≤ +80 ms',
    '(d1)': '≤ 2×',
    '(d2)': '≤ 2×',
  };
  console.log(`temporal-doctor benchmark — node ${process.version}, ${RUNS} runs (medians, interleaved)\n`);
  for (const r of results) {
    if (!r) continue;
    const key = r.label.split(' ')[0]!;
    console.log(r.label);
    console.log(
      `  doctor ${r.doctorMs} ms (exit ${r.doctorExit}) | baseline ${r.baselineMs} ms (exit ${r.baselineExit}) | ` +
        `ratio ${r.ratio.toFixed(2)}× | difference ${r.diffMs} ms${targets[key] ? ` | target ${targets[key]}` : ''}`
    );
    if (r.doctorPeakRssMb !== undefined) {
      console.log(
        `  (e) peak RSS: doctor ${r.doctorPeakRssMb.toFixed(0)} MB | baseline ${r.baselinePeakRssMb?.toFixed(0)} MB | ` +
          `ratio ${(r.doctorPeakRssMb / (r.baselinePeakRssMb ?? r.doctorPeakRssMb)).toFixed(2)}×`
      );
    }
  }
  // (f) time to verdict across failing situations, at the default --timeout (5 s).
  console.log('\n(f) time to verdict, failing situations, default --timeout (min / median / max of runs)');
  const medians: number[] = [];
  for (const v of verdicts) {
    const sorted = [...v.ms].sort((a, b) => a - b);
    const med = median(sorted);
    medians.push(med);
    console.log(
      `  ${v.name.padEnd(44)} ${Math.round(sorted[0]!)} / ${Math.round(med)} / ${Math.round(sorted[sorted.length - 1]!)} ms (exit ${v.exit})`
    );
  }
  const all = verdicts.flatMap((v) => v.ms);
  console.log(
    `  over all situations: median ${Math.round(median(medians))} ms (target ≤ 1500 ms), max ${Math.round(Math.max(...all))} ms (target ≤ 4000 ms)`
  );
}

/** One line per run: the report's own duration and each SDK probe's outcome and time. */
function debugLine(name: string): (stdout: string) => void {
  return (stdout) => {
    try {
      const report = JSON.parse(stdout) as {
        durationMs: number;
        rootCause?: { stage: string };
        stages: Array<{ id: string; status: string; durationMs?: number }>;
        sdk: Array<{ stack: string; outcome: string; durationMs: number; error?: { message: string }; note?: string }>;
      };
      const sdk = report.sdk.map(
        (s) => `${s.stack} ${s.outcome} ${s.durationMs} ms: ${s.error?.message ?? ''} ${s.note ?? ''}`
      );
      const stages = report.stages.map((s) => `${s.id} ${s.status} ${s.durationMs ?? '-'}`).join(', ');
      console.error(
        `[${name}] report ${report.durationMs} ms, root ${report.rootCause?.stage} (${stages}); ${sdk.join(' || ')}`
      );
    } catch {
      console.error(`[${name}] unparsable output`);
    }
  };
}

type Pem = { ca: string; cert: string; key: string };

async function timeToVerdict(
  dir: string,
  pki: Awaited<ReturnType<typeof createTestPki>>,
  pem: Pem,
  frontendAddress: string,
  silentAddress: string,
  closed: number
): Promise<Array<{ name: string; ms: number[]; exit: number | null }>> {
  const otherCa = await createCa({ commonName: 'Bench Other CA' });
  const stray = await issueCert(otherCa, { commonName: 'stray', noSan: true, serverAuth: false, clientAuth: true });
  const strayPem = { cert: join(dir, 'stray.pem'), key: join(dir, 'stray.key') };
  writeFileSync(strayPem.cert, stray.certPem);
  writeFileSync(strayPem.key, stray.keyPem);
  const dead = `127.0.0.1:${closed}`;
  const servers = {
    nginxVerify: await startNginx({
      upstream: frontendAddress,
      tls: pki.server,
      verifyClient: { mode: 'on', caPem: pki.ca.certPem },
    }),
    nginxDead: await startNginx({ upstream: dead, tls: pki.server }),
    haproxyH2Dead: await startHaproxy({ backend: dead, mode: 'http', tls: pki.server }),
    haproxyTcpDead: await startHaproxy({ backend: dead, mode: 'tcp' }),
    openssl12: await startOpensslServer({
      cert: pki.server,
      clientCaPem: pki.ca.certPem,
      clientCert: 'require',
      version: 'tls1_2',
    }),
  };
  const tlsArgs = ['--tls-ca-path', pem.ca];
  const cases: Array<[string, string[]]> = [
    ['refused port', ['--address', dead]],
    ['silent server (plaintext)', ['--address', silentAddress]],
    ['silent server (TLS on)', ['--address', silentAddress, '--tls']],
    [
      'nginx verify on, no client certificate (400)',
      ['--address', `localhost:${servers.nginxVerify.port}`, ...tlsArgs],
    ],
    [
      'nginx verify on, wrong CA (400)',
      [
        '--address',
        `localhost:${servers.nginxVerify.port}`,
        ...tlsArgs,
        '--tls-cert-path',
        strayPem.cert,
        '--tls-key-path',
        strayPem.key,
      ],
    ],
    ['nginx, upstream down (502)', ['--address', `localhost:${servers.nginxDead.port}`, ...tlsArgs]],
    ['haproxy h2, backend down (503)', ['--address', `localhost:${servers.haproxyH2Dead.port}`, ...tlsArgs]],
    ['haproxy tcp, backend down (close)', ['--address', `localhost:${servers.haproxyTcpDead.port}`, ...tlsArgs]],
    [
      'openssl TLS 1.2, wrong CA (alert 48)',
      [
        '--address',
        `localhost:${servers.openssl12.port}`,
        ...tlsArgs,
        '--tls-cert-path',
        strayPem.cert,
        '--tls-key-path',
        strayPem.key,
      ],
    ],
  ];
  const out: Array<{ name: string; ms: number[]; exit: number | null }> = [];
  try {
    for (const [name, args] of cases) {
      const ms: number[] = [];
      let exit: number | null = null;
      for (let i = 0; i < Math.min(RUNS, 3); i++) {
        const sample = await measure([DOCTOR, ...args, '-o', 'json'], 60_000, DEBUG ? debugLine(name) : undefined);
        ms.push(sample.ms);
        exit = sample.exitCode;
      }
      out.push({ name, ms, exit });
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => server.close()));
  }
  return out;
}

await main();
