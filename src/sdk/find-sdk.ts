// Finds the Temporal SDK packages the user's app would load, without loading them (the Worker's native bridge takes
// ~0.5 s). The Worker probe runs what this finds and hands it the credentials, so only a copy inside the user's own
// project counts: the project is `--project DIR`, or the nearest folder at or above cwd whose package.json declares
// @temporalio/worker, and the copy must sit in that project's own node_modules. Node's usual lookup would also climb to
// /tmp/node_modules or $HOME/node_modules, which anyone (or an old experiment) may have filled: such a copy is named
// in the report and never loaded (docs/research/sdk-loading.md).
import { createRequire } from 'node:module';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, parse, resolve, sep } from 'node:path';

export const SDK_PACKAGES = ['@temporalio/client', '@temporalio/worker', '@temporalio/core-bridge'] as const;
export type SdkPackage = (typeof SDK_PACKAGES)[number];

/** The package the Worker probe needs; a project is the folder whose package.json declares it. */
const PROJECT_MARKER = '@temporalio/worker';
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies'] as const;

export interface FoundPackage {
  name: string;
  version: string;
  /** The file `require(name)` loads. */
  entry: string;
  /** Where it was found: the user's project, or the doctor's own installation. */
  from: 'project' | 'doctor';
}

/** The user's project: named by `--project`, or found by its package.json declaring @temporalio/worker. */
export interface Project {
  root: string;
  how: 'flag' | 'declared';
}

export interface SdkLookup {
  found?: FoundPackage;
  project?: Project;
  /** Copies Node would have loaded but the doctor refused, each with why (shown in the report). */
  refused: string[];
}

/** `--project DIR` (relative to cwd), else the nearest folder at or above cwd whose package.json declares the Worker. */
export function findProject(cwd: string, projectDir?: string): Project | undefined {
  if (projectDir !== undefined) return { root: resolve(cwd, projectDir), how: 'flag' };
  const start = resolve(cwd);
  const top = parse(start).root;
  for (let dir = start; ; dir = dirname(dir)) {
    if (declaresWorker(join(dir, 'package.json'))) return { root: dir, how: 'declared' };
    if (dir === top) return undefined;
  }
}

function declaresWorker(packageJson: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as Record<string, unknown>;
    return DEPENDENCY_FIELDS.some((field) => {
      const deps = pkg[field];
      return deps !== null && typeof deps === 'object' && PROJECT_MARKER in deps;
    });
  } catch {
    return false;
  }
}

/** The package from the project's own node_modules only; undefined when the project has none. */
export function findInProject(name: string, project: Project | undefined): FoundPackage | undefined {
  if (!project) return undefined;
  const found = resolveFrom(join(project.root, 'package.json'), name, 'project');
  // The project's own node_modules/<name> may be a link the project made (pnpm's store, a linked checkout): what it
  // points at is the project's choice, so the copy counts when it is where that entry leads.
  const own = [join(project.root, 'node_modules'), join(project.root, 'node_modules', name)];
  return found && inside(found.entry, own) ? found : undefined;
}

/**
 * The user's copy when their project has one, else the one installed with the doctor (a devDependency in development,
 * absent when installed), and what was refused on the way.
 */
export function lookupSdkPackage(name: string, cwd: string, projectDir?: string): SdkLookup {
  const project = findProject(cwd, projectDir);
  const found = findInProject(name, project);
  if (found) return { found, project, refused: [] };
  const refused: string[] = [];
  // What Node's own lookup from cwd would have loaded: named, not loaded.
  const upward = resolveFrom(join(resolve(cwd), 'package.json'), name, 'project');
  if (upward) {
    const where = nodeModulesOf(upward.entry);
    refused.push(
      project
        ? `found ${name} ${upward.version} in ${where}, outside the project at ${project.root}: not loaded`
        : `found ${name} ${upward.version} in ${where}, but no package.json at or above ${resolve(cwd)} declares ${PROJECT_MARKER}: not loaded (name your project with --project DIR)`
    );
  }
  const own = doctorCopy(name);
  return { ...(own ? { found: own } : {}), ...(project ? { project } : {}), refused };
}

/** As `lookupSdkPackage`, only the package. */
export function findSdkPackage(name: string, cwd: string, projectDir?: string): FoundPackage | undefined {
  return lookupSdkPackage(name, cwd, projectDir).found;
}

/**
 * Versions of the SDK packages in the user's project, keyed `<package> (project)` so they sit beside the doctor's own
 * `@temporalio/client` in `report.environment.sdk`. core-bridge is also looked up through the Worker that depends on
 * it, because pnpm and nested installs do not hoist it to the project root.
 */
export function projectSdkVersions(cwd: string, projectDir?: string): Record<string, string> {
  const project = findProject(cwd, projectDir);
  const versions: Record<string, string> = {};
  for (const name of SDK_PACKAGES) {
    let found = findInProject(name, project);
    if (!found && project && name === '@temporalio/core-bridge') {
      const worker = findInProject('@temporalio/worker', project);
      const bridge = worker && resolveFrom(worker.entry, name, 'project');
      if (bridge && inside(bridge.entry, [join(project.root, 'node_modules')])) found = bridge;
    }
    if (found) versions[`${name} (project)`] = found.version;
  }
  return versions;
}

/**
 * The doctor's own copy: from the doctor's node_modules, or beside the doctor when it is itself installed in a
 * node_modules folder (npx, a global or a project install), never from a folder further up.
 */
function doctorCopy(name: string): FoundPackage | undefined {
  const found = resolveFrom(import.meta.url, name, 'doctor');
  const root = doctorRoot();
  if (!found || !root) return undefined;
  const allowed = [join(root, 'node_modules')];
  if (basename(dirname(root)) === 'node_modules') allowed.push(dirname(root));
  else if (basename(dirname(dirname(root))) === 'node_modules' && basename(dirname(root)).startsWith('@'))
    allowed.push(dirname(dirname(root)));
  return inside(found.entry, allowed) ? found : undefined;
}

/** The folder of the doctor's own package.json. */
function doctorRoot(): string | undefined {
  const top = parse(fileURLToPath(import.meta.url)).root;
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== top; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'temporal-doctor') return dir;
    } catch {
      // keep walking
    }
  }
  return undefined;
}

/** Is `file` (after symlinks, as Node loads it) under one of `folders` (after symlinks too)? */
function inside(file: string, folders: string[]): boolean {
  const real = realOrSelf(file);
  return folders.some((folder) => real.startsWith(realOrSelf(folder) + sep));
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The node_modules folder a resolved entry came from, for the report (`/tmp/node_modules`). */
function nodeModulesOf(entry: string): string {
  const marker = `${sep}node_modules${sep}`;
  const at = entry.lastIndexOf(marker, entry.lastIndexOf(`${marker}@temporalio${sep}`));
  return at >= 0 ? entry.slice(0, at + marker.length - 1) : dirname(entry);
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
