/** Bad flags or values: the doctor could not run (exit 2). */
export class UsageError extends Error {}
