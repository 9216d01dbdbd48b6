// `temporal-doctor explain "<error text>"`: classify a pasted error against the catalog. Pure, total, no I/O.
// Titles and causes come only from the catalog; the pasted text is never echoed back.
import { KNOWN_ERRORS, type ErrorSource, type KnownError, type StageId } from './known-errors.js';

export type ErrorStack = 'client' | 'worker' | 'go-sdk-or-cli' | 'server' | 'unknown';

export interface ExplanationMatch {
  id: string;
  source: ErrorSource;
  stage: StageId;
  title: string;
  causes: string[];
  /** Present when the text hides its cause (a timeout or a bare wrapper). */
  nonDiagnostic?: true;
}

export interface Explanation {
  /** Public JSON field of `explain -o json`: spelled as released. */
  recognised: boolean;
  /** Most specific first: a named reason beats a family (reset, status), which beats a wrapper or timeout. */
  matches: ExplanationMatch[];
  /** Where the text came from, inferred. */
  stack: ErrorStack;
  /** Stage of the best match; absent when nothing matched or the best match is non-diagnostic. */
  stage?: StageId;
  /** The exact temporal-doctor command that would confirm it; the full staged check when the text says nothing. */
  command: string;
  nextStep: string;
}

/** Huge pastes (whole logs) stay fast: the error is near the start, and every pattern is bounded. */
export const MAX_EXPLAINED_CHARS = 20_000;

const BASE_COMMAND = 'temporal-doctor --address <your address> --namespace <your namespace>';

const NEXT_STEP_UNKNOWN =
  'This text is not in the catalog of known errors: run the full staged check above to find the first stage that fails.';
const NEXT_STEP_NON_DIAGNOSTIC =
  'This message is non-diagnostic (it hides the real DNS, TCP, TLS or HTTP/2 cause), so run the full staged check above to see which stage fails.';

// Markers of each stack, checked in this order: the Worker's Rust Debug text and the Go SDK's wording are unmistakable,
// the Client's grpc-js / Node OpenSSL wording less so.
const STACK_MARKERS: ReadonlyArray<{ stack: ErrorStack; pattern: RegExp }> = [
  {
    stack: 'worker',
    pattern:
      /TransportError|tonic::|hyper::Error|Failed to call GetSystemInfo|get_system_info|core-bridge|Failed client connect|Server connection error|InvalidCertificate|Custom \{ kind:|Invalid metadata key: Invalid ASCII/i,
  },
  {
    stack: 'go-sdk-or-cli',
    pattern:
      /failed reaching server|x509: |\btls: |error reading server preface|connection error: desc =|context deadline exceeded|rpc error: code =/i,
  },
  {
    stack: 'client',
    pattern:
      /\b\d{1,2} [A-Z][A-Z_]{4,}: |Failed to connect before the deadline|Failed to connect to Temporal server|ERR_OSSL|ERR_TLS_|routines::|deps\/openssl|Metadata (?:key|string value) |Name resolution failed for target|grpc-js/,
  },
];

const STACK_OF_SOURCE: Record<ErrorSource, ErrorStack> = {
  client: 'client',
  openssl: 'client',
  worker: 'worker',
  runtime: 'worker',
  go: 'go-sdk-or-cli',
  server: 'server',
  sdk: 'unknown',
  envconfig: 'unknown',
};

/** 0 ranks first. */
function breadthRank(entry: KnownError): number {
  if (entry.nonDiagnostic || entry.breadth === 'wrapper') return 2;
  if (entry.breadth === 'family') return 1;
  return 0;
}

function toMatch(entry: KnownError): ExplanationMatch {
  return {
    id: entry.id,
    source: entry.source,
    stage: entry.stage,
    title: entry.title,
    causes: [...entry.causes],
    ...(entry.nonDiagnostic ? { nonDiagnostic: true as const } : {}),
  };
}

function inferStack(text: string, best: KnownError | undefined): ErrorStack {
  for (const marker of STACK_MARKERS) if (marker.pattern.test(text)) return marker.stack;
  return best ? STACK_OF_SOURCE[best.source] : 'unknown';
}

function rankedEntries(text: string): KnownError[] {
  const hits: Array<{ entry: KnownError; at: number; order: number }> = [];
  KNOWN_ERRORS.forEach((entry, order) => {
    // search() ignores lastIndex, so a catalog pattern given the g flag by mistake still behaves.
    const at = text.search(entry.pattern);
    if (at >= 0) hits.push({ entry, at, order });
  });
  // Within a breadth, the later match wins: wrappers print outside-in, so the innermost cause comes last.
  hits.sort((a, b) => breadthRank(a.entry) - breadthRank(b.entry) || b.at - a.at || a.order - b.order);
  return hits.map((hit) => hit.entry);
}

function commandFor(best: KnownError | undefined, stack: ErrorStack): string {
  if (!best || best.nonDiagnostic) return BASE_COMMAND;
  const stackFlag = stack === 'client' || stack === 'worker' ? [`--stack ${stack}`] : [];
  return [BASE_COMMAND, ...best.confirmWith, ...stackFlag, `--only ${best.stage}`].join(' ');
}

function nextStepFor(best: KnownError | undefined): string {
  if (!best) return NEXT_STEP_UNKNOWN;
  if (best.nonDiagnostic) return NEXT_STEP_NON_DIAGNOSTIC;
  const likely = best.causes[0];
  const because = likely === undefined ? '' : `; most likely: ${likely}`;
  return `Run the command above to confirm it at the ${best.stage} stage${because}.`;
}

function unrecognized(): Explanation {
  return { recognised: false, matches: [], stack: 'unknown', command: BASE_COMMAND, nextStep: NEXT_STEP_UNKNOWN };
}

export function explainError(text: string): Explanation {
  if (typeof text !== 'string') return unrecognized();
  try {
    // Collapse whitespace so messages with embedded newlines (proxy errors, backtraces) read as one line.
    const normalized = text.slice(0, MAX_EXPLAINED_CHARS).replace(/\s+/g, ' ');
    const entries = rankedEntries(normalized);
    const best = entries[0];
    const stack = inferStack(normalized, best);
    return {
      recognised: best !== undefined,
      matches: entries.map(toMatch),
      stack,
      ...(best && !best.nonDiagnostic ? { stage: best.stage } : {}),
      command: commandFor(best, stack),
      nextStep: nextStepFor(best),
    };
  } catch {
    // Classification is advice: a surprise must never turn into a crash of the command that explains crashes.
    return unrecognized();
  }
}
