import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { REDACTED_KEY } from '../../../src/text/scrub-secrets.js';
import { scrubDeep, scrubSecrets } from '../../../src/text/secret-registry.js';
import { sanitize } from '../../../src/text/sanitize.js';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_PEM = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs1', format: 'pem' })
  .toString();
const bodyLines = (pem: string) => pem.split('\n').filter((l) => l && !l.startsWith('-----'));

function expectNoKey(text: string, pem: string): void {
  for (const line of bodyLines(pem)) expect(text).not.toContain(line);
  expect(text).not.toContain('PRIVATE KEY-----');
}

describe('scrubSecrets', () => {
  it('replaces a whole private key block in text', () => {
    const out = scrubSecrets(`before\n${KEY_PEM}after`);
    expectNoKey(out, KEY_PEM);
    expect(out).toBe(`before\n${REDACTED_KEY}\nafter`);
  });

  it.each([
    ['sanitized onto one line', (pem: string) => sanitize(pem, 5000)],
    ['with literal \\n escapes', (pem: string) => pem.trim().replace(/\n/g, '\\n')],
    ['truncated before its END line', (pem: string) => pem.slice(0, pem.length - 40)],
    ['with CRLF line ends', (pem: string) => pem.replace(/\n/g, '\r\n')],
    ['as a JSON string', (pem: string) => JSON.stringify({ value: pem })],
  ])('replaces a key block %s', (_name, damage) => {
    for (const pem of [KEY_PEM, RSA_PEM]) expectNoKey(scrubSecrets(`x ${damage(pem)} y`), pem);
  });

  it('replaces base64-encoded PEM', () => {
    const encoded = Buffer.from(KEY_PEM).toString('base64');
    expect(scrubSecrets(`value: ${encoded}`)).toBe(`value: ${REDACTED_KEY}`);
  });

  it('replaces bearer tokens but keeps placeholders and prose about the prefix', () => {
    expect(scrubSecrets('authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc_def-123')).toBe(
      'authorization: Bearer [redacted]'
    );
    expect(scrubSecrets('bearer CANARYAPIKEY-1234567890 sent')).toBe('bearer [redacted] sent');
    const prose = 'Remove the "Bearer " prefix: the server receives "Bearer Bearer ..."; send "Bearer <key>"';
    expect(scrubSecrets(prose)).toBe(prose);
  });

  it('replaces known secret values and each long line of a known multi-line secret', () => {
    const out = scrubSecrets(`key=CANARYAPIKEY-1234567890 line=${bodyLines(KEY_PEM)[1]}`, [
      'CANARYAPIKEY-1234567890',
      KEY_PEM,
    ]);
    expect(out).toBe('key=[redacted] line=[redacted]');
  });

  it('ignores known values too short to be told from ordinary words', () => {
    expect(scrubSecrets('value true', ['true'])).toBe('value true');
  });

  it('keeps JSON valid when scrubbing every string of a value', () => {
    const value = { a: [`k ${KEY_PEM.trim()}`, 'Bearer abcdefghijk'], b: { c: 1, d: null } };
    const scrubbed = scrubDeep(value);
    expect(scrubbed).toEqual({ a: [`k ${REDACTED_KEY}`, 'Bearer [redacted]'], b: { c: 1, d: null } });
    expect(() => JSON.parse(JSON.stringify(scrubbed))).not.toThrow();
  });
});
