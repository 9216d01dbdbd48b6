// The check command's work: build the options, run one target or a fleet, render, write side outputs. Loaded only
// when a check runs, so --help, --version and explain never pay for the pipeline, the SDK or the renderers.
import { mkdirSync } from 'node:fs';
import { writeRegularFile } from './safe-write.js';
import { dirname, resolve } from 'node:path';
import { isIP } from 'node:net';
import { SETTINGS } from '../config/settings.js';
import { GRPC_META_ENV_PREFIX } from '../config/near-miss.js';
import {
  withDefaults,
  MAX_CONCURRENCY,
  MAX_EXPIRY_WARN_DAYS,
  MAX_REPEAT,
  MAX_TIMEOUT_MS,
  MIN_REPEAT,
  MIN_TIMEOUT_MS,
  type SettingsInput,
} from '../options.js';
import { runDiagnosis } from '../diagnosis/diagnose.js';
import { render, sideOutputs, type OutputFormat } from '../render/index.js';
import type { FleetReport, Report } from '../report/model.js';
import { HostRedactor } from '../report/redact-hosts.js';
import { runRepeated } from '../diagnosis/repeat.js';
import { FleetConfigError, listProfiles, runFleet } from '../diagnosis/fleet.js';
import type { SecretRegistry } from '../text/secret-registry.js';
import { exitCodeFor, EXIT_USAGE } from '../report/verdict.js';
import { chalkFor, type ColorMode } from './color.js';
import type { Io } from './io.js';
import { parseDuration } from './duration.js';
import { sanitize } from '../text/sanitize.js';
import { UsageError } from './usage-error.js';
import { temporalFlagNotes } from './temporal-cli-flags.js';
import { unknownSelector } from '../diagnosis/select-stages.js';
import { killWorkerProbes } from '../sdk/worker-probe.js';
import type { ProgressEvent, StageReport } from '../facts.js';
import type { ProgressSink } from './progress.js';

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
  return value
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function boundedInteger(args: Record<string, unknown>, flag: string, min: number, max: number): number {
  const raw = String(args[flag]).trim();
  // Number('') is 0 and Number('0x10') is 16: only plain digits are a count (an unset CI variable is not 0).
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `--${flag}: expected a whole number from ${min} to ${max}, got "${sanitize(String(args[flag]), 50)}"`
    );
  }
  return value;
}

/** An IP address, `ip:port` or `[v6]:port`, as c-ares' setServers takes them (it resolves no names itself). */
function isDnsServer(text: string): boolean {
  if (isIP(text)) return true;
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  return host !== undefined && isIP(host) !== 0 && port >= 1 && port <= 65535;
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

/**
 * A secret given as a flag is in /proc/PID/cmdline (readable by every local user) and in shell history: say so once
 * per flag, naming the flag and never its value, with the environment variable or profile key that keeps it private.
 */
function warnSecretFlags(args: Record<string, unknown>, io: Io): void {
  for (const spec of SETTINGS) {
    if (!spec.secret || args[spec.flag] === undefined) continue;
    const env = spec.env[0] ?? `${GRPC_META_ENV_PREFIX}<NAME>`;
    const profile = spec.profileKey ? ` or \`${spec.profileKey}\` in a temporal.toml profile` : '';
    io.stderr.write(
      `temporal-doctor: warning: --${spec.flag} puts a secret on the command line, where other local users (ps, /proc) and your shell history can read it; set ${env}${profile} instead (README: "Secrets").\n`
    );
  }
}

export async function runCheck(args: Record<string, unknown>, io: Io): Promise<number> {
  for (const note of temporalFlagNotes(args)) io.stderr.write(note);
  warnSecretFlags(args, io);
  const timeoutMs = parseDuration(String(args.timeout));
  if (timeoutMs === undefined)
    throw new UsageError(`--timeout: cannot read "${sanitize(String(args.timeout), 50)}" as a duration`);
  if (timeoutMs < MIN_TIMEOUT_MS || timeoutMs > MAX_TIMEOUT_MS)
    throw new UsageError(
      `--timeout: expected a duration from ${MIN_TIMEOUT_MS}ms to ${MAX_TIMEOUT_MS / 60_000}m, got "${sanitize(String(args.timeout), 50)}"`
    );
  // Before any lookup: an abandoned getaddrinfo must not outlive the verdict (resolver-bound.ts).
  io.boundResolver?.(timeoutMs);
  const expiryWarnDays = boundedInteger(args, 'expiry-warn-days', 0, MAX_EXPIRY_WARN_DAYS);
  const attempts = boundedInteger(args, 'repeat', MIN_REPEAT, MAX_REPEAT);
  const concurrency = boundedInteger(args, 'concurrency', 1, MAX_CONCURRENCY);
  const output = args.output as OutputFormat;
  const strict = Boolean(args.strict);
  const quiet = Boolean(args.quiet);
  const chalk = chalkFor(args.color as ColorMode, io.env, io.isTTY);
  const only = splitList(args.only);
  const skip = splitList(args.skip);
  for (const [flag, selectors] of [
    ['--only', only],
    ['--skip', skip],
  ] as const) {
    for (const selector of selectors ?? []) {
      const problem = unknownSelector(selector);
      if (problem) throw new UsageError(`${flag}: ${sanitize(problem, 500)}`);
    }
  }
  const dnsServers = splitList(args['dns-server']);
  for (const server of dnsServers ?? []) {
    if (!isDnsServer(server))
      throw new UsageError(
        `--dns-server: expected an IP address with an optional port (10.0.0.2, 10.0.0.2:5353, [::1]:53), got "${sanitize(server, 100)}"`
      );
  }
  const settings = settingsFrom(args);
  const profiles = fleetProfiles(args, settings, io.env);
  const options = withDefaults({
    settings,
    env: io.env,
    cwd: io.cwd,
    timeoutMs,
    expiryWarnDays,
    stack: args.stack as 'client' | 'worker' | 'both',
    sdkProbe: Boolean(args['sdk-probe']),
    ...(only ? { only } : {}),
    ...(skip ? { skip } : {}),
    ...(dnsServers ? { dnsServers } : {}),
    ...(typeof args.error === 'string' ? { errorText: args.error } : {}),
    ...(typeof args['ui-origin'] === 'string' ? { uiOrigin: args['ui-origin'] } : {}),
    ...(typeof args.project === 'string' ? { project: args.project } : {}),
  });
  // One registry for the run (flags and environment now; the profile and key files once read), for every sink.
  const secrets = options.secrets;
  const emit = (stream: Io['stdout'], text: string): void => {
    stream.write(secrets.scrub(text));
  };
  // A terminal's report wraps to its width; a pipe or a file gets one line per finding (for grep, and for tools that
  // wrap by themselves), as do the golden files.
  const width = io.isTTY && io.columns ? io.columns : undefined;
  const renderOptions = { chalk, verbose: Boolean(args.verbose), quiet, strict, ...(width ? { width } : {}) };
  const redactor = args['redact-hosts'] ? new HostRedactor() : undefined;

  // Ctrl-C / SIGTERM: stop the spinner, kill the Worker probe, say what was learned so far, exit 130 / 143.
  const finished: StageReport[] = [];
  let current: string | undefined;
  let progress: ProgressSink | undefined;
  const startedMs = performance.now();
  const stopInterrupt = io.onInterrupt?.((signal) => {
    progress?.stop();
    killWorkerProbes();
    emit(io.stderr, interruptedText(signal, performance.now() - startedMs, current, finished));
  });
  const track = (event: ProgressEvent): void => {
    if (event.type === 'stage:start') current = event.title;
    if (event.type === 'stage:end') {
      finished.push(event.report);
      current = undefined;
    }
    progress?.(event);
  };

  let doc: Report | FleetReport;
  try {
    if (profiles) {
      const ran = await runFleet(options, {
        profiles,
        concurrency,
        attempts,
        selectedBy: args['all-profiles'] ? '--all-profiles' : '--profiles',
      });
      doc = redactor ? { ...ran, reports: ran.reports.map((r) => redactor.redactReport(r)) } : ran;
    } else {
      // TERM=dumb cannot redraw a line: a spinner would print one line per frame.
      const interactive = output === 'text' && io.isTTY && !io.env.CI && !quiet && io.env.TERM !== 'dumb';
      progress = interactive
        ? await (await import('./progress.js')).createSpinnerProgress(io.stderr, (text) => secrets.scrub(text))
        : undefined;
      let ran: Report;
      try {
        ran = attempts > 1 ? await runRepeated(options, attempts, track) : await runDiagnosis(options, track);
      } finally {
        progress?.stop();
      }
      doc = redactor ? redactor.redactReport(ran) : ran;
    }
  } finally {
    stopInterrupt?.();
  }
  const status = doc.status;
  const outputs: Outputs = { stdout: render(doc, output, renderOptions), ...sideOutputs(doc, strict) };

  emit(io.stdout, outputs.stdout);
  if (io.env.GITHUB_ACTIONS === 'true') writeGithub(outputs, io, emit, secrets);
  const reportFile = typeof args['report-file'] === 'string' ? args['report-file'] : undefined;
  if (reportFile !== undefined && !writeReportFiles(reportFile, outputs, io, secrets, quiet)) return EXIT_USAGE;
  return exitCodeFor({ status }, { strict });
}

const STATUS_MARK = { pass: '✓', warn: '!', fail: '✗', skip: '–' } as const;

/** What an interrupted run had learned: the stages that finished (and their first problem), and where it stopped. */
export function interruptedText(
  signal: string,
  elapsedMs: number,
  current: string | undefined,
  finished: readonly StageReport[]
): string {
  const where = current ? `, during ${current}` : '';
  const lines = [`temporal-doctor: interrupted by ${signal} after ${(elapsedMs / 1000).toFixed(1)} s${where}`];
  if (finished.length) {
    lines.push('Finished so far (no verdict: the run did not end):');
    for (const stage of finished) {
      const problem = stage.checks.find((c) => c.status === stage.status && stage.status !== 'pass');
      const detail = problem ? ` — ${problem.message} [${problem.id}]` : '';
      lines.push(`  ${STATUS_MARK[stage.status]} ${stage.title}${sanitize(detail, 300)}`);
    }
  }
  return `${lines.join('\n')}\n`;
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
function writeGithub(
  outputs: Outputs,
  io: Io,
  emit: (stream: Io['stdout'], text: string) => void,
  secrets: SecretRegistry
): void {
  emit(io.stderr, outputs.annotations());
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (!summaryFile) return;
  try {
    writeRegularFile(resolve(io.cwd, summaryFile), secrets.scrub(outputs.stepSummary()), { append: true });
  } catch (error) {
    io.stderr.write(
      secrets.scrub(
        `temporal-doctor: cannot append the job summary to GITHUB_STEP_SUMMARY: ${sanitize(errorText(error), 300)}\n`
      )
    );
  }
}

/** --report-file PATH: PATH.md and PATH.json side by side (a given .md or .json extension is taken as the base). */
export function reportFilePaths(path: string): { markdown: string; json: string } {
  const base = path.replace(/\.(md|json)$/i, '');
  return { markdown: `${base}.md`, json: `${base}.json` };
}

function writeReportFiles(path: string, outputs: Outputs, io: Io, secrets: SecretRegistry, quiet: boolean): boolean {
  const files = reportFilePaths(resolve(io.cwd, path));
  let target = files.markdown;
  try {
    mkdirSync(dirname(files.markdown), { recursive: true });
    writeRegularFile(files.markdown, secrets.scrub(outputs.markdown()));
    target = files.json;
    writeRegularFile(files.json, secrets.scrub(outputs.json()));
  } catch (error) {
    io.stderr.write(
      secrets.scrub(
        `temporal-doctor: --report-file: cannot write ${sanitize(target, 300)}: ${sanitize(errorText(error), 300)}\n`
      )
    );
    return false;
  }
  if (!quiet)
    io.stderr.write(
      `temporal-doctor: report written to ${sanitize(files.markdown, 300)} and ${sanitize(files.json, 300)}\n`
    );
  return true;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
