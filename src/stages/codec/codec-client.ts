// The doctor's HTTP client for one codec server: sends what the Web UI and the CLI send (Content-Type, X-Namespace,
// Authorization), bounds every request by the stage budget, and keeps the auth value out of anything it hands back.
import type { Evidence } from '../../pipeline/types.js';
import type { Setting } from '../../config/resolved-config.js';
import type { Secret } from '../../text/secret.js';
import { evidence } from '../../pipeline/check.js';
import { sanitize } from '../../text/sanitize.js';
import { httpRequest, HttpRequestError, type HttpResponse } from '../../net/http-request.js';
import type { ResolvedAddress } from '../../net/resolve.js';
import type { HttpAnswer } from '../../knowledge/codec-protocol.js';
import type { DoctorStageContext as StageContext } from '../../facts.js';

export type Answer = { response: HttpResponse } | { error: HttpRequestError };

/** One call may take this share of the stage budget, so a hanging server still leaves time to report it. */
const CALL_SHARE = 0.4;
const BODY_EVIDENCE_CHARS = 200;

export class CodecClient {
  readonly #deadline: number;
  /** Where the reachability checks connected; requests go there instead of resolving the name again. */
  address?: ResolvedAddress;

  constructor(
    readonly ctx: StageContext<'config'>,
    readonly namespace: string,
    readonly auth: Setting<Secret> | undefined,
    /** --codec-header KEY=VALUE, sent with every request as the Temporal CLI does. */
    readonly extraHeaders: Record<string, Setting<Secret>> = {}
  ) {
    this.#deadline = performance.now() + ctx.timeoutMs;
  }

  /** The budget for the next network wait: a share of the stage budget, never past the stage deadline. */
  nextTimeoutMs(): number {
    const remaining = Math.max(1, Math.floor(this.#deadline - performance.now()));
    return Math.min(remaining, Math.max(1, Math.floor(this.ctx.timeoutMs * CALL_SHARE)));
  }

  /** POST as the Web UI and CLI do; `extra` adds headers (e.g. Origin). */
  post(url: string, body: string, extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-namespace': this.namespace,
      ...Object.fromEntries(Object.entries(this.extraHeaders).map(([name, value]) => [name, value.value.reveal()])),
      ...extra,
    };
    if (this.auth) headers.authorization = this.auth.value.reveal();
    return this.send(url, 'POST', headers, body);
  }

  async send(url: string, method: 'POST' | 'OPTIONS', headers: Record<string, string>, body?: string): Promise<Answer> {
    try {
      const response = await httpRequest({
        url,
        method,
        headers,
        signal: this.ctx.signal,
        timeoutMs: this.nextTimeoutMs(),
        ...(body !== undefined ? { body } : {}),
        ...(this.address ? { address: this.address } : {}),
      });
      return { response };
    } catch (error) {
      return { error: error instanceof HttpRequestError ? error : new HttpRequestError('network', String(error)) };
    }
  }

  /**
   * A server may echo the Authorization value back (in an error page, a header), whole, its token alone, base64 or
   * URL-encoded: none of it reaches the report (the run's registry knows every form, and every other secret).
   */
  scrub(text: string): string {
    return this.ctx.options.secrets.addAuthorization(this.auth?.value).scrub(text);
  }

  describeError(error: HttpRequestError): string {
    return this.scrub(error.code ? `${error.code} ${error.message}` : error.message);
  }

  authEvidence(): string {
    return this.auth ? `${this.auth.value.fingerprint()} from ${this.auth.source.name}` : 'none';
  }

  /** What was sent, for evidence: never the auth value. */
  requestEvidence(method: string, url: string): Evidence[] {
    return evidence({ request: `${method} ${url}`, 'X-Namespace': this.namespace, authorization: this.authEvidence() });
  }

  responseEvidence(response: HttpResponse): Evidence[] {
    const body = response.body.trim();
    return evidence({
      status: response.status,
      'content-type': response.headers['content-type'],
      body: body ? this.scrub(sanitize(this.scrub(body), BODY_EVIDENCE_CHARS)) : undefined,
    });
  }

  corsEvidence(response: HttpResponse): Evidence[] {
    const h = response.headers;
    const show = (v: string | string[] | undefined): string =>
      v === undefined ? '(absent)' : this.scrub(Array.isArray(v) ? v.join(', ') : v);
    const optional = (v: string | string[] | undefined): string | undefined => (v === undefined ? undefined : show(v));
    return evidence({
      status: response.status,
      'Access-Control-Allow-Origin': show(h['access-control-allow-origin']),
      'Access-Control-Allow-Headers': show(h['access-control-allow-headers']),
      'Access-Control-Allow-Methods': optional(h['access-control-allow-methods']),
      'Access-Control-Allow-Credentials': optional(h['access-control-allow-credentials']),
    });
  }
}

export function asHttpAnswer(response: HttpResponse): HttpAnswer {
  const contentType = response.headers['content-type'];
  return { status: response.status, body: response.body, ...(contentType ? { contentType } : {}) };
}
