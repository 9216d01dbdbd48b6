// colorLevel decides the chalk level of the text report from --color, the environment and whether stdout is a
// terminal; chalkFor builds the chalk instance.
import { describe, expect, it } from '@jest/globals';
import { chalkFor, colorLevel, type ColorMode } from '../../../src/cli/color.js';

const TTY = true;
const PIPE = false;

describe('colorLevel', () => {
  describe('--color never', () => {
    it('is 0 whatever the terminal and the environment say', () => {
      expect(colorLevel('never', {}, TTY)).toBe(0);
      expect(colorLevel('never', {}, PIPE)).toBe(0);
      expect(colorLevel('never', { FORCE_COLOR: '3' }, TTY)).toBe(0);
    });
  });

  describe('--color always', () => {
    it('is 1 (16 colours), on a terminal and in a pipe', () => {
      expect(colorLevel('always', {}, TTY)).toBe(1);
      expect(colorLevel('always', {}, PIPE)).toBe(1);
    });

    it('is 1 even when NO_COLOR, FORCE_COLOR=0 or TERM=dumb says otherwise', () => {
      expect(colorLevel('always', { NO_COLOR: '1' }, PIPE)).toBe(1);
      expect(colorLevel('always', { FORCE_COLOR: '0' }, PIPE)).toBe(1);
      expect(colorLevel('always', { TERM: 'dumb' }, PIPE)).toBe(1);
    });

    it('stays 1 when FORCE_COLOR asks for more colours', () => {
      expect(colorLevel('always', { FORCE_COLOR: '3' }, TTY)).toBe(1);
    });
  });

  describe('--color auto', () => {
    it('is 1 on a terminal and 0 in a pipe when the environment says nothing', () => {
      expect(colorLevel('auto', {}, TTY)).toBe(1);
      expect(colorLevel('auto', {}, PIPE)).toBe(0);
    });

    it('is 0 with NO_COLOR set to any non-empty value, even on a terminal and with FORCE_COLOR', () => {
      expect(colorLevel('auto', { NO_COLOR: '1' }, TTY)).toBe(0);
      expect(colorLevel('auto', { NO_COLOR: 'false' }, TTY)).toBe(0);
      expect(colorLevel('auto', { NO_COLOR: '1', FORCE_COLOR: '3' }, TTY)).toBe(0);
    });

    it('ignores an empty NO_COLOR', () => {
      expect(colorLevel('auto', { NO_COLOR: '' }, TTY)).toBe(1);
      expect(colorLevel('auto', { NO_COLOR: '' }, PIPE)).toBe(0);
    });

    it('follows FORCE_COLOR, terminal or not: 0 and false turn colour off, 2 and 3 pick that level, anything else is 1', () => {
      const cases: Array<[string, 0 | 1 | 2 | 3]> = [
        ['0', 0],
        ['false', 0],
        ['1', 1],
        ['2', 2],
        ['3', 3],
        ['', 1],
        ['true', 1],
        ['4', 1],
        ['yes', 1],
      ];
      for (const [force, level] of cases) {
        expect([force, colorLevel('auto', { FORCE_COLOR: force }, PIPE)]).toEqual([force, level]);
        expect([force, colorLevel('auto', { FORCE_COLOR: force }, TTY)]).toEqual([force, level]);
      }
    });

    it('gives TERM=dumb no colour, even on a terminal, unless FORCE_COLOR asks for it; other TERMs change nothing', () => {
      expect(colorLevel('auto', { TERM: 'dumb' }, TTY)).toBe(0);
      expect(colorLevel('auto', { TERM: 'dumb', FORCE_COLOR: '1' }, TTY)).toBe(1);
      expect(colorLevel('auto', { TERM: 'xterm-256color' }, TTY)).toBe(1);
      expect(colorLevel('auto', { TERM: 'dumb' }, PIPE)).toBe(0);
      expect(colorLevel('auto', { TERM: 'xterm-256color' }, PIPE)).toBe(0);
    });
  });
});

describe('chalkFor', () => {
  const modes: Array<[ColorMode, Record<string, string>, boolean, number]> = [
    ['always', {}, PIPE, 1],
    ['never', {}, TTY, 0],
    ['auto', {}, TTY, 1],
    ['auto', {}, PIPE, 0],
    ['auto', { FORCE_COLOR: '3' }, PIPE, 3],
    ['auto', { NO_COLOR: '1' }, TTY, 0],
  ];

  it.each(modes)('%s with %j (tty %s) builds a chalk of level %d', (mode, env, isTTY, level) => {
    expect(chalkFor(mode, env, isTTY).level).toBe(level);
  });

  it('paints with ANSI escapes at level 1 and leaves text plain at level 0, whatever the process environment says', () => {
    // test/support/env.ts sets NO_COLOR in this process: the instance must follow its own level, not process.env.
    expect(chalkFor('always', {}, PIPE).red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(chalkFor('always', {}, PIPE).bold('x')).toBe('\u001b[1mx\u001b[22m');
    expect(chalkFor('never', {}, TTY).red('x')).toBe('x');
    expect(chalkFor('auto', {}, PIPE).red('x')).toBe('x');
  });
});
