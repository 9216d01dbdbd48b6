// Golden: nothing listens on the port (a loopback port that was bound, then closed). The tcp stage is the root
// cause; the SDK probe runs and its error is kept.
import { beforeAll } from '@jest/globals';
import { refusedPort } from '../support/servers/index.js';
import { describeGolden } from './golden-file.js';
import { goldenFixture } from './fixture.js';

const fixture = goldenFixture();
let args: string[];

beforeAll(async () => {
  const port = await refusedPort();
  fixture.facts.ports = { refused: port };
  args = ['--address', `127.0.0.1:${port}`, '--namespace', 'orders', '--timeout', '5s'];
});

describeGolden('refused-tcp', 'connection refused', fixture.facts, () => args);
