// A context for calling grpcStage.run() / namespaceStage.run() directly: settings resolved by the real config code,
// lower-stage facts built by hand from the same settings (what config/pem/endpoint/tcp/tls would hand on), a real deadline.
import { X509Certificate } from 'node:crypto';
import { resolveConfig } from '../../src/config/resolve-config.js';
import { withDefaults, type SettingsInput } from '../../src/options.js';
import { Secret } from '../../src/text/secret.js';
import { StageScope } from '../../src/pipeline/run-pipeline.js';
import type { Facts, DoctorStageContext as StageContext, StageId, PemFacts, TlsFacts } from '../../src/facts.js';

export interface TemporalContextInput {
  /** Use tlsCertData / tlsKeyData / tlsCaData for PEM material (no files needed). */
  settings: SettingsInput;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Extra facts, e.g. the grpc facts the namespace stage builds on. */
  facts?: Partial<Facts>;
  now?: () => Date;
}

/** `done()` stops the deadline timer and releases what the stage kept (the grpc stage keeps its connection). */
export type TestContext<Needs extends StageId> = StageContext<Needs> & { run: StageScope; done(): Promise<void> };

export function temporalStageContext<Needs extends StageId>(input: TemporalContextInput): TestContext<Needs> {
  const timeoutMs = input.timeoutMs ?? 3000;
  const controller = new AbortController();
  const scope = new StageScope();
  const timer = setTimeout(() => controller.abort(new Error(`deadline of ${timeoutMs} ms`)), timeoutMs);
  const options = withDefaults({
    settings: input.settings,
    env: input.env ?? {},
    timeoutMs,
    sdkProbe: false,
    ...(input.now ? { now: input.now } : {}),
  });
  const { config, checks } = resolveConfig({ settings: input.settings, env: input.env ?? {} });
  if (!config) throw new Error(`config did not resolve: ${JSON.stringify(checks)}`);

  const match = /^\[?(.*?)\]?:(\d+)$/.exec(config.address.value);
  const host = match?.[1] ?? config.address.value;
  const port = Number(match?.[2] ?? 7233);
  const pem: PemFacts = { clientChain: [], serverCaCerts: [] };
  if (config.tls.value) {
    if (input.settings.tlsCertData) {
      pem.clientCertPem = input.settings.tlsCertData;
      pem.clientCert = new X509Certificate(input.settings.tlsCertData);
    }
    if (input.settings.tlsKeyData) pem.clientKeyPem = new Secret(input.settings.tlsKeyData);
    if (input.settings.tlsCaData) pem.serverCaPem = input.settings.tlsCaData;
  }
  const tls: TlsFacts = config.tls.value
    ? {
        mode: 'tls',
        protocol: 'TLSv1.3',
        cipher: 'TLS_AES_256_GCM_SHA384',
        alpn: 'h2',
        authorized: true,
        peerChain: [],
        clientCertRequested: false,
      }
    : { mode: 'plaintext' };
  const facts = {
    config,
    pem,
    endpoint: { host, port, portDefaulted: !match, kind: 'localhost', serverName: config.serverName?.value ?? host },
    tcp: { reachable: [{ address: host === 'localhost' ? '127.0.0.1' : host, family: 4, connectMs: 1 }] },
    tls,
    ...input.facts,
  } as Facts;
  return {
    facts,
    optionalFacts: facts,
    options,
    signal: controller.signal,
    timeoutMs,
    now: options.now,
    progress: () => {},
    trouble: () => {},
    run: scope,
    done: async () => {
      clearTimeout(timer);
      await scope.release();
    },
  } as TestContext<Needs>;
}
