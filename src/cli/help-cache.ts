// `temporal-doctor --help` and `--version` need neither yargs nor any check code. The build renders the help once
// (scripts/build-cli.mjs, through the real yargs parser) and the bin prints that file, so the most common first
// command costs little more than starting node. Kept free of imports beyond node:fs: it runs before anything loads.
import { readFileSync } from 'node:fs';

/** Help is wrapped to this width, or to the terminal's when it is narrower. */
export const HELP_WIDTH = 100;

/** Where the build writes the rendered help, next to the bundled CLI. */
export const HELP_FILE = new URL('./help.txt', import.meta.url);

/**
 * The text to print for argv without starting the parser, or undefined when the parser must run: other arguments, a
 * terminal narrower than the rendered help, or no rendered help (a build without it, or a test run from sources).
 */
export function cachedOutput(
  argv: readonly string[],
  columns: number | undefined,
  version: () => string,
  helpFile: URL = HELP_FILE
): string | undefined {
  if (argv.length !== 1) return undefined;
  const [arg] = argv;
  if (arg === '--version') return `${version()}\n`;
  if (arg !== '--help' && arg !== '-h') return undefined;
  if (columns !== undefined && columns < HELP_WIDTH) return undefined;
  try {
    return readFileSync(helpFile, 'utf8');
  } catch {
    return undefined;
  }
}
