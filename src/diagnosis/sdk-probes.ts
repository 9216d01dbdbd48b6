// "What your SDK says" costs the SDK's own wait: grpc-js only gives up at its connect timeout, and NativeConnection
// never does. Starting each probe as soon as there is reason to (instead of after the verdict) lets that wait overlap
// the remaining stages, so a silent server costs one probe budget, not the stages plus the probe.
import type { PipelineHooks } from '../pipeline/run-pipeline.js';
import type { DoctorOptions } from '../options.js';
import type { SdkOutcome } from '../report/model.js';
import { probeClientSdk } from '../sdk/client-probe.js';
import { probeWorkerSdk } from '../sdk/worker-probe.js';
import type { Facts, StageId, StageReport } from '../facts.js';

/**
 * The most a probe waits. Enough for a TLS handshake and two RPCs across a slow link; past it the SDK would only say
 * "Failed to connect before the deadline" (client) or nothing at all (worker), whatever the budget.
 */
export const SDK_PROBE_BUDGET_MS = 2000;

/**
 * The wait when the dns or tcp stage proved that no connection can be made (no such host, refused, unreachable): grpc-js
 * then retries until its deadline and only ever says "Failed to connect before the deadline", and a bad option fails
 * at once, so a longer wait would show the same text later.
 */
export const NO_ROUTE_PROBE_MS = 750;

export class SdkProbes implements PipelineHooks<Facts> {
  readonly #options: DoctorOptions;
  readonly #cancel = new AbortController();
  #client?: Promise<SdkOutcome>;
  #worker?: Promise<SdkOutcome>;
  /** The dns or tcp stage failed: nothing can connect. */
  #noRoute = false;

  constructor(options: DoctorOptions) {
    this.#options = { ...options, timeoutMs: Math.min(options.timeoutMs, SDK_PROBE_BUDGET_MS) };
  }

  /**
   * Both probes start at the first failing stage, while the stages after it still run. Not earlier without a reason: on
   * a healthy target they are not needed, and a second connect (and a Worker process) would only slow the run down.
   */
  afterStage(report: StageReport, facts: Partial<Facts>): void {
    if (report.status !== 'fail') return;
    if (report.id === 'dns' || report.id === 'tcp') this.#noRoute = true;
    this.#start(facts);
  }

  /** A stage saw a sign of failure (a silent peer): start now, and let the wait overlap the stage's own. */
  onTrouble(_stage: StageId, _sign: string, facts: Partial<Facts>): void {
    this.#start(facts);
  }

  #start(facts: Partial<Facts>): void {
    if (!this.#options.sdkProbe || !facts.tcp || this.#cancel.signal.aborted) return;
    if (this.#options.stack !== 'worker') this.client(facts);
    if (this.#options.stack !== 'client') this.worker(facts);
  }

  client(facts: Partial<Facts>): Promise<SdkOutcome> {
    const options = this.#noRoute
      ? { ...this.#options, timeoutMs: Math.min(this.#options.timeoutMs, NO_ROUTE_PROBE_MS) }
      : this.#options;
    this.#client ??= probeClientSdk(facts, options, this.#cancel.signal);
    return this.#client;
  }

  worker(facts: Partial<Facts>): Promise<SdkOutcome> {
    this.#worker ??= probeWorkerSdk(facts, this.#options, undefined, this.#cancel.signal);
    return this.#worker;
  }

  /** The run passed: stop probes started on a sign that came to nothing (closes the connection, kills the Worker). */
  cancel(): void {
    this.#cancel.abort();
  }

  get started(): boolean {
    return this.#client !== undefined || this.#worker !== undefined;
  }
}
