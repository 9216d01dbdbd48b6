// Golden: the server certificate names temporal.internal only, and the client dials localhost (TLS, server CA
// given). The tls stage's name check is the root cause.
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
  const internal = await fixture.issue('internal-server', {
    commonName: 'temporal.internal',
    dnsNames: ['temporal.internal'],
  });
  const frontend = await fixture.track(
    startTemporalFrontend({
      tls: { certPem: internal.certPem, keyPem: internal.keyPem },
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
    '--timeout',
    '5s',
    '--no-sdk-probe',
  ];
});

describeGolden('wrong-server-name', 'server certificate does not name the host dialled', fixture.facts, () => args);
