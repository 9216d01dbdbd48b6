// One gRPC-shaped HTTP/2 request over a TLS connection that just completed its handshake, to see what the peer does
// with a real request: a gRPC server answers 200 application/grpc; an ingress that rejects this client (nginx's
// `ssl_verify_client`, a `return 403`, no healthy upstream) answers another status with an HTML body; a TLS 1.3
// server that rejects the client certificate sends an alert or hangs up (docs/research/middleboxes.md#grpc-ingresses).
import { connect as http2Connect, constants, type ClientHttp2Session } from 'node:http2';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { socketEndOf, type TlsAlert } from './tls-alerts.js';
import type { Bounds } from './deadline.js';

/** The method a gRPC client calls first (Connection.connect); an empty message is a valid request. */
export const PROBE_PATH = '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo';
const EMPTY_GRPC_MESSAGE = Buffer.from([0, 0, 0, 0, 0]);
/** Enough of an error page to quote it; more is never read. */
export const BODY_BYTES_KEPT = 2048;

export interface HttpAnswer {
  status: number;
  contentType?: string;
  /** grpc-status from the headers or trailers, when the peer speaks gRPC. */
  grpcStatus?: number;
  grpcMessage?: string;
  /** Up to BODY_BYTES_KEPT bytes of the body, raw: sanitize before showing. */
  body: Buffer;
  /** The server name in the `server` header (nginx, haproxy, ...), raw. */
  server?: string;
}

export type ExchangeOutcome =
  | { outcome: 'http-answer'; ms: number; answer: HttpAnswer }
  | { outcome: 'alert'; ms: number; alert: TlsAlert; message: string; code?: string }
  /** `settings`: the server had sent its HTTP/2 SETTINGS before it hung up (it closed on the request, not the TLS). */
  | { outcome: 'closed' | 'reset'; ms: number; message?: string; code?: string; settings?: boolean }
  | { outcome: 'quiet'; ms: number; settings: boolean };

/** Runs the request on `tls` (which it then owns) within the bounds; never throws. */
export function exchangeOverTls(tls: TLSSocket, authority: string, bounds: Bounds): Promise<ExchangeOutcome> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let done = false;
    let settings = false;
    let session: ClientHttp2Session | undefined;
    const finish = (result: ExchangeOutcome): void => {
      if (done) return;
      done = true;
      const outcome =
        settings && (result.outcome === 'closed' || result.outcome === 'reset') ? { ...result, settings } : result;
      clearTimeout(timer);
      bounds.signal.removeEventListener('abort', onQuiet);
      session?.destroy();
      resolve(outcome);
    };
    const onError = (error: NodeJS.ErrnoException): void => finish(socketEndOf(error, ms()));
    const onQuiet = (): void => finish({ outcome: 'quiet', ms: ms(), settings });
    const timer = setTimeout(onQuiet, Math.max(0, bounds.timeoutMs));
    if (bounds.signal.aborted) return onQuiet();
    bounds.signal.addEventListener('abort', onQuiet, { once: true });
    tls.on('error', onError);
    // A server that hangs up on the client certificate may have done so before the session is set up on the socket.
    const onHangUp = (): void => finish({ outcome: 'closed', ms: ms() });
    tls.once('end', onHangUp);
    tls.once('close', onHangUp);
    if (tls.destroyed || tls.readableEnded) return onHangUp();
    try {
      session = http2Connect(`https://${authority}`, { createConnection: () => tls });
    } catch (error) {
      return onError(error as NodeJS.ErrnoException);
    }
    session.on('error', onError);
    session.once('remoteSettings', () => (settings = true));
    session.once('close', () => finish({ outcome: 'closed', ms: ms() }));
    session.once('goaway', (code: number) =>
      finish({ outcome: 'closed', ms: ms(), message: `the server sent GOAWAY (code ${code})` })
    );
    const request = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: PROBE_PATH,
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      te: 'trailers',
    });
    request.on('error', onError);
    request.end(EMPTY_GRPC_MESSAGE);
    request.once('response', (headers) => {
      const status = Number(headers[constants.HTTP2_HEADER_STATUS]);
      const text = (name: string): string | undefined => {
        const value = headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      let body = Buffer.alloc(0);
      const answer = (trailers?: Record<string, unknown>): void => {
        const grpcStatus =
          text('grpc-status') ?? (typeof trailers?.['grpc-status'] === 'string' ? trailers['grpc-status'] : undefined);
        const grpcMessage =
          text('grpc-message') ??
          (typeof trailers?.['grpc-message'] === 'string' ? trailers['grpc-message'] : undefined);
        const contentType = text('content-type');
        const server = text('server');
        finish({
          outcome: 'http-answer',
          ms: ms(),
          answer: {
            status,
            body,
            ...(contentType !== undefined ? { contentType } : {}),
            ...(grpcStatus !== undefined && /^\d+$/.test(grpcStatus) ? { grpcStatus: Number(grpcStatus) } : {}),
            ...(grpcMessage !== undefined ? { grpcMessage } : {}),
            ...(server !== undefined ? { server } : {}),
          },
        });
      };
      // A trailers-only gRPC answer carries grpc-status in the headers: nothing more to wait for.
      if (text('grpc-status') !== undefined) return answer();
      request.on('data', (chunk: Buffer) => {
        if (body.length < BODY_BYTES_KEPT) body = Buffer.concat([body, chunk]).subarray(0, BODY_BYTES_KEPT);
        if (body.length >= BODY_BYTES_KEPT) answer();
      });
      request.once('trailers', (trailers) => answer(trailers));
      request.once('end', () => answer());
      request.once('close', () => answer());
    });
  });
}

/** A fresh TLS connection (ALPN h2) to `host:port`, then the request; never throws. */
export function requestOverTls(
  target: { host: string; port: number; tls: Pick<ConnectionOptions, 'servername' | 'ca' | 'cert' | 'key'> },
  bounds: Bounds
): Promise<ExchangeOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const tls = tlsConnect({
      host: target.host,
      port: target.port,
      ...target.tls,
      ALPNProtocols: ['h2'],
      // A client certificate goes only to a server that proved who it is.
      rejectUnauthorized: Boolean(target.tls.cert ?? target.tls.key),
    });
    let settled = false;
    const settle = (outcome: ExchangeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tls.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => settle({ outcome: 'quiet', ms: Math.round(performance.now() - started), settings: false }),
      Math.max(0, bounds.timeoutMs)
    );
    tls.once('error', (error: NodeJS.ErrnoException) =>
      settle({ outcome: 'closed', ms: Math.round(performance.now() - started), message: error.message })
    );
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      const left = Math.max(0, bounds.timeoutMs - (performance.now() - started));
      void exchangeOverTls(tls, target.tls.servername ?? target.host, { signal: bounds.signal, timeoutMs: left }).then(
        (outcome) => {
          settled = true;
          tls.destroy();
          resolve(outcome);
        }
      );
    });
  });
}
