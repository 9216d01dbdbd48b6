// Baseline: what a user's own script does to check a connection with the SDK, and nothing more.
import { Connection } from '@temporalio/client';

const [address, namespace = 'default'] = process.argv.slice(2);
const started = performance.now();
try {
  const connection = await Connection.connect({ address });
  await connection.workflowService.describeNamespace({ namespace });
  await connection.close();
  console.log(JSON.stringify({ ok: true, ms: performance.now() - started }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, ms: performance.now() - started, error: String(error?.message ?? error) }));
  process.exitCode = 1;
}
