// Live progress on stderr: an ora spinner per running stage, only for text output on an interactive terminal.
import type { Writable } from 'node:stream';
import type { ProgressEvent } from '../facts.js';

export type ProgressSink = ((event: ProgressEvent) => void) & { stop(): void };

export async function createSpinnerProgress(
  stream: Writable,
  /** The run's secret scrub: a progress line may name what a server said. */
  scrub: (text: string) => string = (text) => text
): Promise<ProgressSink> {
  // ora divides by the terminal's width to know how many lines to clear: a pty that reports 0 columns (`script`, some
  // CI runners and container shells) would have it clear lines forever, at full CPU. No width, no spinner.
  const columns = (stream as Partial<NodeJS.WriteStream>).columns;
  if (!(typeof columns === 'number' && columns > 0)) return Object.assign(() => {}, { stop: () => {} });
  // Loaded lazily: JSON and CI runs never pay for ora.
  const { default: ora } = await import('ora');
  let spinner: ReturnType<typeof ora> | undefined;
  const sink = ((event: ProgressEvent) => {
    if (event.type === 'stage:start') {
      // discardStdin off: ora's stdin discarder puts the terminal in raw mode, where Ctrl-C is a byte it never reads
      // instead of SIGINT, so the run could not be interrupted while a spinner showed
      // (docs/research/node-platform.md#signals-and-the-spinner).
      spinner = ora({ text: scrub(event.title), stream: stream as NodeJS.WriteStream, discardStdin: false }).start();
    } else if (event.type === 'stage:progress' && spinner) {
      spinner.text = scrub(event.text);
    } else if (event.type === 'stage:end') {
      // Transient only: the report on stdout is the record, so nothing is left behind on stderr.
      spinner?.stop();
      spinner = undefined;
    }
  }) as ProgressSink;
  sink.stop = () => spinner?.stop();
  return sink;
}
