// Golden files for the CLI's reports: each output is normalised (only what differs from run to run), then compared
// with test/golden/__golden__/<scenario>.<format>.txt. UPDATE_GOLDEN=1 rewrites the files; without it a missing or
// different file fails with a line diff.
// The SDK probe lines ("What your SDK says", the JSON's sdk[]) are kept where only the Client probe runs (refused
// TCP: it ends when the SDK's channel fails its first attempt, with grpc-js's ECONNREFUSED text, on every run; only
// its time is normalised). Scenarios where the Worker probe would run pass --no-sdk-probe (see their comments).
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../support/run-cli.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '__golden__');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const require = createRequire(import.meta.url);
const SDK_VERSION = (require('@temporalio/client/package.json') as { version: string }).version;
const TOOL_VERSION = (require('../../package.json') as { version: string }).version;

export type GoldenFormat = 'text' | 'color' | 'markdown' | 'json';
export const FORMATS: GoldenFormat[] = ['text', 'color', 'markdown', 'json'];

/** The CLI flags of each golden format. `text` is the default report as a pipe sees it (no TTY, no colour). */
const FORMAT_ARGS: Record<GoldenFormat, string[]> = {
  text: [],
  color: ['--color', 'always'],
  markdown: ['-o', 'markdown'],
  json: ['-o', 'json'],
};

/** What varies between two runs of the same scenario, each with the name its placeholder shows. */
export interface RunFacts {
  /** The test's temp folder. */
  tmp: string;
  /** Ports the loopback servers were given (they bind port 0). */
  ports: Record<string, number>;
  /** SHA-256 fingerprints (`AB:CD:...`) of the certificates generated for this run. */
  fingerprints: Record<string, string>;
  /** ISO timestamps that are the same on every run (the fixed certificate validity dates): kept as they are. */
  fixedTimes: string[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Replaces `literal` wherever it stands alone (not inside a longer run of digits, letters or dots). */
function replaceWord(text: string, literal: string, placeholder: string): string {
  return text.replace(new RegExp(`(?<![\\w.])${escapeRegExp(literal)}(?![\\w])`, 'g'), placeholder);
}

/**
 * Narrow on purpose: each rule matches one kind of varying value in the shape the reports print it, so a change to
 * the surrounding words still shows up as a diff.
 */
export function normalise(output: string, facts: RunFacts): string {
  let text = output;
  // The test's temp folder (PEM paths, cwd) and the hermetic HOME of test/support/env.ts.
  for (const [path, placeholder] of [
    [facts.tmp, '<tmp>'],
    [process.env.HOME ?? '', '<home>'],
  ] as const) {
    if (path) text = text.split(path).join(placeholder);
  }
  // Ports, after a host (`127.0.0.1:40123`) or "port ", or as a whole value (`40123`, "40123").
  for (const [name, port] of Object.entries(facts.ports)) {
    text = text.replace(new RegExp(`(?<=:|port )${port}(?!\\.?\\d)|(?<=[\`"])${port}(?=[\`"])`, 'g'), `<${name}-port>`);
  }
  // Certificates generated for this run: each fingerprint replaced by the name of its certificate.
  for (const [name, fingerprint] of Object.entries(facts.fingerprints)) {
    text = text.split(fingerprint).join(`<sha256:${name}>`);
  }
  // Clock readings: ISO timestamps (startedAt, "now"), but not the fixed validity dates of the test certificates.
  text = text.replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z/g, (time) =>
    facts.fixedTimes.includes(time) ? time : '<iso-time>'
  );
  // Markdown prints a check's own time ("_12 ms_" after a blank line) only when it is not 0 ms, so whether the line
  // is there at all depends on the clock: drop that line, nothing else.
  text = text.replace(/\n\n_\d+ ms_(?=\n)/g, '');
  // Timings: "12 ms" in text and markdown, "durationMs": 12 (and other *Ms fields) in JSON.
  text = text.replace(/(?<![\d.])\d+ ms(?![A-Za-z])/g, '<n> ms');
  text = text.replace(/("[a-z][A-Za-z]*Ms"): \d+/g, '$1: <n>');
  // Versions: Node.js, the SDK, the doctor itself (so a release does not rewrite every file); the platform (os-arch).
  text = replaceWord(text, process.version, '<node-version>');
  text = replaceWord(text, SDK_VERSION, '<sdk-version>');
  text = replaceWord(text, TOOL_VERSION, '<tool-version>');
  text = replaceWord(text, `${process.platform}-${process.arch}`, '<platform>');
  return text;
}

/** ANSI escapes kept, but written as `\u001b[..m` so the golden file stays readable in an editor and a diff. */
export function showEscapes(text: string): string {
  return text.replace(/\u001b/g, '\\u001b');
}

export interface GoldenRun {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs the CLI in one golden format, with the scenario's args; cwd is the test's temp folder (no project SDK). */
export async function runGolden(
  format: GoldenFormat,
  args: string[],
  facts: RunFacts,
  env: Record<string, string> = {}
): Promise<GoldenRun> {
  return runCli([...args, ...FORMAT_ARGS[format]], { env, cwd: facts.tmp });
}

/** The golden file's content for one run: exit code, then stdout (and stderr only when there is any). */
export function goldenText(run: GoldenRun, facts: RunFacts): string {
  const parts = [`exit code: ${run.exitCode}`, '--- stdout', run.stdout];
  if (run.stderr) parts.push('--- stderr', run.stderr);
  return showEscapes(normalise(parts.join('\n'), facts));
}

/** Compares with (or, under UPDATE_GOLDEN=1, writes) __golden__/<name>.txt. */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, `${name}.txt`);
  const shown = relative(process.cwd(), file);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(
      `Golden file ${shown} is missing. Review the output below, then run with UPDATE_GOLDEN=1 to write it.\n\n${actual}`
    );
  }
  const expected = readFileSync(file, 'utf8');
  if (actual === expected) return;
  try {
    expect(actual).toBe(expected);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Output differs from golden file ${shown} (if the change is intended, rerun with UPDATE_GOLDEN=1 and commit the file).\n\n${detail}`
    );
  }
}

/** The golden tests of one scenario: every format, each pinned in __golden__/<scenario>.<format>.txt. */
export function describeGolden(scenario: string, title: string, facts: RunFacts, args: () => string[]): void {
  describe(`golden: ${title}`, () => {
    it.each(FORMATS)('%s', async (format) => {
      const run = await runGolden(format, args(), facts);
      expectGolden(`${scenario}.${format}`, goldenText(run, facts));
    });
  });
}
