import { describe, expect, it } from '@jest/globals';
import { quoted, sanitize, visible } from '../../../src/text/sanitize.js';

describe('sanitize', () => {
  it('strips escapes and control characters and bounds the length', () => {
    expect(sanitize('ok \u001b[31mred\u001b[0m\u0007 line\nnext')).toBe('ok red line ⏎ next');
    expect(sanitize('x'.repeat(20), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('visible', () => {
  it('leaves a clean value as it is', () => {
    expect(visible('my-ns.a1b2c.tmprl.cloud:7233')).toBe('my-ns.a1b2c.tmprl.cloud:7233');
  });

  it('shows a value with control characters or escapes quoted and escaped, not stripped into a clean-looking one', () => {
    expect(visible('local\u0007host:7233')).toBe('"local\\u0007host:7233"');
    expect(visible('localhost\u001b[31m:7233')).toBe('"localhost\\u001b[31m:7233"');
    expect(visible('localhost:7233\n')).toBe('"localhost:7233\\n"');
    expect(visible('evil\u202egpj.exe')).toBe('"evil\\u202egpj.exe"');
    expect(visible('del\u007f')).toBe('"del\\u007f"');
  });
});

describe('quoted', () => {
  it('quotes and escapes what sanitize would strip, bidi marks included', () => {
    expect(quoted('local\u0007host')).toBe('"local\\u0007host"');
    expect(sanitize(quoted('evil\u202egpj'))).toBe('"evil\\u202egpj"');
  });
});
