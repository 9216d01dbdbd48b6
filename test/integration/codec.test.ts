// The codec stage against real codec servers on loopback: what the CLI sees (POST /decode), what a browser on the
// Web UI adds (CORS), and whether encode and decode agree.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { codecStage } from '../../src/stages/codec/index.js';
import type { CheckResult } from '../../src/pipeline/types.js';
import type { SettingsInput } from '../../src/options.js';
import { startCodecServer, type CodecServer, type CodecServerOptions } from '../support/servers/codec.js';
import { codecStageContext, type CodecContextInput } from '../support/codec-stage-context.js';
import { findCheck, runCli, runJson } from '../support/run-cli.js';
import { startDnsServer, type DnsServer } from '../support/servers/dns.js';
import { createSelfSigned, createTestPki } from '../support/pki.js';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Report } from '../../src/report/model.js';
import { closeAfterAll } from '../support/close-after-all.js';

const track = closeAfterAll();
function codecServer(options: CodecServerOptions = {}): Promise<CodecServer> {
  return track(startCodecServer(options));
}

async function runStage(
  settings: SettingsInput,
  extra: Omit<CodecContextInput, 'settings'> = {}
): Promise<CheckResult[]> {
  const ctx = codecStageContext({ settings, ...extra });
  try {
    const output = await codecStage.run(ctx);
    expect(output.facts).toBeUndefined();
    return output.checks;
  } finally {
    ctx.done();
  }
}

function check(checks: CheckResult[], id: string): CheckResult {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in ${checks.map((c) => `${c.id}:${c.status}`).join(', ')}`);
  return found;
}
const ids = (checks: CheckResult[]): string[] => checks.map((c) => `${c.id}:${c.status}`);
const firstFail = (checks: CheckResult[]): CheckResult | undefined => checks.find((c) => c.status === 'fail');

async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('codec stage', () => {
  it('skips with codec.not-configured when no codec endpoint is set', async () => {
    const checks = await runStage({});
    expect(ids(checks)).toEqual(['codec.not-configured:skip']);
    expect(checks[0]?.message).toBe('No codec endpoint configured');
  });

  describe('against a healthy codec server', () => {
    let server: CodecServer;
    beforeAll(async () => {
      server = await codecServer();
    });

    it('passes every check and sends X-Namespace and Content-Type as the Web UI does', async () => {
      const before = server.requests.length;
      const checks = await runStage({ codecEndpoint: server.endpoint, namespace: 'orders' });
      expect(ids(checks)).toEqual([
        'codec.url.valid:pass',
        'codec.tcp.connects:pass',
        'codec.decode.responds:pass',
        'codec.cors.preflight:pass',
        'codec.round-trip.matches:pass',
      ]);
      const posts = server.requests.slice(before).filter((r) => r.method === 'POST');
      expect(posts.map((r) => r.path)).toEqual(['/decode', '/decode', '/encode', '/decode']);
      for (const post of posts) {
        expect(post.headers['x-namespace']).toBe('orders');
        expect(post.headers['content-type']).toBe('application/json');
        expect(post.headers.authorization).toBeUndefined();
      }
      const preflight = server.requests.slice(before).find((r) => r.method === 'OPTIONS');
      expect(preflight?.headers.origin).toBe('http://localhost:8233');
      expect(preflight?.headers['access-control-request-method']).toBe('POST');
      expect(preflight?.headers['access-control-request-headers']).toBe('content-type,x-namespace');
    });

    it('passes end to end through the CLI with --only codec', async () => {
      const { report, exitCode } = await runJson([
        '--codec-endpoint',
        server.endpoint,
        '--only',
        'codec',
        '--no-sdk-probe',
      ]);
      expect(report.stages.find((s) => s.id === 'codec')?.status).toBe('pass');
      expect(report.rootCause).toBeNull();
      expect(exitCode).toBe(0);
    });

    it('expands {namespace} in the endpoint before calling it', async () => {
      const perNamespace = await codecServer({ basePath: '/orders' });
      const template = perNamespace.endpoint.replace('/orders', '/{namespace}');
      const checks = await runStage({ codecEndpoint: template, namespace: 'orders' });
      expect(check(checks, 'codec.decode.responds').status).toBe('pass');
      expect(check(checks, 'codec.url.valid').message).toContain(`${perNamespace.endpoint} is a well-formed`);
    });

    it('checks the Cloud Web UI origin as well when the address is a Temporal Cloud endpoint', async () => {
      const before = server.requests.length;
      const checks = await runStage({
        codecEndpoint: server.endpoint,
        address: 'my-ns.a1b2c.tmprl.cloud:7233',
        namespace: 'my-ns.a1b2c',
      });
      const preflights = checks.filter((c) => c.id === 'codec.cors.preflight');
      expect(preflights.map((c) => c.status)).toEqual(['pass', 'pass']);
      const origins = server.requests
        .slice(before)
        .filter((r) => r.method === 'OPTIONS')
        .map((r) => r.headers.origin);
      expect(origins).toEqual(['http://localhost:8233', 'https://cloud.temporal.io']);
    });

    it('fails codec.url.operation-suffix when the endpoint already ends with /decode, and probes the base URL', async () => {
      const checks = await runStage({ codecEndpoint: `${server.endpoint}/decode` });
      const suffix = check(checks, 'codec.url.operation-suffix');
      expect(suffix.status).toBe('fail');
      expect(suffix.fix).toBe(`Set --codec-endpoint to ${server.endpoint}: drop the /decode suffix.`);
      expect(check(checks, 'codec.decode.responds').status).toBe('pass');
      expect(firstFail(checks)?.id).toBe('codec.url.operation-suffix');
    });

    it('fails codec.url.scheme with the corrected URL when the endpoint has no scheme', async () => {
      const checks = await runStage({ codecEndpoint: server.address }, { env: {} });
      expect(ids(checks)).toEqual(['codec.url.scheme:fail']);
      expect(check(checks, 'codec.url.scheme').fix).toContain(`Set --codec-endpoint to http://${server.address};`);
    });

    it('fails codec.url.query-or-fragment and probes the URL without it', async () => {
      const checks = await runStage({ codecEndpoint: `${server.endpoint}?ns=default` });
      expect(check(checks, 'codec.url.query-or-fragment').fix).toBe(
        `Set --codec-endpoint to ${server.endpoint}; route by namespace with {namespace} in the path or the X-Namespace header instead.`
      );
      expect(check(checks, 'codec.decode.responds').status).toBe('pass');
    });

    it('fails codec.url.userinfo without printing the password', async () => {
      const checks = await runStage({ codecEndpoint: server.endpoint.replace('http://', 'http://alice:hunter2@') });
      expect(check(checks, 'codec.url.userinfo').status).toBe('fail');
      expect(JSON.stringify(checks)).not.toContain('hunter2');
      const posted = server.requests.filter((r) => r.headers.authorization !== undefined);
      expect(posted).toEqual([]);
    });

    it('fails codec.url.invalid for text that is not a URL', async () => {
      const checks = await runStage({ codecEndpoint: 'https://codec example' });
      expect(ids(checks)).toEqual(['codec.url.invalid:fail']);
      expect(checks[0]?.message).toBe('Codec endpoint https://codec example is not a URL');
    });

    it('names the environment variable the endpoint came from in the fix', async () => {
      const checks = await runStage({}, { env: { TEMPORAL_CODEC_ENDPOINT: `${server.endpoint}/encode` } });
      expect(check(checks, 'codec.url.operation-suffix').fix).toBe(
        `Set TEMPORAL_CODEC_ENDPOINT to ${server.endpoint}: drop the /encode suffix.`
      );
    });

    it('fails codec.ui-origin.invalid for a --ui-origin that is not an origin, and checks the default instead', async () => {
      const checks = await runStage({ codecEndpoint: server.endpoint }, { uiOrigin: 'localhost' });
      expect(check(checks, 'codec.ui-origin.invalid').status).toBe('fail');
      expect(check(checks, 'codec.cors.preflight').message).toContain('http://localhost:8233');
    });
  });

  describe('CORS', () => {
    it('fails at stage codec with codec.cors.allow-origin naming the missing header when the server sends no CORS', async () => {
      const server = await codecServer({ cors: false });
      const { report, exitCode } = await runJson([
        '--codec-endpoint',
        server.endpoint,
        '--only',
        'codec',
        '--no-sdk-probe',
      ]);
      expect(exitCode).toBe(1);
      expect(report.rootCause?.stage).toBe('codec');
      expect(report.rootCause?.check).toBe('codec.cors.allow-origin');
      expect(report.rootCause?.fix).toBe(
        "The codec server's CORS response lacks Access-Control-Allow-Origin for http://localhost:8233: add it (Access-Control-Allow-Origin: http://localhost:8233)."
      );
      const headers = findCheck(report, 'codec.cors.allow-headers');
      expect(headers?.status).toBe('fail');
      expect(headers?.fix).toContain('lacks content-type, x-namespace in Access-Control-Allow-Headers');
      // CORS is a browser rule: the CLI's own calls work.
      expect(findCheck(report, 'codec.decode.responds')?.status).toBe('pass');
    });

    it('still checks the codec server when the Temporal frontend refuses connections', async () => {
      const server = await codecServer({ cors: false });
      const port = await refusedPort();
      const { report } = await runJson([
        '--codec-endpoint',
        server.endpoint,
        '--address',
        `127.0.0.1:${port}`,
        '--timeout',
        '2s',
        '--no-sdk-probe',
      ]);
      const codec = report.stages.find((s) => s.id === 'codec');
      expect(codec?.skippedBecause).toBeUndefined();
      expect(codec?.checks.find((c) => c.status === 'fail')?.id).toBe('codec.cors.allow-origin');
    });

    it('fails codec.cors.allow-origin when the server allows another origin, and passes for that --ui-origin', async () => {
      const server = await codecServer({ cors: { allowOrigin: 'https://ui.example.test' } });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      expect(check(checks, 'codec.cors.allow-origin').message).toBe(
        "The codec server's CORS response allows origin https://ui.example.test, not http://localhost:8233"
      );
      const own = await runStage(
        { codecEndpoint: server.endpoint },
        { uiOrigin: 'https://ui.example.test/namespaces' }
      );
      expect(check(own, 'codec.cors.preflight').status).toBe('pass');
    });

    it('fails codec.cors.allow-headers naming authorization when auth is configured and * does not cover it', async () => {
      const server = await codecServer({ auth: 'Bearer good', cors: { allowHeaders: '*' } });
      const checks = await runStage({ codecEndpoint: server.endpoint, codecAuth: 'Bearer good' });
      const headers = check(checks, 'codec.cors.allow-headers');
      expect(headers.status).toBe('fail');
      expect(headers.message).toBe("The codec server's CORS response does not allow the request header authorization");
      expect(headers.fix).toContain('* does not cover authorization');
      expect(check(checks, 'codec.decode.responds').status).toBe('pass');
      const preflight = server.requests.find((r) => r.method === 'OPTIONS');
      expect(preflight?.headers['access-control-request-headers']).toBe('content-type,x-namespace,authorization');
    });

    it('fails codec.cors.preflight-status when OPTIONS sits behind the auth check', async () => {
      const server = await codecServer({ auth: 'Bearer good', authOnPreflight: true });
      const checks = await runStage({ codecEndpoint: server.endpoint, codecAuth: 'Bearer good' });
      const status = check(checks, 'codec.cors.preflight-status');
      expect(status.message).toBe('The codec server answered the CORS preflight from http://localhost:8233 with 401');
      expect(status.fix).toMatch(/^Let OPTIONS requests through without auth/);
    });

    it('fails codec.cors.response-allow-origin when only the preflight carries CORS headers', async () => {
      const server = await codecServer({ corsOnPreflightOnly: true });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      expect(check(checks, 'codec.cors.response-allow-origin').status).toBe('fail');
      expect(checks.some((c) => c.id === 'codec.cors.preflight')).toBe(false);
    });

    it('warns codec.cors.inconclusive when the preflight gets no answer', async () => {
      const server = await codecServer({ behaviour: 'hang-preflight' });
      const checks = await runStage({ codecEndpoint: server.endpoint }, { timeoutMs: 1000 });
      const cors = check(checks, 'codec.cors.inconclusive');
      expect(cors.status).toBe('warn');
      expect(cors.message).toBe(
        'No answer to the CORS preflight from http://localhost:8233: no response within 400 ms'
      );
    });

    it('warns codec.cors.credentials when the server allows credentials with a * origin', async () => {
      const server = await codecServer({ cors: { allowOrigin: '*', allowCredentials: true } });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      const credentials = check(checks, 'codec.cors.credentials');
      expect(credentials.status).toBe('warn');
      expect(credentials.message).toBe(
        'The codec server allows credentials but answers * in Access-Control-Allow-Origin'
      );
      expect(check(checks, 'codec.cors.preflight').status).toBe('pass');
    });
  });

  describe('POST /decode', () => {
    it('fails codec.decode.not-found when the server lives under a path the endpoint leaves out', async () => {
      const server = await codecServer({ basePath: '/codec' });
      const checks = await runStage({ codecEndpoint: `http://${server.address}` });
      expect(ids(checks)).toEqual([
        'codec.url.valid:pass',
        'codec.tcp.connects:pass',
        'codec.decode.not-found:fail',
        'codec.cors.preflight:skip',
        'codec.round-trip.matches:skip',
      ]);
      expect(check(checks, 'codec.decode.not-found').fix).toContain('the part before /decode');
    });

    it('fails codec.decode.auth-required when the server answers 401 and no codec auth is set', async () => {
      const server = await codecServer({ auth: 'Bearer good' });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      const auth = check(checks, 'codec.decode.auth-required');
      expect(auth.message).toBe('The codec server answered 401 without credentials: it requires auth');
      expect(auth.fix).toMatch(/^The server requires auth: set --codec-auth/);
      // The preflight does not need auth, so CORS is still judged.
      expect(check(checks, 'codec.cors.preflight').status).toBe('pass');
    });

    it('fails codec.decode.auth-rejected when the server answers 403 to the configured auth', async () => {
      const server = await codecServer({ auth: 'Bearer good' });
      const checks = await runStage({ codecEndpoint: server.endpoint, codecAuth: 'Bearer stale' });
      const auth = check(checks, 'codec.decode.auth-rejected');
      expect(auth.message).toBe('The codec server rejected the configured auth (403)');
      expect(auth.fix).toContain('--codec-auth');
      expect(server.requests.find((r) => r.method === 'POST')?.headers.authorization).toBe('Bearer stale');
    });

    it('passes with the right codec auth, sending it as the Authorization header', async () => {
      const server = await codecServer({ auth: 'Bearer good' });
      const checks = await runStage(
        { codecEndpoint: server.endpoint },
        { env: { TEMPORAL_CODEC_AUTH: 'Bearer good' } }
      );
      expect(firstFail(checks)).toBeUndefined();
      expect(check(checks, 'codec.round-trip.matches').status).toBe('pass');
      expect(check(checks, 'codec.decode.responds').evidence).toContainEqual({
        label: 'authorization',
        value: expect.stringMatching(/^\[redacted\] \(11 chars, sha256 [0-9a-f]{4}…\) from TEMPORAL_CODEC_AUTH$/),
      });
    });

    it.each([
      ['html', 'codec.decode.html', 'answered with an HTML page: this looks like a web page, not a codec server'],
      ['not-json', 'codec.decode.not-json', 'answered 200 with a body that is not JSON'],
      ['no-payloads', 'codec.decode.no-payloads', 'answered JSON without a payloads array (keys: result, items)'],
      ['server-error', 'codec.decode.server-error', 'The codec server answered 500 to an empty decode request'],
      ['post-not-allowed', 'codec.decode.method-not-allowed', 'answered 405: the server there does not take POST'],
      ['redirect', 'codec.decode.unexpected-status', '/decode answered 302, not 200'],
    ] as const)('fails %s servers with %s', async (behaviour, id, text) => {
      const server = await codecServer({ behaviour });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      expect(firstFail(checks)?.id).toBe(id);
      expect(check(checks, id).message).toContain(text);
      expect(check(checks, 'codec.round-trip.matches').status).toBe('skip');
    });

    it('fails codec.tcp.connects with the fix to start the server when nothing listens, and sends no request', async () => {
      const port = await refusedPort();
      const checks = await runStage({ codecEndpoint: `http://127.0.0.1:${port}` });
      expect(ids(checks)).toEqual(['codec.url.valid:pass', 'codec.tcp.connects:fail']);
      const refused = check(checks, 'codec.tcp.connects');
      expect(refused.message).toBe(`Cannot connect to the codec server at 127.0.0.1:${port}: ECONNREFUSED`);
      expect(refused.fix).toBe(
        `Start the codec server, or fix the host and port in --codec-endpoint: nothing listens on 127.0.0.1:${port}.`
      );
    });

    it('fails codec.decode.timeout within the stage budget when the server never answers', async () => {
      const server = await codecServer({ behaviour: 'hang' });
      const started = performance.now();
      const checks = await runStage({ codecEndpoint: server.endpoint }, { timeoutMs: 1000 });
      expect(performance.now() - started).toBeLessThan(1000);
      expect(ids(checks)).toEqual([
        'codec.url.valid:pass',
        'codec.tcp.connects:pass',
        'codec.decode.timeout:fail',
        'codec.cors.preflight:skip',
        'codec.round-trip.matches:skip',
      ]);
      expect(check(checks, 'codec.decode.timeout').message).toMatch(/no response within 400 ms$/);
    });
  });

  describe('reachability', () => {
    let dns: DnsServer;
    beforeAll(async () => {
      dns = await startDnsServer({
        'codec.doctor.test': { A: ['127.0.0.1'] },
        'gone.doctor.test': { rcode: 'NXDOMAIN' },
      });
    });
    afterAll(async () => {
      await dns.close();
    });

    it('resolves the codec host through --dns-server and calls the address it resolved to', async () => {
      const server = await codecServer();
      const checks = await runStage(
        { codecEndpoint: `http://codec.doctor.test:${server.port}` },
        { dnsServers: [dns.server] }
      );
      expect(check(checks, 'codec.dns.resolves').message).toBe(
        'Codec server host codec.doctor.test resolves to 127.0.0.1'
      );
      expect(firstFail(checks)).toBeUndefined();
      expect(server.requests.find((r) => r.method === 'POST')?.headers.host).toBe(`codec.doctor.test:${server.port}`);
    });

    it('fails codec.dns.resolves when the codec host does not exist, and goes no further', async () => {
      const checks = await runStage({ codecEndpoint: 'http://gone.doctor.test:8888' }, { dnsServers: [dns.server] });
      expect(ids(checks)).toEqual(['codec.url.mixed-content:warn', 'codec.dns.resolves:fail']);
      const dnsCheck = check(checks, 'codec.dns.resolves');
      expect(dnsCheck.message).toBe('Codec server host gone.doctor.test does not resolve: no such name (ENOTFOUND)');
      expect(dnsCheck.fix).toBe('Fix the host name in --codec-endpoint: gone.doctor.test does not exist in DNS.');
    });

    it('fails codec.url.mixed-content for a plain-http remote host when the Web UI is on https', async () => {
      const checks = await runStage(
        { codecEndpoint: 'http://gone.doctor.test:8888' },
        { dnsServers: [dns.server], uiOrigin: 'https://temporal.example.com' }
      );
      const mixed = check(checks, 'codec.url.mixed-content');
      expect(mixed.status).toBe('fail');
      expect(mixed.message).toBe(
        'The Web UI at https://temporal.example.com cannot call plain-http gone.doctor.test: browsers block mixed content'
      );
    });
  });

  describe('https', () => {
    const DAY_MS = 24 * 3_600_000;

    it('warns codec.tls.chain.inconclusive for a certificate Node does not trust, and sends no request to it', async () => {
      const cert = await createSelfSigned({
        commonName: 'localhost',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1'],
      });
      const server = await codecServer({ tls: cert, auth: 'Bearer good' });
      const checks = await runStage({ codecEndpoint: server.endpoint, codecAuth: 'Bearer good' });
      expect(check(checks, 'codec.tcp.connects').status).toBe('pass');
      const chain = check(checks, 'codec.tls.chain.inconclusive');
      expect(chain.status).toBe('warn');
      expect(chain.message).toBe(
        "Node's CA bundle does not trust the codec server's certificate (DEPTH_ZERO_SELF_SIGNED_CERT)"
      );
      expect(chain.fix).toContain('NODE_EXTRA_CA_CERTS');
      expect(firstFail(checks)).toBeUndefined();
      // The auth value never goes to a server whose certificate could not be verified.
      expect(server.requests).toEqual([]);
    });

    // Node reads NODE_EXTRA_CA_CERTS only at startup, so the trusted path runs the built CLI (npm test builds first).
    it('passes codec.tls.handshake and every HTTP check when the CA is trusted', async () => {
      const pki = await createTestPki();
      const server = await codecServer({ tls: pki.server });
      const dir = mkdtempSync(join(tmpdir(), 'codec-ca-'));
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, pki.ca.certPem);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['bin/temporal-doctor.js', '--codec-endpoint', server.endpoint, '--only', 'codec', '-o', 'json'],
        { env: { NODE_EXTRA_CA_CERTS: caFile, HOME: dir, PATH: process.env.PATH ?? '' }, timeout: 15_000 }
      ).finally(() => rmSync(dir, { recursive: true, force: true }));
      const report = JSON.parse(stdout) as Report;
      const codec = report.stages.find((s) => s.id === 'codec');
      expect(codec?.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
        'codec.url.valid:pass',
        'codec.dns.resolves:pass',
        'codec.tcp.connects:pass',
        'codec.tls.handshake:pass',
        'codec.decode.responds:pass',
        'codec.cors.preflight:pass',
        'codec.round-trip.matches:pass',
      ]);
      expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(4);
    });

    it('fails codec.tls.server-name when the certificate is for another host', async () => {
      const cert = await createSelfSigned({ commonName: 'codec.other.test', dnsNames: ['codec.other.test'] });
      const server = await codecServer({ tls: cert });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      const name = check(checks, 'codec.tls.server-name');
      expect(name.status).toBe('fail');
      expect(name.message).toBe("The codec server's certificate is not valid for localhost");
      expect(name.evidence).toContainEqual({ label: 'subject alt names', value: 'DNS:codec.other.test' });
    });

    it('fails codec.tls.certificate-valid when the certificate has expired', async () => {
      const now = Date.now();
      const cert = await createSelfSigned({
        commonName: 'localhost',
        dnsNames: ['localhost'],
        notBefore: new Date(now - 30 * DAY_MS),
        notAfter: new Date(now - DAY_MS),
      });
      const server = await codecServer({ tls: cert });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      expect(firstFail(checks)?.id).toBe('codec.tls.certificate-valid');
      expect(check(checks, 'codec.tls.certificate-valid').message).toBe(
        "The codec server's certificate is not valid now (CERT_HAS_EXPIRED)"
      );
    });

    it('fails codec.decode.no-response when an http endpoint points at an HTTPS server', async () => {
      const cert = await createSelfSigned({ commonName: 'localhost', dnsNames: ['localhost'] });
      const server = await codecServer({ tls: cert });
      const checks = await runStage({ codecEndpoint: `http://127.0.0.1:${server.port}` });
      const noResponse = check(checks, 'codec.decode.no-response');
      expect(noResponse.message).toBe(
        `No HTTP answer from http://127.0.0.1:${server.port}/decode: ECONNRESET socket hang up`
      );
      expect(noResponse.fix).toBe(
        `The server at 127.0.0.1:${server.port} hung up without an HTTP answer: if it serves HTTPS, set --codec-endpoint to https://127.0.0.1:${server.port}; otherwise check its logs.`
      );
    });

    it('fails codec.tls.handshake with the http:// fix when an https endpoint points at a plain-HTTP server', async () => {
      const server = await codecServer();
      const checks = await runStage({ codecEndpoint: `https://localhost:${server.port}` });
      const handshake = check(checks, 'codec.tls.handshake');
      expect(handshake.status).toBe('fail');
      expect(handshake.message).toBe(`The codec server at localhost:${server.port} answers plain HTTP, not TLS`);
      expect(handshake.fix).toMatch(new RegExp(`^Set --codec-endpoint to http://localhost:${server.port}`));
    });
  });

  describe('round trip', () => {
    it('fails codec.round-trip.matches when decode does not undo encode', async () => {
      const server = await codecServer({ behaviour: 'broken-round-trip' });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      const roundTrip = check(checks, 'codec.round-trip.matches');
      expect(roundTrip.status).toBe('fail');
      expect(roundTrip.message).toBe('Decoding the encoded payload did not give the original bytes back');
      expect(check(checks, 'codec.decode.responds').status).toBe('pass');
    });

    it('warns codec.round-trip.inconclusive when /decode fails on the encoded payload', async () => {
      const server = await codecServer({ behaviour: 'decode-fails-on-data' });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      const roundTrip = check(checks, 'codec.round-trip.inconclusive');
      expect(roundTrip.status).toBe('warn');
      expect(roundTrip.message).toBe('Round trip stopped at /decode: answered 500 (server-error)');
    });

    it('warns codec.round-trip.encode-unavailable when /encode is not served', async () => {
      const server = await codecServer({ behaviour: 'no-encode' });
      const checks = await runStage({ codecEndpoint: server.endpoint });
      const encode = check(checks, 'codec.round-trip.encode-unavailable');
      expect(encode.status).toBe('warn');
      expect(encode.message).toContain('/encode answered 404');
      expect(firstFail(checks)).toBeUndefined();
    });
  });

  describe('codec auth is a secret', () => {
    const CANARY = 'Bearer canary-7f3a9c1d-DO-NOT-PRINT';

    it.each(['text', 'json'] as const)(
      'never prints the codec auth value in %s output, even when the server echoes it',
      async (format) => {
        const server = await codecServer({ auth: 'Bearer good', echoAuthInErrors: true, cors: false });
        const argv = [
          '--codec-endpoint',
          server.endpoint,
          '--codec-auth',
          CANARY,
          '--only',
          'codec',
          '--no-sdk-probe',
          '--verbose',
          '-o',
          format,
        ];
        const { stdout, stderr, exitCode } = await runCli(argv);
        expect(exitCode).toBe(1);
        expect(server.requests.find((r) => r.method === 'POST')?.headers.authorization).toBe(CANARY);
        expect(stdout).toContain('codec.decode.auth-rejected');
        expect(stdout).toContain('Forbidden: [redacted]');
        expect(stdout + stderr).not.toContain('canary-7f3a9c1d');
      }
    );

    it('never prints the codec auth value from TEMPORAL_CODEC_AUTH when everything passes', async () => {
      const server = await codecServer({ auth: CANARY });
      const { stdout, report } = await runJson(
        ['--codec-endpoint', server.endpoint, '--only', 'codec', '--no-sdk-probe'],
        { env: { TEMPORAL_CODEC_AUTH: CANARY } }
      );
      expect(report.stages.find((s) => s.id === 'codec')?.status).toBe('pass');
      expect(stdout).not.toContain('canary-7f3a9c1d');
    });
  });
});
