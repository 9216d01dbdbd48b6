import { describe, expect, it } from '@jest/globals';
import { runInNewContext } from 'node:vm';
import { WaitExpired, bounded } from '../../../src/net/deadline.js';

const never = new Promise<never>(() => {});

describe('bounded', () => {
  it('passes a rejection from another realm through untouched, code included (node core errors under jest)', async () => {
    const foreign = runInNewContext(
      'Object.assign(new Error("getaddrinfo ENOTFOUND x.test"), { code: "ENOTFOUND" })'
    ) as Error;
    await expect(
      bounded(Promise.reject(foreign), { signal: new AbortController().signal, timeoutMs: 1000 })
    ).rejects.toBe(foreign);
  });

  it('expires after its budget and releases what the work holds', async () => {
    let released = false;
    const result = bounded(never, { signal: new AbortController().signal, timeoutMs: 30 }, () => {
      released = true;
    });
    await expect(result).rejects.toBeInstanceOf(WaitExpired);
    expect(released).toBe(true);
  });

  it('expires at once when the caller aborts', async () => {
    const controller = new AbortController();
    const result = bounded(never, { signal: controller.signal, timeoutMs: 60_000 });
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: 'ETIMEOUT' });
  });
});
