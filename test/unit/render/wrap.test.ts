import { describe, expect, it } from '@jest/globals';
import { Chalk } from 'chalk';
import { keepWhole, nowrap, visibleWidth, wrapLine, wrapText } from '../../../src/render/wrap.js';

const chalk = new Chalk({ level: 1 });
// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('wrapLine', () => {
  it('leaves a line that fits alone', () => {
    expect(wrapLine('short line', 20)).toEqual(['short line']);
  });

  it('breaks at spaces with a hanging indent two columns past the line own indent, never inside a word', () => {
    const lines = wrapLine('    fix: Start the Temporal server, or set --address to where it listens.', 30);
    expect(lines).toEqual([
      '    fix: Start the Temporal',
      '      server, or set --address',
      '      to where it listens.',
    ]);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
  });

  it('does not count colour escapes as width, and closes and reopens a colour across the break', () => {
    const line = chalk.red(`Root cause: ${'word '.repeat(10).trim()}`);
    const lines = wrapLine(line, 24);
    expect(lines.map((l) => visibleWidth(l))).toEqual(lines.map((l) => plain(l).length));
    expect(lines.every((l) => visibleWidth(l) <= 24)).toBe(true);
    expect(lines[0]).toMatch(/\u001b\[0m$/);
    expect(lines[1]).toMatch(/^ {2}\u001b\[31m/);
    expect(plain(lines.join(' ')).split(/\s+/)).toEqual(plain(line).split(' '));
  });

  it('breaks a token wider than a whole line after punctuation, and only such a token', () => {
    const url = 'https://codec.example.com/very/long/path/that/does/not/fit/anywhere/at/all';
    const lines = wrapLine(`endpoint: ${url}`, 30);
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(
      lines
        .map((l) => l.trim())
        .join('')
        .replace('endpoint:', '')
    ).toBe(url);
    expect(lines[1]?.trim().endsWith('/')).toBe(true);
  });
});

describe('wrapText', () => {
  it('wraps nothing without a width, and turns glue back into spaces', () => {
    const text = `a ${'long '.repeat(40)}\n  ${nowrap('(3 ms)')}\n`;
    expect(wrapText(text, undefined)).toBe(text.replaceAll('\uE000', ' '));
  });

  it('keeps a glued phrase and a value kept whole on one line', () => {
    const value = keepWhole('refused after 4 ms (ECONNREFUSED)', 44, 10);
    const lines = wrapText(`        127.0.0.1:7233: ${value} ${nowrap('(3 ms)')}`, 44).split('\n');
    expect(lines).toEqual([
      '        127.0.0.1:7233:',
      '          refused after 4 ms (ECONNREFUSED)',
      '          (3 ms)',
    ]);
  });

  it('lets a value too wide for a line of its own wrap normally', () => {
    const value = 'one two three four five six seven eight nine ten';
    expect(keepWhole(value, 30, 10)).toBe(value);
  });
});
