// Every check id the code can emit is listed in docs/checks/*.md, and every id listed there is one the code emits.
// Ids are read from the source text, so files may move between folders under src/ freely.
// A template id such as `pem.${slot}.crlf` becomes the pattern pem.<slot>.crlf; `${stage.id}.crashed` becomes
// <stage>.crashed. A <placeholder> segment matches any one segment on the other side.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCheckCatalog } from '../../scripts/check-catalog.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SEGMENT = String.raw`(?:[a-z0-9-]+|\$\{[^}\`]+\}|<[a-z-]+>)`;

function sourceFiles(): { path: string; text: string }[] {
  const dir = join(root, 'src');
  return (
    (readdirSync(dir, { recursive: true }) as string[])
      // The catalog is rendered from the docs: it would make every documented id look emitted.
      .filter((name) => name.endsWith('.ts') && !name.endsWith('check-catalog.ts'))
      .map((name) => ({ path: join('src', name), text: readFileSync(join(dir, name), 'utf8') }))
  );
}

/** Drops whole-line and block comments: they mention ids without emitting them. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** `${anything}` → <name>, where a stage-valued placeholder is <stage>. */
function normalise(id: string): string {
  return id.replace(/\$\{([^}]+)\}/g, (_, expr: string) => {
    const name = (expr.split('.').pop() ?? expr).replace(/[^a-zA-Z]/g, '').toLowerCase();
    return /stage/.test(expr) && (name === 'id' || name === 'stage') ? '<stage>' : `<${name}>`;
  });
}

function stageIds(files: { text: string }[]): string[] {
  const ids = files.flatMap((f) =>
    [...f.text.matchAll(/defineStage\(\{\s*id:\s*'([a-z]+)'/g)].map((m) => m[1] as string)
  );
  return [...new Set(ids)];
}

/** Setting keys in temporal.toml (`tls.disabled`, `codec.auth`) look like ids but are not. */
function profileKeys(files: { text: string }[]): Set<string> {
  return new Set(files.flatMap((f) => [...f.text.matchAll(/profileKey:\s*'([^']+)'/g)].map((m) => m[1] as string)));
}

function codeIds(): Map<string, string[]> {
  const files = sourceFiles();
  const stages = stageIds(files);
  const notIds = profileKeys(files);
  const head = String.raw`(?:${stages.join('|')}|\$\{[^}\`]*stage[^}\`]*\})`;
  const literal = new RegExp(String.raw`(['"\`])(${head}(?:\.${SEGMENT})+)\1`, 'g');
  const found = new Map<string, string[]>();
  for (const file of files) {
    for (const match of withoutComments(file.text).matchAll(literal)) {
      const raw = match[2] as string;
      if (notIds.has(raw)) continue;
      // Host names such as cloud.temporal.io start like ids of the cloud stage but are not.
      if (/\.(?:io|com|cloud)$/.test(raw)) continue;
      const id = normalise(raw);
      // All placeholders (`${stage.id}.${r}`) names no check: such text compares ids, it does not emit one.
      if (id.split('.').every((segment) => segment.startsWith('<'))) continue;
      found.set(id, [...(found.get(id) ?? []), file.path]);
    }
  }
  return found;
}

function docFiles(): { path: string; text: string }[] {
  const dir = join(root, 'docs', 'checks');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => ({ path: join('docs', 'checks', name), text: readFileSync(join(dir, name), 'utf8') }));
}

/** Ids in the first column of the check tables in docs/checks/*.md. */
function documentedIds(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of docFiles()) {
    for (const match of file.text.matchAll(new RegExp(String.raw`^\| \`([a-z]+(?:\.${SEGMENT})+)\` \|`, 'gm'))) {
      found.set(match[1] as string, file.path);
    }
  }
  return found;
}

/** Runner ids (<stage>.crashed) are named in prose, on a stage page or in docs/outputs.md, not in a table. */
function mentionedInProse(id: string): boolean {
  const rest = id.slice('<stage>'.length);
  const texts = [...docFiles().map((f) => f.text), readFileSync(join(root, 'docs', 'outputs.md'), 'utf8')];
  return texts.some((text) =>
    new RegExp('`(?:<stage>|[a-z]+)' + rest.replace(/[.*+?^${}()|[\]\\<>]/g, '\\$&') + '`').test(text)
  );
}

function matches(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  return (
    x.length === y.length && x.every((s, i) => s === y[i] || s.startsWith('<') || (y[i] as string).startsWith('<'))
  );
}

describe('check reference (docs/checks/*.md) and the code agree', () => {
  const code = codeIds();
  const docs = documentedIds();

  it('finds ids on both sides', () => {
    expect(code.size).toBeGreaterThan(100);
    expect(docs.size).toBeGreaterThan(100);
  });

  it('documents every id the code emits', () => {
    const undocumented = [...code.entries()]
      .filter(([id]) =>
        id.startsWith('<stage>.') ? !mentionedInProse(id) : ![...docs.keys()].some((doc) => matches(id, doc))
      )
      .map(([id, paths]) => `${id} (${[...new Set(paths)].join(', ')})`);
    if (undocumented.length)
      throw new Error(`Check ids emitted in src but not listed in docs/checks/*.md:\n  ${undocumented.join('\n  ')}`);
  });

  it('lists only ids the code emits', () => {
    const stale = [...docs.entries()]
      .filter(([doc]) => ![...code.keys()].some((id) => matches(id, doc)))
      .map(([doc, path]) => `${doc} (${path})`);
    if (stale.length)
      throw new Error(`Check ids listed in docs/checks/*.md that no code in src emits:\n  ${stale.join('\n  ')}`);
  });
});

describe('the check catalog behind --only / --skip validation', () => {
  it('src/diagnosis/check-catalog.ts is what `npm run docs` renders from docs/checks/*.md', () => {
    const pages = readdirSync(join(root, 'docs', 'checks'))
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => readFileSync(join(root, 'docs', 'checks', name), 'utf8'));
    const current = readFileSync(join(root, 'src', 'diagnosis', 'check-catalog.ts'), 'utf8');
    if (current !== renderCheckCatalog(pages))
      throw new Error('src/diagnosis/check-catalog.ts differs from docs/checks/*.md: run npm run docs and commit it');
  });
});
