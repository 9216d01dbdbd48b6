// PEM text damage (CRLF, wrapped or joined lines, stray text, ...): what each form means for both SDK stacks, and
// whether a repair would make the slot parse.
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, warn } from '../../pipeline/check.js';
import { settingSpec } from '../../config/settings.js';
import { BENIGN_DAMAGE, KIND_NAME, type PemDamage, type PemSlot } from '../../knowledge/pem-text.js';
import { PATH_SETTING, SLOT_NAME, type LoadedSlot } from './slot.js';

const DAMAGE_TEXT: Record<
  Exclude<PemDamage, 'crlf' | 'trailing-garbage'>,
  { problem: string; fix: (name: string, slot: PemSlot) => string }
> = {
  empty: { problem: 'is empty', fix: (n) => `Put the PEM text in ${n}, or unset it.` },
  der: {
    problem: 'is binary DER, not PEM text',
    fix: (n, slot) =>
      `Convert it to PEM (${slot === 'client-key' ? 'openssl pkey -inform der -in <file> -out client.key' : 'openssl x509 -inform der -in <file> -out cert.pem'}) and point ${n} at the result.`,
  },
  binary: {
    problem: 'is a binary file, not PEM text',
    fix: (n) => `Point ${n} at the PEM file (text that starts with -----BEGIN).`,
  },
  'path-as-data': {
    problem: 'holds a file path where the PEM text belongs',
    fix: (n, slot) => {
      const spec = settingSpec(PATH_SETTING[slot]);
      return `Give the path with --${spec.flag} or ${spec.env[0]} instead of ${n}, or put the PEM text itself in ${n}.`;
    },
  },
  'base64-encoded': {
    problem: 'holds base64 of a PEM instead of the PEM itself',
    fix: (n) =>
      `Decode it first (base64 -d) and put the PEM text in ${n}; or decode in code with Buffer.from(value, 'base64').`,
  },
  'no-armor': {
    problem: 'holds base64 without the -----BEGIN and -----END lines',
    fix: (n) => `Put the whole PEM in ${n}, including its -----BEGIN and -----END lines.`,
  },
  'not-pem': {
    problem: 'is not PEM: it has no -----BEGIN line',
    fix: (n) => `Point ${n} at the PEM file (text that starts with -----BEGIN).`,
  },
  quoted: {
    problem: 'is wrapped in quotes',
    fix: (n) =>
      `Remove the surrounding quotes from ${n}: env files and docker --env-file keep them as part of the value.`,
  },
  'literal-newlines': {
    problem: 'has literal \\n sequences instead of line breaks (an env-var system ate the newlines)',
    fix: (n) =>
      `Put real line breaks in ${n} (for example export ${n}="$(printf '%b' "$${n}")"), or in code value.replace(/\\\\n/g, '\\n'); or give a file path instead.`,
  },
  'one-line': {
    problem: 'is squashed onto one line (line breaks removed or turned into spaces)',
    fix: (n) =>
      `Restore the line breaks in ${n}: -----BEGIN and -----END on lines of their own, the base64 body on the lines between; copying the file again is easiest.`,
  },
  indented: {
    problem: 'has indented lines',
    fix: (n) => `Remove the leading spaces from every line of ${n} (YAML block scalars and heredocs add them).`,
  },
  'missing-end': {
    problem: 'has no -----END line (the PEM was cut off)',
    fix: (n) =>
      `Copy the whole PEM into ${n} again, through its -----END line; a length limit or a partial paste cut it.`,
  },
  corrupt: {
    problem: 'has PEM armor but its content does not parse',
    fix: (n) => `Copy the file again from where it was issued and point ${n} at it; its base64 body is damaged.`,
  },
};

export function damageChecks(loaded: LoadedSlot): CheckResult[] {
  const { slot, setting, analysis } = loaded;
  const name = setting.source.name;
  const what = `${SLOT_NAME[slot]} from ${name}`;
  const checks: CheckResult[] = [];
  const fatal = analysis.damage.filter((d): d is keyof typeof DAMAGE_TEXT => !BENIGN_DAMAGE.has(d));
  const first = fatal[0];
  if (first) {
    const repair = analysis.repair;
    const repaired = repair
      ? `${repair.steps.join(', ')}: ${repair.parses ? `parses as ${KIND_NAME[repair.kind]}${repair.certSubject ? ` (${repair.certSubject})` : ''}` : 'still does not parse'}`
      : undefined;
    checks.push(
      fail(`pem.${slot}.${first}`, `${what} ${DAMAGE_TEXT[first].problem}`, {
        evidence: evidence({
          setting: name,
          from: loaded.origin,
          size: `${Buffer.byteLength(loaded.text)} bytes`,
          'also found': fatal.slice(1).join(', ') || undefined,
          'PEM blocks': analysis.labels.join(', ') || undefined,
          'after repair': repaired,
          'path given': first === 'path-as-data' && slot !== 'client-key' ? loaded.text.trim() : undefined,
        }),
        fix: DAMAGE_TEXT[first].fix(name, slot),
        ...(analysis.parseError ? { cause: { name: 'Error', message: analysis.parseError } } : {}),
      })
    );
  }
  if (analysis.damage.includes('crlf')) {
    checks.push(
      pass(`pem.${slot}.crlf`, `${what} uses CRLF line endings, which both SDK stacks accept`, {
        evidence: evidence({ setting: name }),
      })
    );
  }
  if (analysis.damage.includes('trailing-garbage')) {
    checks.push(
      warn(`pem.${slot}.trailing-garbage`, `${what} has text after its last -----END line`, {
        evidence: evidence({ setting: name, from: loaded.origin }),
        fix: `Remove everything after the last -----END line of ${name}; both SDKs ignore it today, but it often means a second block was cut off.`,
      })
    );
  }
  return checks;
}

// ---- parsed material -----------------------------------------------------------------------------------------------
