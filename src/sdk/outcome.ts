// What a probe of the user's SDK returns: the report shows it as "what your SDK says".

/** What the SDK's own connect said with the same settings ("what your SDK says"). */
export interface SdkOutcome {
  stack: 'client' | 'worker';
  /** e.g. '@temporalio/client 1.24.0' */
  package: string;
  outcome: 'connected' | 'error' | 'timeout' | 'unavailable';
  durationMs: number;
  error?: { name: string; code?: string | number; message: string };
  /** Why there is no outcome (e.g. package not installed), or how to enable the probe. */
  note?: string;
  /** The package folder the probe loaded (the Worker: always inside the user's project or the doctor's install). */
  loadedFrom?: string;
  /** Copies of the package that Node would have found but the doctor did not load, each with why. */
  refused?: string[];
}
