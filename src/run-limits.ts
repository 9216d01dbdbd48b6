// Bounds of --repeat and --concurrency, apart from the modules that run them so --help does not load those.
export const MIN_REPEAT = 1;
export const MAX_REPEAT = 100;
export const DEFAULT_CONCURRENCY = 4;
export const MAX_CONCURRENCY = 32;
