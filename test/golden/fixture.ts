// What every golden scenario needs: a temp folder (the CLI's cwd, PEM files), a test PKI with fixed validity dates,
// and the servers it starts, closed after the file's tests.
import { afterAll, beforeAll } from '@jest/globals';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { closeAfterAll } from '../support/close-after-all.js';
import type { RunFacts } from './golden-file.js';

// Fixed dates, far from today on both sides: no expiry warning, and the same validity text on every run.
const NOT_BEFORE = new Date('2025-01-01T00:00:00Z');
const NOT_AFTER = new Date('2099-01-01T00:00:00Z');

export interface GoldenPki {
  ca: Issued;
  /** Server certificate for localhost and 127.0.0.1. */
  server: Issued;
  client: Issued;
  /** PEM files in the temp folder, by name: ca.pem, client.pem, client.key. */
  files: Record<'ca.pem' | 'client.pem' | 'client.key', string>;
}

export interface GoldenFixture {
  facts: RunFacts;
  pki: GoldenPki;
  /** Starts a server for this file; it is closed in afterAll. */
  track: ReturnType<typeof closeAfterAll>;
  /** Issues another certificate from the fixture's CA, with the fixed validity dates; `name` labels its fingerprint. */
  issue(name: string, opts: Parameters<typeof issueCert>[1]): Promise<Issued>;
}

/** Call at the top level of a test file; the fixture is filled in by beforeAll. */
export function goldenFixture(): GoldenFixture {
  const fixture = {
    facts: { tmp: '', ports: {}, fingerprints: {}, fixedTimes: [NOT_BEFORE.toISOString(), NOT_AFTER.toISOString()] },
    track: closeAfterAll(),
  } as GoldenFixture;
  beforeAll(async () => {
    // realpath: the CLI may print a resolved path (macOS /var -> /private/var).
    const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'golden-')));
    fixture.facts.tmp = tmp;
    const dates = { notBefore: NOT_BEFORE, notAfter: NOT_AFTER };
    const ca = await createCa({ ...dates });
    const [server, client] = await Promise.all([
      issueCert(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], ...dates }),
      issueCert(ca, { commonName: 'golden-client', noSan: true, serverAuth: false, clientAuth: true, ...dates }),
    ]);
    const files = {
      'ca.pem': join(tmp, 'ca.pem'),
      'client.pem': join(tmp, 'client.pem'),
      'client.key': join(tmp, 'client.key'),
    };
    writeFileSync(files['ca.pem'], ca.certPem);
    writeFileSync(files['client.pem'], client.certPem);
    writeFileSync(files['client.key'], client.keyPem);
    fixture.pki = { ca, server, client, files };
    Object.assign(fixture.facts.fingerprints, {
      ca: ca.cert.fingerprint256,
      server: server.cert.fingerprint256,
      client: client.cert.fingerprint256,
    });
    fixture.issue = async (name, opts) => {
      const issued = await issueCert(ca, { ...opts, ...dates });
      fixture.facts.fingerprints[name] = issued.cert.fingerprint256;
      return issued;
    };
  });
  afterAll(() => {
    if (fixture.facts.tmp) rmSync(fixture.facts.tmp, { recursive: true, force: true });
  });
  return fixture;
}
