// Reads the client certificate, client key and server CA, and says exactly what is wrong with each before any
// network stage runs: both SDK stacks fail on these at once, with texts that do not name the file (docs/research/sdk-stacks.md#pem-damage).
import { resolve } from 'node:path';
import type { X509Certificate } from 'node:crypto';
import type { CheckResult } from '../pipeline/types.js';
import { evidence, fail, pass, skip, warn } from '../pipeline/check.js';
import type { PemInput, ResolvedConfig, Setting } from '../config/resolved-config.js';
import { settingSpec } from '../config/settings.js';
import { describeSource } from '../config/setting-names.js';
import { Secret } from '../text/secret.js';
import { PEM_FILE_MAX_BYTES, readRegularFile } from '../text/read-file.js';
import {
  BENIGN_DAMAGE,
  EXPECTED_KIND,
  KIND_NAME,
  analyzePem,
  type PemAnalysis,
  type PemDamage,
  type PemSlot,
} from '../knowledge/pem-text.js';
import {
  describeKey,
  isSelfSigned,
  keyMatchesCertificate,
  lintCertificate,
  oneLineName,
  summarizeCertificate,
  type CertRule,
} from '../knowledge/x509.js';
import { defineStage, type PemFacts } from '../facts.js';

const SLOT_NAME: Record<PemSlot, string> = {
  'client-cert': 'Client certificate',
  'client-key': 'Client key',
  'server-ca': 'Server CA certificate',
};

/** The path setting of each slot, for "put the path in X instead". */
const PATH_SETTING: Record<PemSlot, 'tlsCertPath' | 'tlsKeyPath' | 'tlsCaPath'> = {
  'client-cert': 'tlsCertPath',
  'client-key': 'tlsKeyPath',
  'server-ca': 'tlsCaPath',
};

interface LoadedSlot {
  slot: PemSlot;
  setting: Setting<PemInput>;
  /** Where the bytes came from, for evidence: the resolved path or "inline". */
  origin: string;
  text: string;
  analysis: PemAnalysis;
}

export const pemStage = defineStage({
  id: 'pem',
  title: 'PEM material',
  needs: ['config'],
  async run(ctx) {
    const config = ctx.facts.config;
    const empty: PemFacts = { serverCaCerts: [] };
    if (!config.tls.value) {
      return {
        checks: [
          skip(
            'pem.material.none',
            `TLS is off (${describeSource(config.tls.source)}), so no certificate or key is used`
          ),
        ],
        facts: empty,
      };
    }
    const configured = slotsOf(config);
    if (configured.length === 0) {
      return {
        checks: [
          skip(
            'pem.material.none',
            'No client certificate, key or server CA is configured; TLS uses the default trust store'
          ),
        ],
        facts: empty,
      };
    }

    const checks: CheckResult[] = [];
    const loaded: LoadedSlot[] = [];
    for (const [slot, setting] of configured) {
      const read = await readSlot(setting, ctx.options.cwd, ctx.signal);
      if ('problem' in read) {
        checks.push(unreadableCheck(slot, setting, read.path, read.problem));
        continue;
      }
      const bytes = read.bytes;
      loaded.push({
        slot,
        setting,
        origin: read.origin,
        text: bytes.toString('utf8'),
        analysis: analyzePem(bytes, slot, setting.value.kind),
      });
    }

    // Key material read from a file joins the run's secrets (also a key put in the certificate slot by mistake).
    for (const slot of loaded) {
      if (slot.slot === 'client-key' || slot.analysis.kind.includes('private-key')) ctx.options.secrets.add(slot.text);
    }
    const cert = loaded.find((l) => l.slot === 'client-cert');
    const key = loaded.find((l) => l.slot === 'client-key');
    const swapped = cert?.analysis.kind.endsWith('private-key') === true && key?.analysis.kind === 'certificate';
    if (swapped && cert && key) checks.push(swappedCheck(cert, key));

    for (const slot of loaded) {
      if (!swapped || slot.slot === 'server-ca') checks.push(...contentChecks(slot));
      checks.push(...damageChecks(slot));
      checks.push(...parsedChecks(slot, ctx.now(), ctx.options.expiryWarnDays));
    }
    const pair = keyPairCheck(
      cert,
      key,
      loaded.find((l) => l.slot === 'server-ca')
    );
    if (pair) checks.push(pair);

    if (checks.some((c) => c.status === 'fail')) return { checks };
    const facts: PemFacts = { ...empty };
    if (cert) {
      facts.clientCertPem = cert.text;
      facts.clientChain = cert.analysis.certs;
      const leaf = cert.analysis.certs[0];
      if (leaf) facts.clientCert = leaf;
    }
    if (key) facts.clientKeyPem = new Secret(key.text);
    const ca = loaded.find((l) => l.slot === 'server-ca');
    if (ca) {
      facts.serverCaPem = ca.text;
      facts.serverCaCerts = ca.analysis.certs;
    }
    return { checks, facts };
  },
});

function slotsOf(config: ResolvedConfig): Array<[PemSlot, Setting<PemInput>]> {
  const slots: Array<[PemSlot, Setting<PemInput> | undefined]> = [
    ['client-cert', config.clientCert],
    ['client-key', config.clientKey],
    ['server-ca', config.serverCa],
  ];
  return slots.filter((entry): entry is [PemSlot, Setting<PemInput>] => entry[1] !== undefined);
}

// ---- reading -------------------------------------------------------------------------------------------------------

type ReadResult = { bytes: Buffer; origin: string } | { problem: string; path: string };

/** Regular files only, after stat: a FIFO or device would block a read forever. */
async function readSlot(setting: Setting<PemInput>, cwd: string, signal: AbortSignal): Promise<ReadResult> {
  const input = setting.value;
  if (input.kind === 'data') return { bytes: Buffer.from(input.data.reveal(), 'utf8'), origin: 'inline' };
  const path = resolve(cwd, input.path);
  const read = await readRegularFile(path, { maxBytes: PEM_FILE_MAX_BYTES, what: 'a PEM file', signal });
  return 'bytes' in read ? { bytes: read.bytes, origin: path } : { problem: read.text, path };
}

function unreadableCheck(slot: PemSlot, setting: Setting<PemInput>, path: string, problem: string): CheckResult {
  const given = setting.value.kind === 'path' ? setting.value.path : path;
  return fail(`pem.${slot}.unreadable`, `${SLOT_NAME[slot]} file ${given} (from ${setting.source.name}) ${problem}`, {
    evidence: evidence({ setting: setting.source.name, 'path given': given, 'resolved path': path }),
    fix: `Point ${setting.source.name} at the ${SLOT_NAME[slot].toLowerCase()} PEM file; relative paths are resolved from the directory the process starts in.`,
  });
}

// ---- what the slot holds -------------------------------------------------------------------------------------------

function swappedCheck(cert: LoadedSlot, key: LoadedSlot): CheckResult {
  const certName = cert.setting.source.name;
  const keyName = key.setting.source.name;
  return fail(
    'pem.client-cert.swapped',
    `Client certificate and key look swapped: ${certName} holds a private key and ${keyName} holds a certificate`,
    {
      evidence: evidence({
        [certName]: `${cert.origin}: ${cert.analysis.labels.join(', ')}`,
        [keyName]: `${key.origin}: ${key.analysis.labels.join(', ')}`,
      }),
      fix: `Swap the values of ${certName} and ${keyName}: the certificate setting takes the CERTIFICATE file, the key setting the PRIVATE KEY file.`,
    }
  );
}

function contentChecks(loaded: LoadedSlot): CheckResult[] {
  const { slot, setting, analysis } = loaded;
  const name = setting.source.name;
  const expected = EXPECTED_KIND[slot];
  if (analysis.kind === expected || analysis.kind === 'unknown') return [];
  const base = evidence({ setting: name, from: loaded.origin, 'PEM blocks': analysis.labels.join(', ') || undefined });
  if (analysis.kind === 'encrypted-private-key' && slot === 'client-key') {
    return [
      fail(
        'pem.client-key.encrypted',
        `Client key from ${name} is encrypted with a passphrase, which neither SDK can use`,
        {
          evidence: base,
          fix: `Decrypt it once (openssl pkey -in encrypted.key -out client.key) and point ${name} at the decrypted key; keep that file readable only by the worker's user.`,
        }
      ),
    ];
  }
  const hint =
    analysis.kind === 'certificate-request'
      ? ' The signed certificate is what your CA returns for this request.'
      : analysis.kind === 'openssh-private-key'
        ? ' Convert it with ssh-keygen -p -m PKCS8 -f <file>, or use the TLS key issued with the certificate.'
        : slot === 'server-ca' && analysis.kind.includes('private-key')
          ? " This is usually the CA's key instead of its certificate (ca.key instead of ca.pem)."
          : '';
  return [
    fail(
      `pem.${slot}.wrong-type`,
      `${SLOT_NAME[slot]} setting ${name} holds ${KIND_NAME[analysis.kind]}, not ${KIND_NAME[expected]}`,
      {
        evidence: base,
        fix: `Point ${name} at the ${SLOT_NAME[slot].toLowerCase()} (${expected === 'certificate' ? 'BEGIN CERTIFICATE' : 'BEGIN PRIVATE KEY'}).${hint}`,
      }
    ),
  ];
}

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

function damageChecks(loaded: LoadedSlot): CheckResult[] {
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

function parsedChecks(loaded: LoadedSlot, now: Date, warnDays: number): CheckResult[] {
  const { slot, setting, analysis } = loaded;
  const name = setting.source.name;
  if (slot === 'client-key') {
    if (!analysis.key) return [];
    return [
      pass('pem.client-key.parsed', `Client key is ${describeKey(analysis.key, analysis.keyLabel)}`, {
        evidence: evidence({ setting: name, from: loaded.origin, key: describeKey(analysis.key, analysis.keyLabel) }),
      }),
    ];
  }
  const certs = analysis.certs;
  if (certs.length === 0) return [];
  const checks: CheckResult[] = [];
  if (slot === 'client-cert') {
    const leaf = certs[0] as X509Certificate;
    const s = summarizeCertificate(leaf);
    checks.push(
      pass(
        'pem.client-cert.parsed',
        `Client certificate ${s.subject}, issued by ${s.issuer}, valid until ${s.validTo}`,
        {
          evidence: [
            ...evidence({ setting: name, from: loaded.origin }),
            ...certificateEvidence(leaf),
            ...evidence({ 'chain length': certs.length > 1 ? certs.length : undefined }),
          ],
        }
      )
    );
    checks.push(...lintChecks(slot, name, leaf, 'client', now, warnDays));
    return checks;
  }

  checks.push(
    pass(
      'pem.server-ca.parsed',
      `Server CA file holds ${certs.length} certificate${certs.length === 1 ? '' : 's'}: ${certs.map((c) => oneLineName(c.subject)).join('; ')}`,
      {
        evidence: [
          ...evidence({ setting: name, from: loaded.origin }),
          ...certs.flatMap((c, i) => certificateEvidence(c, certs.length > 1 ? `certificate ${i + 1} ` : '')),
        ],
      }
    )
  );
  // A trust anchor must be a CA or a self-signed (pinned) certificate; a leaf issued by someone else never verifies (docs/research/sdk-stacks.md#pem-damage).
  if (!certs.some((c) => c.ca || isSelfSigned(c))) {
    const leaf = certs[0] as X509Certificate;
    checks.push(
      fail(
        'pem.server-ca.not-a-ca',
        `Server CA setting ${name} holds a leaf certificate (${oneLineName(leaf.subject)}), not the CA that issued it`,
        {
          evidence: [...evidence({ setting: name }), ...certificateEvidence(leaf)],
          fix: `Point ${name} at the certificate of the CA that issued the server's certificate (${oneLineName(leaf.issuer)}), not at a server certificate.`,
        }
      )
    );
  }
  for (const cert of certs) checks.push(...lintChecks(slot, name, cert, 'ca', now, warnDays, certs.length > 1));
  return checks;
}

function lintChecks(
  slot: PemSlot,
  name: string,
  cert: X509Certificate,
  role: 'client' | 'ca',
  now: Date,
  warnDays: number,
  nameIt = false
): CheckResult[] {
  const who = `${SLOT_NAME[slot]}${nameIt ? ` ${oneLineName(cert.subject)}` : ''}`;
  return lintCertificate(cert, role, now, warnDays).map((finding) => {
    const id = `pem.${slot}.${finding.rule}`;
    const message = `${who} ${finding.problem}`;
    const details = {
      evidence: [...evidence({ setting: name }), ...certificateEvidence(cert), ...evidence({ now: now.toISOString() })],
      fix: `${CERT_ADVICE[finding.rule](name)} (${finding.why}).`,
    };
    return finding.status === 'fail' ? fail(id, message, details) : warn(id, message, details);
  });
}

const CERT_ADVICE: Record<CertRule, (name: string) => string> = {
  expired: (n) => `Issue a new certificate and point ${n} at it`,
  'not-yet-valid': (n) =>
    `Check this machine's clock (NTP), or wait for the certificate's start date before using ${n}`,
  expiring: (n) => `Issue a new certificate soon and point ${n} at it`,
  v1: (n) => `Reissue it as an X.509 v3 certificate and point ${n} at it`,
  sha1: (n) => `Reissue it signed with SHA-256 and point ${n} at it`,
  'is-ca': (n) => `Point ${n} at the client's own leaf certificate, issued by the CA`,
  'no-client-auth': (n) => `Reissue it with extendedKeyUsage clientAuth and point ${n} at it`,
  'cn-only': (n) =>
    `Reissue the server certificate with its names in subjectAltName and point ${n} at the CA that issued it`,
};

function certificateEvidence(cert: X509Certificate, prefix = ''): ReturnType<typeof evidence> {
  const s = summarizeCertificate(cert);
  return evidence({
    [`${prefix}subject`]: s.subject,
    [`${prefix}SANs`]: s.subjectAltNames.join(', ') || '(none)',
    [`${prefix}issuer`]: s.issuer,
    [`${prefix}valid from`]: s.validFrom,
    [`${prefix}valid to`]: s.validTo,
    [`${prefix}SHA-256`]: s.fingerprint256,
  });
}

function keyPairCheck(
  cert: LoadedSlot | undefined,
  key: LoadedSlot | undefined,
  ca: LoadedSlot | undefined
): CheckResult | undefined {
  const leaf = cert?.analysis.certs[0];
  const privateKey = key?.analysis.key;
  if (!cert || !key || !leaf || !privateKey) return undefined;
  const certName = cert.setting.source.name;
  const keyName = key.setting.source.name;
  const base = evidence({
    certificate: oneLineName(leaf.subject),
    'certificate key': describeKey(leaf.publicKey),
    'private key': describeKey(privateKey, key.analysis.keyLabel),
  });
  if (keyMatchesCertificate(privateKey, leaf)) {
    return pass('pem.client-key.matches-cert', 'Client key matches the client certificate', { evidence: base });
  }
  const isTheCa = ca?.analysis.certs.some((c) => c.fingerprint256 === leaf.fingerprint256) || leaf.ca;
  return fail(
    'pem.client-key.matches-cert',
    `Client key from ${keyName} does not match the client certificate from ${certName}`,
    {
      evidence: [
        ...base,
        ...evidence({
          note: isTheCa ? `${certName} points at a CA certificate, not the client certificate` : undefined,
        }),
      ],
      fix: `Point ${keyName} at the key issued with this certificate, or ${certName} at the certificate issued for this key (both SDKs refuse a mismatched pair: "key values mismatch" / KeyMismatch).`,
    }
  );
}
