// The program the Worker probe runs in a child process (`node -e`): it loads the user's @temporalio/worker, calls
// NativeConnection.connect (then DescribeNamespace) and reports on fd 3, one JSON line per step.
// It is plain JavaScript in a string, not a TypeScript module, because it must run as is from both dist/ and the
// test runner's transformed sources, and Node 20 cannot run .ts files. Keep it small; the parent does the judging.
// - Settings (with secrets) arrive on stdin, never in argv or the environment, which other users can read.
// - stdout is ignored by the parent: Core may print native logs there, and fd 3 keeps the protocol clean.
// - Runtime.install with no shutdown signals: by default the Runtime takes over SIGINT/SIGTERM, and the parent's kill
//   at the deadline must not be negotiable.
export const WORKER_PROBE_CHILD = String.raw`
'use strict';
const fs = require('node:fs');
// A parent killed without a chance to kill this child (SIGKILL, a crash) leaves it to init: exit then, not at lifetimeMs.
const parentPid = process.ppid;
setInterval(() => { if (process.ppid !== parentPid) process.exit(0); }, 200).unref();
const send = (message) => { try { fs.writeSync(3, JSON.stringify(message) + '\n'); } catch {} };
const describe = (error) => ({
  name: error && error.name ? String(error.name) : 'Error',
  message: error && error.message !== undefined ? String(error.message) : String(error),
  ...(error && (typeof error.code === 'number' || typeof error.code === 'string') ? { code: error.code } : {}),
});
// The three modules the probe needs load in about two thirds of the package's time (no Worker, bundler, replay);
// a layout other than 1.x's falls back to the package entry.
const loadParts = (entry) => {
  try {
    const lib = require('node:path').dirname(entry);
    const { NativeConnection } = require(lib + '/connection.js');
    const { Runtime } = require(lib + '/runtime.js');
    const { DefaultLogger } = require(lib + '/logger.js');
    if (NativeConnection && Runtime && DefaultLogger) return { NativeConnection, Runtime, DefaultLogger };
  } catch {}
  return require(entry);
};
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', async () => {
  let connection;
  try {
    const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const options = input.options;
    if (options.tls) {
      if (options.tls.serverRootCACertificate !== undefined) options.tls.serverRootCACertificate = Buffer.from(options.tls.serverRootCACertificate, 'base64');
      if (options.tls.clientCertPair) {
        options.tls.clientCertPair = { crt: Buffer.from(options.tls.clientCertPair.crt, 'base64'), key: Buffer.from(options.tls.clientCertPair.key, 'base64') };
      }
    }
    // Outlives a parent that exited without killing it (NativeConnection alone would keep it alive forever).
    setTimeout(() => process.exit(0), input.lifetimeMs);
    let sdk;
    try {
      sdk = loadParts(input.entry);
    } catch (error) {
      send({ step: 'load-failed', error: describe(error) });
      return;
    }
    try {
      sdk.Runtime.install({ shutdownSignals: [], logger: new sdk.DefaultLogger('ERROR', () => {}) });
    } catch {}
    send({ step: 'loaded' });
    const started = Date.now();
    try {
      connection = await sdk.NativeConnection.connect(options);
    } catch (error) {
      send({ step: 'connect-failed', ms: Date.now() - started, error: describe(error) });
      return;
    }
    send({ step: 'connected', ms: Date.now() - started });
    try {
      await connection.workflowService.describeNamespace({ namespace: input.namespace });
      send({ step: 'described', ms: Date.now() - started });
    } catch (error) {
      send({ step: 'describe-failed', ms: Date.now() - started, error: describe(error) });
    }
  } catch (error) {
    send({ step: 'crashed', error: describe(error) });
  } finally {
    if (connection) await Promise.race([connection.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 500))]);
    process.exit(0);
  }
});
`;
