// Pure functions from stage results to the verdict and the exit code.
import type { Corroboration, Report, RootCause, StageReport } from './model.js';
import type { CheckResult, Status } from '../pipeline/types.js';
import { worst } from '../pipeline/check.js';

export const EXIT_PASS = 0;
export const EXIT_FAIL = 1;
export const EXIT_USAGE = 2;

/** The run's status: its worst check (a run with nothing but skips passes). */
export function overallStatus(stages: StageReport[]): Report['status'] {
  return passUnlessProblem(worst(stages.flatMap((s) => s.checks.map((c) => c.status))));
}

/** A report's status from the worst status: skip counts as pass. */
export function passUnlessProblem(status: Status): Report['status'] {
  return status === 'skip' ? 'pass' : status;
}

/*
 * Root-cause attribution
 * ----------------------
 * 1. The root cause is the first failing check in stage order (stages arrive in run order). Its stage, check id, fix
 *    and evidence are the verdict; nothing below changes them.
 * 2. A stage that fails but still hands on facts (config and endpoint do when the settings are known) lets later stages
 *    run, and they may see the same fault from the wire: config says the API key ends with a newline, grpc then shows
 *    the SDK refusing the header. Such a later check *corroborates* the root cause when both belong to one fault in
 *    the table below: the root check matches the fault's `root` pattern, the later check its `later` pattern, the later
 *    check is a fail or warn, and it comes from a later stage.
 * 3. Corroborating checks are listed in `corroboratedBy` (stage, check, message) and named in the root cause message:
 *    "<root message> (confirmed by <stage>: <message>; ...)".
 * 4. A failing check that matches no fault with the root check is a consequence, not evidence: it stays in its stage
 *    and is not mentioned (tls failing after dns failed is not news).
 * The table lists pairs of check ids, so a new check id joins a fault only by being added here.
 */
interface Fault {
  name: string;
  root: RegExp;
  later: RegExp;
}

const FAULTS: readonly Fault[] = [
  {
    name: 'namespace id',
    root: /^(endpoint\.cloud\.namespace-(id|mismatch)|config\.namespace\.case)$/,
    later: /^namespace\.describe\.(not-found|permission-denied)$/,
  },
  {
    name: 'API key value',
    root: /^config\.(api-key\.(whitespace|bearer-prefix|looks-like-path|and-authorization-meta)|env\.empty)$/,
    later:
      /^(grpc\.(options\.rejected|auth\.(unauthenticated|permission-denied))|namespace\.describe\.(unauthenticated|permission-denied))$/,
  },
  {
    name: 'no credentials',
    root: /^endpoint\.cloud\.no-auth$/,
    later:
      /^(tls\.client-cert\.required|grpc\.auth\.(unauthenticated|permission-denied)|namespace\.describe\.(unauthenticated|permission-denied))$/,
  },
  {
    name: 'client certificate',
    root: /^config\.tls\.half-pair$/,
    later:
      /^(tls\.client-cert\.(required|not-sent|rejected)|grpc\.auth\.(unauthenticated|permission-denied)|namespace\.describe\.permission-denied)$/,
  },
  {
    name: 'TLS off',
    root: /^(endpoint\.cloud\.tls-off|config\.(api-key\.tls-off|tls\.off-with-material|env\.tls-value))$/,
    later: /^(tls\.server\.speaks-tls|grpc\.transport\.(tls-mismatch|closed))$/,
  },
  {
    name: 'TLS server name',
    root: /^endpoint\.cloud\.(privatelink|mtls)-server-name$/,
    later:
      /^(tls\.server-name\.mismatch|tls\.client-cert\.(required|rejected)|grpc\.auth\.permission-denied|namespace\.describe\.permission-denied)$/,
  },
  {
    // The Cloud control plane proves why mTLS is refused: the wire then shows the refusal (cloud stage, issue 16).
    name: 'Cloud client certificate',
    root: /^cloud\.(mtls\.(accepted-ca|certificate-filters|ca-expired)|auth\.mtls-disabled)$/,
    later:
      /^(tls\.(client-cert\.(required|rejected|not-sent|inconclusive)|handshake\.alert|session\.alert)|grpc\.(auth\.(unauthenticated|permission-denied)|transport\.closed|system-info\.failed)|namespace\.describe\.(unauthenticated|permission-denied))$/,
  },
  {
    name: 'Cloud auth method or endpoint',
    root: /^cloud\.(auth\.api-key-disabled|endpoint\.(address|region))$/,
    later:
      /^(dns\.lookup\.not-found|tls\.(client-cert\.required|server-name\.mismatch|session\.alert)|grpc\.(auth\.(unauthenticated|permission-denied)|transport\.closed|system-info\.failed)|namespace\.describe\.(unauthenticated|permission-denied|not-found))$/,
  },
  {
    name: 'Cloud namespace state',
    root: /^cloud\.namespace\.state$/,
    later:
      /^(grpc\.(auth\.permission-denied|system-info\.failed)|namespace\.(describe\.(not-found|permission-denied|failed)|state\.deleted))$/,
  },
  {
    // A peer that looks silent to one probe but answers another in HTTP/1: not a Temporal frontend at all.
    name: 'not a gRPC server',
    root: /^(endpoint\.address\.web-ui-port|tcp\.connect\.timeout|tls\.handshake\.timeout)$/,
    later: /^(tls\.server\.http1|grpc\.protocol\.(not-http2|not-grpc)|grpc\.transport\.(silent|closed))$/,
  },
];

export function corroborates(root: string, later: string): boolean {
  return FAULTS.some((fault) => fault.root.test(root) && fault.later.test(later));
}

export function findRootCause(stages: StageReport[]): RootCause | null {
  for (const [index, stage] of stages.entries()) {
    const check = stage.checks.find((c) => c.status === 'fail');
    if (!check) continue;
    const corroboratedBy = findCorroboration(check, stages.slice(index + 1));
    const confirmed = corroboratedBy.map((c) => `${c.stage}: ${c.message}`).join('; ');
    return {
      stage: stage.id,
      check: check.id,
      message: confirmed ? `${check.message} (confirmed by ${confirmed})` : check.message,
      fix: check.fix ?? '',
      ...(check.evidence.length ? { evidence: check.evidence } : {}),
      ...(corroboratedBy.length ? { corroboratedBy } : {}),
    };
  }
  return null;
}

function findCorroboration(root: CheckResult, later: StageReport[]): Corroboration[] {
  return later.flatMap((stage) =>
    stage.checks
      .filter((c) => (c.status === 'fail' || c.status === 'warn') && corroborates(root.id, c.id))
      .map((c) => ({ stage: stage.id, check: c.id, message: c.message }))
  );
}

export function exitCodeFor(report: Pick<Report, 'status'>, options: { strict?: boolean } = {}): number {
  if (report.status === 'fail') return EXIT_FAIL;
  if (report.status === 'warn' && options.strict) return EXIT_FAIL;
  return EXIT_PASS;
}
