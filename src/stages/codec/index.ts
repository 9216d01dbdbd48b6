// The payload codec server that the Web UI and the Temporal CLI decode through. It is independent of the Temporal
// frontend, so it needs only the settings: a broken gRPC connection must not hide a broken codec server.
// Order: URL rules, reachability (DNS, TCP), what the CLI does (POST /decode), what a browser adds (CORS preflight
// from each Web UI origin), then a round trip of one payload through /encode and /decode.
import type { CheckResult } from '../../pipeline/types.js';
import { skip } from '../../pipeline/check.js';
import { analyzeCodecEndpoint, webUiOrigins } from '../../knowledge/codec-url.js';
import { CodecClient } from './codec-client.js';
import { uiOriginChecks, urlChecks } from './url-checks.js';
import { reachChecks } from './reach-checks.js';
import { decodeCheck } from './decode-check.js';
import { corsChecks } from './cors-checks.js';
import { roundTripCheck } from './round-trip-check.js';
import { defineStage } from '../../facts.js';

export const codecStage = defineStage({
  id: 'codec',
  title: 'Payload codec server',
  needs: ['config'],
  async run(ctx) {
    const { config } = ctx.facts;
    const setting = config.codecEndpoint;
    if (!setting) return { checks: [skip('codec.not-configured', 'No codec endpoint configured')] };
    const name = setting.source.name;

    const origins = webUiOrigins(config.address.value, ctx.options.uiOrigin);
    const analysis = analyzeCodecEndpoint(setting.value, config.namespace.value, origins.origins);
    const checks: CheckResult[] = [...uiOriginChecks(origins), ...urlChecks(analysis, setting)];
    const endpoint = analysis.endpoint;
    if (!endpoint) return { checks };

    const client = new CodecClient(ctx, config.namespace.value, config.codecAuth, config.codecHeaders);
    const reach = await reachChecks(endpoint, client, name);
    checks.push(...reach.checks);
    if (!reach.address) return { checks };
    client.address = reach.address;

    const decode = await decodeCheck(endpoint, client, name);
    checks.push(decode.check);
    // A 401 still lets the browser's preflight be judged: browsers send it without credentials.
    if (decode.answer?.kind === 'ok' || decode.answer?.kind === 'auth') {
      for (const origin of origins.origins) checks.push(...(await corsChecks(endpoint, origin, client)));
    } else {
      checks.push(skip('codec.cors.preflight', 'CORS not checked: POST /decode does not work yet'));
    }
    checks.push(
      decode.answer?.kind === 'ok'
        ? await roundTripCheck(endpoint, client)
        : skip('codec.round-trip.matches', 'Round trip not checked: POST /decode does not work yet')
    );
    return { checks };
  },
});
