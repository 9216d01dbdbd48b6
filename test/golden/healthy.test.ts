// Golden: a healthy mTLS connection to the test Temporal frontend; the namespace exists. Every stage passes, so the
// SDK probe (it runs on failure only) never runs.
import { beforeAll } from '@jest/globals';
import { startTemporalFrontend } from '../support/servers/temporal-frontend.js';
import { describeGolden } from './golden-file.js';
import { goldenFixture } from './fixture.js';

const fixture = goldenFixture();
let args: string[];

beforeAll(async () => {
  const { pki } = fixture;
  const frontend = await fixture.track(
    startTemporalFrontend({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, clientCaPem: pki.ca.certPem },
      namespaces: [{ name: 'orders', retentionDays: 3 }],
    })
  );
  fixture.facts.ports = { frontend: frontend.port };
  args = [
    '--address',
    `localhost:${frontend.port}`,
    '--namespace',
    'orders',
    '--tls-ca-path',
    pki.files['ca.pem'],
    '--tls-cert-path',
    pki.files['client.pem'],
    '--tls-key-path',
    pki.files['client.key'],
    '--timeout',
    '5s',
  ];
});

describeGolden('healthy', 'healthy mTLS', fixture.facts, () => args);
