// A RunScope for stages run by hand in tests; release() does what the runner does when a run's stages are done.
import type { RunScope } from '../../src/pipeline/types.js';

export class TestRunScope implements RunScope {
  readonly #kept = new Map<string, { value: unknown; release: () => Promise<void> | void }>();

  keep<T>(key: string, value: T, release: () => Promise<void> | void): void {
    this.#kept.set(key, { value, release });
  }

  kept<T>(key: string): T | undefined {
    return this.#kept.get(key)?.value as T | undefined;
  }

  take<T>(key: string): T | undefined {
    const value = this.kept<T>(key);
    this.#kept.delete(key);
    return value;
  }

  keys(): string[] {
    return [...this.#kept.keys()];
  }

  async release(): Promise<void> {
    const entries = [...this.#kept.values()];
    this.#kept.clear();
    await Promise.all(entries.map((entry) => entry.release()));
  }
}
