// The spinner runs only on a terminal that reports its width: ora computes the lines to clear by dividing by it, and
// a pty with 0 columns (`script`, some CI runners) made it clear lines forever.
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createSpinnerProgress } from '../../../src/cli/progress.js';
import type { StageReport } from '../../../src/facts.js';

class FakeTerminal extends Writable {
  text = '';
  isTTY = true;
  constructor(readonly columns: number) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  cursorTo(): boolean {
    return true;
  }
  moveCursor(): boolean {
    return true;
  }
  clearLine(): boolean {
    return true;
  }
}

const report: StageReport = { id: 'config', title: 'Configuration', status: 'pass', durationMs: 1, checks: [] };

async function spinThrough(terminal: FakeTerminal): Promise<void> {
  const progress = await createSpinnerProgress(terminal);
  progress({ type: 'stage:start', stage: 'config', title: 'Configuration' });
  progress({ type: 'stage:progress', stage: 'config', text: 'Reading temporal.toml' });
  progress({ type: 'stage:end', report });
  progress.stop();
}

describe('createSpinnerProgress', () => {
  it('spins on a terminal that reports its width', async () => {
    const terminal = new FakeTerminal(80);
    await spinThrough(terminal);
    expect(terminal.text).toContain('Configuration');
  });

  // Before the guard this did not return at all (ora cleared lines in an endless synchronous loop).
  it('stays silent, and returns, on a terminal that reports 0 columns', async () => {
    const terminal = new FakeTerminal(0);
    await spinThrough(terminal);
    expect(terminal.text).toBe('');
  });
});
