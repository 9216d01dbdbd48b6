// Golden: a healthy TLS frontend that does not know the namespace asked for. The namespace stage is the root cause;
// the SDK probe runs and its NOT_FOUND is kept.
import { beforeAll, describe, it } from '@jest/globals';
import { startTemporalFrontend } from '../support/servers/temporal-frontend.js';
import { expectGolden, FORMATS, goldenText, runGolden } from './golden-file.js';
import { goldenFixture } from './fixture.js';

const fixture = goldenFixture();
let args: string[];

beforeAll(async () => {
  const { pki } = fixture;
  const frontend = await fixture.track(startTemporalFrontend({ tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem }, namespaces: [{ name: 'orders' }] }));
  fixture.facts.ports = { frontend: frontend.port };
  args = ['--address', `localhost:${frontend.port}`, '--namespace', 'payments', '--tls-ca-path', pki.files['ca.pem'], '--timeout', '5s'];
});

describe('golden: namespace not found', () => {
  it.each(FORMATS)('%s', async (format) => {
    const run = await runGolden(format, args, fixture.facts);
    expectGolden(`namespace-not-found.${format}`, goldenText(run, fixture.facts));
  });
});
