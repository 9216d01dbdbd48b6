// PEM text forensics: what is in a PEM slot, how its text was damaged, and whether a repair would make it parse
// (certificate properties are judged in x509.ts). Pure: bytes in, findings out; parsing is Node's crypto,
// except a tolerant scan for the BEGIN/END armor lines, which is what damaged text still shows.
// The damage forms and their outcomes are listed in docs/research/sdk-stacks.md#pem-damage.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { oneLineName } from './x509.js';

export type PemSlot = 'client-cert' | 'client-key' | 'server-ca';

/** What a slot holds, judged from its armor labels (or its bytes when there is no armor). */
export type PemContentKind =
  | 'certificate'
  | 'private-key'
  | 'encrypted-private-key'
  | 'openssh-private-key'
  | 'public-key'
  | 'certificate-request'
  | 'unknown';

/**
 * A way the text differs from what OpenSSL and rustls accept. `fatal` forms make both SDKs fail; the others are
 * accepted by both (CRLF: docs/research/sdk-stacks.md#pem-damage) or ignored by both (text after the last END line).
 */
export type PemDamage =
  | 'empty'
  | 'der'
  | 'binary'
  | 'path-as-data'
  | 'base64-encoded'
  | 'no-armor'
  | 'not-pem'
  | 'quoted'
  | 'literal-newlines'
  | 'one-line'
  | 'indented'
  | 'missing-end'
  | 'corrupt'
  | 'crlf'
  | 'trailing-garbage';

export const BENIGN_DAMAGE: ReadonlySet<PemDamage> = new Set(['crlf', 'trailing-garbage']);

export interface ArmorBlock {
  label: string;
  /** Legacy OpenSSL encryption header (`Proc-Type: 4,ENCRYPTED`). */
  encrypted: boolean;
  /** Base64 body with whitespace (and literal `\n`) removed. */
  body: string;
  hasEnd: boolean;
}

const BEGIN = /-----BEGIN ([A-Z0-9 #]+?)-----/g;

/** Finds armor blocks wherever the markers are, even mid-line (one-line or indented PEMs). Never throws. */
export function scanArmor(text: string): ArmorBlock[] {
  const starts: Array<{ label: string; index: number; after: number }> = [];
  for (const match of text.matchAll(BEGIN)) {
    starts.push({ label: match[1] ?? '', index: match.index, after: match.index + match[0].length });
  }
  return starts.map((start, i) => {
    const limit = starts[i + 1]?.index ?? text.length;
    const endAt = text.indexOf(`-----END ${start.label}-----`, start.after);
    const hasEnd = endAt !== -1 && endAt < limit;
    const inner = text.slice(start.after, hasEnd ? endAt : limit);
    const encrypted = /Proc-Type:\s*4,ENCRYPTED/i.test(inner);
    const body = inner
      // The lookbehind starts a match only at the start of a word: without it a long line of letters (base64 with no
      // colon) is rescanned from every position, quadratic in its length (a 2 MiB value took hours).
      .replace(/(?<![A-Za-z-])[A-Za-z-]+:[^\r\n]*/g, '')
      .replace(/\\[nr]/g, '')
      .replace(/\s+/g, '');
    return { label: start.label, encrypted, body, hasEnd };
  });
}

export function contentKindOfLabel(block: ArmorBlock): PemContentKind {
  const label = block.label;
  if (/^(X509 |TRUSTED )?CERTIFICATE$/.test(label)) return 'certificate';
  if (label === 'ENCRYPTED PRIVATE KEY' || (label.endsWith('PRIVATE KEY') && block.encrypted))
    return 'encrypted-private-key';
  if (label === 'OPENSSH PRIVATE KEY') return 'openssh-private-key';
  if (label.endsWith('PRIVATE KEY')) return 'private-key';
  if (label.endsWith('PUBLIC KEY')) return 'public-key';
  if (label.endsWith('CERTIFICATE REQUEST')) return 'certificate-request';
  return 'unknown';
}

export const EXPECTED_KIND: Record<PemSlot, PemContentKind> = {
  'client-cert': 'certificate',
  'client-key': 'private-key',
  'server-ca': 'certificate',
};

/** Human names for what a slot holds, for messages. */
export const KIND_NAME: Record<PemContentKind, string> = {
  certificate: 'a certificate',
  'private-key': 'a private key',
  'encrypted-private-key': 'an encrypted private key',
  'openssh-private-key': 'an OpenSSH private key',
  'public-key': 'a public key',
  'certificate-request': 'a certificate signing request (CSR)',
  unknown: 'an unknown PEM block',
};

export interface PemAnalysis {
  /** Damage found, fatal forms first. */
  damage: PemDamage[];
  /** Armor labels found by the tolerant scan (also in damaged text). */
  labels: string[];
  /** What the slot holds; `expected` when it holds what the slot needs (possibly among other blocks). */
  kind: PemContentKind;
  /** Certificates parsed from the text as given (empty when the text is damaged or holds no certificate). */
  certs: X509Certificate[];
  /** The private key parsed from the text as given. */
  key?: KeyObject;
  /** Label of the key block, e.g. `EC PRIVATE KEY`, for the key format. */
  keyLabel?: string;
  /** Node's error when the undamaged-looking text still does not parse. */
  parseError?: string;
  /** What the text parses as after undoing the damage (never the text itself). */
  repair?: RepairOutcome;
}

export interface RepairOutcome {
  /** What was undone, e.g. 'replaced literal \\n with newlines'. */
  steps: string[];
  parses: boolean;
  kind: PemContentKind;
  /** First certificate's subject after repair, when it is one. */
  certSubject?: string;
  /** The armor label the content needs, for DER or unarmored input (e.g. `EC PRIVATE KEY`). */
  label?: string;
}

/** Looks at bytes from a file (`origin: 'path'`) or an inline value (`origin: 'data'`). */
export function analyzePem(bytes: Buffer, slot: PemSlot, origin: 'path' | 'data'): PemAnalysis {
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') return emptyAnalysis(['empty']);
  if (isBinary(bytes)) return analyzeBinary(bytes, slot);

  const text = bytes.toString('utf8');
  const blocks = scanArmor(text);
  if (blocks.length === 0) return analyzeUnarmored(text, slot, origin);

  const damage = detectDamage(text, blocks);
  const kind = slotKind(blocks, slot);
  const analysis: PemAnalysis = { damage, labels: blocks.map((b) => b.label), kind, certs: [] };
  if (damage.some((d) => !BENIGN_DAMAGE.has(d))) {
    analysis.repair = tryRepair(text, damage, slot);
    return analysis;
  }
  if (kind !== EXPECTED_KIND[slot]) return analysis;
  parseInto(analysis, blocks, slot);
  return analysis;
}

function emptyAnalysis(damage: PemDamage[], kind: PemContentKind = 'unknown'): PemAnalysis {
  return { damage, labels: [], kind, certs: [] };
}

/** The slot's expected kind when any block has it; otherwise the kind of the first meaningful block. */
function slotKind(blocks: ArmorBlock[], slot: PemSlot): PemContentKind {
  const kinds = blocks.map(contentKindOfLabel);
  const expected = EXPECTED_KIND[slot];
  if (kinds.includes(expected)) return expected;
  if (slot === 'client-key' && kinds.includes('encrypted-private-key')) return 'encrypted-private-key';
  return kinds.find((k) => k !== 'unknown') ?? 'unknown';
}

function detectDamage(text: string, blocks: ArmorBlock[]): PemDamage[] {
  const damage: PemDamage[] = [];
  const trimmed = text.trim();
  if (/^["'`]/.test(trimmed) || /["'`]$/.test(trimmed)) damage.push('quoted');
  const realNewlinesInBlock = /-----BEGIN [A-Z0-9 #]+-----\r?\n/.test(text);
  if (/\\n/.test(text) && !realNewlinesInBlock) damage.push('literal-newlines');
  else if (
    /-----BEGIN [A-Z0-9 #]+-----[^\r\n]*-----END /.test(text) ||
    /-----BEGIN [A-Z0-9 #]+-----[ \t]+[A-Za-z0-9+/]{16}/.test(text)
  ) {
    damage.push('one-line');
  }
  if (/^[ \t]+(-----(BEGIN|END) |[A-Za-z0-9+/=]{16,}\s*$)/m.test(text)) damage.push('indented');
  if (blocks.some((b) => !b.hasEnd)) damage.push('missing-end');
  if (/\r\n/.test(text)) damage.push('crlf');
  const lastEnd = text.lastIndexOf('-----END ');
  const afterEnd = lastEnd === -1 ? '' : text.slice(text.indexOf('-----', lastEnd + 9) + 5);
  if (afterEnd.replace(/["'`]|\\[nr]/g, '').trim() !== '' && !damage.includes('missing-end'))
    damage.push('trailing-garbage');
  return damage;
}

function analyzeBinary(bytes: Buffer, _slot: PemSlot): PemAnalysis {
  const fromDer = parseDer(bytes);
  if (!fromDer) return emptyAnalysis(['binary']);
  return { ...emptyAnalysis(['der'], fromDer.kind), repair: fromDer };
}

function analyzeUnarmored(text: string, slot: PemSlot, origin: 'path' | 'data'): PemAnalysis {
  const trimmed = text.trim();
  if (origin === 'data' && looksLikePath(trimmed)) return emptyAnalysis(['path-as-data']);
  const compact = trimmed.replace(/\s+/g, '');
  if (compact.length >= 32 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
    const decodedText = decoded.toString('utf8');
    if (decodedText.includes('-----BEGIN ')) {
      const inner = analyzePem(decoded, slot, 'data');
      const parses =
        inner.damage.every((d) => BENIGN_DAMAGE.has(d)) && (inner.certs.length > 0 || inner.key !== undefined);
      return {
        ...emptyAnalysis(['base64-encoded'], inner.kind),
        labels: inner.labels,
        repair: { steps: ['decoded the base64'], parses, kind: inner.kind, ...subjectOf(inner.certs) },
      };
    }
    const fromDer = parseDer(decoded);
    if (fromDer) {
      return {
        ...emptyAnalysis(['no-armor'], fromDer.kind),
        repair: { ...fromDer, steps: ['added the BEGIN and END lines'] },
      };
    }
  }
  return emptyAnalysis([looksLikePath(trimmed) ? 'path-as-data' : 'not-pem']);
}

/**
 * A file path given where PEM text belongs (docs/research/sdk-stacks.md#pem-damage; temporalio/samples-typescript#407).
 */
export function looksLikePath(text: string): boolean {
  if (text.length > 1024 || /[\r\n]/.test(text)) return false;
  return /^(~|\.{1,2})?[\\/]/.test(text) || /^[A-Za-z]:[\\/]/.test(text) || /\.(pem|crt|cer|key|cert)$/i.test(text);
}

function isBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 512);
  let control = 0;
  for (const byte of sample)
    if (byte === 0 || (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d)) control++;
  return control > 0 || (sample[0] === 0x30 && (sample[1] ?? 0) >= 0x80);
}

const DER_KEY_TYPES = [
  ['pkcs8', 'PRIVATE KEY'],
  ['pkcs1', 'RSA PRIVATE KEY'],
  ['sec1', 'EC PRIVATE KEY'],
] as const;

function parseDer(bytes: Buffer): RepairOutcome | undefined {
  if (bytes[0] !== 0x30) return undefined;
  try {
    const cert = new X509Certificate(bytes);
    return {
      steps: ['converted from DER'],
      parses: true,
      kind: 'certificate',
      label: 'CERTIFICATE',
      certSubject: oneLineName(cert.subject),
    };
  } catch {
    // not a certificate; try the key encodings
  }
  for (const [type, label] of DER_KEY_TYPES) {
    try {
      createPrivateKey({ key: bytes, format: 'der', type });
      return { steps: ['converted from DER'], parses: true, kind: 'private-key', label };
    } catch {
      // next encoding
    }
  }
  return undefined;
}

function subjectOf(certs: X509Certificate[]): { certSubject?: string } {
  const first = certs[0];
  return first ? { certSubject: oneLineName(first.subject) } : {};
}

/** Undoes every fatal damage form found, then parses; returns what it parsed as, never the repaired text. */
function tryRepair(text: string, damage: PemDamage[], slot: PemSlot): RepairOutcome {
  const steps: string[] = [];
  let fixed = text.trim();
  if (damage.includes('quoted')) {
    fixed = fixed.replace(/^["'`]+|["'`]+$/g, '');
    steps.push('removed the surrounding quotes');
  }
  if (damage.includes('literal-newlines')) {
    fixed = fixed.replace(/\\r\\n|\\n|\\r/g, '\n');
    steps.push('replaced literal \\n with newlines');
  }
  if (damage.includes('indented')) {
    fixed = fixed.replace(/^[ \t]+/gm, '');
    steps.push('removed the indentation');
  }
  if (damage.includes('one-line') || damage.includes('missing-end')) {
    fixed = scanArmor(fixed)
      .map((b) => rewrap(b))
      .join('');
    steps.push(damage.includes('one-line') ? 'restored the line breaks' : 'added the END line');
  }
  const blocks = scanArmor(fixed);
  const kind = slotKind(blocks, slot);
  const probe: PemAnalysis = { damage: [], labels: [], kind, certs: [] };
  if (kind === EXPECTED_KIND[slot]) parseInto(probe, blocks, slot);
  const parses = probe.certs.length > 0 || probe.key !== undefined;
  return { steps, parses, kind, ...subjectOf(probe.certs) };
}

/** A block as OpenSSL writes it: armor lines of their own, 64-character body lines. */
function rewrap(block: ArmorBlock): string {
  const lines = block.body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${block.label}-----\n${lines.join('\n')}\n-----END ${block.label}-----\n`;
}

/** Parses certificates (all blocks) or the private key (first key block) with Node's crypto. */
function parseInto(analysis: PemAnalysis, blocks: ArmorBlock[], slot: PemSlot): void {
  try {
    if (EXPECTED_KIND[slot] === 'certificate') {
      analysis.certs = blocks
        .filter((b) => contentKindOfLabel(b) === 'certificate')
        .map((b) => {
          const cert = new X509Certificate(rewrap({ ...b, label: 'CERTIFICATE' }));
          // Node decodes the public key lazily: read it now, so a damaged one counts as corrupt here rather than
          // throwing later in whatever check touches it first.
          void cert.publicKey;
          return cert;
        });
      return;
    }
    const keyBlock = blocks.find((b) => contentKindOfLabel(b) === 'private-key');
    if (!keyBlock) return;
    analysis.keyLabel = keyBlock.label;
    // An empty passphrase: never let OpenSSL ask for one on a terminal.
    analysis.key = createPrivateKey({ key: rewrap(keyBlock), format: 'pem', passphrase: '' });
  } catch (error) {
    analysis.certs = [];
    delete analysis.key;
    analysis.damage.push('corrupt');
    analysis.parseError = errorCode(error);
  }
}

function errorCode(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    // OpenSSL's message names the routine, never the data.
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
