// Golden: the server certificate names temporal.internal only, and the client dials localhost (TLS, server CA
// given). The tls stage's name check is the root cause; the SDK probe runs and its error is kept.
import { beforeAll, describe, it } from '@jest/globals';
import { startTemporalFrontend } from '../support/servers/temporal-frontend.js';
import { expectGolden, FORMATS, goldenText, runGolden } from './golden-file.js';
import { goldenFixture } from './fixture.js';

const fixture = goldenFixture();
let args: string[];

beforeAll(async () => {
  const { pki } = fixture;
  const internal = await fixture.issue('internal-server', { commonName: 'temporal.internal', dnsNames: ['temporal.internal'] });
  const frontend = await fixture.track(startTemporalFrontend({ tls: { certPem: internal.certPem, keyPem: internal.keyPem }, namespaces: [{ name: 'orders' }] }));
  fixture.facts.ports = { frontend: frontend.port };
  args = ['--address', `localhost:${frontend.port}`, '--namespace', 'orders', '--tls-ca-path', pki.files['ca.pem'], '--timeout', '5s'];
});

describe('golden: server certificate does not name the host dialled', () => {
  it.each(FORMATS)('%s', async (format) => {
    const run = await runGolden(format, args, fixture.facts);
    expectGolden(`wrong-server-name.${format}`, goldenText(run, fixture.facts));
  });
});
