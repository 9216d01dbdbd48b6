// The CLI is a thin layer: parse flags (yargs), run the diagnosis, render the report, return the exit code.
import yargs from 'yargs';
import type { Argv } from 'yargs';
import { SETTINGS } from '../config/settings.js';
import type { SettingsInput } from '../options.js';
import { withDefaults, DEFAULT_EXPIRY_WARN_DAYS } from '../options.js';
import { runDiagnosis } from '../diagnose.js';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  FLEET_RENDERERS,
  RENDERERS,
  OUTPUT_FORMATS,
  renderFleetGithubAnnotations,
  renderFleetJson,
  renderFleetMarkdown,
  renderFleetStepSummary,
  renderGithubAnnotations,
  renderJson,
  renderMarkdown,
  renderStepSummary,
  scrubSecrets,
  type OutputFormat,
} from '../render/index.js';
import type { Report } from '../report/model.js';
import { HostRedactor } from '../report/redact-hosts.js';
import { runRepeated, MIN_REPEAT, MAX_REPEAT } from '../repeat.js';
import { DEFAULT_CONCURRENCY, FleetConfigError, MAX_CONCURRENCY, listProfiles, runFleet } from '../fleet.js';
import { knownSecrets } from './known-secrets.js';
import { explainCommand } from './explain-command.js';
import { exitCodeFor, EXIT_USAGE } from '../report/verdict.js';
import { chalkFor, type ColorMode } from './color.js';
import { processIo, type Io } from './io.js';
import { parseDuration } from './duration.js';
import { TOOL_VERSION } from '../version.js';
import { sanitize } from '../report/sanitize.js';

class UsageError extends Error {}

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
    .option('timeout', { type: 'string', default: '5s', describe: 'Budget for each network stage (e.g. 5s, 1500ms).' })
    .option('expiry-warn-days', {
      type: 'number',
      default: DEFAULT_EXPIRY_WARN_DAYS,
      describe: 'Warn when a certificate expires within this many days.',
    })
    .option('strict', { type: 'boolean', default: false, describe: 'Exit 1 on warnings too.' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Show passing checks and all evidence.' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Text output: print only the verdict (a fleet: the summary table).' })
    .option('color', { choices: ['auto', 'always', 'never'], default: 'auto', describe: 'Colour in text output.' })
    .option('only', { type: 'array', string: true, describe: 'Run only these stages or check ids (and the stages they need).' })
    .option('skip', { type: 'array', string: true, describe: 'Leave out these stages or check ids (e.g. pem.client-cert.expiring).' })
    .option('dns-server', { type: 'array', string: true, describe: 'Ask this DNS server (host:port) instead of the system resolver.' })
    .option('stack', { choices: ['client', 'worker', 'both'], default: 'both', describe: 'Which SDK stack to judge.' })
    .option('error', { type: 'string', describe: 'The error text you saw; the verdict says whether it is explained.' })
    .option('sdk-probe', { type: 'boolean', default: true, describe: "On failure, also run the SDK's own connect and show its error." })
    .option('ui-origin', { type: 'string', describe: 'Web UI origin for the codec CORS check.' })
    .option('redact-hosts', { type: 'boolean', default: false, describe: 'Replace host names, public IPs and Cloud account ids with placeholders.' })
    .option('report-file', { type: 'string', describe: 'Also write the report to PATH.md and PATH.json (whatever -o says).' })
    .option('repeat', { type: 'number', default: 1, describe: `Run the checks N times (${MIN_REPEAT}-${MAX_REPEAT}) and report intermittent failures.` })
    .option('all-profiles', { type: 'boolean', default: false, describe: 'Check every profile in temporal.toml (a fleet run).' })
    .option('profiles', { type: 'array', string: true, describe: 'Check these temporal.toml profiles (a fleet run), e.g. prod,staging.' })
    .option('concurrency', { type: 'number', default: DEFAULT_CONCURRENCY, describe: `Profiles checked at the same time in a fleet run (1-${MAX_CONCURRENCY}).` });
}

function settingsFrom(args: Record<string, unknown>): SettingsInput {
  const settings: Record<string, unknown> = {};
  for (const spec of SETTINGS) {
    const value = args[spec.flag];
    if (value !== undefined) settings[spec.key] = spec.type === 'array' ? (value as unknown[]).map(String) : value;
  }
  return settings as SettingsInput;
}

function splitList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.flatMap((v) => String(v).split(',')).map((v) => v.trim()).filter(Boolean);
}

function boundedInteger(args: Record<string, unknown>, flag: string, min: number, max: number): number {
  const value = Number(args[flag]);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag}: expected a whole number from ${min} to ${max}, got "${sanitize(String(args[flag]), 50)}"`);
  }
  return value;
}

/** The profiles of a fleet run, or undefined for a single run. */
function fleetProfiles(args: Record<string, unknown>, settings: SettingsInput, env: Io['env']): string[] | undefined {
  const named = splitList(args.profiles);
  if (!args['all-profiles'] && !named) return undefined;
  if (args['all-profiles'] && named) throw new UsageError('--all-profiles and --profiles cannot be used together');
  if (settings.profile) throw new UsageError('--profile names one profile; use --profiles for several');
  if (named) return [...new Set(named)];
  try {
    return listProfiles(settings.configFile, env);
  } catch (error) {
    if (error instanceof FleetConfigError) throw new UsageError(`--all-profiles: ${error.message}`);
    throw error;
  }
}

async function runCheck(args: Record<string, unknown>, io: Io): Promise<number> {
  const timeoutMs = parseDuration(String(args.timeout));
  if (timeoutMs === undefined) throw new UsageError(`--timeout: cannot read "${sanitize(String(args.timeout), 50)}" as a duration`);
  const attempts = boundedInteger(args, 'repeat', MIN_REPEAT, MAX_REPEAT);
  const concurrency = boundedInteger(args, 'concurrency', 1, MAX_CONCURRENCY);
  const output = args.output as OutputFormat;
  const strict = Boolean(args.strict);
  const quiet = Boolean(args.quiet);
  const chalk = chalkFor(args.color as ColorMode, io.env, io.isTTY);
  const only = splitList(args.only);
  const skip = splitList(args.skip);
  const dnsServers = splitList(args['dns-server']);
  const settings = settingsFrom(args);
  const profiles = fleetProfiles(args, settings, io.env);
  const options = withDefaults({
    settings,
    env: io.env,
    cwd: io.cwd,
    timeoutMs,
    expiryWarnDays: Number(args['expiry-warn-days']),
    stack: args.stack as 'client' | 'worker' | 'both',
    sdkProbe: Boolean(args['sdk-probe']),
    ...(only ? { only } : {}),
    ...(skip ? { skip } : {}),
    ...(dnsServers ? { dnsServers } : {}),
    ...(typeof args.error === 'string' ? { errorText: args.error } : {}),
    ...(typeof args['ui-origin'] === 'string' ? { uiOrigin: args['ui-origin'] } : {}),
  });
  const secrets = knownSecrets(settings, io.env);
  const emit = (stream: Io['stdout'], text: string): void => {
    stream.write(scrubSecrets(text, secrets));
  };
  const renderOptions = { chalk, verbose: Boolean(args.verbose), quiet, strict };
  const redactor = args['redact-hosts'] ? new HostRedactor() : undefined;

  let outputs: Outputs;
  let status: Report['status'];
  if (profiles) {
    const ran = await runFleet(options, { profiles, concurrency, attempts, selectedBy: args['all-profiles'] ? '--all-profiles' : '--profiles' });
    const fleet = redactor ? { ...ran, reports: ran.reports.map((r) => redactor.redactReport(r)) } : ran;
    status = fleet.status;
    outputs = {
      stdout: FLEET_RENDERERS[output](fleet, renderOptions),
      markdown: () => renderFleetMarkdown(fleet),
      json: () => renderFleetJson(fleet),
      annotations: () => renderFleetGithubAnnotations(fleet, { strict }),
      stepSummary: () => renderFleetStepSummary(fleet),
    };
  } else {
    const interactive = output === 'text' && io.isTTY && !io.env.CI && !quiet;
    const progress = interactive ? await (await import('../render/progress.js')).createSpinnerProgress(io.stderr) : undefined;
    let ran: Report;
    try {
      ran = attempts > 1 ? await runRepeated(options, attempts, progress) : await runDiagnosis(options, progress);
    } finally {
      progress?.stop();
    }
    const report = redactor ? redactor.redactReport(ran) : ran;
    status = report.status;
    outputs = {
      stdout: RENDERERS[output](report, renderOptions),
      markdown: () => renderMarkdown(report),
      json: () => renderJson(report),
      annotations: () => renderGithubAnnotations(report, { strict }),
      stepSummary: () => renderStepSummary(report),
    };
  }

  emit(io.stdout, outputs.stdout);
  if (io.env.GITHUB_ACTIONS === 'true') writeGithub(outputs, io, emit, secrets);
  const reportFile = typeof args['report-file'] === 'string' ? args['report-file'] : undefined;
  if (reportFile !== undefined && !writeReportFiles(reportFile, outputs, io, secrets, quiet)) return EXIT_USAGE;
  return exitCodeFor({ status }, { strict });
}

/** What a run hands to its sinks: stdout in the chosen format, and the formats the side outputs need. */
interface Outputs {
  stdout: string;
  markdown: () => string;
  json: () => string;
  annotations: () => string;
  stepSummary: () => string;
}

/** GitHub Actions: annotations on stderr (stdout stays the report in every format), the summary appended to its file. */
function writeGithub(outputs: Outputs, io: Io, emit: (stream: Io['stdout'], text: string) => void, secrets: string[]): void {
  emit(io.stderr, outputs.annotations());
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (!summaryFile) return;
  try {
    appendFileSync(resolve(io.cwd, summaryFile), scrubSecrets(outputs.stepSummary(), secrets));
  } catch (error) {
    io.stderr.write(`temporal-doctor: cannot append the job summary to GITHUB_STEP_SUMMARY: ${sanitize(errorText(error), 300)}\n`);
  }
}

/** --report-file PATH: PATH.md and PATH.json side by side (a given .md or .json extension is taken as the base). */
export function reportFilePaths(path: string): { markdown: string; json: string } {
  const base = path.replace(/\.(md|json)$/i, '');
  return { markdown: `${base}.md`, json: `${base}.json` };
}

function writeReportFiles(path: string, outputs: Outputs, io: Io, secrets: string[], quiet: boolean): boolean {
  const files = reportFilePaths(resolve(io.cwd, path));
  try {
    mkdirSync(dirname(files.markdown), { recursive: true });
    writeFileSync(files.markdown, scrubSecrets(outputs.markdown(), secrets));
    writeFileSync(files.json, scrubSecrets(outputs.json(), secrets));
  } catch (error) {
    io.stderr.write(`temporal-doctor: --report-file: cannot write ${sanitize(path, 300)}: ${sanitize(errorText(error), 300)}\n`);
    return false;
  }
  if (!quiet) io.stderr.write(`temporal-doctor: report written to ${sanitize(files.markdown, 300)} and ${sanitize(files.json, 300)}\n`);
  return true;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  // A usage error may quote an argument, and arguments may be secrets.
  const usageText = (text: string): string => scrubSecrets(sanitize(text, 1000), [...knownSecrets({}, io.env), ...secretArguments(argv)]);
  const parser = yargs(argv)
    .scriptName('temporal-doctor')
    .usage('$0 [check] [options]\n\nFind the stage that breaks a Temporal connection, with the evidence and the fix.')
    .command(['check', '$0'], 'Run the staged connection checks (default)', (y) => addRunOptions(addSettingOptions(y)), async (args) => {
      exitCode = await runCheck(args as Record<string, unknown>, io);
    })
    .command(explainCommand(io, (code) => (exitCode = code)))
    .example('$0', 'Check localhost:7233, or whatever TEMPORAL_* and temporal.toml say')
    .example('$0 --address my-ns.a1b2c.tmprl.cloud:7233 --namespace my-ns.a1b2c --tls-cert-path client.pem --tls-key-path client.key', 'Check a Temporal Cloud namespace with mTLS')
    .example('$0 -o json', 'Machine-readable report for CI')
    .example('$0 -o junit --strict > doctor.xml', 'CI gate: JUnit XML, warnings fail too')
    .example('$0 --report-file doctor --redact-hosts', 'Write doctor.md and doctor.json to attach to a support ticket')
    .example('$0 --all-profiles', 'Check every profile in temporal.toml')
    .example('$0 --repeat 10', 'Catch intermittent failures')
    .strict()
    .env(false)
    .version(TOOL_VERSION)
    .help()
    .wrap(Math.min(100, process.stdout.columns || 100))
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
      io.stderr.write(`temporal-doctor: ${usageText(error.message)}\nRun temporal-doctor --help for usage.\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`temporal-doctor: unexpected error: ${usageText(error instanceof Error ? error.message : String(error))}\n`);
    return EXIT_USAGE;
  }
  if (helpOrVersion) io.stdout.write(`${helpOrVersion}\n`);
  return exitCode;
}

export async function runFromProcess(): Promise<number> {
  return run(process.argv.slice(2), processIo());
}
