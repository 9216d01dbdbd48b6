import { describe, expect, it } from '@jest/globals';
import { runInPty } from '../support/pty.js';

describe('runInPty', () => {
  it('gives the command a terminal of the asked width', () => {
    const run = runInPty('sh', ['-c', 'stty size; test -t 1 && echo tty'], {
      cols: 80,
      rows: 24,
      env: { PATH: process.env.PATH },
    });
    expect(run.output).toContain('24 80');
    expect(run.output).toContain('tty');
    expect(run.exit).toBe(0);
  });

  it('delivers Ctrl-C as the terminal does: SIGINT to the foreground process', () => {
    const run = runInPty('sh', ['-c', 'sleep 10'], {
      env: { PATH: process.env.PATH },
      script: [[300, '^C']],
      timeoutMs: 5000,
    });
    expect(run.signal).toBe('SIGINT');
    expect(run.timedOut).toBe(false);
    expect(run.elapsedMs).toBeLessThan(4000);
  });
});
