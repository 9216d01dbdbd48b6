// closeAfterAll: what a test file tracks is closed after its tests, once each.
import { afterAll, describe, expect, it } from '@jest/globals';
import { closeAfterAll } from '../support/close-after-all.js';

const closed: string[] = [];

describe('closeAfterAll', () => {
  const track = closeAfterAll();

  it('hands back the server it was given, from a server or from its promise', async () => {
    const a = { name: 'a', close: async () => void closed.push('a') };
    const b = { name: 'b', close: async () => void closed.push('b') };
    expect(await track(a)).toBe(a);
    expect(await track(Promise.resolve(b))).toBe(b);
    expect(closed).toEqual([]);
  });
});

afterAll(() => {
  // The describe's afterAll ran first: each tracked server closed, once.
  expect(closed.sort()).toEqual(['a', 'b']);
});
