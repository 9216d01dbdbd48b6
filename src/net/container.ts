// Whether this process runs inside a container, where "localhost" is the container itself
// (docs/research/common-failures.md#containers-and-localhost).
import { existsSync } from 'node:fs';
import { readRegularFileSync } from '../text/read-file.js';

export function isInContainer(env: Record<string, string | undefined>): boolean {
  if (env.KUBERNETES_SERVICE_HOST || existsSync('/.dockerenv') || existsSync('/run/.containerenv')) return true;
  // procfs reports size 0: only the bounded reader stops at a cap.
  const read = readRegularFileSync('/proc/1/cgroup', { maxBytes: 64 * 1024, what: 'a cgroup list' });
  return 'bytes' in read && /docker|kubepods|containerd|libpod/.test(read.bytes.toString('utf8'));
}
