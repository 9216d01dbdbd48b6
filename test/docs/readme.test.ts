// The README leads with what a user runs and links the rest: it stays short, and every repo link in it resolves.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';

const README = readFileSync('README.md', 'utf8');

describe('README.md', () => {
  it('stays within 12 KB (reference material belongs in docs/)', () => {
    expect(statSync('README.md').size).toBeLessThanOrEqual(12 * 1024);
  });

  it('links only to files that exist', () => {
    const links = [...README.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1] as string);
    const local = links.filter((link) => !/^[a-z]+:/.test(link));
    expect(local.length).toBeGreaterThan(5);
    expect(local.filter((link) => !existsSync(link))).toEqual([]);
  });
});
