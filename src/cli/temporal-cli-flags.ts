// Flags a user pastes from a `temporal` command (cliext/flags.gen.go in temporalio/cli) that change nothing the doctor
// checks: accepted, so the pasted command runs, and named on stderr as not used. The ones that change the connection
// (--client-authority, --codec-header, --disable-config-file, --disable-config-env) are settings and are applied.
import type { Argv } from 'yargs';

/** Flag → why the doctor does not use it. */
export const NOTED_TEMPORAL_FLAGS: Readonly<Record<string, string>> = {
  'command-timeout': 'the doctor bounds each network stage with --timeout instead',
  'client-connect-timeout': 'the doctor bounds each network stage with --timeout instead',
  identity: 'the doctor starts no workflow and polls no task queue, so no identity is sent',
  'log-level': 'the doctor writes no log; -v shows every check and its evidence',
};

export function addTemporalCliFlags(parser: Argv): Argv {
  for (const flag of Object.keys(NOTED_TEMPORAL_FLAGS)) {
    parser.option(flag, {
      type: 'string',
      describe: `Accepted from the Temporal CLI, not used: ${NOTED_TEMPORAL_FLAGS[flag]}.`,
      group: 'Temporal CLI flags (accepted so a pasted command runs):',
    });
  }
  return parser;
}

/** One stderr line per noted flag the user gave. */
export function temporalFlagNotes(args: Record<string, unknown>): string[] {
  return Object.entries(NOTED_TEMPORAL_FLAGS)
    .filter(([flag]) => args[flag] !== undefined)
    .map(([flag, why]) => `temporal-doctor: --${flag} is a Temporal CLI flag, not used here: ${why}.\n`);
}
