// Renderers for `temporal-doctor explain`: one explained error as terminal text, JSON or Markdown. Pure functions.
// Titles and causes come from the catalog; the pasted text appears only as a short, sanitised, scrubbed excerpt.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Explanation } from '../explain/explain-error.js';
import { STACK_NAMES } from '../report/error-note.js';
import { TOOL_VERSION } from '../version.js';
import { mdCode, mdText } from './markdown.js';
import { SecretRegistry, attachSecrets, secretsOf } from '../text/secret-registry.js';

/** `-o json`: the explanation plus what was read, so a script can tell "nothing pasted" from "not recognised". */
export interface ExplanationDocument extends Explanation {
  schemaVersion: 1;
  kind: 'explanation';
  tool: { name: 'temporal-doctor'; version: string };
  input: { characters: number; excerpt: string; truncated: boolean };
}

export const EXPLAIN_FORMATS = ['text', 'json', 'markdown'] as const;
export type ExplainFormat = (typeof EXPLAIN_FORMATS)[number];

const EXCERPT_CHARS = 160;
/** Matches past the best one that are worth listing. */
const OTHER_MATCHES = 4;

export function explanationDocument(
  explanation: Explanation,
  text: string,
  truncated: boolean,
  /** The values the user's environment and profile hold (the CLI's); the excerpt must not echo them. */
  secrets: SecretRegistry = new SecretRegistry()
): ExplanationDocument {
  const doc: ExplanationDocument = {
    schemaVersion: 1,
    kind: 'explanation',
    tool: { name: 'temporal-doctor', version: TOOL_VERSION },
    input: { characters: text.length, excerpt: excerptOf(text, secrets), truncated },
    ...explanation,
  };
  return attachSecrets(doc, secrets);
}

/** The start of the paste as one printable line: private keys and bearer tokens redacted, escapes removed. */
export function excerptOf(text: string, secrets: SecretRegistry = new SecretRegistry()): string {
  // Scrubbed before and after sanitising: the key pattern wants the raw newlines, the token pattern the final text.
  return secrets.untrusted(text.slice(0, EXCERPT_CHARS * 8).trim(), EXCERPT_CHARS);
}

export function renderExplanation(
  doc: ExplanationDocument,
  format: ExplainFormat,
  chalk: ChalkInstance = new Chalk({ level: 0 })
): string {
  const secrets = secretsOf(doc);
  if (format === 'json') return `${JSON.stringify(secrets.scrubDeep(doc), null, 2)}\n`;
  return secrets.scrub(format === 'markdown' ? renderMarkdown(doc) : renderText(doc, chalk));
}

function headline(doc: ExplanationDocument): string {
  const best = doc.matches[0];
  if (!best) return 'Not recognised: this text is not in the catalog of known Temporal connection errors';
  return best.nonDiagnostic ? `Recognised, but it hides the cause: ${best.title}` : `Recognised: ${best.title}`;
}

function renderText(doc: ExplanationDocument, chalk: ChalkInstance): string {
  const best = doc.matches[0];
  const lines = [
    chalk.gray(`You pasted ${doc.input.characters} characters: ${doc.input.excerpt}`),
    '',
    chalk.bold(headline(doc)),
  ];
  if (best) {
    lines.push(`  From:  ${STACK_NAMES[doc.stack]}`);
    lines.push(`  Stage: ${doc.stage ?? 'any (run the full check)'}`);
    lines.push('', chalk.bold('Likely causes, most likely first:'));
    best.causes.forEach((cause, i) => lines.push(`  ${i + 1}. ${cause}`));
    const others = doc.matches.slice(1, 1 + OTHER_MATCHES);
    if (others.length) lines.push('', `Also matches: ${others.map((m) => `${m.title} (${m.stage})`).join('; ')}`);
  }
  lines.push('', chalk.bold('Confirm with:'), `  ${chalk.cyan(doc.command)}`, '', doc.nextStep);
  return `${lines.join('\n')}\n`;
}

function renderMarkdown(doc: ExplanationDocument): string {
  const best = doc.matches[0];
  const lines = ['## temporal-doctor explain', '', `**${mdText(headline(doc))}**`, ''];
  if (best) {
    lines.push(
      `- **From:** ${mdText(STACK_NAMES[doc.stack])}`,
      `- **Stage:** ${doc.stage ? mdCode(doc.stage) : 'any (run the full check)'}`,
      '',
      '### Likely causes',
      ''
    );
    best.causes.forEach((cause, i) => lines.push(`${i + 1}. ${mdText(cause)}`));
    const others = doc.matches.slice(1, 1 + OTHER_MATCHES);
    if (others.length)
      lines.push('', `Also matches: ${others.map((m) => `${mdText(m.title)} (${mdCode(m.stage)})`).join('; ')}`);
  }
  lines.push(
    '',
    '### Confirm with',
    '',
    '```sh',
    doc.command.replace(/`/g, ''),
    '```',
    '',
    mdText(doc.nextStep),
    '',
    `Pasted text (${doc.input.characters} characters): ${mdCode(doc.input.excerpt)}`
  );
  return `${lines.join('\n')}\n`;
}
