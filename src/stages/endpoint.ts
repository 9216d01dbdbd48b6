// Parses the address as the SDK will and says what kind of endpoint it is, then judges the Temporal Cloud identity and
// auth rules that need no network (docs/research/common-failures.md#cloud-identifiers-and-endpoints, #cloud-authentication-modes). Facts are withheld when the address
// cannot be dialled as given (unparseable, or the Web UI): nothing after this stage should send a packet to it. A Cloud
// identity or auth rule failure still returns facts, so dns/tcp/tls add evidence while the root cause stays here.
import type { CheckResult } from '../pipeline/types.js';
import { evidence, fail, pass, stopwatch, warn } from '../pipeline/check.js';
import type { ResolvedConfig, Setting } from '../config/resolved-config.js';

import { cloudAuthMode, describeSource, settingRef } from '../config/setting-names.js';
import { quoted } from '../text/sanitize.js';
import {
  CLOUD_GRPC_KINDS,
  DEFAULT_GRPC_PORT,
  KIND_DESCRIPTION,
  WEB_UI_PORTS,
  classifyHost,
  cloudRules,
  parseAddress,
  parseNamespaceId,
  sdkAddressError,
  type EndpointKind,
  type Finding,
} from '../knowledge/temporal-endpoints.js';
import { regionFinding } from '../knowledge/cloud-regions.js';
import { formatHostPort } from '../text/host-port.js';
import { defineStage, type EndpointFacts } from '../facts.js';

export type { EndpointKind };

export const endpointStage = defineStage({
  id: 'endpoint',
  title: 'Address and endpoint',
  needs: ['config'],
  async run(ctx) {
    const elapsed = stopwatch();
    const config = ctx.facts.config;
    const address = config.address;
    const parsed = parseAddress(address.value);
    if (!parsed.ok) return { checks: [addressProblemCheck(address, parsed.problem, elapsed())] };

    const { host, port, portDefaulted, ipLiteral } = parsed.value;
    const classification = classifyHost(host, ipLiteral);
    if (classification.kind === 'cloud-web')
      return { checks: [webUiCheck(config, host, classification.grpcAddress, elapsed())] };

    const serverName = config.serverName?.value ?? host;
    const facts: EndpointFacts = { host, port, portDefaulted, kind: classification.kind, serverName };
    if (ipLiteral !== undefined) facts.ipLiteral = ipLiteral;
    if (classification.cloud) facts.cloud = classification.cloud;

    const checks: CheckResult[] = [parsedCheck(address, facts, config)];
    const uiPort = webUiPortCheck(facts, config);
    if (uiPort) checks.push(uiPort);
    const region = regionFinding(host, settingRef(address, 'address'));
    if (region) checks.push(findingCheck(region, config));
    if (CLOUD_GRPC_KINDS.has(facts.kind)) {
      const findings = cloudRules({
        kind: facts.kind,
        host,
        port,
        cloud: facts.cloud ?? {},
        namespace: config.namespace.value,
        tls: config.tls.value,
        auth: cloudAuthMode(config),
        ...(config.serverName ? { serverName: config.serverName.value } : {}),
        names: {
          address: settingRef(config.address, 'address'),
          namespace: settingRef(config.namespace, 'namespace'),
          tls: config.tls.source.kind === 'default' ? '' : config.tls.source.name,
          serverName: settingRef(config.serverName, 'tlsServerName'),
          apiKey: settingRef(config.apiKey, 'apiKey'),
          clientPair: `${settingRef(config.clientCert, 'tlsCertPath')} and ${settingRef(config.clientKey, 'tlsKeyPath')}`,
        },
      });
      checks.push(...findings.map((f) => findingCheck(f, config)));
    }
    const override = serverNameCheck(facts, config);
    if (override) checks.push(override);
    const durationMs = elapsed();
    for (const check of checks) check.durationMs = durationMs;
    return { checks, facts };
  },
});

function addressProblemCheck(
  address: Setting<string>,
  problem: { rule: string; problem: string; suggestion?: string },
  durationMs: number
): CheckResult {
  const name = settingRef(address, 'address');
  const sdkError = sdkAddressError(address.value);
  const fix = problem.suggestion
    ? `Set ${name} to ${problem.suggestion}: host:port only, no scheme, path or spaces (IPv6 as [address]:port).`
    : `Set ${name} to host:port (for example my-temporal.example.com:${DEFAULT_GRPC_PORT}, or [::1]:${DEFAULT_GRPC_PORT} for IPv6).`;
  return fail(
    `endpoint.address.${problem.rule}`,
    `Address ${quoted(address.value)} (from ${address.source.name}) ${problem.problem}`,
    {
      durationMs,
      fix,
      evidence: evidence({
        address: quoted(address.value),
        from: describeSource(address.source),
        'use instead': problem.suggestion,
        'SDK accepts it': sdkError
          ? 'no: both the Client and the Worker throw a TypeError at once'
          : 'yes, but the connection then fails',
      }),
      ...(sdkError ? { cause: { name: 'TypeError', message: sdkError } } : {}),
    }
  );
}

function webUiCheck(
  config: ResolvedConfig,
  host: string,
  grpcAddress: string | undefined,
  durationMs: number
): CheckResult {
  const fromNamespace = parseNamespaceId(config.namespace.value)
    ? `${config.namespace.value}.tmprl.cloud:${DEFAULT_GRPC_PORT}`
    : undefined;
  const target = grpcAddress ?? fromNamespace;
  const name = settingRef(config.address, 'address');
  return fail(
    'endpoint.address.web-ui',
    `${host} is the Temporal Cloud Web UI, not the gRPC endpoint${target ? `; use ${target}` : ''}`,
    {
      durationMs,
      evidence: evidence({
        address: config.address.value,
        from: describeSource(config.address.source),
        'gRPC endpoint': target,
      }),
      fix: target
        ? `Set ${name} to ${target}, the namespace's gRPC endpoint (the Web UI host never serves gRPC).`
        : `Set ${name} to the namespace's gRPC endpoint <name>.<account-id>.tmprl.cloud:${DEFAULT_GRPC_PORT}, copied from the namespace page in the Cloud UI.`,
    }
  );
}

function parsedCheck(address: Setting<string>, facts: EndpointFacts, config: ResolvedConfig): CheckResult {
  const cloud = facts.cloud;
  const detail =
    facts.kind === 'cloud-namespace' && cloud?.namespaceId
      ? ` (namespace ${cloud.namespaceName}, account ${cloud.accountId})`
      : (facts.kind === 'cloud-regional' || facts.kind === 'cloud-ha-region') && cloud?.region
        ? ` (${cloud.cloudProvider} ${cloud.region})`
        : '';
  return pass(
    'endpoint.address.parsed',
    `${formatHostPort(facts.host, facts.port)} is ${facts.kind === 'ip-literal' ? 'an' : 'a'} ${KIND_DESCRIPTION[facts.kind]}${detail}`,
    {
      evidence: evidence({
        address: address.value,
        from: describeSource(address.source),
        host: facts.host,
        port: `${facts.port}${facts.portDefaulted ? ' (default)' : ''}`,
        kind: facts.kind,
        'TLS server name': config.tls.value
          ? facts.ipLiteral
            ? `none sent (IP literal); certificate checked for IP ${facts.host}`
            : facts.serverName
          : undefined,
      }),
    }
  );
}

function webUiPortCheck(facts: EndpointFacts, config: ResolvedConfig): CheckResult | undefined {
  const why = WEB_UI_PORTS[facts.port];
  if (!why || CLOUD_GRPC_KINDS.has(facts.kind)) return undefined;
  return warn(
    'endpoint.address.web-ui-port',
    `Port ${facts.port} is usually the Temporal Web UI, not the gRPC frontend`,
    {
      evidence: evidence({ port: facts.port, why }),
      fix: `If this is the Web UI, set ${settingRef(config.address, 'address')} to ${formatHostPort(facts.host, DEFAULT_GRPC_PORT)} (the frontend's gRPC port); the tcp and grpc checks below show what actually answers.`,
    }
  );
}

function findingCheck(finding: Finding, config: ResolvedConfig): CheckResult {
  const details = {
    evidence: evidence({
      namespace: `${config.namespace.value} (${describeSource(config.namespace.source)})`,
      address: config.address.value,
    }),
  };
  if (finding.status === 'pass') return pass(finding.id, finding.message, details);
  const fix = finding.fix ?? 'See docs/checks/endpoint.md.';
  return finding.status === 'warn'
    ? warn(finding.id, finding.message, { ...details, fix })
    : fail(finding.id, finding.message, { ...details, fix });
}

/** A server name that differs from the host is legitimate (PrivateLink, regional mTLS), but worth saying out loud. */
function serverNameCheck(facts: EndpointFacts, config: ResolvedConfig): CheckResult | undefined {
  const setting = config.serverName;
  if (!setting || !config.tls.value || setting.value.toLowerCase() === facts.host.toLowerCase()) return undefined;
  return pass(
    'endpoint.server-name.override',
    `TLS server name ${setting.value} (from ${setting.source.name}) is sent as SNI and checked on the certificate instead of ${facts.host}`,
    {
      evidence: evidence({
        dialled: formatHostPort(facts.host, facts.port),
        'server name': setting.value,
        from: describeSource(setting.source),
      }),
    }
  );
}
