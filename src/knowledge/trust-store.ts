// The roots each SDK stack trusts, and a chain check with webpki's rules, so the doctor can say which stack trusts
// the server without running it (docs/research/sdk-stacks.md#trust-variables,
// docs/research/common-failures.md#trust-mistakes).
// Worker (Rust Core, rustls): a configured server CA REPLACES the OS store; otherwise rustls-native-certs loads
// SSL_CERT_FILE and/or SSL_CERT_DIR (hash-named files only, as `openssl rehash` makes them) when set, else the
// platform store, which on Linux is the bundle openssl-probe finds. macOS keychains and the Windows store cannot be
// read from Node, so there the verdict is inconclusive unless the env vars are set.
import { statSync } from 'node:fs';
import { opendir } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { readRegularFile } from '../text/read-file.js';

export interface TrustSource {
  kind: 'configured-ca' | 'env' | 'os-bundle' | 'none-found' | 'unreadable-platform-store';
  /** For messages: "the CA from --tls-ca-path (it replaces the OS trust store)", "SSL_CERT_FILE=/x". */
  description: string;
  roots: X509Certificate[];
  /** Why some configured locations gave nothing (missing file, unreadable directory). */
  problems: string[];
}

/** Bundles are a few hundred KiB; a bigger file is not a trust store. */
const MAX_BUNDLE_BYTES = 16 * 1024 * 1024;
const MAX_DIR_ENTRIES = 5000;
/** All the files of one trust source together: a directory of 5,000 large files is not read whole either. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/** How much a trust source may still read, and when to stop (the stage's deadline). */
interface ReadBudget {
  bytesLeft: number;
  signal?: AbortSignal;
}

// openssl-probe's search, in its order: the first directory holding one of these files wins, and so does the first
// directory holding `certs/`.
const PROBE_DIRS = [
  '/var/ssl',
  '/usr/share/ssl',
  '/usr/local/ssl',
  '/usr/local/openssl',
  '/usr/local/etc/openssl',
  '/usr/local/share',
  '/usr/lib/ssl',
  '/usr/ssl',
  '/etc/openssl',
  '/etc/pki/ca-trust/extracted/pem',
  '/etc/pki/tls',
  '/etc/ssl',
  '/etc/certs',
  '/opt/etc/ssl',
];
const PROBE_FILES = [
  'cert.pem',
  'certs.pem',
  'ca-bundle.pem',
  'cacert.pem',
  'ca-certificates.crt',
  'certs/ca-certificates.crt',
  'certs/ca-root-nss.crt',
  'certs/ca-bundle.crt',
  'CARootCertificates.pem',
  'tls-ca-bundle.pem',
];

const HASH_FILE_NAME = /^[0-9a-f]{8}\.[0-9]$/i;

/**
 * The Worker's roots. `caPem` is the configured server CA (TEMPORAL_TLS_SERVER_CA_CERT_*, --tls-ca-*). Every file goes
 * through the bounded reader: SSL_CERT_FILE=/proc/self/pagemap, a FIFO or /dev/zero is a problem, not a hang.
 */
export async function workerTrustSource(
  configured: { caPem?: string; caCerts: X509Certificate[]; caSetting?: string },
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
  signal?: AbortSignal
): Promise<TrustSource> {
  if (configured.caPem !== undefined) {
    return {
      kind: 'configured-ca',
      description: `the CA from ${configured.caSetting ?? 'the server CA setting'} (it replaces the OS trust store)`,
      roots: configured.caCerts,
      problems: [],
    };
  }
  const file = env.SSL_CERT_FILE;
  const dir = env.SSL_CERT_DIR;
  if (file || dir) {
    const problems: string[] = [];
    const budget: ReadBudget = { bytesLeft: MAX_TOTAL_BYTES, ...(signal ? { signal } : {}) };
    const roots = [
      ...(file ? await readBundle(file, 'SSL_CERT_FILE', problems, budget) : []),
      ...(dir ? await readHashDir(dir, 'SSL_CERT_DIR', problems, budget) : []),
    ];
    const description = [file ? `SSL_CERT_FILE=${file}` : '', dir ? `SSL_CERT_DIR=${dir}` : '']
      .filter(Boolean)
      .join(' and ');
    // rustls-native-certs falls back to the platform store only when the env locations gave neither certs nor errors.
    if (roots.length || problems.length) return { kind: 'env', description, roots, problems };
  }
  if (platform === 'darwin' || platform === 'win32') {
    return {
      kind: 'unreadable-platform-store',
      description: platform === 'darwin' ? 'the macOS keychain' : 'the Windows certificate store',
      roots: [],
      problems: [],
    };
  }
  return osBundle(signal);
}

let cachedOsBundle: TrustSource | undefined;

async function osBundle(signal?: AbortSignal): Promise<TrustSource> {
  if (cachedOsBundle) return cachedOsBundle;
  const problems: string[] = [];
  const budget: ReadBudget = { bytesLeft: MAX_TOTAL_BYTES, ...(signal ? { signal } : {}) };
  const file = PROBE_DIRS.flatMap((d) => PROBE_FILES.map((f) => join(d, f))).find(isFile);
  const dir = PROBE_DIRS.map((d) => join(d, 'certs')).find(isDirectory);
  const roots = [
    ...(file ? await readBundle(file, file, problems, budget) : []),
    ...(dir ? await readHashDir(dir, dir, problems, budget) : []),
  ];
  const source: TrustSource = roots.length
    ? {
        kind: 'os-bundle',
        description: `the OS trust store (${[file, dir].filter(Boolean).join(' and ')})`,
        roots: dedupe(roots),
        problems,
      }
    : {
        kind: 'none-found',
        description:
          'the OS trust store, which is empty or missing here (no CA bundle in /etc/ssl, /etc/pki or /usr/lib/ssl)',
        roots: [],
        problems,
      };
  // A read cut short by the deadline is not the store: only a complete answer is kept for the next run.
  if (!signal?.aborted) cachedOsBundle = source;
  return source;
}

async function readBundle(
  path: string,
  label: string,
  problems: string[],
  budget: ReadBudget
): Promise<X509Certificate[]> {
  if (budget.signal?.aborted) {
    problems.push(`${label} could not be read in time`);
    return [];
  }
  const maxBytes = Math.min(MAX_BUNDLE_BYTES, budget.bytesLeft);
  const read = await readRegularFile(path, {
    maxBytes,
    what: 'a CA bundle',
    ...(budget.signal ? { signal: budget.signal } : {}),
  });
  if ('problem' in read) {
    problems.push(`${label} ${read.text}`);
    return [];
  }
  budget.bytesLeft -= read.bytes.length;
  return parseBundle(read.bytes.toString('utf8'));
}

async function readHashDir(
  path: string,
  label: string,
  problems: string[],
  budget: ReadBudget
): Promise<X509Certificate[]> {
  const names: string[] = [];
  try {
    // Listed entry by entry: a directory of a million files is not read whole.
    const listing = await opendir(path);
    try {
      for await (const entry of listing) {
        names.push(entry.name);
        if (names.length >= MAX_DIR_ENTRIES || budget.signal?.aborted) break;
      }
    } finally {
      await listing.close().catch(() => {});
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push(
      code === 'ENOTDIR' ? `${label} is not a directory` : `${label} cannot be listed (${code ?? 'error'})`
    );
    return [];
  }
  const hashed = names.filter((n) => HASH_FILE_NAME.test(n));
  if (!hashed.length && names.some((n) => /\.(pem|crt)$/i.test(n))) {
    problems.push(
      `${label} holds certificates but no hash-named links (run openssl rehash on it): rustls reads only HHHHHHHH.D files there`
    );
  }
  const roots: X509Certificate[] = [];
  for (const name of hashed) {
    if (budget.signal?.aborted || budget.bytesLeft <= 0) break;
    const found: string[] = [];
    roots.push(...(await readBundle(join(path, name), join(label, name), found, budget)));
    // A dangling hash link is skipped, as before; anything else that is not a readable file is a problem.
    problems.push(...found.filter((text) => !text.endsWith(' does not exist')));
  }
  return roots;
}

/** Every parseable certificate in a PEM bundle; damaged blocks are skipped, as rustls-pemfile does. */
export function parseBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.flatMap((block) => {
    try {
      return [new X509Certificate(block)];
    } catch {
      return [];
    }
  });
}

function dedupe(certs: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => !seen.has(c.fingerprint256) && seen.add(c.fingerprint256));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export interface ChainVerdict {
  trusted: boolean;
  /** The root the path ends at, when trusted. */
  anchor?: X509Certificate;
}

/**
 * webpki path building: from the leaf, through certificates the server sent, to a certificate issued by a trust
 * anchor. An anchor is only a name and a key, so a self-signed leaf configured as the CA, or an intermediate
 * configured alone, anchors a path (unlike OpenSSL without partial chains). Validity dates are not judged here:
 * the tls stage reports expiry for both stacks.
 */
export function verifyChain(chain: readonly X509Certificate[], roots: readonly X509Certificate[]): ChainVerdict {
  const leaf = chain[0];
  if (!leaf) return { trusted: false };
  const intermediates = chain.slice(1);
  const walk = (cert: X509Certificate, depth: number, used: Set<X509Certificate>): X509Certificate | undefined => {
    const anchor = roots.find((root) => signedByAnchor(cert, root));
    if (anchor) return anchor;
    if (depth >= 6) return undefined;
    for (const next of intermediates) {
      if (used.has(next) || !issuedBy(cert, next)) continue;
      const found = walk(next, depth + 1, new Set([...used, next]));
      if (found) return found;
    }
    return undefined;
  };
  const anchor = walk(leaf, 0, new Set([leaf]));
  return anchor ? { trusted: true, anchor } : { trusted: false };
}

/** An anchor is a name and a key: its own extensions (key usage, CA flag) are not checked, unlike an intermediate's. */
function signedByAnchor(cert: X509Certificate, anchor: X509Certificate): boolean {
  try {
    return cert.issuer === anchor.subject && cert.verify(anchor.publicKey);
  } catch {
    return false;
  }
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
