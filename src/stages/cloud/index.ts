// Asks the Temporal Cloud control plane (the Cloud Ops API, with a Cloud API key) what the namespace really accepts,
// and compares it with what the user configured: accepted CAs and certificate filters against the client
// certificate, auth methods, endpoints and regions against the address, state, connectivity rules
// (docs/checks/cloud.md, docs/research/cloud-ops-api.md). Only for Temporal Cloud targets; without a Cloud API key it
// says what it would add. The Ops API's own failures are warns: they prove nothing about the connection.
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, pass, skip, stopwatch, warn } from '../../pipeline/check.js';
import { CLOUD_GRPC_KINDS, parseNamespaceId } from '../../knowledge/temporal-endpoints.js';
import { cloudAuthMode, describeSource, settingRef } from '../../config/setting-names.js';
import { PEM_FILE_MAX_BYTES, readRegularFile } from '../../text/read-file.js';
import { defineStage, type CloudFacts, type DoctorStageContext } from '../../facts.js';
import { CLOUD_API_VERSION, DEFAULT_CLOUD_API_ADDRESS, openOpsClient, type OpsClient } from './ops-api.js';
import { readNamespace, type NamespaceView } from './namespace-view.js';
import { apiFailureCheck } from './api-failure.js';
import { acceptedCaChecks, filterChecks } from './certificates.js';
import { authCheck, connectivityCheck, endpointCheck, stateCheck, type TargetInput } from './access.js';

/** Pages of GetNamespaces read for a did-you-mean, at most. */
const MAX_LIST_PAGES = 5;

export const cloudStage = defineStage({
  id: 'cloud',
  title: 'Temporal Cloud namespace settings',
  needs: ['config', 'endpoint'],
  appliesTo: (facts) => facts.endpoint !== undefined && CLOUD_GRPC_KINDS.has(facts.endpoint.kind),
  async run(ctx) {
    const elapsed = stopwatch();
    const { config, endpoint } = ctx.facts;
    const namespace = parseNamespaceId(config.namespace.value) ? config.namespace.value : endpoint.cloud?.namespaceId;
    const key = config.cloudApiKey;
    if (!key || key.value.length === 0) {
      return {
        checks: [
          skip(
            'cloud.api.no-key',
            `Not checked against the Cloud control plane: with a Cloud API key (--cloud-api-key or TEMPORAL_CLOUD_API_KEY${config.apiKey ? ', or --cloud-api-key-from-api-key to send your --api-key there too' : ''}) the doctor reads namespace ${namespace ?? '<name>.<account>'} from the Cloud Ops API and compares its accepted CAs, certificate filters, auth methods, endpoints and state with your settings`
          ),
        ],
      };
    }
    if (!namespace) {
      return {
        checks: [
          skip(
            'cloud.api.no-namespace-id',
            `Namespace ${config.namespace.value} is not a Cloud namespace id <name>.<account>, so the Cloud Ops API cannot be asked about it (see endpoint.cloud.namespace-id)`
          ),
        ],
      };
    }
    const address = config.cloudApiAddress?.value ?? DEFAULT_CLOUD_API_ADDRESS;
    let caPem: string | undefined;
    if (config.cloudApiCaPath) {
      const read = await readRegularFile(config.cloudApiCaPath.value, {
        maxBytes: PEM_FILE_MAX_BYTES,
        what: 'a PEM file',
        signal: ctx.signal,
      });
      if (!('bytes' in read)) {
        return {
          checks: [
            warn('cloud.api.ca-unreadable', `Cloud Ops API CA ${config.cloudApiCaPath.value} ${read.text}`, {
              evidence: evidence({
                path: config.cloudApiCaPath.value,
                from: describeSource(config.cloudApiCaPath.source),
              }),
              fix: 'Point --cloud-api-ca-path at a readable PEM file, or leave it out to trust the default roots.',
              durationMs: elapsed(),
            }),
          ],
        };
      }
      caPem = read.bytes.toString('utf8');
    }

    ctx.progress(`asking the Cloud Ops API (${address}) about ${namespace}`);
    let client: OpsClient | undefined;
    try {
      try {
        client = await openOpsClient({
          address,
          apiKey: key.value,
          ...(caPem ? { caPem } : {}),
          signal: ctx.signal,
          callTimeoutMs: Math.max(500, Math.round(ctx.timeoutMs * 0.6)),
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const check = apiFailureCheck(
          { code: 14, codeName: 'UNAVAILABLE', message },
          { namespace, address, keySource: key.source.name }
        );
        check.durationMs = elapsed();
        return { checks: [check] };
      }
      const answer = await client.getNamespace(namespace);
      if (!answer.ok) {
        let accountNamespaces: string[] | undefined;
        if (answer.failure.codeName === 'NOT_FOUND') accountNamespaces = await listNames(client);
        const check = apiFailureCheck(answer.failure, {
          namespace,
          address,
          keySource: key.source.name,
          ...(accountNamespaces ? { accountNamespaces } : {}),
        });
        check.durationMs = elapsed();
        return { checks: [check] };
      }
      const view = readNamespace(answer.value, namespace);
      const checks = compare(view, ctx.facts, ctx.optionalFacts, ctx.options);
      const reached = pass(
        'cloud.api.namespace',
        `The Cloud Ops API describes namespace ${view.namespace}: state ${view.state}, accepts ${[view.apiKeyEnabled ? 'API keys' : '', view.mtlsEnabled ? 'mTLS' : ''].filter(Boolean).join(' and ') || 'no auth method'}`,
        {
          evidence: evidence({
            'Cloud Ops API': address,
            'API version': CLOUD_API_VERSION,
            'API key from': key.source.name,
            'accepted CAs': view.acceptedCas.length,
            'certificate filters': view.filters.length,
            'API key endpoint': view.grpcAddress,
            'mTLS endpoint': view.mtlsGrpcAddress,
            'web UI': view.webAddress,
            regions: view.regions.join(', ') || undefined,
            'active region': view.activeRegion,
          }),
        }
      );
      const durationMs = elapsed();
      const all = [reached, ...checks];
      for (const check of all) check.durationMs = durationMs;
      return { checks: all, facts: factsOf(view) };
    } finally {
      client?.close();
    }
  },
});

type StageFacts = DoctorStageContext<'config' | 'endpoint'>;

function compare(
  view: NamespaceView,
  facts: StageFacts['facts'],
  optional: StageFacts['optionalFacts'],
  options: StageFacts['options']
): CheckResult[] {
  const { config, endpoint } = facts;
  const auth = cloudAuthMode(config);
  const target: TargetInput = {
    host: endpoint.host,
    port: endpoint.port,
    kind: endpoint.kind,
    serverName: endpoint.serverName,
    ...(endpoint.cloud ? { cloud: endpoint.cloud } : {}),
    auth,
    names: {
      address: settingRef(config.address, 'address'),
      serverName: settingRef(config.serverName, 'tlsServerName'),
      clientPair: `${settingRef(config.clientCert, 'tlsCertPath')} and ${settingRef(config.clientKey, 'tlsKeyPath')}`,
      apiKey: settingRef(config.apiKey, 'apiKey'),
    },
  };
  const checks = [
    stateCheck(view),
    authCheck(view, target),
    endpointCheck(view, target),
    connectivityCheck(view, target),
  ];
  const chain = optional.pem?.clientChain ?? (optional.pem?.clientCert ? [optional.pem.clientCert] : []);
  const usesMtls = auth === 'mtls' || auth === 'both';
  if (usesMtls && view.mtlsEnabled) {
    if (chain.length === 0) {
      checks.push(
        skip(
          'cloud.mtls.accepted-ca',
          'The client certificate could not be read (see the pem stage), so it is not compared with the accepted CAs'
        )
      );
    } else {
      const input = {
        chain,
        setting: settingRef(config.clientCert, 'tlsCertPath'),
        now: options.now(),
        warnDays: options.expiryWarnDays,
      };
      checks.push(...acceptedCaChecks(view, input), ...filterChecks(view, input));
    }
  }
  return checks;
}

async function listNames(client: OpsClient): Promise<string[] | undefined> {
  const names: string[] = [];
  let token = '';
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const listed = await client.listNamespaceNames(token);
    if (!listed.ok) return page === 0 ? undefined : names;
    names.push(...listed.value.names);
    token = listed.value.nextPageToken;
    if (!token) break;
  }
  return names;
}

function factsOf(view: NamespaceView): CloudFacts {
  const facts: CloudFacts = {
    namespace: view.namespace,
    state: view.state,
    apiKeyAuth: view.apiKeyEnabled,
    mtlsAuth: view.mtlsEnabled,
  };
  if (view.grpcAddress) facts.grpcAddress = view.grpcAddress;
  if (view.mtlsGrpcAddress) facts.mtlsGrpcAddress = view.mtlsGrpcAddress;
  if (view.activeRegion) facts.activeRegion = view.activeRegion;
  return facts;
}
