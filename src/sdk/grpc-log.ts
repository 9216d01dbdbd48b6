// grpc-js prints the only words that name a proxy's refusal (`Failed to connect to HOST through proxy P with status
// 403`) through its logger, on stderr (docs/research/middleboxes.md#http-connect-proxies). The doctor takes that
// logger over: the lines become evidence, and nothing leaks onto the user's terminal or into a JSON pipe.
import { createRequire } from 'node:module';
import { sanitize } from '../text/sanitize.js';

const KEPT_LINES = 50;
const lines: string[] = [];
let installed = false;

interface GrpcLogging {
  setLogger(logger: Partial<Console>): void;
}

/** Routes the logger of the grpc-js that @temporalio/client loads into the doctor's buffer (once per process). */
export function captureGrpcLog(): void {
  if (installed) return;
  installed = true;
  try {
    const fromClient = createRequire(createRequire(import.meta.url).resolve('@temporalio/client'));
    const grpc = fromClient('@grpc/grpc-js') as GrpcLogging;
    const keep = (...args: unknown[]): void => {
      lines.push(sanitize(args.map(String).join(' '), 400));
      if (lines.length > KEPT_LINES) lines.shift();
    };
    grpc.setLogger({ error: keep, info: keep, debug: keep });
  } catch {
    // No grpc-js beside the client: nothing prints, nothing to capture.
  }
}

/** A mark to read the lines logged after it. */
export function grpcLogMark(): number {
  return lines.length === KEPT_LINES ? -1 : lines.length;
}

/** The proxy lines logged since `mark` (with credentials never in them: grpc-js logs host:port and the status only). */
export function proxyLogLinesSince(mark: number): string[] {
  const recent = mark < 0 ? lines : lines.slice(mark);
  return [
    ...new Set(
      recent.filter((l) => /proxy/i.test(l)).map((l) => l.replace(/^.*?(Failed to connect|Successfully)/, '$1'))
    ),
  ].slice(0, 5);
}
