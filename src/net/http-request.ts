// One bounded HTTP(S) request over node:http / node:https: every wait ends at the signal or the timeout, the body is
// capped, and no connection is pooled (a kept-alive socket would outlive the stage and keep the process up).
import { request as httpRequestRaw, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequestRaw } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface HttpRequestOptions {
  url: string;
  method: 'POST' | 'OPTIONS';
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  timeoutMs: number;
  /** Connect to this address instead of resolving the URL's host again (the host still goes in Host and SNI). */
  address?: { address: string; family: 4 | 6 };
  /** @default 1 MiB */
  maxBodyBytes?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body was longer than maxBodyBytes and was cut there. */
  truncated: boolean;
  durationMs: number;
}

export type HttpFailureKind = 'timeout' | 'aborted' | 'network';

/** Why no HTTP response came: the deadline, the stage's signal, or a socket/TLS error (with its Node code). */
export class HttpRequestError extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly code?: string
  ) {
    super(message);
    this.name = 'HttpRequestError';
  }
}

const DEFAULT_MAX_BODY = 1024 * 1024;

export function httpRequest(options: HttpRequestOptions): Promise<HttpResponse> {
  const started = performance.now();
  const url = new URL(options.url);
  const send = url.protocol === 'https:' ? httpsRequestRaw : httpRequestRaw;
  const max = options.maxBodyBytes ?? DEFAULT_MAX_BODY;

  return new Promise<HttpResponse>((resolve, reject) => {
    if (options.signal.aborted) {
      reject(new HttpRequestError('aborted', 'stopped before the request was sent'));
      return;
    }
    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      outcome();
    };
    const req = send(url, {
      method: options.method,
      headers: {
        ...options.headers,
        ...(options.body !== undefined ? { 'content-length': String(Buffer.byteLength(options.body)) } : {}),
      },
      agent: false,
      ...(options.address ? { lookup: fixedLookup(options.address) } : {}),
    });
    const fail = (error: HttpRequestError): void => {
      finish(() => reject(error));
      req.destroy();
    };
    const timer = setTimeout(
      () => fail(new HttpRequestError('timeout', `no response within ${options.timeoutMs} ms`)),
      options.timeoutMs
    );
    const onAbort = (): void => fail(new HttpRequestError('aborted', 'stopped at the stage deadline'));
    options.signal.addEventListener('abort', onAbort, { once: true });

    req.on('error', (error: NodeJS.ErrnoException) => {
      finish(() => reject(new HttpRequestError('network', error.message, error.code)));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = (): void => {
        const body = Buffer.concat(chunks).toString('utf8');
        const response: HttpResponse = {
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          truncated,
          durationMs: Math.round(performance.now() - started),
        };
        finish(() => resolve(response));
        req.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        const room = max - size;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += Math.min(chunk.length, room);
        if (chunk.length > room) {
          truncated = true;
          done();
        }
      });
      res.on('end', done);
      res.on('error', (error: NodeJS.ErrnoException) =>
        finish(() => reject(new HttpRequestError('network', error.message, error.code)))
      );
    });
    req.end(options.body);
  });
}

/** node:net asks with `{ all: true }` on Node 20 (autoSelectFamily), and then wants an array back. */
function fixedLookup(target: { address: string; family: 4 | 6 }): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
}
