// `temporal-doctor explain "<error text>"` (or the text on stdin): which stack printed it, which stage it points at,
// the likely causes ranked, and the temporal-doctor command that would confirm it. No network, no settings.
// Exit codes: 0 recognised (even when the text hides its cause), 1 not recognised, 2 usage (no text, stdin a TTY).
import { addResolvedSecrets, secretsFromInput } from '../config/run-secrets.js';
import { resolveConfig } from '../config/resolve-config.js';
import type { SecretRegistry } from '../text/secret-registry.js';
import type { Argv, CommandModule } from 'yargs';
import { explainError } from '../explain/explain-error.js';
import { EXPLAIN_FORMATS, explanationDocument, renderExplanation, type ExplainFormat } from '../render/explain.js';
import { EXIT_FAIL, EXIT_PASS, EXIT_USAGE } from '../report/verdict.js';
import { chalkFor, type ColorMode } from './color.js';
import type { Io } from './io.js';

/** A whole log pasted by mistake is still bounded; the classifier reads the first 20 000 characters anyway. */
export const STDIN_MAX_BYTES = 1024 * 1024;
/** A pipe that never closes (`tail -f`, a forgotten heredoc) must not hang the command. */
export const STDIN_WAIT_MS = 3000;

const NO_TEXT =
  'explain: no error text. Pass it as one quoted argument, or pipe it in: temporal-doctor explain < error.log';

interface ExplainArgs {
  text?: Array<string | number>;
  /** Words after `--`: a message that starts with dashes (a PEM line) cannot be an option then. */
  _?: Array<string | number>;
  output: ExplainFormat;
  color: ColorMode;
}

/** The yargs command; `setExitCode` hands the exit code back to the CLI's run(). */
export function explainCommand(io: Io, setExitCode: (code: number) => void): CommandModule<object, ExplainArgs> {
  return {
    command: 'explain [text..]',
    describe:
      'Explain a pasted SDK error: stack, stage, likely causes, the command that confirms it (reads stdin when no text or "-")',
    builder: (y: Argv) =>
      y
        .positional('text', {
          type: 'string',
          array: true,
          describe: 'The error text, quoted; "-" or nothing reads stdin',
        })
        .option('output', {
          alias: 'o',
          choices: EXPLAIN_FORMATS,
          default: 'text' as const,
          describe: 'Output format.',
        })
        .option('color', {
          choices: ['auto', 'always', 'never'] as const,
          default: 'auto' as const,
          describe: 'Colour in text output.',
        })
        .example(
          '$0 explain "TransportError: tonic::transport::Error(Transport, ConnectError(...UnknownIssuer...))"',
          'Explain a Worker error'
        )
        .example(
          'pbpaste | $0 explain -o json',
          'Explain an error from the clipboard, as JSON'
        ) as unknown as Argv<ExplainArgs>,
    handler: async (args) => {
      setExitCode(await runExplain(args, io));
    },
  };
}

export async function runExplain(args: ExplainArgs, io: Io): Promise<number> {
  const words = [...(args.text ?? []), ...(args._ ?? []).slice(1)].map(String);
  let text: string;
  let truncated = false;
  if (words.length === 0 || (words.length === 1 && words[0] === '-')) {
    const read = await readStdin(io.stdin);
    if (read === undefined) {
      io.stderr.write(`temporal-doctor: ${NO_TEXT}\n`);
      return EXIT_USAGE;
    }
    ({ text, truncated } = read);
  } else {
    text = words.join(' ');
  }
  if (!text.trim()) {
    io.stderr.write(`temporal-doctor: ${NO_TEXT}\n`);
    return EXIT_USAGE;
  }
  const explanation = explainError(text);
  const chalk = chalkFor(args.color, io.env, io.isTTY);
  io.stdout.write(
    renderExplanation(explanationDocument(explanation, text, truncated, explainSecrets(io.env)), args.output, chalk)
  );
  return explanation.recognised ? EXIT_PASS : EXIT_FAIL;
}

/**
 * Reads at most STDIN_MAX_BYTES within STDIN_WAIT_MS. Undefined when there is no stdin to read: none given, or an
 * interactive terminal (waiting for the user to type would look like a hang).
 */
export function readStdin(stdin: Io['stdin']): Promise<{ text: string; truncated: boolean } | undefined> {
  if (!stdin || stdin.isTTY) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    const finish = (): void => {
      clearTimeout(timer);
      stdin.off('data', onData);
      stdin.off('end', finish);
      stdin.off('error', finish);
      stdin.pause();
      resolve({ text: Buffer.concat(chunks).toString('utf8'), truncated });
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const room = STDIN_MAX_BYTES - size;
      chunks.push(bytes.subarray(0, room));
      size += Math.min(room, bytes.length);
      if (bytes.length > room) {
        truncated = true;
        finish();
      }
    };
    const timer = setTimeout(finish, STDIN_WAIT_MS);
    stdin.on('data', onData);
    stdin.once('end', finish);
    stdin.once('error', finish);
    stdin.resume();
  });
}

/** The secrets the user's environment and temporal.toml hold: a pasted error may quote one, however short. */
function explainSecrets(env: Io['env']): SecretRegistry {
  const secrets = secretsFromInput({}, env);
  try {
    const { config } = resolveConfig({ settings: {}, env });
    if (config) addResolvedSecrets(secrets, config);
  } catch {
    // An unreadable profile holds no secret this run can know.
  }
  return secrets;
}
