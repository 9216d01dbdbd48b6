import { Chalk, type ChalkInstance } from 'chalk';

export type ColorMode = 'auto' | 'always' | 'never';

/** NO_COLOR wins in auto mode, then FORCE_COLOR, then TERM=dumb (no colour), then whether stdout is a terminal. */
export function chalkFor(mode: ColorMode, env: Record<string, string | undefined>, isTTY: boolean): ChalkInstance {
  return new Chalk({ level: colorLevel(mode, env, isTTY) });
}

export function colorLevel(mode: ColorMode, env: Record<string, string | undefined>, isTTY: boolean): 0 | 1 | 2 | 3 {
  if (mode === 'never') return 0;
  if (mode === 'always') return 1;
  if (env.NO_COLOR) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n === 2 || n === 3 ? n : 1;
  }
  // TERM=dumb: a terminal that cannot show escapes (Emacs shell buffers, some CI consoles), as chalk and ls read it.
  if (env.TERM === 'dumb') return 0;
  return isTTY ? 1 : 0;
}
