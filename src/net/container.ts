// Whether this process runs inside a container, where "localhost" is the container itself
// (docs/research/common-failures.md#containers-and-localhost).
import { existsSync, readFileSync } from 'node:fs';

export function isInContainer(env: Record<string, string | undefined>): boolean {
  if (env.KUBERNETES_SERVICE_HOST || existsSync('/.dockerenv') || existsSync('/run/.containerenv')) return true;
  try {
    return /docker|kubepods|containerd|libpod/.test(readFileSync('/proc/1/cgroup', 'utf8'));
  } catch {
    return false;
  }
}
