// jest setupFiles: make every test file hermetic, whatever the developer's or CI machine has set.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PINNED = [
  // These change what both SDK stacks trust and print (docs/research/sdk-stacks.md#environment-sensitivity).
  'NODE_EXTRA_CA_CERTS',
  'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'RUST_BACKTRACE',
  // Proxies would route test traffic away from loopback.
  'grpc_proxy',
  'https_proxy',
  'http_proxy',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'GRPC_PROXY',
  'no_proxy',
  'NO_PROXY',
  'GITHUB_ACTIONS',
  'GITHUB_STEP_SUMMARY',
  'FORCE_COLOR',
  'XDG_CONFIG_HOME',
  'APPDATA',
];

for (const name of Object.keys(process.env)) {
  if (name.startsWith('TEMPORAL_') || PINNED.includes(name)) delete process.env[name];
}
const home = mkdtempSync(join(tmpdir(), 'temporal-doctor-home-'));
process.env.HOME = home;
process.env.NO_COLOR = '1';
