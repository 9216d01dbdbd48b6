// Bounds of --repeat and --concurrency, apart from the modules that run them so --help does not load those.
export const MIN_REPEAT = 1;
export const MAX_REPEAT = 100;
// Remote targets spend most of a run waiting on round trips; on loopback 8 also fills the idle gaps of 4 (measured).
export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 32;
