// Builds the connection options the user's app would hand to the SDK (`Connection.connect` in @temporalio/client,
// `NativeConnection.connect` in @temporalio/worker) from the resolved settings. Both stacks take the same four fields.
// Only types are imported from the SDK: loading it costs ~400 ms, which `--help` and offline checks must not pay.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import type { ResolvedConfig, PemInput, Setting } from '../config/resolved-config.js';
import type { DoctorOptions } from '../options.js';
import { PEM_FILE_MAX_BYTES, readRegularFile } from '../text/read-file.js';
import type { PemFacts, EndpointFacts, TcpFacts, Facts } from '../facts.js';
import { formatHostPort } from '../text/host-port.js';

/** The subset of ConnectionOptions / NativeConnectionOptions that configuration decides. */
export interface SdkConnectionOptions {
  address: string;
  /** `false` when TLS is off: an explicit false also stops an API key from turning TLS on, as envconfig does. */
  tls:
    | false
    | {
        serverRootCACertificate?: Buffer;
        clientCertPair?: { crt: Buffer; key: Buffer };
        serverNameOverride?: string;
      };
  apiKey?: string;
  metadata?: Record<string, string>;
  /**
   * Client only (grpc-js channel arguments, never handed to the Worker): --client-authority sets
   * `grpc.default_authority`, the :authority of every request; `grpc.enable_http_proxy` 0 keeps grpc-js off the
   * environment's proxy when the Worker's direct path is judged. NativeConnection has no such options.
   */
  channelArgs?: Record<string, string | number>;
}

export interface BuiltConnectionOptions {
  options: SdkConnectionOptions;
  /**
   * Set when the doctor dials a resolved IP instead of the configured host: with --dns-server the names exist only in
   * that DNS server, and the SDK resolves through the OS (getaddrinfo), which cannot see them. The SDK takes no custom
   * resolver, so the doctor connects to the IP the tcp stage reached and keeps the TLS name with serverNameOverride.
   */
  dialled?: { address: string; serverName?: string };
}

export interface ConnectionInputs {
  config: ResolvedConfig;
  /** PEM material the pem stage validated; when absent, the files are read as the app would read them. */
  pem?: PemFacts;
  endpoint?: EndpointFacts;
  tcp?: TcpFacts;
  dnsServers?: string[];
  cwd: string;
  /** Whose options: only grpc-js (the Client) reads GRPC_DEFAULT_SSL_ROOTS_FILE_PATH. Default: the Client. */
  stack?: 'client' | 'worker';
}

/** The SDK's options from whatever the stages found so far, the same way for every stage and probe that connects. */
export async function connectionOptionsFrom(
  facts: Partial<Facts> & Pick<Facts, 'config'>,
  options: Pick<DoctorOptions, 'dnsServers' | 'cwd'>,
  stack: 'client' | 'worker' = 'client'
): Promise<BuiltConnectionOptions> {
  const built = await buildConnectionOptions({
    stack,
    config: facts.config,
    ...(facts.pem ? { pem: facts.pem } : {}),
    ...(facts.endpoint ? { endpoint: facts.endpoint } : {}),
    ...(facts.tcp ? { tcp: facts.tcp } : {}),
    ...(options.dnsServers ? { dnsServers: options.dnsServers } : {}),
    cwd: options.cwd,
  });
  // The stages follow the Worker's direct path (--stack worker) while grpc-js would take a proxy from the environment:
  // connect directly, as the Worker does (docs/research/middleboxes.md#http-connect-proxies).
  const proxy = facts.proxy;
  if (proxy?.followed === 'worker' && proxy.route === 'direct' && proxy.paths.client.kind === 'proxy')
    built.options.channelArgs = { ...built.options.channelArgs, 'grpc.enable_http_proxy': 0 };
  return built;
}

/**
 * The settings as the user's app would pass them. Secrets are revealed here, into the options object only: callers
 * hand it straight to the SDK and never print it.
 * Throws only when a PEM file cannot be read (without validated PemFacts), as envconfig's readFileSync would.
 */
export async function buildConnectionOptions(inputs: ConnectionInputs): Promise<BuiltConnectionOptions> {
  const { config, endpoint } = inputs;
  const options: SdkConnectionOptions = { address: config.address.value, tls: false };
  if (config.tls.value) {
    const material = inputs.pem ? fromPemFacts(inputs.pem) : await readPemMaterial(config, inputs.cwd);
    if (!material.ca && inputs.stack !== 'worker') {
      const problem = await grpcDefaultRootsProblem();
      if (problem) throw new DefaultRootsUnreadable(problem);
    }
    options.tls = {
      ...(material.ca ? { serverRootCACertificate: material.ca } : {}),
      ...(material.cert && material.key ? { clientCertPair: { crt: material.cert, key: material.key } } : {}),
      ...(config.serverName ? { serverNameOverride: config.serverName.value } : {}),
    };
  }
  if (config.apiKey) options.apiKey = config.apiKey.value.reveal();
  if (config.clientAuthority) options.channelArgs = { 'grpc.default_authority': config.clientAuthority.value };
  const metadata = Object.entries(config.grpcMeta);
  if (metadata.length > 0)
    options.metadata = Object.fromEntries(metadata.map(([key, setting]) => [key, setting.value.reveal()]));

  const reachable = inputs.tcp?.reachable[0];
  if (inputs.dnsServers?.length && endpoint && reachable && isIP(endpoint.host) === 0) {
    const address = formatHostPort(reachable.address, endpoint.port);
    options.address = address;
    if (options.tls) {
      options.tls.serverNameOverride = endpoint.serverName;
      return { options, dialled: { address, serverName: endpoint.serverName } };
    }
    return { options, dialled: { address } };
  }
  return { options };
}

/**
 * grpc-js reads GRPC_DEFAULT_SSL_ROOTS_FILE_PATH (from the process environment, when it loads) whole and synchronously
 * whenever no server CA is configured: a FIFO would block the process forever and /proc/self/pagemap would fill
 * memory. The doctor reads it first with the bounded reader and does not hand such a file to grpc-js.
 */
export const DEFAULT_ROOTS_VARIABLE = 'GRPC_DEFAULT_SSL_ROOTS_FILE_PATH';
const DEFAULT_ROOTS_MAX_BYTES = 16 * 1024 * 1024;

export class DefaultRootsUnreadable extends Error {
  override name = 'DefaultRootsUnreadable';
  readonly code = 'DEFAULT_ROOTS_UNREADABLE';
}

/** What is wrong with the grpc-js default roots file, or undefined when it is unset or a readable bundle. */
export async function grpcDefaultRootsProblem(
  env: Record<string, string | undefined> = process.env
): Promise<string | undefined> {
  const path = env[DEFAULT_ROOTS_VARIABLE];
  if (!path) return undefined;
  const read = await readRegularFile(path, { maxBytes: DEFAULT_ROOTS_MAX_BYTES, what: 'a CA bundle' });
  return 'problem' in read ? `${DEFAULT_ROOTS_VARIABLE}=${path} ${read.text}` : undefined;
}

interface PemMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
}

function fromPemFacts(pem: PemFacts): PemMaterial {
  return {
    ...(pem.serverCaPem !== undefined ? { ca: Buffer.from(pem.serverCaPem) } : {}),
    ...(pem.clientCertPem !== undefined ? { cert: Buffer.from(pem.clientCertPem) } : {}),
    ...(pem.clientKeyPem !== undefined ? { key: Buffer.from(pem.clientKeyPem.reveal()) } : {}),
  };
}

/** Reads the configured PEM inputs unvalidated, so a damaged key reaches the SDK and fails there as in the app. */
async function readPemMaterial(config: ResolvedConfig, cwd: string): Promise<PemMaterial> {
  const [ca, cert, key] = await Promise.all(
    [config.serverCa, config.clientCert, config.clientKey].map((s) => readPemInput(s, cwd))
  );
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

async function readPemInput(setting: Setting<PemInput> | undefined, cwd: string): Promise<Buffer | undefined> {
  if (!setting) return undefined;
  const input = setting.value;
  if (input.kind === 'data') return Buffer.from(input.data.reveal());
  const path = resolve(cwd, input.path);
  const read = await readRegularFile(path, { maxBytes: PEM_FILE_MAX_BYTES, what: 'a PEM file' });
  if ('problem' in read) throw Object.assign(new Error(`${path} ${read.text}`), { code: read.problem });
  return read.bytes;
}

/** `host:port` of what is dialled, for evidence. */
export function describeDial(built: BuiltConnectionOptions): string {
  if (!built.dialled) return built.options.address;
  const name = built.dialled.serverName ? ` (server name ${built.dialled.serverName})` : '';
  return `${built.dialled.address}${name}, the address the tcp stage reached: the SDK cannot use --dns-server`;
}
