import { afterAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCa, issueCert } from '../support/pki.js';

const dir = mkdtempSync(join(tmpdir(), 'tls-public-roots-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A server CA setting (docs/research/common-failures.md#trust-mistakes) replaces the public roots. Node's default roots can only grow at process
// start (NODE_EXTRA_CA_CERTS), so the check runs in a child jest that trusts the "public" test CA by default.
it('fails tls.server-chain.untrusted as "the configured CA replaced public roots" when default roots verify the server', async () => {
  const yearAhead = new Date(Date.now() + 365 * 86_400_000);
  const [publicCa, clientSigningCa] = await Promise.all([
    createCa({ commonName: 'Public Test Root', notAfter: yearAhead }),
    createCa({ commonName: 'My Client CA', notAfter: yearAhead }),
  ]);
  const server = await issueCert(publicCa, { dnsNames: ['localhost'], notAfter: yearAhead });
  const rootsFile = join(dir, 'public-roots.pem');
  writeFileSync(rootsFile, publicCa.certPem);
  const child = spawnSync(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '--testMatch',
      '**/children/tls-public-roots.child.ts',
      '--ci',
    ],
    {
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: rootsFile,
        CHILD_SERVER_CERT: server.certPem,
        CHILD_SERVER_KEY: server.keyPem,
        CHILD_CONFIGURED_CA: clientSigningCa.certPem,
      },
      encoding: 'utf8',
      timeout: 30_000,
    }
  );
  expect({ status: child.status, output: child.status === 0 ? '' : `${child.stdout}\n${child.stderr}` }).toEqual({
    status: 0,
    output: '',
  });
}, 40_000);
