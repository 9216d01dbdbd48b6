// "What your Worker says": NativeConnection.connect from @temporalio/worker with the same settings, the way the
// user's Worker would connect (Rust Core: tonic + hyper + rustls), and its error verbatim (sanitised) beside the
// verdict. The package is the user's own copy when their project has one, else the doctor's (a devDependency only).
//
// It runs in a child process that the deadline kills, and never in the doctor's own process, because (measured,
// @temporalio/worker 1.24.0, Node 20):
// - NativeConnection has no connect timeout. Against a peer that accepts TCP but never answers the TLS handshake, the
//   native promise never settles and its handle keeps the event loop alive: an in-process probe raced against a
//   timer would answer in time, but the CLI (and jest) would then never exit.
// - Its Runtime installs SIGINT/SIGTERM handlers by default: once loaded in-process, Ctrl-C and `timeout` no longer
//   stop the doctor. (The child installs it without them anyway.)
// - rustls reads SSL_CERT_FILE / SSL_CERT_DIR from the real process environment; the child gets `options.env`, so
//   the Worker sees the trust store the user's environment names, and tests stay hermetic.
// - Core may print native logs on stdout, which must stay clean for -o json; the child's stdout is discarded.
import { spawn, type ChildProcess } from 'node:child_process';
import type { DoctorOptions } from '../options.js';
import type { SdkOutcome } from './outcome.js';
import {
  connectionOptionsFrom,
  describeDial,
  type BuiltConnectionOptions,
  type SdkConnectionOptions,
} from './connection-options.js';
import { lookupSdkPackage, type FoundPackage } from './find-sdk.js';
import { summarizeSdkError } from './client-sdk.js';
import { WORKER_PROBE_CHILD } from './worker-probe-child.js';
import { workerProxyOption } from '../knowledge/proxy-rules.js';
import { sanitize } from '../text/sanitize.js';
import { SecretRegistry } from '../text/secret-registry.js';
import type { Facts } from '../facts.js';

export const WORKER_PACKAGE = '@temporalio/worker';

/** Loading @temporalio/worker and its native bridge takes 0.4-0.7 s; a cold disk or a slow container may need more. */
const LOAD_ALLOWANCE_MS = 15_000;
const MESSAGE_MAX = 800;
const STDERR_KEPT = 4096;

export const ENABLE_WORKER_PROBE_HINT = `npm install ${WORKER_PACKAGE} in your project`;

type ChildError = { name: string; message: string; code?: string | number };
type ChildMessage =
  | { step: 'loaded' }
  | { step: 'connected'; ms: number }
  | { step: 'described'; ms: number }
  | { step: 'load-failed' | 'crashed'; error: ChildError }
  | { step: 'connect-failed' | 'describe-failed'; ms: number; error: ChildError };

/**
 * `find` is the package lookup; tests replace it to see the "not installed" answer. `cancel` stops the probe (the run
 * passed without it) and kills the child.
 */
/** Every Worker-probe child still running, so an interrupted run (Ctrl-C, SIGTERM) can kill them before it exits. */
const liveChildren = new Set<ChildProcess>();

/** Kills every running Worker-probe child at once (its connection to the server dies with it). */
export function killWorkerProbes(): number {
  const count = liveChildren.size;
  for (const child of liveChildren) child.kill('SIGKILL');
  liveChildren.clear();
  return count;
}

export async function probeWorkerSdk(
  facts: Partial<Facts>,
  options: DoctorOptions,
  find: typeof lookupSdkPackage = lookupSdkPackage,
  cancel?: AbortSignal
): Promise<SdkOutcome> {
  const lookup = find(WORKER_PACKAGE, options.cwd, options.project);
  const refused = lookup.refused.length ? { refused: lookup.refused.map((why) => sanitize(why, 500)) } : {};
  const found = lookup.found;
  if (!found) {
    return {
      stack: 'worker',
      package: WORKER_PACKAGE,
      outcome: 'unavailable',
      durationMs: 0,
      note: `not run: ${WORKER_PACKAGE} is not installed in this project; ${ENABLE_WORKER_PROBE_HINT} to see what your Worker says (the Worker checks above ran without it)`,
      ...refused,
    };
  }
  const pkg = `${WORKER_PACKAGE} ${found.version}${found.from === 'doctor' ? " (the doctor's copy: none in your project)" : ''}`;
  const outcome = await probeWith(found, facts, options, pkg, cancel);
  return { ...outcome, loadedFrom: sanitize(packageFolder(found), 500), ...refused };
}

/** The folder of the package (`…/node_modules/@temporalio/worker`), from its entry file. */
function packageFolder(found: FoundPackage): string {
  const marker = `node_modules/${found.name}/`;
  const at = found.entry.replace(/\\/g, '/').lastIndexOf(marker);
  return at >= 0 ? found.entry.slice(0, at + marker.length - 1) : found.entry;
}

async function probeWith(
  found: FoundPackage,
  facts: Partial<Facts>,
  options: DoctorOptions,
  pkg: string,
  cancel?: AbortSignal
): Promise<SdkOutcome> {
  const config = facts.config;
  if (!config) {
    return {
      stack: 'worker',
      package: pkg,
      outcome: 'unavailable',
      durationMs: 0,
      note: 'not run: the configuration could not be resolved, so there are no settings to connect with',
    };
  }
  const started = performance.now();
  let built: BuiltConnectionOptions;
  try {
    built = await connectionOptionsFrom({ ...facts, config }, options, 'worker');
  } catch (error) {
    return {
      stack: 'worker',
      package: pkg,
      outcome: 'error',
      durationMs: 0,
      error: summarizeSdkError(error),
      note: 'reading the configured PEM files failed before any connect',
    };
  }
  const workerProxy = config.workerProxy?.value.reveal();
  const proxy = workerProxy ? workerProxyOption(workerProxy) : undefined;
  const secrets = secretsOf(built.options, options.secrets);
  if (proxy?.basicAuth) secrets.add(proxy.basicAuth.password);
  const dialled = built.dialled ? `dialled ${sanitize(describeDial(built), 300)}` : undefined;
  // Client-only channel options stay behind; the Worker's own proxy option (--worker-proxy) goes in.
  const { channelArgs: _clientOnly, ...workerOptions } = built.options;
  const result = await runChild(
    found,
    { ...workerOptions, ...(proxy ? { proxy } : {}) },
    config.namespace.value,
    options,
    cancel
  );
  const durationMs = Math.round(result.connectMs ?? performance.now() - started);
  const clean = (error: ChildError): ChildError => ({
    ...error,
    name: secrets.untrusted(error.name, 80),
    message: secrets.untrusted(error.message, MESSAGE_MAX),
  });
  const withNote = (...parts: Array<string | undefined>): { note?: string } => {
    const note = parts.filter(Boolean).join('; ');
    return note ? { note } : {};
  };
  const base = { stack: 'worker' as const, package: pkg, durationMs };
  switch (result.kind) {
    case 'connected':
      return { ...base, outcome: 'connected', ...withNote('connected and described the namespace', dialled) };
    case 'describe-failed':
      return {
        ...base,
        outcome: 'error',
        error: clean(result.error),
        ...withNote('NativeConnection.connect succeeded; workflowService.describeNamespace failed', dialled),
      };
    case 'connect-failed':
      return { ...base, outcome: 'error', error: clean(result.error), ...withNote(dialled) };
    case 'timeout':
      return {
        ...base,
        outcome: 'timeout',
        ...withNote(
          `NativeConnection.connect gave no answer within ${options.timeoutMs} ms and was stopped: it has no connect timeout, so a Worker started with these settings hangs here`,
          dialled
        ),
      };
    case 'load-failed':
      return {
        ...base,
        outcome: 'error',
        error: clean(result.error),
        note: `${WORKER_PACKAGE} could not be loaded (its native bridge @temporalio/core-bridge needs glibc and a supported platform)`,
      };
    case 'no-answer':
      return { ...base, outcome: 'unavailable', note: secrets.untrusted(result.why, MESSAGE_MAX) };
    case 'cancelled':
      return { ...base, outcome: 'unavailable', note: 'stopped: the run passed without it' };
  }
}

type ChildResult =
  | { kind: 'connected' | 'timeout'; connectMs?: number }
  | { kind: 'connect-failed' | 'describe-failed' | 'load-failed'; connectMs?: number; error: ChildError }
  | { kind: 'no-answer'; why: string; connectMs?: number }
  | { kind: 'cancelled'; connectMs?: number };

function runChild(
  found: FoundPackage,
  connection: SdkConnectionOptions & { proxy?: unknown },
  namespace: string,
  options: DoctorOptions,
  cancel?: AbortSignal
): Promise<ChildResult> {
  return new Promise((resolve) => {
    if (cancel?.aborted) {
      resolve({ kind: 'cancelled' });
      return;
    }
    const child = spawn(process.execPath, ['-e', WORKER_PROBE_CHILD], {
      stdio: ['pipe', 'ignore', 'pipe', 'pipe'],
      env: childEnv(options.env),
    });
    liveChildren.add(child);
    child.on('exit', () => liveChildren.delete(child));
    let stderr = '';
    let lines = '';
    let connectStarted: number | undefined;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ChildResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // The child exits by itself after closing the connection; a kill covers a close that hangs or a timeout.
      if (result.kind === 'timeout' || result.kind === 'no-answer' || result.kind === 'cancelled')
        child.kill('SIGKILL');
      else setTimeout(() => child.kill('SIGKILL'), 1000).unref();
      child.unref();
      for (const stream of [child.stdin, child.stderr, child.stdio[3]]) stream?.destroy();
      cancel?.removeEventListener('abort', onCancel);
      resolve(result);
    };
    const onCancel = (): void => finish({ kind: 'cancelled', connectMs: connectMs() });
    cancel?.addEventListener('abort', onCancel, { once: true });
    const arm = (ms: number, onExpiry: () => ChildResult): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(onExpiry()), ms);
    };
    const connectMs = (reported?: number): number | undefined =>
      reported ?? (connectStarted === undefined ? undefined : performance.now() - connectStarted);

    arm(LOAD_ALLOWANCE_MS, () => ({
      kind: 'no-answer',
      why: `not run: loading ${WORKER_PACKAGE} took longer than ${LOAD_ALLOWANCE_MS / 1000} s`,
    }));
    child.on('error', (error) =>
      finish({ kind: 'no-answer', why: `not run: could not start a Node.js child process (${error.message})` })
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += chunk.toString('utf8');
    });
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      lines += chunk.toString('utf8');
      let newline: number;
      while ((newline = lines.indexOf('\n')) >= 0) {
        const line = lines.slice(0, newline);
        lines = lines.slice(newline + 1);
        let message: ChildMessage;
        try {
          message = JSON.parse(line) as ChildMessage;
        } catch {
          continue;
        }
        switch (message.step) {
          case 'loaded':
            connectStarted = performance.now();
            arm(options.timeoutMs, () => ({ kind: 'timeout', connectMs: connectMs() }));
            break;
          case 'connected':
            break;
          case 'described':
            finish({ kind: 'connected', connectMs: message.ms });
            break;
          case 'connect-failed':
          case 'describe-failed':
            finish({ kind: message.step, connectMs: message.ms, error: message.error });
            break;
          case 'load-failed':
            finish({ kind: 'load-failed', error: message.error });
            break;
          case 'crashed':
            finish({ kind: 'no-answer', why: `the Worker probe failed: ${message.error.message}` });
            break;
        }
      }
    });
    // 'close', not 'exit': the last fd 3 lines may still be unread when the process has exited.
    child.on('close', (code, signal) => {
      const detail =
        stderr.trim().split('\n').slice(-3).join(' ') || (signal ? `killed by ${signal}` : `exit code ${code}`);
      finish({ kind: 'no-answer', why: `the Worker probe ended without an answer (${detail})` });
    });
    child.stdin?.on('error', () => {});
    const lifetimeMs = LOAD_ALLOWANCE_MS + options.timeoutMs + 1000;
    child.stdin?.end(JSON.stringify({ entry: found.entry, namespace, lifetimeMs, options: serialise(connection) }));
  });
}

/** The environment the user's Worker would run with, minus NODE_OPTIONS (a --require or --inspect meant for their app). */
function childEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'NODE_OPTIONS')
  );
}

/** Buffers travel as base64 through JSON; the child turns them back into Buffers. */
function serialise({ channelArgs: _clientOnly, ...options }: SdkConnectionOptions & { proxy?: unknown }): unknown {
  if (!options.tls) return options;
  const { serverRootCACertificate, clientCertPair, ...rest } = options.tls;
  return {
    ...options,
    tls: {
      ...rest,
      ...(serverRootCACertificate ? { serverRootCACertificate: serverRootCACertificate.toString('base64') } : {}),
      ...(clientCertPair
        ? { clientCertPair: { crt: clientCertPair.crt.toString('base64'), key: clientCertPair.key.toString('base64') } }
        : {}),
    },
  };
}

/** The run's secrets plus the values handed to the child: never in a report, even quoted inside a Core error. */
function secretsOf(options: SdkConnectionOptions, run: SecretRegistry): SecretRegistry {
  const registry = new SecretRegistry().merge(run).add(options.apiKey);
  for (const value of Object.values(options.metadata ?? {})) registry.addAuthorization(value);
  return registry;
}
