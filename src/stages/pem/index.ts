// Reads the client certificate, client key and server CA, and says exactly what is wrong with each before any
// network stage runs: both SDK stacks fail on these at once, with texts that do not name the file (docs/research/sdk-stacks.md#pem-damage).
import { resolve } from 'node:path';
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, skip } from '../../pipeline/check.js';
import type { PemInput, ResolvedConfig, Setting } from '../../config/resolved-config.js';
import { describeSource } from '../../config/setting-names.js';
import { Secret } from '../../text/secret.js';
import { PEM_FILE_MAX_BYTES, readRegularFile } from '../../text/read-file.js';
import { EXPECTED_KIND, KIND_NAME, analyzePem, type PemSlot } from '../../knowledge/pem-text.js';
import { describeKey, keyMatchesCertificate, oneLineName } from '../../knowledge/x509.js';
import { defineStage, type PemFacts } from '../../facts.js';
import { SLOT_NAME, type LoadedSlot } from './slot.js';
import { damageChecks } from './damage.js';
import { parsedChecks } from './certificates.js';

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
