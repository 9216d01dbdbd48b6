// getaddrinfo runs on libuv's threadpool and cannot be cancelled, and Node joins that pool when the process exits: a
// lookup the dns stage stopped waiting for (a resolver that never answers) kept the command alive after its verdict
// for glibc's whole retry schedule (per server: timeout × attempts, 5 s × 2 by default). glibc reads RES_OPTIONS when a
// thread first resolves, so the command bounds that schedule to its own --timeout before any lookup: the system's
// per-try timeout stays (a dropped packet is retried as the app would retry it), only the tries past the budget go
// (docs/research/node-platform.md#an-abandoned-getaddrinfo-holds-the-exit).
import { readRegularFileSync } from '../text/read-file.js';

/** glibc's defaults (resolv.conf(5)). */
const GLIBC_TIMEOUT_S = 5;
const GLIBC_ATTEMPTS = 2;
const RESOLV_CONF = '/etc/resolv.conf';
const RESOLV_CONF_MAX_BYTES = 64 * 1024;

/**
 * The RES_OPTIONS value that bounds one server's tries to `timeoutMs`, or undefined when the configured schedule
 * already fits (or the platform's resolver is not glibc's). `current` is the environment's RES_OPTIONS, whose own
 * options are kept and win over resolv.conf's, as in glibc.
 */
export function boundedResOptions(
  timeoutMs: number,
  resolvConf: string | undefined,
  current: string | undefined
): string | undefined {
  const fromConf = optionsOf((resolvConf ?? '').split('\n').filter((line) => /^\s*options\s/.test(line)));
  const fromEnv = optionsOf([current ?? '']);
  const timeoutS = fromEnv.timeout ?? fromConf.timeout ?? GLIBC_TIMEOUT_S;
  const attempts = fromEnv.attempts ?? fromConf.attempts ?? GLIBC_ATTEMPTS;
  const budgetS = Math.max(1, Math.floor(timeoutMs / 1000));
  const boundedTimeout = Math.max(1, Math.min(timeoutS, budgetS));
  const boundedAttempts = Math.max(1, Math.min(attempts, Math.floor(budgetS / boundedTimeout)));
  if (boundedTimeout === timeoutS && boundedAttempts === attempts) return undefined;
  const kept = (current ?? '').split(/\s+/).filter((word) => word && !/^(timeout|attempts):/.test(word));
  return [...kept, `timeout:${boundedTimeout}`, `attempts:${boundedAttempts}`].join(' ');
}

function optionsOf(lines: string[]): { timeout?: number; attempts?: number } {
  const found: { timeout?: number; attempts?: number } = {};
  for (const word of lines.join(' ').split(/\s+/)) {
    const option = /^(timeout|attempts):(\d+)$/.exec(word);
    if (option) found[option[1] as 'timeout' | 'attempts'] = Number(option[2]);
  }
  return found;
}

/** Sets RES_OPTIONS in this process (the command only: a library must not change its host's environment). */
export function boundSystemResolver(timeoutMs: number): void {
  if (process.platform !== 'linux') return;
  const read = readRegularFileSync(RESOLV_CONF, { maxBytes: RESOLV_CONF_MAX_BYTES, what: 'a resolv.conf' });
  const conf = 'bytes' in read ? read.bytes.toString('utf8') : undefined;
  const bounded = boundedResOptions(timeoutMs, conf, process.env.RES_OPTIONS);
  if (bounded !== undefined) process.env.RES_OPTIONS = bounded;
}
