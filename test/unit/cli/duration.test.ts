// parseDuration reads --timeout: ms, s, m or a bare number of seconds. These pin what it accepts today.
import { describe, expect, it } from '@jest/globals';
import { parseDuration } from '../../../src/cli/duration.js';

describe('parseDuration', () => {
  it.each([
    ['1500ms', 1500],
    ['1ms', 1],
    ['5s', 5000],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1m', 60_000],
    ['0.5m', 30_000],
    ['90m', 5_400_000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads m as minutes, not seconds or milliseconds', () => {
    expect(parseDuration('2m')).toBe(2 * 60 * 1000);
    expect(parseDuration('2m')).not.toBe(parseDuration('2s'));
    expect(parseDuration('2m')).not.toBe(parseDuration('2ms'));
  });

  it('reads a bare number as seconds', () => {
    expect(parseDuration('5')).toBe(5000);
    expect(parseDuration('0.25')).toBe(250);
  });

  it('ignores the case of the unit and spaces around and before it', () => {
    expect(parseDuration('1500MS')).toBe(1500);
    expect(parseDuration('5S')).toBe(5000);
    expect(parseDuration('2M')).toBe(120_000);
    expect(parseDuration(' 5 s ')).toBe(5000);
    expect(parseDuration('\t250 ms\n')).toBe(250);
  });

  it('rounds to whole milliseconds', () => {
    expect(parseDuration('1.4ms')).toBe(1);
    expect(parseDuration('1.5ms')).toBe(2);
    expect(parseDuration('0.0015s')).toBe(2);
    // Positive before rounding, so a value under half a millisecond comes back as 0 (not undefined).
    expect(parseDuration('0.4ms')).toBe(0);
  });

  it.each([
    '',
    ' ',
    'abc',
    's',
    'ms',
    '5 sec',
    '5h',
    '5d',
    '5us',
    '1e3',
    '1e3ms',
    '.5s',
    '5.s',
    '5,5s',
    '5s5',
    '5 5s',
    '0x10',
    '5sm',
    'Infinity',
    'NaN',
  ])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('rejects zero and negative durations', () => {
    for (const text of ['0', '0s', '0ms', '0m', '0.0s', '-5s', '-1', '-1500ms', '+5s'])
      expect(parseDuration(text)).toBeUndefined();
  });

  it('rejects a number too large to be finite, and keeps a large finite one exact to the millisecond', () => {
    const huge = '9'.repeat(400);
    expect(parseDuration(`${huge}ms`)).toBeUndefined();
    expect(parseDuration(`${huge}s`)).toBeUndefined();
    expect(parseDuration(`${huge}m`)).toBeUndefined();
    expect(parseDuration(huge)).toBeUndefined();
    // 1e306 s is finite as a number of seconds, but not once multiplied to milliseconds.
    expect(parseDuration(`1${'0'.repeat(306)}s`)).toBeUndefined();
    expect(parseDuration('86400000ms')).toBe(86_400_000);
    expect(parseDuration('1000000m')).toBe(60_000_000_000);
  });
});
