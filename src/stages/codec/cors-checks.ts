// What a browser on the Web UI adds to the CLI's call: a CORS preflight, then the CORS check on the answer itself.
import type { CheckResult, Evidence } from '../../pipeline/types.js';
import { evidence, fail, pass, stopwatch, warn } from '../../pipeline/check.js';
import { operationUrl, type CodecEndpoint } from '../../knowledge/codec-url.js';
import { payloadsBody } from '../../knowledge/codec-protocol.js';
import {
  allowsOrigin,
  evaluatePreflight,
  webUiRequestHeaders,
  wildcardWithCredentials,
  type CorsProblem,
} from '../../knowledge/codec-cors.js';
import type { CodecClient } from './codec-client.js';

export async function corsChecks(endpoint: CodecEndpoint, origin: string, client: CodecClient): Promise<CheckResult[]> {
  client.ctx.progress(`Checking CORS for the Web UI at ${origin}`);
  const url = operationUrl(endpoint, 'decode');
  const requested = webUiRequestHeaders(client.auth !== undefined);
  const elapsed = stopwatch();
  const answer = await client.send(url, 'OPTIONS', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': requested.join(','),
  });
  const request = evidence({
    request: `OPTIONS ${url}`,
    Origin: origin,
    'Access-Control-Request-Headers': requested.join(','),
  });
  if ('error' in answer) {
    return [
      warn(
        'codec.cors.inconclusive',
        `No answer to the CORS preflight from ${origin}: ${client.describeError(answer.error)}`,
        {
          evidence: request,
          durationMs: elapsed(),
          fix: 'Make sure the codec server answers OPTIONS on /decode (the cors middleware does); rerun with a larger --timeout if it is slow.',
        }
      ),
    ];
  }
  const { response } = answer;
  const details = { evidence: [...request, ...client.corsEvidence(response)], durationMs: elapsed() };
  const checks = evaluatePreflight(origin, requested, response.status, response.headers).map((p) =>
    problemCheck(p, origin, requested, details)
  );

  const wildcards = wildcardWithCredentials(response.headers);
  if (wildcards.length) {
    checks.push(
      warn(
        'codec.cors.credentials',
        `The codec server allows credentials but answers * in ${wildcards.join(' and ')}`,
        {
          ...details,
          fix: `With "Include cross-origin credentials" on in the Web UI, browsers reject * with credentials: echo the origin (${origin}) and name the headers in ${wildcards.join(' and ')}.`,
        }
      )
    );
  }
  if (checks.some((c) => c.status === 'fail')) return checks;

  // The preflight is only half: the browser also drops a POST answer that lacks Access-Control-Allow-Origin.
  const post = await client.post(url, payloadsBody([]), { origin });
  if ('response' in post && !allowsOrigin(origin, post.response.headers)) {
    checks.push(
      fail(
        'codec.cors.response-allow-origin',
        `The codec server's POST answer lacks Access-Control-Allow-Origin for ${origin}`,
        {
          evidence: [...evidence({ request: `POST ${url}`, Origin: origin }), ...client.corsEvidence(post.response)],
          durationMs: elapsed(),
          fix: `The codec server's POST answer lacks Access-Control-Allow-Origin for ${origin}: send it on the /decode and /encode answers too, not only on OPTIONS.`,
        }
      )
    );
    return checks;
  }
  checks.push(pass('codec.cors.preflight', `Browsers on ${origin} may call the codec server (CORS allowed)`, details));
  return checks;
}

function problemCheck(
  problem: CorsProblem,
  origin: string,
  requested: string[],
  details: { evidence: Evidence[]; durationMs: number }
): CheckResult {
  switch (problem.rule) {
    case 'preflight-status':
      return fail(
        'codec.cors.preflight-status',
        `The codec server answered the CORS preflight from ${origin} with ${problem.status}`,
        {
          ...details,
          fix:
            problem.status === 401 || problem.status === 403
              ? 'Let OPTIONS requests through without auth: browsers never send Authorization or cookies on the CORS preflight.'
              : 'Answer OPTIONS on /decode and /encode with 204 and the CORS headers (e.g. the cors middleware in front of the codec routes).',
        }
      );
    case 'allow-origin':
      return problem.got === undefined
        ? fail(
            'codec.cors.allow-origin',
            `The codec server's CORS response lacks Access-Control-Allow-Origin for ${origin}`,
            {
              ...details,
              fix: `The codec server's CORS response lacks Access-Control-Allow-Origin for ${origin}: add it (Access-Control-Allow-Origin: ${origin}).`,
            }
          )
        : fail(
            'codec.cors.allow-origin',
            `The codec server's CORS response allows origin ${problem.got}, not ${origin}`,
            {
              ...details,
              fix: `Set Access-Control-Allow-Origin to ${origin} (exactly, one value) for requests from the Web UI at ${origin}; pass --ui-origin if your Web UI runs elsewhere.`,
            }
          );
    case 'allow-headers': {
      const names = problem.missing.join(', ');
      const plural = problem.missing.length > 1;
      const wildcard = problem.got?.split(',').some((h) => h.trim() === '*') ?? false;
      return fail(
        'codec.cors.allow-headers',
        `The codec server's CORS response does not allow the request header${plural ? 's' : ''} ${names}`,
        {
          ...details,
          fix: `The codec server's CORS response lacks ${names} in Access-Control-Allow-Headers: add ${plural ? 'them' : 'it'} (the Web UI sends ${requested.join(', ')} on every call${wildcard && problem.missing.includes('authorization') ? '; * does not cover authorization' : ''}).`,
        }
      );
    }
  }
}
