// Golden: the client certificate and key paths swapped (--tls-cert-path names the key, --tls-key-path the cert), with
// a healthy mTLS frontend behind them. The pem stage is the root cause.
// --no-sdk-probe: the probe would also start the Worker probe, a child process that loads @temporalio/worker; on a
// loaded machine that load took over its 15 s allowance and the report said so instead of the Worker's error. The
// doctor's own Worker checks (tls.worker.*) still run and are pinned.
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
      namespaces: [{ name: 'orders' }],
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
    pki.files['client.key'],
    '--tls-key-path',
    pki.files['client.pem'],
    '--timeout',
    '5s',
    '--no-sdk-probe',
  ];
});

describeGolden('swapped-pem', 'swapped client cert and key paths', fixture.facts, () => args);
