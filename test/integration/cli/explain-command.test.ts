// `temporal-doctor explain`, run in-process through the real CLI parser: arguments, stdin, formats, exit codes, and
// never a crash or a raw echo of what was pasted.
import { describe, expect, it } from '@jest/globals';
import { PassThrough, Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { run } from '../../../src/cli/main.js';
import type { ExplanationDocument } from '../../../src/render/explain.js';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function explain(
  argv: string[],
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean }
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const exitCode = await run(['explain', ...argv], {
    stdout,
    stderr,
    env: {},
    isTTY: false,
    cwd: process.cwd(),
    ...(stdin ? { stdin } : {}),
  });
  return { stdout: stdout.text, stderr: stderr.text, exitCode };
}

async function explainJson(
  argv: string[],
  stdin?: NodeJS.ReadableStream
): Promise<{ doc: ExplanationDocument; exitCode: number }> {
  const { stdout, exitCode, stderr } = await explain([...argv, '-o', 'json'], stdin);
  if (!stdout) throw new Error(`no stdout (exit ${exitCode}): ${stderr}`);
  return { doc: JSON.parse(stdout) as ExplanationDocument, exitCode };
}

const WORKER_UNKNOWN_ISSUER =
  'TransportError: tonic::transport::Error(Transport, hyper::Error(Connect, Custom { kind: InvalidData, error: InvalidCertificateData("invalid peer certificate: UnknownIssuer") }))';
const WORKER_CN_ONLY =
  'TransportError: tonic::transport::Error(Transport, ConnectError(Custom { kind: InvalidData, error: InvalidCertificate(NotValidForNameContext { expected: DnsName("localhost"), presented: [] }) }))';
const GO_UNKNOWN_AUTHORITY =
  'failed reaching server: connection error: desc = "transport: authentication handshake failed: tls: failed to verify certificate: x509: certificate signed by unknown authority"';

describe('explain with the text as an argument', () => {
  it('names the Worker stack, the tls stage, ranked causes and the confirming command for a Worker UnknownIssuer message', async () => {
    const { doc, exitCode } = await explainJson([WORKER_UNKNOWN_ISSUER]);
    expect(exitCode).toBe(0);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'explanation',
      recognised: true,
      stack: 'worker',
      stage: 'tls',
    });
    expect(doc.matches[0]?.causes.length).toBeGreaterThan(1);
    expect(doc.command).toMatch(/^temporal-doctor .*--stack worker --only tls$/);
    expect(doc.input.characters).toBe(WORKER_UNKNOWN_ISSUER.length);
  });

  it('prints the stack, the stage, numbered causes and the command in text output', async () => {
    const { stdout, exitCode } = await explain([WORKER_CN_ONLY]);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^Recognised: /m);
    expect(stdout).toMatch(/From: {2}Worker \(@temporalio\/worker, Rust Core\)/);
    expect(stdout).toMatch(/Stage: tls/);
    expect(stdout).toMatch(/^ {2}1\. /m);
    expect(stdout).toMatch(/Confirm with:\n {2}temporal-doctor /);
  });

  it('joins unquoted words into one text', async () => {
    const { doc } = await explainJson(['Namespace', 'default', 'is', 'not', 'found.']);
    expect(doc).toMatchObject({ recognised: true, stage: 'namespace' });
  });

  it('recognises a Go SDK / CLI unknown-authority message as the go-sdk-or-cli stack', async () => {
    const { doc } = await explainJson([GO_UNKNOWN_AUTHORITY]);
    expect(doc).toMatchObject({ recognised: true, stack: 'go-sdk-or-cli', stage: 'tls' });
  });

  it('treats the Client deadline as recognised but non-diagnostic: no stage, and the full check as the command', async () => {
    const { doc, exitCode } = await explainJson(['Failed to connect before the deadline']);
    expect(exitCode).toBe(0);
    expect(doc.recognised).toBe(true);
    expect(doc.stage).toBeUndefined();
    expect(doc.stack).toBe('client');
    expect(doc.command).toBe('temporal-doctor --address <your address> --namespace <your namespace>');
    const { stdout } = await explain(['Failed to connect before the deadline']);
    expect(stdout).toMatch(/^Recognised, but it hides the cause: /m);
  });

  it('exits 1 for text it does not recognise, and still says what to run', async () => {
    const { doc, exitCode } = await explainJson(['the flux capacitor is out of sync']);
    expect(exitCode).toBe(1);
    expect(doc).toMatchObject({ recognised: false, matches: [], stack: 'unknown' });
    const { stdout } = await explain(['the flux capacitor is out of sync']);
    expect(stdout).toMatch(/^Not recognised/m);
    expect(stdout).toMatch(/temporal-doctor --address <your address>/);
  });

  it('renders Markdown with the causes and a shell block for the command', async () => {
    const { stdout } = await explain([WORKER_CN_ONLY, '-o', 'markdown']);
    expect(stdout).toMatch(/^## temporal-doctor explain/);
    expect(stdout).toMatch(/### Likely causes\n\n1\. /);
    expect(stdout).toMatch(/```sh\ntemporal-doctor /);
  });

  it('takes text after -- so a message starting with dashes is not read as an option', async () => {
    const { stdout, exitCode } = await explain([
      '-o',
      'json',
      '--',
      '-----BEGIN CERTIFICATE----- tonic::transport::Error(Transport, CertificateParseError)',
    ]);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ recognised: true, stage: 'pem' });
  });
});

describe('explain reading stdin', () => {
  it('reads the text from stdin when no text is given', async () => {
    const { doc, exitCode } = await explainJson([], Readable.from([Buffer.from(`${WORKER_UNKNOWN_ISSUER}\n`)]));
    expect(exitCode).toBe(0);
    expect(doc).toMatchObject({ stack: 'worker', stage: 'tls' });
  });

  it('reads stdin for "-", across several chunks and lines', async () => {
    const lines = [
      '2026-07-01 worker failed to start',
      'TransportError: tonic::transport::Error(Transport, ConnectError(client error (Connect)',
      '',
      'Caused by:',
      '    Connection refused (os error 111)))',
    ];
    const { doc } = await explainJson(['-'], Readable.from(lines.map((l) => `${l}\n`)));
    expect(doc.recognised).toBe(true);
    expect(doc.stack).toBe('worker');
  });

  it('refuses at once, with exit 2, when stdin is a terminal or absent', async () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const started = Date.now();
    const fromTty = await explain([], tty);
    expect(fromTty.exitCode).toBe(2);
    expect(fromTty.stderr).toMatch(/no error text/);
    expect(fromTty.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await explain([])).exitCode).toBe(2);
  });

  it('exits 2 when stdin is empty', async () => {
    expect((await explain([], Readable.from([]))).exitCode).toBe(2);
  });

  it('stops reading at 1 MiB and says the input was truncated', async () => {
    const big = Buffer.alloc(1024 * 1024 + 100, 'a');
    const { doc, exitCode } = await explainJson([], Readable.from([Buffer.from('Request unauthorized. '), big]));
    expect(exitCode).toBe(0);
    expect(doc.input).toMatchObject({ characters: 1024 * 1024, truncated: true });
  });

  it('gives up waiting on a pipe that never closes and explains what arrived', async () => {
    const open = new PassThrough();
    open.write('Failed to call GetSystemInfo: code: \'The operation was cancelled\', message: "Timeout expired"');
    const started = Date.now();
    const { doc } = await explainJson([], open);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900);
    expect(doc.recognised).toBe(true);
    open.destroy();
  }, 10_000);
});

describe('explain never echoes the paste raw', () => {
  it('redacts bearer tokens and private keys and strips terminal escapes in every format', async () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLWJvZHk';
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgSECRETSECRET\n-----END PRIVATE KEY-----';
    const paste = `\u001b[31mauthorization: Bearer ${token}\u001b[0m 16 UNAUTHENTICATED: Request unauthenticated. ${key}`;
    for (const format of ['text', 'json', 'markdown']) {
      const { stdout } = await explain(['-o', format], Readable.from([paste]));
      expect(stdout).not.toContain(token);
      expect(stdout).not.toContain('SECRETSECRET');
      expect(stdout).not.toContain('\u001b');
      expect(stdout).toContain('UNAUTHENTICATED');
    }
  });
});

describe('explain on arbitrary input', () => {
  it('never crashes: exit 0 or 1 with one JSON document, or 2 with a usage message, and no escape characters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme-ascii', maxLength: 300 })),
        fc.boolean(),
        async (text, viaStdin) => {
          const { stdout, stderr, exitCode } = viaStdin
            ? await explain(['-o', 'json'], Readable.from([Buffer.from(text)]))
            : await explain(['-o', 'json', '--', text]);
          expect([0, 1, 2]).toContain(exitCode);
          if (exitCode === 2) {
            expect(stderr).toMatch(/no error text/);
            expect(text.trim() === '' || (!viaStdin && text === '-')).toBe(true);
            return;
          }
          const doc = JSON.parse(stdout) as ExplanationDocument;
          expect(doc.kind).toBe('explanation');
          expect(doc.recognised).toBe(exitCode === 0);
          expect(stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
        }
      ),
      { numRuns: 250 }
    );
  });
});
