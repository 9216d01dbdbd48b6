// Secrets are safe by type: a Secret prints as [redacted] through String(), JSON.stringify and util.inspect.
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The only way to the value. Call it only where the value is handed to a TLS or gRPC library. */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  /** Safe to show: length and the first 4 hex characters of its SHA-256, enough to tell two keys apart. */
  fingerprint(): string {
    const digest = createHash('sha256').update(this.#value).digest('hex').slice(0, 4);
    return `${REDACTED} (${this.#value.length} chars, sha256 ${digest}…)`;
  }

  toString(): string {
    return REDACTED;
  }
  toJSON(): string {
    return REDACTED;
  }
  [inspect.custom](): string {
    return REDACTED;
  }
}
