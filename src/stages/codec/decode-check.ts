// POST <endpoint>/decode with {"payloads":[]}, as the CLI calls it: does a codec server answer there?
import type { CheckResult, Evidence } from '../../pipeline/types.js';
import { fail, pass, stopwatch } from '../../pipeline/check.js';
import type { HttpRequestError, HttpResponse } from '../../net/http-request.js';
import { operationUrl, type CodecEndpoint } from '../../knowledge/codec-url.js';
import { classifyCodecAnswer, payloadsBody, type CodecAnswer } from '../../knowledge/codec-protocol.js';
import { asHttpAnswer, type CodecClient } from './codec-client.js';

export interface DecodeOutcome {
  check: CheckResult;
  /** Absent when no HTTP answer came. */
  answer?: CodecAnswer;
}

export async function decodeCheck(
  endpoint: CodecEndpoint,
  client: CodecClient,
  settingName: string
): Promise<DecodeOutcome> {
  const url = operationUrl(endpoint, 'decode');
  client.ctx.progress(`Calling the codec server at ${url}`);
  const elapsed = stopwatch();
  const answer = await client.post(url, payloadsBody([]));
  const request = client.requestEvidence('POST', url);
  if ('error' in answer) return { check: noAnswerCheck(url, answer.error, request, client, settingName, elapsed()) };
  const { response } = answer;
  const verdict = classifyCodecAnswer(asHttpAnswer(response));
  const observed = [...request, ...client.responseEvidence(response)];
  return { check: answerCheck(verdict, url, response, observed, client, settingName), answer: verdict };
}

function answerCheck(
  verdict: CodecAnswer,
  url: string,
  response: HttpResponse,
  observed: Evidence[],
  client: CodecClient,
  name: string
): CheckResult {
  const details = { evidence: observed, durationMs: response.durationMs };
  const status = response.status;
  switch (verdict.kind) {
    case 'ok':
      return pass('codec.decode.responds', `POST ${url} answered ${status} with a payloads array`, details);
    case 'not-found':
      return fail('codec.decode.not-found', `POST ${url} answered 404: no codec server at this path`, {
        ...details,
        fix: `Set ${name} to the codec server's base URL, the part before /decode; a server mounted under a path (e.g. https://host/codec) needs that path in the endpoint.`,
      });
    case 'method-not-allowed':
      return fail('codec.decode.method-not-allowed', `POST ${url} answered 405: the server there does not take POST`, {
        ...details,
        fix: `Point ${name} at the codec server itself (it must accept POST on /decode and /encode), not at a static site or a proxy that only allows GET.`,
      });
    case 'auth':
      return client.auth
        ? fail('codec.decode.auth-rejected', `The codec server rejected the configured auth (${status})`, {
            ...details,
            fix: `The codec server rejected the configured auth: check the Authorization value in ${client.auth.source.name} (scheme and token, e.g. "Bearer <token>") and whether it expired.`,
          })
        : fail(
            'codec.decode.auth-required',
            `The codec server answered ${status} without credentials: it requires auth`,
            {
              ...details,
              fix: 'The server requires auth: set --codec-auth (TEMPORAL_CODEC_AUTH, or codec.auth in temporal.toml) to the Authorization header value it expects, and enable the same in the Web UI\'s codec settings ("Pass access token").',
            }
          );
    case 'server-error':
      return fail('codec.decode.server-error', `The codec server answered ${status} to an empty decode request`, {
        ...details,
        fix: 'Check the codec server logs: it failed on {"payloads":[]} with X-Namespace set, which any client may send.',
      });
    case 'unexpected-status':
      return fail('codec.decode.unexpected-status', `POST ${url} answered ${status}, not 200`, {
        ...details,
        fix:
          status >= 300 && status < 400
            ? `Set ${name} to the URL the server redirects to: browsers do not follow redirects on a CORS preflight.`
            : `Check that ${name} points at a codec server: it must answer 200 to POST /decode with {"payloads":[]}.`,
      });
    case 'html':
      return fail(
        'codec.decode.html',
        `POST ${url} answered with an HTML page: this looks like a web page, not a codec server`,
        {
          ...details,
          fix: `Point ${name} at the codec server's base URL, not at a website or the Web UI.`,
        }
      );
    case 'not-json':
      return fail('codec.decode.not-json', `POST ${url} answered ${status} with a body that is not JSON`, {
        ...details,
        fix: `Point ${name} at a codec server: it must answer Payloads as protobuf JSON, {"payloads":[...]}.`,
      });
    case 'no-payloads':
      return fail(
        'codec.decode.no-payloads',
        `POST ${url} answered JSON without a payloads array${verdict.keys.length ? ` (keys: ${verdict.keys.slice(0, 5).join(', ')})` : ''}`,
        {
          ...details,
          fix: `Point ${name} at a codec server: it must answer {"payloads":[...]} with each payload's metadata and data in base64.`,
        }
      );
  }
}

function noAnswerCheck(
  url: string,
  error: HttpRequestError,
  request: Evidence[],
  client: CodecClient,
  name: string,
  durationMs: number
): CheckResult {
  const cause = { name: error.name, message: client.scrub(error.message), ...(error.code ? { code: error.code } : {}) };
  if (error.kind !== 'network') {
    return fail('codec.decode.timeout', `No answer from ${url}: ${error.message}`, {
      evidence: request,
      cause,
      durationMs,
      fix: `Check that the codec server at ${name} is up and that no proxy or firewall holds the request; rerun with a larger --timeout if it is only slow.`,
    });
  }
  return fail('codec.decode.no-response', `No HTTP answer from ${url}: ${client.describeError(error)}`, {
    evidence: request,
    cause,
    durationMs,
    fix: fixForNetworkError(error.code, name, url),
  });
}

function fixForNetworkError(code: string | undefined, setting: string, url: string): string {
  const where = new URL(url).host;
  switch (code) {
    case 'ECONNREFUSED':
      return `Start the codec server, or fix the host and port in ${setting}: nothing listens on ${where}.`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'HPE_INVALID_CONSTANT':
      return `The server at ${where} hung up without an HTTP answer: if it serves HTTPS, set ${setting} to https://${where}; otherwise check its logs.`;
    default:
      return code?.startsWith('ERR_TLS') || code?.includes('CERT') || code?.includes('SELF_SIGNED')
        ? `Serve the codec server at ${where} with a certificate that browsers and Node trust for its host name.`
        : `Check that ${setting} names a running codec server reachable from here.`;
  }
}
