// The third-party servers the tests run for real (nginx, haproxy, squid, tinyproxy, dnsmasq, BIND, openssl) come from
// Debian packages. `npm test` calls this first: it installs what is missing when it can (root with apt-get), and
// otherwise says which command to run. The packages' services are never started: the tests start each server in the
// foreground from a config of their own, on loopback ports.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';

/** Debian package → a program it installs. */
const PACKAGES = {
  nginx: 'nginx',
  haproxy: 'haproxy',
  squid: 'squid',
  tinyproxy: 'tinyproxy',
  dnsmasq: 'dnsmasq',
  bind9: 'named',
  openssl: 'openssl',
  iproute2: 'ip',
};
const PATHS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

const missing = Object.entries(PACKAGES)
  .filter(([, program]) => !PATHS.some((dir) => existsSync(`${dir}/${program}`)))
  .map(([pkg]) => pkg);
if (!missing.length) process.exit(0);

const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
const isRoot = process.getuid?.() === 0;
const hasApt = PATHS.some((dir) => existsSync(`${dir}/apt-get`));
if (!isRoot || !hasApt) {
  console.error(`The tests need these Debian packages: ${missing.join(', ')}. Install them with: sudo ${command}`);
  process.exit(1);
}

console.error(`Installing test tools: ${missing.join(', ')}`);
// A policy-rc.d that answers 101 keeps the packages' services from starting during the install (no daemon on port 53,
// 80 or 3128 is wanted: the tests run their own, on loopback).
const POLICY = '/usr/sbin/policy-rc.d';
const ownPolicy = !existsSync(POLICY);
if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  const run = (args) =>
    spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 600_000 }).status;
  if (run(['install', '-y', '-qq', '--no-install-recommends', ...missing]) !== 0) {
    if (run(['update', '-qq']) !== 0 || run(['install', '-y', '-qq', '--no-install-recommends', ...missing]) !== 0) {
      console.error(`Could not install ${missing.join(', ')}: run ${command}`);
      process.exit(1);
    }
  }
} finally {
  if (ownPolicy) rmSync(POLICY, { force: true });
}
