import { describe, it, expect } from '@jest/globals';
import { runPipeline, type AnyStage, type PipelineRun } from '../../../src/pipeline/run-pipeline.js';
import { fail, pass } from '../../../src/pipeline/check.js';
import type { Stage } from '../../../src/pipeline/types.js';

// The runner knows no stage of the doctor: these fake stages have made-up ids, facts and options.
interface FakeFacts {
  a: { n: number };
  b: { n: number };
  c: { n: number };
  d: { n: number };
}
type Id = keyof FakeFacts;
interface FakeOptions {
  label: string;
}
const defineStage = <I extends Id, N extends Id>(stage: Stage<FakeFacts, FakeOptions, I, N>) => stage;

const passing = (id: Id, needs: Id[] = []) =>
  defineStage({ id, title: id, needs, run: async () => ({ checks: [pass(`${id}.ok`, 'fine')], facts: { n: 1 } }) });
const failing = (id: Id, needs: Id[] = []) =>
  defineStage({
    id,
    title: id,
    needs,
    run: async () => ({ checks: [fail(`${id}.broken`, 'broken here', { fix: 'mend it' })] }),
  });
const throwing = (id: Id) =>
  defineStage({
    id,
    title: id,
    needs: [],
    run: async () => {
      throw new Error('boom \u001b[31mred\u001b[0m');
    },
  });
const hanging = (id: Id) => defineStage({ id, title: id, needs: [], run: () => new Promise<never>(() => {}) });

const stages = (...list: AnyStage<FakeFacts, FakeOptions>[]) => list;
const options = (over: Partial<PipelineRun<FakeOptions>> = {}): PipelineRun<FakeOptions> => ({
  options: { label: 'fake' },
  timeoutMs: 200,
  now: () => new Date(0),
  selected: new Set(['a', 'b', 'c', 'd']),
  notSelected: (id) => `${id} left out`,
  texts: { deadlineFix: 'wait longer', crashFix: 'report it' },
  ...over,
});

describe('runPipeline', () => {
  it('leaves out a stage that says it does not apply, judged on the facts so far, with no event', async () => {
    const onlyAfterBigA = (id: Id) =>
      defineStage({
        id,
        title: id,
        needs: [],
        appliesTo: (facts: Partial<FakeFacts>, opts: FakeOptions) => (facts.a?.n ?? 0) > 1 && opts.label === 'fake',
        run: async () => ({ checks: [pass(`${id}.ok`, 'fine')] }),
      });
    const events: string[] = [];
    const { stages: reports } = await runPipeline(
      stages(passing('a'), onlyAfterBigA('b'), passing('c')),
      options(),
      (e) => events.push(`${e.type}:${'stage' in e ? e.stage : e.report.id}`)
    );
    expect(reports.map((r) => r.id)).toEqual(['a', 'c']);
    expect(events.filter((e) => e.endsWith(':b'))).toEqual([]);
    const big = defineStage({ id: 'a', title: 'a', needs: [], run: async () => ({ checks: [], facts: { n: 2 } }) });
    const ran = await runPipeline(stages(big, onlyAfterBigA('b')), options());
    expect(ran.stages.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('skips a stage whose need failed, naming the failing check', async () => {
    const { stages: reports } = await runPipeline(stages(failing('a'), passing('b', ['a'])), options());
    expect(reports[1]).toMatchObject({ id: 'b', status: 'skip', skippedBecause: 'a failed: broken here' });
    expect(reports[0]?.checks[0]).toMatchObject({ id: 'a.broken', fix: 'mend it' });
  });

  it('runs stages that do not need the failed one', async () => {
    const { stages: reports } = await runPipeline(
      stages(passing('a'), failing('b', ['a']), passing('c', ['a'])),
      options()
    );
    expect(reports.map((r) => r.status)).toEqual(['pass', 'fail', 'pass']);
  });

  it('turns a thrown error into <stage>.crashed with a sanitised cause', async () => {
    const { stages: reports } = await runPipeline(stages(throwing('a')), options());
    const check = reports[0]?.checks[0];
    expect(check).toMatchObject({ id: 'a.crashed', status: 'fail' });
    expect(check?.cause?.message).toBe('boom red');
    expect(check?.fix).toBe('report it');
  });

  it('gives up on a stage that never settles, after its deadline plus grace', async () => {
    const started = Date.now();
    const { stages: reports } = await runPipeline(stages(hanging('a')), options({ timeoutMs: 100 }));
    expect(reports[0]?.checks[0]).toMatchObject({ id: 'a.deadline', fix: 'wait longer' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("skips the stages the caller did not select, with the caller's reason", async () => {
    const { stages: reports } = await runPipeline(
      stages(passing('a'), passing('b', ['a']), passing('c', ['a'])),
      options({ selected: new Set(['a', 'c']) })
    );
    expect(reports.map((r) => r.status)).toEqual(['pass', 'skip', 'pass']);
    expect(reports[1]?.skippedBecause).toBe('b left out');
  });
});

describe('runPipeline trouble signs', () => {
  const troubled = (id: Id, after: 'during' | 'after-end') =>
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
        return { checks: [pass(`${id}.ok`, 'fine')], facts: { n: 1 } };
      },
    });

  it('passes a stage sign on once, sanitised, with the facts so far', async () => {
    const seen: Array<[string, string, string[]]> = [];
    await runPipeline(stages(passing('a'), troubled('b', 'during')), options(), undefined, {
      onTrouble: (stage, sign, facts) => seen.push([stage, sign, Object.keys(facts)]),
    });
    expect(seen).toEqual([['b', 'peer silent for 150 ms', ['a']]]);
  });

  it('drops a sign that comes after the stage ended', async () => {
    const seen: string[] = [];
    await runPipeline(stages(troubled('b', 'after-end')), options(), undefined, {
      onTrouble: (_stage, sign) => seen.push(sign),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([]);
  });

  it('calls afterStage after every stage that ran', async () => {
    const seen: string[] = [];
    await runPipeline(stages(passing('a'), failing('b', ['a']), passing('c', ['b'])), options(), undefined, {
      afterStage: (report) => seen.push(`${report.id}:${report.status}`),
    });
    expect(seen).toEqual(['a:pass', 'b:fail']);
  });
});

describe('runPipeline run scope', () => {
  it('hands what a stage kept to later stages and releases it once the stages are done, even after a crash', async () => {
    const events: string[] = [];
    const keeping = defineStage({
      id: 'c',
      title: 'c',
      needs: [],
      run: async (ctx) => {
        ctx.run.keep('connection', 'conn-1', () => {
          events.push('released conn-1');
        });
        return { checks: [pass('c.ok', 'fine')], facts: { n: 1 } };
      },
    });
    const using = defineStage({
      id: 'd',
      title: 'd',
      needs: ['c'],
      run: async (ctx) => {
        events.push(`used ${ctx.run.kept<string>('connection')}`);
        throw new Error('boom');
      },
    });
    const { stages: reports } = await runPipeline(stages(keeping, using), options());
    expect(reports[1]?.checks[0]?.id).toBe('d.crashed');
    expect(events).toEqual(['used conn-1', 'released conn-1']);
  });

  it('hands a kept value over once with take(): the taker releases it, the runner does not', async () => {
    const events: string[] = [];
    const keeping = defineStage({
      id: 'a',
      title: 'a',
      needs: [],
      run: async (ctx) => {
        ctx.run.keep('socket', 'socket-1', () => {
          events.push('runner released socket-1');
        });
        return { checks: [pass('a.ok', 'fine')], facts: { n: 1 } };
      },
    });
    const taking = defineStage({
      id: 'b',
      title: 'b',
      needs: [],
      run: async (ctx) => {
        events.push(`took ${ctx.run.take<string>('socket')}`, `then ${String(ctx.run.take<string>('socket'))}`);
        return { checks: [pass('b.ok', 'fine')] };
      },
    });
    await runPipeline(stages(keeping, taking), options());
    expect(events).toEqual(['took socket-1', 'then undefined']);
  });

  it('releases at once what a stage keeps after the run has ended (a stage the runner gave up on)', async () => {
    const events: string[] = [];
    const late = defineStage({
      id: 'c',
      title: 'c',
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
      id: 'c',
      title: 'c',
      needs: [],
      run: async (ctx) => {
        ctx.run.keep('connection', 'stuck', () => new Promise<void>(() => {}));
        return { checks: [pass('c.ok', 'fine')] };
      },
    });
    const started = Date.now();
    await runPipeline(stages(hangingRelease), options());
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
