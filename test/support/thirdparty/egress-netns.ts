// An egress-only network: a network namespace whose only way out is a veth pair to this host (198.18.0.0/15, the
// benchmarking range), so a process inside reaches a proxy listening on the host end and nothing on the host's
// loopback. Always deleted again by close().
import { execFileSync, spawn } from 'node:child_process';

export interface EgressNamespace {
  name: string;
  /** The host end's address: where a proxy for the namespace listens. */
  hostAddress: string;
  /** The namespace end's address. */
  innerAddress: string;
  close(): void;
}

const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: 'pipe' });
};

/** Whether this machine lets the tests create network namespaces (root and iproute2). */
export function canCreateNamespaces(): boolean {
  try {
    const probe = `td-can-${process.pid}`;
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return true;
  } catch {
    return false;
  }
}

export function createEgressNamespace(index = 0): EgressNamespace {
  const tag = `${process.pid % 100000}${index}`;
  const name = `td-egress-${tag}`;
  const hostEnd = `tdh${tag}`.slice(0, 15);
  const innerEnd = `tdn${tag}`.slice(0, 15);
  // A /30 per namespace inside 198.18.0.0/15, picked from the pid so parallel test files do not collide.
  const block = ((process.pid * 4 + index * 4) % 65536) & ~3;
  const base = `198.${18 + (block >> 16)}.${(block >> 8) & 255}.${block & 255}`;
  const parts = base.split('.').map(Number);
  const at = (n: number): string => `${parts[0]}.${parts[1]}.${parts[2]}.${(parts[3] ?? 0) + n}`;
  const hostAddress = at(1);
  const innerAddress = at(2);
  const close = (): void => {
    for (const args of [
      ['link', 'del', hostEnd],
      ['netns', 'del', name],
    ]) {
      try {
        ip(...args);
      } catch {
        // Already gone (deleting one end of a veth deletes both).
      }
    }
  };
  try {
    ip('netns', 'add', name);
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
    ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', innerEnd);
    ip('link', 'set', innerEnd, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostEnd);
    ip('link', 'set', hostEnd, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${innerAddress}/30`, 'dev', innerEnd);
    ip('netns', 'exec', name, 'ip', 'link', 'set', innerEnd, 'up');
  } catch (error) {
    close();
    throw error;
  }
  return { name, hostAddress, innerAddress, close };
}

export interface NamespaceRun {
  stdout: string;
  stderr: string;
  /** The exit code, or null when it was killed. */
  code: number | null;
  wallMs: number;
}

/**
 * Runs the built command (bin/temporal-doctor.js) inside namespace `name` with a minimal environment (plus `env`),
 * killed after `killAfterMs`: how the namespace tests see the doctor from inside a network of their making.
 */
export function runDoctorInNamespace(
  name: string,
  args: string[],
  options: { env?: Record<string, string>; killAfterMs: number }
): Promise<NamespaceRun> {
  const started = performance.now();
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...options.env };
  const child = spawn('ip', ['netns', 'exec', name, process.execPath, 'bin/temporal-doctor.js', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, wallMs: performance.now() - started });
    });
  });
}
