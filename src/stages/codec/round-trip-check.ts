// One payload through /encode and back through /decode: the codec server must give the original bytes back, or the
// Web UI shows garbage (or errors) for payloads that the workers wrote.
import { randomBytes } from 'node:crypto';
import type { CheckResult } from '../../pipeline/types.js';
import { evidence, fail, pass, stopwatch, warn } from '../../pipeline/check.js';
import { operationUrl, type CodecEndpoint, type CodecOperation } from '../../knowledge/codec-url.js';
import {
  classifyCodecAnswer,
  describePayload,
  payloadsBody,
  probePayload,
  samePayload,
  type JsonPayload,
} from '../../knowledge/codec-protocol.js';
import { asHttpAnswer, type CodecClient } from './codec-client.js';

type CallOutcome =
  | { kind: 'ok'; payloads: JsonPayload[] }
  | { kind: 'unavailable'; status: number }
  | { kind: 'failed'; reason: string };

export async function roundTripCheck(endpoint: CodecEndpoint, client: CodecClient): Promise<CheckResult> {
  client.ctx.progress('Sending one payload through /encode and /decode');
  const elapsed = stopwatch();
  const original = probePayload(`temporal-doctor round trip ${randomBytes(6).toString('hex')}`);
  const encodeUrl = operationUrl(endpoint, 'encode');
  const encoded = await call(client, encodeUrl, [original]);
  if (encoded.kind === 'unavailable') {
    return warn(
      'codec.round-trip.encode-unavailable',
      `POST ${encodeUrl} answered ${encoded.status}: the codec server does not encode`,
      {
        evidence: evidence({ request: `POST ${encodeUrl}`, status: encoded.status }),
        durationMs: elapsed(),
        fix: 'Serve POST /encode next to /decode: the Web UI and CLI encode with it (e.g. signal and update input), and without it the round trip cannot be checked.',
      }
    );
  }
  if (encoded.kind === 'failed') return inconclusive('encode', encodeUrl, encoded.reason, elapsed());

  const decodeUrl = operationUrl(endpoint, 'decode');
  const decoded = await call(client, decodeUrl, encoded.payloads);
  if (decoded.kind !== 'ok') {
    return inconclusive(
      'decode',
      decodeUrl,
      decoded.kind === 'failed' ? decoded.reason : `answered ${decoded.status}`,
      elapsed()
    );
  }
  const [first] = decoded.payloads;
  const seen = evidence({
    sent: describePayload(original),
    encoded: encoded.payloads[0] ? describePayload(encoded.payloads[0]) : 'no payload',
    decoded: first ? describePayload(first) : 'no payload',
  });
  if (decoded.payloads.length === 1 && first && samePayload(original, first)) {
    return pass('codec.round-trip.matches', 'A payload sent through /encode and /decode came back unchanged', {
      evidence: seen,
      durationMs: elapsed(),
    });
  }
  return fail('codec.round-trip.matches', 'Decoding the encoded payload did not give the original bytes back', {
    evidence: seen,
    durationMs: elapsed(),
    fix: 'The codec server decodes with a different key or codec chain than it encodes with: give /decode the same codecs (in reverse order) and keys as the Data Converter of your workers and clients.',
  });
}

async function call(client: CodecClient, url: string, payloads: JsonPayload[]): Promise<CallOutcome> {
  const answer = await client.post(url, payloadsBody(payloads));
  if ('error' in answer) return { kind: 'failed', reason: client.describeError(answer.error) };
  const verdict = classifyCodecAnswer(asHttpAnswer(answer.response));
  if (verdict.kind === 'ok') return verdict;
  if (verdict.kind === 'not-found' || verdict.kind === 'method-not-allowed')
    return { kind: 'unavailable', status: answer.response.status };
  return { kind: 'failed', reason: `answered ${answer.response.status} (${verdict.kind})` };
}

function inconclusive(operation: CodecOperation, url: string, reason: string, durationMs: number): CheckResult {
  return warn('codec.round-trip.inconclusive', `Round trip stopped at /${operation}: ${reason}`, {
    evidence: evidence({ request: `POST ${url}` }),
    durationMs,
    fix: `Check the codec server logs for the ${operation} of one json/plain payload; the doctor could not tell whether encode and decode agree.`,
  });
}
