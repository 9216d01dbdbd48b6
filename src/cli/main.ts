// The CLI is a thin layer: parse flags (yargs), run the diagnosis, render the report, return the exit code.
// Only what --help needs is imported here; the check itself is loaded when it runs (./run-check.js).
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { SETTINGS } from '../config/settings.js';
import { DEFAULT_EXPIRY_WARN_DAYS, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, MAX_REPEAT, MIN_REPEAT } from '../options.js';
import { OUTPUT_FORMATS } from '../render/formats.js';
import { secretsFromInput } from '../config/run-secrets.js';
import { explainCommand } from './explain-command.js';
import { EXIT_USAGE } from '../report/verdict.js';
import { processIo } from './io.js';
import type { Io } from './io.js';
import { TOOL_VERSION } from '../version.js';
import { UsageError } from './usage-error.js';
import { HELP_WIDTH } from './help-cache.js';
import { addTemporalCliFlags } from './temporal-cli-flags.js';
import { unknownFlagLines } from './unknown-flags.js';

function addSettingOptions(parser: Argv): Argv {
  for (const spec of SETTINGS) {
    parser.option(spec.flag, {
      type: spec.type,
      describe: spec.describe,
      ...(spec.alias ? { alias: spec.alias } : {}),
      group: 'Connection (flags > environment > temporal.toml profile):',
      ...(spec.type === 'array' ? { string: true } : {}),
    });
  }
  return parser;
}

function addRunOptions(parser: Argv): Argv {
  return parser
    .option('output', {
      alias: 'o',
      choices: OUTPUT_FORMATS,
      default: 'text',
      describe: 'Output format.',
    })
    .option('timeout', {
      type: 'string',
      default: '5s',
      describe: 'Budget for each network stage (e.g. 5s, 1500ms; 100ms to 10m).',
    })
    .option('expiry-warn-days', {
      type: 'string',
      default: String(DEFAULT_EXPIRY_WARN_DAYS),
      defaultDescription: String(DEFAULT_EXPIRY_WARN_DAYS),
      describe: 'Warn when a certificate expires within this many days.',
    })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit 1 on warnings too.' })
    .option('verbose', {
      alias: 'v',
      type: 'boolean',
      default: false,
      describe: 'Show passing checks and all evidence.',
    })
    .option('quiet', {
      alias: 'q',
      type: 'boolean',
      default: false,
      describe: 'Text output: print only the verdict (a fleet: the summary table).',
    })
    .option('color', { choices: ['auto', 'always', 'never'], default: 'auto', describe: 'Colour in text output.' })
    .option('only', {
      type: 'array',
      string: true,
      describe: 'Run only these stages or check ids (and the stages they need).',
    })
    .option('skip', {
      type: 'array',
      string: true,
      describe: 'Leave out these stages or check ids (e.g. pem.client-cert.expiring).',
    })
    .option('dns-server', {
      type: 'array',
      string: true,
      describe: 'Ask this DNS server (host:port) instead of the system resolver.',
    })
    .option('stack', { choices: ['client', 'worker', 'both'], default: 'both', describe: 'Which SDK stack to judge.' })
    .option('error', { type: 'string', describe: 'The error text you saw; the verdict says whether it is explained.' })
    .option('sdk-probe', {
      type: 'boolean',
      default: true,
      describe: "On failure, also run the SDK's own connect and show its error.",
    })
    .option('ui-origin', { type: 'string', describe: 'Web UI origin for the codec CORS check.' })
    .option('project', {
      type: 'string',
      describe:
        "Your app's folder: the Worker probe loads @temporalio/worker only from its node_modules (default: the nearest package.json at or above the current folder that declares it).",
    })
    .option('redact-hosts', {
      type: 'boolean',
      default: false,
      describe: 'Replace host names, public IPs and Cloud account ids with placeholders.',
    })
    .option('report-file', {
      type: 'string',
      describe: 'Also write the report to PATH.md and PATH.json (whatever -o says).',
    })
    .option('repeat', {
      type: 'string',
      default: '1',
      defaultDescription: '1',
      describe: `Run the checks N times (${MIN_REPEAT}-${MAX_REPEAT}) and report intermittent failures.`,
    })
    .option('all-profiles', {
      type: 'boolean',
      default: false,
      describe: 'Check every profile in temporal.toml (a fleet run).',
    })
    .option('profiles', {
      type: 'array',
      string: true,
      describe: 'Check these temporal.toml profiles (a fleet run), e.g. prod,staging.',
    })
    .option('concurrency', {
      type: 'string',
      default: String(DEFAULT_CONCURRENCY),
      defaultDescription: String(DEFAULT_CONCURRENCY),
      describe: `Profiles checked at the same time in a fleet run (1-${MAX_CONCURRENCY}).`,
    });
}

/**
 * `--tls-key-data "$(cat client.key)"` puts a value that starts with "-----BEGIN" after the flag, and yargs reads any
 * word that starts with '-' as another flag. Join such a value to its flag (`--flag=value`) before yargs sees it.
 */
export function joinDashValues(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (/^--[a-z][a-z-]*$/.test(arg) && next?.startsWith('-----')) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** Values given to secret flags (`--api-key X`, `--api-key=X`), before yargs has parsed anything. */
function secretArguments(argv: string[]): string[] {
  const flags = SETTINGS.filter((spec) => spec.secret).map((spec) => `--${spec.flag}`);
  return argv.flatMap((arg, i) => {
    const flag = flags.find((f) => arg === f || arg.startsWith(`${f}=`));
    if (!flag) return [];
    const value = arg === flag ? argv[i + 1] : arg.slice(flag.length + 1);
    return value ? [value] : [];
  });
}

export async function run(rawArgv: string[], io: Io): Promise<number> {
  let exitCode = 0;
  let helpOrVersion = '';
  const argv = joinDashValues(rawArgv);
  // A usage error may quote an argument, and arguments may be secrets. yargs' own messages span lines: each line is
  // sanitised apart, so the newlines stay newlines (not the sanitiser's glyph).
  const usageSecrets = secretsFromInput({}, io.env).addAll(secretArguments(argv));
  const usageText = (text: string): string =>
    text
      .split('\n')
      .map((line) => usageSecrets.untrusted(line, 1000))
      .filter((line) => line.trim() !== '')
      .join('\n');
  const parser = yargs(argv)
    .scriptName('temporal-doctor')
    .usage('$0 [check] [options]\n\nFind the stage that breaks a Temporal connection, with the evidence and the fix.')
    .command(
      ['check', '$0'],
      'Run the staged connection checks (default)',
      (y) => addTemporalCliFlags(addRunOptions(addSettingOptions(y))),
      async (args) => {
        const { runCheck } = await import('./run-check.js');
        exitCode = await runCheck(args as Record<string, unknown>, io);
      }
    )
    .command(explainCommand(io, (code) => (exitCode = code)))
    .example('$0', 'Check localhost:7233, or whatever TEMPORAL_* and temporal.toml say')
    .example(
      '$0 --address my-ns.a1b2c.tmprl.cloud:7233 --namespace my-ns.a1b2c --tls-cert-path client.pem --tls-key-path client.key',
      'Check a Temporal Cloud namespace with mTLS'
    )
    .example('$0 -o json', 'Machine-readable report for CI')
    .example('$0 -o junit --strict > doctor.xml', 'CI gate: JUnit XML, warnings fail too')
    .example('$0 --report-file doctor --redact-hosts', 'Write doctor.md and doctor.json to attach to a support ticket')
    .example('$0 --all-profiles', 'Check every profile in temporal.toml')
    .example('$0 --repeat 10', 'Catch intermittent failures')
    .strict()
    .env(false)
    .version(TOOL_VERSION)
    .help()
    // The doctor's own text is English; yargs' headings must not switch language with LANG (and the cached --help,
    // rendered at build time, must match what yargs prints).
    .locale('en')
    .wrap(Math.min(HELP_WIDTH, io.columns || HELP_WIDTH))
    .exitProcess(false)
    .fail((message, error) => {
      throw error instanceof UsageError || !error ? new UsageError(message ?? 'invalid arguments') : error;
    });
  try {
    await parser.parseAsync(argv, {}, (_err, _args, output) => {
      if (output) helpOrVersion = output;
    });
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && error.name === 'YError')) {
      const unknown = unknownFlagLines(error.message, argv, knownFlags(parser));
      if (unknown) {
        io.stderr.write(unknown.map((line) => `temporal-doctor: ${usageText(line)}\n`).join(''));
        io.stderr.write('Run temporal-doctor --help for usage.\n');
        return EXIT_USAGE;
      }
      io.stderr.write(`temporal-doctor: ${usageText(error.message)}\nRun temporal-doctor --help for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(
      `temporal-doctor: unexpected error: ${usageText(error instanceof Error ? error.message : String(error))}\n`
    );
    return EXIT_USAGE;
  }
  if (helpOrVersion) io.stdout.write(`${helpOrVersion}\n`);
  return exitCode;
}

/** Every long flag name the parser knows, for did-you-mean. */
function knownFlags(parser: Argv): string[] {
  // getOptions is yargs' public API but missing from @types/yargs 17.
  const options = (parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
  return Object.keys(options.key).filter((name) => name.length > 1 && !/[A-Z]/.test(name));
}

export async function runFromProcess(): Promise<number> {
  return run(process.argv.slice(2), processIo());
}
