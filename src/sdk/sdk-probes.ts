// "What your SDK says" costs the SDK's own wait: grpc-js only gives up at its connect timeout, and NativeConnection
// never does. Starting each probe as soon as it can be (instead of after the verdict) lets that wait overlap the
// remaining stages, so a silent server costs one probe budget, not the stages plus the probe.
import type { Facts } from '../pipeline/types.js';
import type { DoctorOptions } from '../options.js';
import type { SdkOutcome } from '../report/model.js';
import type { StageReport } from '../pipeline/run-pipeline.js';
import { probeClientSdk } from './client-probe.js';
import { probeWorkerSdk } from './worker-probe.js';

/**
 * The most a probe waits. Enough for a TLS handshake and two RPCs across a slow link; past it the SDK would only say
 * "Failed to connect before the deadline" (client) or nothing at all (worker), whatever the budget.
 */
export const SDK_PROBE_BUDGET_MS = 2000;

export class SdkProbes {
  readonly #options: DoctorOptions;
  #client?: Promise<SdkOutcome>;
  #worker?: Promise<SdkOutcome>;

  constructor(options: DoctorOptions) {
    this.#options = { ...options, timeoutMs: Math.min(options.timeoutMs, SDK_PROBE_BUDGET_MS) };
  }

  /**
   * Pipeline hook: both probes start at the first failing stage, while the stages after it still run. Not earlier: on a
   * healthy target they are not needed, and a second connect would only slow the run down.
   */
  afterStage(report: StageReport, facts: Partial<Facts>): void {
    if (!this.#options.sdkProbe || report.status !== 'fail' || !facts.tcp) return;
    if (this.#options.stack !== 'worker') this.client(facts);
    if (this.#options.stack !== 'client') this.worker(facts);
  }

  client(facts: Partial<Facts>): Promise<SdkOutcome> {
    this.#client ??= probeClientSdk(facts, this.#options);
    return this.#client;
  }

  worker(facts: Partial<Facts>): Promise<SdkOutcome> {
    this.#worker ??= probeWorkerSdk(facts, this.#options);
    return this.#worker;
  }
}
