import { describe, expect, it } from '@jest/globals';
import {
  SecretRegistry,
  attachSecrets,
  encodedForms,
  isUnscrubbable,
  secretsOf,
  urlPassword,
  withoutUrlPassword,
} from '../../../src/text/secret-registry.js';
import { Secret } from '../../../src/text/secret.js';
import { addResolvedSecrets, secretsFromInput } from '../../../src/config/run-secrets.js';
import { flag, makeConfig } from '../../support/stage-context.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('SecretRegistry: encoded forms', () => {
  const token = 'codecsecret_XYZ123';
  const registry = new SecretRegistry().addAuthorization(`Bearer ${token}`);

  it.each([
    ['the whole header value', `Bearer ${token}`],
    ['the token alone', token],
    ['base64 of the header value', b64(`Bearer ${token}`)],
    ['base64 of the token', b64(token)],
    ['base64 without padding', b64(token).replace(/=+$/, '')],
    ['URL-encoded header value', encodeURIComponent(`Bearer ${token}`)],
    ['form-encoded header value', `Bearer+${token}`],
  ])('replaces %s', (_name, form) => {
    expect(registry.scrub(`server said: ${form}.`)).not.toContain(form);
  });

  it('replaces base64url where it differs from base64', () => {
    const value = 'ab?>ab?>ab?>';
    const url = Buffer.from(value).toString('base64url');
    expect(url).not.toBe(b64(value));
    expect(new SecretRegistry().add(value).scrub(`x ${url} y`)).toBe('x [redacted] y');
  });

  it('lists the forms it looks for', () => {
    expect(encodedForms('a b')).toEqual(expect.arrayContaining(['YSBi', 'a%20b', 'a+b']));
  });

  it('reads the password of a Basic credential', () => {
    const basic = new SecretRegistry().addAuthorization(`Basic ${b64('user:hunter2pw')}`);
    expect(basic.scrub('pw was hunter2pw')).toBe('pw was [redacted]');
  });

  it('replaces a multi-line key line by line too', () => {
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49\nAwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';
    const registry3 = new SecretRegistry().add(new Secret(key));
    expect(registry3.scrub('echo: MIGHAgEAMBMGByqGSM49AgEGCCqGSM49 end')).toBe('echo: [redacted] end');
  });
});

describe('SecretRegistry: the short-value rule', () => {
  it('replaces a short value where it stands as a whole token', () => {
    const registry = new SecretRegistry().add('Zq9x7').add('aé1');
    expect(registry.scrub('denied key Zq9x7 meta x-t=Zq9x7, "Zq9x7"')).toBe(
      'denied key [redacted] meta x-t=[redacted], "[redacted]"'
    );
    expect(registry.scrub('Metadata string value "Bearer aé1" contains illegal characters')).toBe(
      'Metadata string value "Bearer [redacted]" contains illegal characters'
    );
  });

  it('leaves a short value inside a longer word, a host name or another value alone', () => {
    const registry = new SecretRegistry().add('acct12').add('Zq9x7');
    expect(registry.scrub('Set --namespace to myns.acct12 (myns.acct12.tmprl.cloud:7233)')).toBe(
      'Set --namespace to myns.acct12 (myns.acct12.tmprl.cloud:7233)'
    );
    expect(registry.scrub('xZq9x7y Zq9x7abc abc-Zq9x7')).toBe('xZq9x7y Zq9x7abc abc-Zq9x7');
  });

  it('never treats common words, report keys or numbers as secrets', () => {
    for (const value of ['checks', 'default', 'true', '7233', 'pass', 'status', 'ab']) {
      expect(isUnscrubbable(value)).toBe(true);
    }
    const registry = new SecretRegistry().add('checks').add('7233').add('ab');
    const json = '{"checks": [], "address": "localhost:7233", "ab": 1}';
    expect(registry.scrub(json)).toBe(json);
  });

  it('replaces a value of 8 or more characters anywhere, also inside a word', () => {
    const registry = new SecretRegistry().add('Sk29aQ71zz');
    expect(registry.scrub('xSk29aQ71zzy')).toBe('x[redacted]y');
    expect(isUnscrubbable('Sk29aQ71zz')).toBe(false);
    expect(isUnscrubbable('hunter')).toBe(false);
  });

  it('the pattern scrub still catches what nobody registered', () => {
    const registry = new SecretRegistry();
    expect(registry.scrub('authorization: Bearer sk_tést_secretvalue123 token=rawtokenvalue123')).toBe(
      'authorization: Bearer [redacted] token=[redacted]'
    );
    expect(registry.scrub('set TEMPORAL_API_KEY=<your key>')).toBe('set TEMPORAL_API_KEY=<your key>');
  });
});

describe('SecretRegistry: scrubbing structures and errors', () => {
  it('keeps JSON keys and structure, scrubs values', () => {
    const registry = new SecretRegistry().add('s3cr3tvalue');
    expect(registry.scrubDeep({ s3cr3tvalue: ['x s3cr3tvalue'], n: 1 })).toEqual({
      s3cr3tvalue: ['x [redacted]'],
      n: 1,
    });
  });

  it('scrubs an error, its details and its causes in place', () => {
    const error = Object.assign(new Error('bad key abcdefgh12', { cause: new Error('again abcdefgh12') }), {
      details: 'abcdefgh12',
    });
    new SecretRegistry().add('abcdefgh12').scrubError(error);
    expect([error.message, (error.cause as Error).message, error.details]).toEqual([
      'bad key [redacted]',
      'again [redacted]',
      '[redacted]',
    ]);
  });

  it('cuts untrusted text only after scrubbing, so no prefix of a secret survives', () => {
    const secret = 'Q'.repeat(30);
    const out = new SecretRegistry().add(secret).untrusted(`${'x'.repeat(490)}${secret}`, 500);
    expect(out).not.toContain('QQQQQ');
  });

  it('renderers find the registry attached to a report', () => {
    const registry = new SecretRegistry().add('attachedSecret9');
    const doc = attachSecrets({ text: 'attachedSecret9' }, registry);
    expect(secretsOf(doc).scrub(doc.text)).toBe('[redacted]');
    expect(secretsOf({ text: 'x' }).size).toBe(0);
  });
});

describe('URL credentials', () => {
  it.each([
    ['http://user:pw123@proxy:3128', 'pw123', 'http://user:***@proxy:3128'],
    ['user:proxypass123@127.0.0.1:3128', 'proxypass123', 'user:***@127.0.0.1:3128'],
    ['http://u:p@ss@proxypass123@127.0.0.1:3128/x', 'p@ss@proxypass123', 'http://u:***@127.0.0.1:3128/x'],
    ['https://user:sec/ret@myhost:7233', 'sec/ret', 'https://user:***@myhost:7233'],
    ['http://proxy:3128', undefined, 'http://proxy:3128'],
    ['http://justuser@proxy:3128', undefined, 'http://justuser@proxy:3128'],
  ])('%s', (url, password, shown) => {
    expect(urlPassword(url)).toBe(password);
    expect(withoutUrlPassword(url)).toBe(shown);
  });
});

describe('the run registry is fed by every source', () => {
  it('flags, environment, metadata variables, proxy variables and the codec token', () => {
    const registry = secretsFromInput(
      { apiKey: 'flagApiKey_123', grpcMeta: ['x-a=Bearer metaTok_456'], codecAuth: 'Bearer codecTok_789' },
      {
        TEMPORAL_GRPC_META_X_B: 'envMeta_0123',
        https_proxy: 'http://u:proxyPw_4567@proxy:3128',
        TEMPORAL_ADDRESS: 'https://u:addrPw_8910@host:7233',
      }
    );
    const text = [
      'flagApiKey_123',
      b64('Bearer flagApiKey_123'),
      'metaTok_456',
      'codecTok_789',
      'envMeta_0123',
      'proxyPw_4567',
      'addrPw_8910',
    ].join(' ');
    expect(registry.scrub(text)).toBe(Array(7).fill('[redacted]').join(' '));
  });

  it('the resolved configuration: profile api key, metadata, codec auth, inline key', () => {
    const config = makeConfig({
      apiKey: flag(new Secret('profileKey_1234'), 'api_key'),
      grpcMeta: { 'x-t': flag(new Secret('profileMeta_5678'), 'grpc_meta') },
      codecAuth: flag(new Secret('Bearer profileCodec_91'), 'codec.auth'),
    });
    const registry = addResolvedSecrets(new SecretRegistry(), config);
    expect(registry.scrub('profileKey_1234 profileMeta_5678 profileCodec_91')).toBe('[redacted] [redacted] [redacted]');
  });
});
