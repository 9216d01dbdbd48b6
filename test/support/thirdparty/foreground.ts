// Runs a third-party server (nginx, haproxy, openssl s_server, squid, tinyproxy, ...) in the foreground from files in a
// temp folder, waits until it accepts TCP on its port (loopback, or a test namespace's address), and stops it (kill,
// then wait for the exit) on close.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ForegroundServer {
  /** The loopback port the program listens on. */
  port: number;
  /** The temp folder holding its config, certificates and logs. */
  dir: string;
  /** What the program wrote to stdout and stderr so far (for failure messages and log assertions). */
  output(): string;
  close(): Promise<void>;
}

const START_MS = 5_000;
const STOP_MS = 3_000;

/** A free loopback port: bound to 0, read, released (the program binds it moments later). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function tempDir(prefix: string, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `td-${prefix}-`));
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text, { mode: 0o600 })));
  return dir;
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(500, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export interface ForegroundOptions {
  /** Where the program listens. @default 127.0.0.1 */
  host?: string;
  /** How long it may take to listen. @default 5000 */
  startMs?: number;
}

/**
 * Starts `command args` in `dir` and resolves once `host:port` accepts a TCP connection; rejects with its output if
 * not.
 */
export async function startForeground(
  name: string,
  command: string,
  args: string[],
  dir: string,
  port: number,
  options: ForegroundOptions = {}
): Promise<ForegroundServer> {
  const host = options.host ?? '127.0.0.1';
  const startMs = options.startMs ?? START_MS;
  // stdin stays open: openssl s_server ends every connection when its stdin reaches end of file.
  const child = spawn(command, args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    if (output.length < 64_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(String(error))));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await exited(child, STOP_MS))) {
        child.kill('SIGKILL');
        await exited(child, STOP_MS);
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  const started = Date.now();
  while (Date.now() - started < startMs) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await accepts(host, port)) return { port, dir, output: () => output, close };
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await close();
  throw new Error(`${name} did not start listening on ${host}:${port}: ${output.slice(0, 2000)}`);
}
