// Baseline: what a user's own script does to check a connection with the SDK, and nothing more.
// node bench/sdk-connect.mjs <address> [namespace] [<ca.pem> <client.pem> <client.key>]  (the three files: mTLS)
import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';

const [address, namespace = 'default', ca, cert, key] = process.argv.slice(2);
const tls =
  ca && cert && key
    ? { serverRootCACertificate: readFileSync(ca), clientCertPair: { crt: readFileSync(cert), key: readFileSync(key) } }
    : undefined;
const started = performance.now();
try {
  const connection = await Connection.connect({ address, ...(tls ? { tls } : {}) });
  await connection.workflowService.describeNamespace({ namespace });
  await connection.close();
  console.log(JSON.stringify({ ok: true, ms: performance.now() - started }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, ms: performance.now() - started, error: String(error?.message ?? error) }));
  process.exitCode = 1;
}
