// Finds the Temporal SDK packages the user's app would load: resolved from the user's project (`cwd`) the way Node
// resolves them for that app, without loading them (loading the Worker's native bridge takes ~0.5 s).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, parse } from 'node:path';

export const SDK_PACKAGES = ['@temporalio/client', '@temporalio/worker', '@temporalio/core-bridge'] as const;
export type SdkPackage = (typeof SDK_PACKAGES)[number];

export interface FoundPackage {
  name: string;
  version: string;
  /** The file `require(name)` loads. */
  entry: string;
  /** Where it was found: the user's project, or the doctor's own installation. */
  from: 'project' | 'doctor';
}

/** The package as the app in `cwd` would load it; undefined when that project cannot resolve it. */
export function findInProject(name: string, cwd: string): FoundPackage | undefined {
  return resolveFrom(join(cwd, 'package.json'), name, 'project');
}

/** The user's copy first, else the one next to the doctor (a devDependency in development, absent when installed). */
export function findSdkPackage(name: string, cwd: string): FoundPackage | undefined {
  return findInProject(name, cwd) ?? resolveFrom(import.meta.url, name, 'doctor');
}

/**
 * Versions of the SDK packages in the user's project, keyed `<package> (project)` so they sit beside the doctor's own
 * `@temporalio/client` in `report.environment.sdk`. core-bridge is also looked up through the Worker that depends on
 * it, because pnpm and nested installs do not hoist it to the project root.
 */
export function projectSdkVersions(cwd: string): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of SDK_PACKAGES) {
    let found = findInProject(name, cwd);
    if (!found && name === '@temporalio/core-bridge') {
      const worker = findInProject('@temporalio/worker', cwd);
      if (worker) found = resolveFrom(worker.entry, name, 'project');
    }
    if (found) versions[`${name} (project)`] = found.version;
  }
  return versions;
}

function resolveFrom(base: string, name: string, from: FoundPackage['from']): FoundPackage | undefined {
  try {
    const entry = createRequire(base).resolve(name);
    const version = versionOf(entry, name);
    return version ? { name, version, entry, from } : undefined;
  } catch {
    return undefined;
  }
}

// Read once per entry file and process: a fleet run asks for the same few packages once per target.
const versions = new Map<string, string | undefined>();

/** Walks up from the entry file to the package's own package.json (`<name>/package.json` may not be exported). */
function versionOf(entry: string, name: string): string | undefined {
  const key = `${name}\0${entry}`;
  if (!versions.has(key)) versions.set(key, readVersion(entry, name));
  return versions.get(key);
}

function readVersion(entry: string, name: string): string | undefined {
  const root = parse(entry).root;
  for (let dir = dirname(entry); dir !== root; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === name && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // no package.json at this level: keep walking
    }
  }
  return undefined;
}
