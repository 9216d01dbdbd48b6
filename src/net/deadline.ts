// Every network wait in the doctor is bounded twice: by its own budget and by the caller's AbortSignal (the stage
// deadline). These helpers make that one line at each call site.

/** What a bounded network call takes. */
export interface Bounds {
  /** Aborted when the caller gives up (the stage deadline); the call returns at once with what it saw. */
  signal: AbortSignal;
  /** Milliseconds this call may take. */
  timeoutMs: number;
}

/** Thrown (as a rejection) when a bounded wait runs out; `waitedMs` says how long it waited. */
export class WaitExpired extends Error {
  override readonly name = 'WaitExpired';
  readonly code = 'ETIMEOUT';
  constructor(readonly waitedMs: number) {
    super(`no answer within ${waitedMs} ms`);
  }
}

/**
 * Races `work` against the budget and the signal. `onGiveUp` releases what `work` holds (sockets, resolvers);
 * it runs only when the wait expires, never after `work` settled.
 */
export function bounded<T>(work: Promise<T>, bounds: Bounds, onGiveUp: () => void = () => {}): Promise<T> {
  const started = performance.now();
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const expire = (): void => {
      if (settled) return;
      settled = true;
      cleanup();
      onGiveUp();
      reject(new WaitExpired(Math.round(performance.now() - started)));
    };
    const timer = setTimeout(expire, Math.max(0, bounds.timeoutMs));
    const cleanup = (): void => {
      clearTimeout(timer);
      bounds.signal.removeEventListener('abort', expire);
    };
    if (bounds.signal.aborted) {
      expire();
      return;
    }
    bounds.signal.addEventListener('abort', expire, { once: true });
    work.then(
      (value) => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(value);
      },
      (error: unknown) => {
        if (settled) return;
        settled = true;
        cleanup();
        // Passed through untouched: errors from node core fail `instanceof Error` across realms (jest's VM), and the
        // caller reads their `code`.
        reject(error as Error);
      }
    );
  });
}

/** A stopwatch over a budget: how much is left of `timeoutMs` since it was created. */
export function budget(timeoutMs: number): { remaining(): number; elapsed(): number } {
  const start = performance.now();
  return {
    elapsed: () => Math.round(performance.now() - start),
    remaining: () => Math.max(0, Math.round(timeoutMs - (performance.now() - start))),
  };
}

/**
 * A wait that is still open after `afterMs` tells its caller so (once), before it gives up: a peer that has not answered
 * in many round trips will most likely never answer, and the caller may start slower work alongside the wait.
 */
export interface SlowAnswerWatch {
  afterMs: number;
  notify(waitedMs: number): void;
}

/** Arms `watch` now; the returned function disarms it (call it when the answer came or the wait ended). */
export function armSlowAnswer(watch: SlowAnswerWatch | undefined): () => void {
  if (!watch) return () => {};
  const started = performance.now();
  const timer = setTimeout(() => watch.notify(Math.round(performance.now() - started)), watch.afterMs);
  return () => clearTimeout(timer);
}

/**
 * When a missing answer becomes a sign of trouble: after many round trips (a TCP connect measures one), and never
 * sooner than a floor that a busy host or a slow TLS key exchange can need.
 */
export function slowAnswerAfterMs(roundTripMs: number): number {
  return Math.max(SLOW_ANSWER_FLOOR_MS, Math.round(roundTripMs * 4));
}
const SLOW_ANSWER_FLOOR_MS = 150;

/**
 * When a TLS peer that has sent not one byte since the ClientHello is silent rather than slow: a server answers within
 * a round trip plus its key exchange (milliseconds), so many round trips of silence, and never less than a floor twice
 * the plaintext probe's, prove it. The SDKs' own attempts (started at the first sign) get nothing in that time either.
 */
export function silentHandshakeAfterMs(roundTripMs: number): number {
  return Math.max(SILENT_HANDSHAKE_FLOOR_MS, Math.round(roundTripMs * SILENT_HANDSHAKE_ROUND_TRIPS));
}
const SILENT_HANDSHAKE_FLOOR_MS = 2000;
const SILENT_HANDSHAKE_ROUND_TRIPS = 32;
