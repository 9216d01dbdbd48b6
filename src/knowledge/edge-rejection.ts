// What a server or an ingress does with a connection right after the TLS handshake, read as a rejection and mapped
// to the stage a user must change: a TLS alert or a hang-up (the TLS server judged the client certificate), an HTTP
// status with a body (an ingress such as nginx or haproxy answering for the server), or a gRPC status (the Temporal
// frontend itself). docs/research/middleboxes.md#grpc-ingresses, #client-certificate-rejection.
import { sanitize } from '../text/sanitize.js';

export type EdgeRejection =
  /** A gRPC server answered (any grpc-status): nothing in front of it rejected the request. */
  | { kind: 'grpc'; grpcStatus?: number }
  /** The ingress demands a client certificate and got none (nginx `ssl_verify_client on`). */
  | { kind: 'client-cert-missing'; status: number; excerpt: string }
  /** The ingress did not accept the client certificate it got (another CA, expired, ...). */
  | { kind: 'client-cert-rejected'; status: number; excerpt: string }
  /** The ingress refuses this client (401/403 outside gRPC): an access rule, often on the client certificate. */
  | { kind: 'forbidden'; status: number; excerpt: string }
  /** The ingress has no healthy upstream (502, 503, 504). */
  | { kind: 'no-backend'; status: number; excerpt: string }
  /** Any other HTTP answer that is not gRPC (a web route, a 404). */
  | { kind: 'not-grpc'; status: number; excerpt: string };

export interface HttpAnswerFacts {
  status: number;
  contentType?: string;
  grpcStatus?: number;
  body: Uint8Array;
}

/** nginx's own words for a client certificate it did not get or did not accept (ngx_http_request.c, 400 pages). */
const CERT_MISSING = /no required ssl certificate was sent/i;
const CERT_REJECTED = /ssl certificate error|ssl certificate has expired|certificate (?:verify|verification) failed/i;

/** The text of an error page, one line, without markup, at most `max` characters, safe to show. */
export function bodyExcerpt(body: Uint8Array, max = 160): string {
  const text = Buffer.from(body.subarray(0, 4096)).toString('utf8');
  const title = /<title>([^<]{1,200})<\/title>/i.exec(text)?.[1];
  const withoutMarkup = text
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // nginx repeats the title in the page: "400 No required SSL certificate was sent 400 Bad Request No required ...".
  const shown = title && !/<[a-z]/i.test(title) ? title.trim() : withoutMarkup;
  return sanitize(shown, max);
}

export function classifyHttpAnswer(answer: HttpAnswerFacts): EdgeRejection {
  const isGrpc = answer.contentType !== undefined && /^application\/grpc/i.test(answer.contentType);
  if (answer.grpcStatus !== undefined || (answer.status === 200 && isGrpc))
    return answer.grpcStatus === undefined ? { kind: 'grpc' } : { kind: 'grpc', grpcStatus: answer.grpcStatus };
  const excerpt = bodyExcerpt(answer.body);
  const fullText = Buffer.from(answer.body.subarray(0, 4096)).toString('utf8');
  const status = answer.status;
  if (CERT_MISSING.test(fullText)) return { kind: 'client-cert-missing', status, excerpt };
  if (CERT_REJECTED.test(fullText)) return { kind: 'client-cert-rejected', status, excerpt };
  if (status === 401 || status === 403) return { kind: 'forbidden', status, excerpt };
  if (status === 502 || status === 503 || status === 504) return { kind: 'no-backend', status, excerpt };
  return { kind: 'not-grpc', status, excerpt };
}

/** The stage whose settings a rejection asks the user to change. */
export function rejectionStage(rejection: EdgeRejection): 'tls' | 'grpc' {
  return rejection.kind === 'client-cert-missing' || rejection.kind === 'client-cert-rejected' ? 'tls' : 'grpc';
}
