import { describe, it, expect } from '@jest/globals';
import { runPipeline } from '../../../src/pipeline/run-pipeline.js';
import { defineStage, type Stage, type StageId } from '../../../src/pipeline/types.js';
import { fail, pass } from '../../../src/pipeline/check.js';
import { withDefaults } from '../../../src/options.js';
import { findRootCause, overallStatus, exitCodeFor } from '../../../src/report/verdict.js';

// Fake stages reuse real stage ids: the runner only cares about ids, needs and facts.
const passing = (id: StageId, needs: StageId[] = []) =>
  defineStage({ id, title: id, needs, run: async () => ({ checks: [pass(`${id}.ok`, 'fine')], facts: {} as never }) });
const failing = (id: StageId, needs: StageId[] = []) =>
  defineStage({ id, title: id, needs, run: async () => ({ checks: [fail(`${id}.broken`, 'broken here', { fix: 'mend it' })] }) });
const throwing = (id: StageId) =>
  defineStage({ id, title: id, needs: [], run: async () => { throw new Error('boom \u001b[31mred\u001b[0m'); } });
const hanging = (id: StageId) =>
  defineStage({ id, title: id, needs: [], run: () => new Promise<never>(() => {}) });

const stages = (...list: Stage<StageId, StageId>[]) => list as unknown as Stage<StageId, StageId>[];
const options = (over: Partial<Parameters<typeof withDefaults>[0]> = {}) => withDefaults({ timeoutMs: 200, ...over });

describe('runPipeline', () => {
  it('skips a stage whose need failed, naming the failing check', async () => {
    const { stages: reports } = await runPipeline(stages(failing('config'), passing('pem', ['config'])), options());
    expect(reports[1]).toMatchObject({ id: 'pem', status: 'skip', skippedBecause: 'config failed: broken here' });
    expect(findRootCause(reports)).toMatchObject({ stage: 'config', check: 'config.broken', fix: 'mend it' });
    expect(overallStatus(reports)).toBe('fail');
  });

  it('runs stages that do not need the failed one', async () => {
    const { stages: reports } = await runPipeline(
      stages(passing('config'), failing('pem', ['config']), passing('endpoint', ['config'])),
      options()
    );
    expect(reports.map((r) => r.status)).toEqual(['pass', 'fail', 'pass']);
  });

  it('turns a thrown error into <stage>.crashed with a sanitised cause', async () => {
    const { stages: reports } = await runPipeline(stages(throwing('config')), options());
    const check = reports[0]?.checks[0];
    expect(check).toMatchObject({ id: 'config.crashed', status: 'fail' });
    expect(check?.cause?.message).toBe('boom red');
  });

  it('gives up on a stage that never settles, after its deadline plus grace', async () => {
    const started = Date.now();
    const { stages: reports } = await runPipeline(stages(hanging('config')), options({ timeoutMs: 100 }));
    expect(reports[0]?.checks[0]?.id).toBe('config.deadline');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('runs only the selected stage and what it needs with --only', async () => {
    const { stages: reports } = await runPipeline(
      stages(passing('config'), passing('pem', ['config']), passing('endpoint', ['config'])),
      options({ only: ['endpoint'] })
    );
    expect(reports.map((r) => r.status)).toEqual(['pass', 'skip', 'pass']);
    expect(reports[1]?.skippedBecause).toBe('not selected by --only');
  });
});

describe('runPipeline trouble signs', () => {
  const troubled = (id: StageId, after: 'during' | 'after-end') =>
    defineStage({
      id,
      title: id,
      needs: [],
      run: async (ctx) => {
        if (after === 'during') {
          ctx.trouble('peer silent \u001b[31mfor\u001b[0m 150 ms');
          ctx.trouble('and still silent');
        } else {
          setTimeout(() => ctx.trouble('too late'), 10);
        }
        return { checks: [pass(`${id}.ok`, 'fine')], facts: {} as never };
      },
    });

  it('passes a stage sign on once, sanitised, with the facts so far', async () => {
    const seen: Array<[string, string, string[]]> = [];
    await runPipeline(stages(passing('config'), troubled('tls', 'during')), options(), undefined, {
      onTrouble: (stage, sign, facts) => seen.push([stage, sign, Object.keys(facts)]),
    });
    expect(seen).toEqual([['tls', 'peer silent for 150 ms', ['config']]]);
  });

  it('drops a sign that comes after the stage ended', async () => {
    const seen: string[] = [];
    await runPipeline(stages(troubled('tls', 'after-end')), options(), undefined, { onTrouble: (_stage, sign) => seen.push(sign) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });

  it('calls afterStage after every stage that ran', async () => {
    const seen: string[] = [];
    await runPipeline(stages(passing('config'), failing('pem', ['config']), passing('endpoint', ['pem'])), options(), undefined, {
      afterStage: (report) => seen.push(`${report.id}:${report.status}`),
    });
    expect(seen).toEqual(['config:pass', 'pem:fail']);
  });
});

describe('runPipeline run scope', () => {
  it('hands what a stage kept to later stages and releases it once the stages are done, even after a crash', async () => {
    const events: string[] = [];
    const keeping = defineStage({
      id: 'grpc',
      title: 'grpc',
      needs: [],
      run: async (ctx) => {
        ctx.run.keep('connection', 'conn-1', () => {
          events.push('released conn-1');
        });
        return { checks: [pass('grpc.ok', 'fine')], facts: {} as never };
      },
    });
    const using = defineStage({
      id: 'namespace',
      title: 'namespace',
      needs: ['grpc'],
      run: async (ctx) => {
        events.push(`used ${ctx.run.kept<string>('connection')}`);
        throw new Error('boom');
      },
    });
    const { stages: reports } = await runPipeline(stages(keeping, using), options());
    expect(reports[1]?.checks[0]?.id).toBe('namespace.crashed');
    expect(events).toEqual(['used conn-1', 'released conn-1']);
  });

  it('hands a kept value over once with take(): the taker releases it, the runner does not', async () => {
    const events: string[] = [];
    const keeping = defineStage({
      id: 'tcp',
      title: 'tcp',
      needs: [],
      run: async (ctx) => {
        ctx.run.keep('socket', 'socket-1', () => {
          events.push('runner released socket-1');
        });
        return { checks: [pass('tcp.ok', 'fine')], facts: {} as never };
      },
    });
    const taking = defineStage({
      id: 'tls',
      title: 'tls',
      needs: [],
      run: async (ctx) => {
        events.push(`took ${ctx.run.take<string>('socket')}`, `then ${String(ctx.run.take<string>('socket'))}`);
        return { checks: [pass('tls.ok', 'fine')] };
      },
    });
    await runPipeline(stages(keeping, taking), options());
    expect(events).toEqual(['took socket-1', 'then undefined']);
  });

  it('releases at once what a stage keeps after the run has ended (a stage the runner gave up on)', async () => {
    const events: string[] = [];
    const late = defineStage({
      id: 'grpc',
      title: 'grpc',
      needs: [],
      run: (ctx) =>
        new Promise(() => {
          setTimeout(() => ctx.run.keep('connection', 'late', () => void events.push('released late')), 1200);
        }),
    });
    await runPipeline(stages(late), options({ timeoutMs: 100 }));
    // The runner returned at its 1100 ms limit; the stage keeps at 1200 ms.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(events).toEqual(['released late']);
  });

  it('does not wait forever for a release that hangs', async () => {
    const hangingRelease = defineStage({
      id: 'grpc',
      title: 'grpc',
      needs: [],
      run: async (ctx) => {
        ctx.run.keep('connection', 'stuck', () => new Promise<void>(() => {}));
        return { checks: [pass('grpc.ok', 'fine')] };
      },
    });
    const started = Date.now();
    await runPipeline(stages(hangingRelease), options());
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('exitCodeFor', () => {
  it('is 0 for pass and warn, 1 for fail, and 1 for warn under --strict', () => {
    expect(exitCodeFor({ status: 'pass' })).toBe(0);
    expect(exitCodeFor({ status: 'warn' })).toBe(0);
    expect(exitCodeFor({ status: 'warn' }, { strict: true })).toBe(1);
    expect(exitCodeFor({ status: 'fail' })).toBe(1);
  });
});
