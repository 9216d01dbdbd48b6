// Real codec servers on loopback (node:http), healthy and broken in the ways users break them. The healthy one behaves
// like temporalio/samples-typescript encryption/src/codec-server.ts (express + cors with allowedHeaders): POST /encode
// and /decode with protobuf-JSON payloads, a reversible transform, CORS for every origin.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { serveLoopback, type LoopbackServer } from './loopback.js';

export type CodecBehaviour =
  /** encode → decode gives the original bytes back. */
  | 'healthy'
  /** 200 text/html for every path, like an endpoint that points at a web app (or the Web UI itself). */
  | 'html'
  /** 200 application/json that is not JSON. */
  | 'not-json'
  /** 200 JSON without a `payloads` array. */
  | 'no-payloads'
  /** 500 on every codec call. */
  | 'server-error'
  /** Encodes, but decode corrupts the data (a wrong key, a codec chain in the wrong order). */
  | 'broken-round-trip'
  /** Serves /decode only; /encode is 404. */
  | 'no-encode'
  /** Answers an empty /decode, but 500 as soon as there is a payload to decode. */
  | 'decode-fails-on-data'
  /** 405 to POST, as a static site answers. */
  | 'post-not-allowed'
  /** 302 to another URL, as a login proxy answers. */
  | 'redirect'
  /** Answers POST, never answers the CORS preflight. */
  | 'hang-preflight'
  /** Accepts connections and never answers. */
  | 'hang';

export interface CodecServerOptions {
  behaviour?: CodecBehaviour;
  /** Where /encode and /decode live, e.g. '/codec'. @default '' */
  basePath?: string;
  /** CORS answers; false sends none (what express gives without the cors middleware). @default allow every origin */
  cors?: false | { allowOrigin?: string; allowHeaders?: string; allowCredentials?: boolean };
  /** The Authorization value the server requires on POST; answers 401 without one and 403 with a wrong one. */
  auth?: string;
  /** A common bug: the preflight goes through the auth check too (browsers never send Authorization on OPTIONS). */
  authOnPreflight?: boolean;
  /** CORS headers on the preflight only, not on the POST answers. */
  corsOnPreflightOnly?: boolean;
  /** A careless server: its 403 page quotes the Authorization value it rejected. */
  echoAuthInErrors?: boolean | 'encoded';
  /** Serve HTTPS with this certificate; the endpoint then names `localhost`. */
  tls?: { certPem: string; keyPem: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface CodecServer extends LoopbackServer {
  /** http://127.0.0.1:<port> (https://localhost:<port> with TLS) plus the base path. */
  endpoint: string;
  requests: RecordedRequest[];
}

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const ENCODED = 'binary/doctor-test-encrypted';
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const text = (base64: string | undefined): string => Buffer.from(base64 ?? '', 'base64').toString('utf8');
const flip = (data: string | undefined): string =>
  Buffer.from(Buffer.from(data ?? '', 'base64').map((b) => b ^ 0x5a)).toString('base64');

function encodePayload(p: JsonPayload): JsonPayload {
  return {
    metadata: { encoding: b64(ENCODED), 'original-encoding': p.metadata?.encoding ?? '' },
    data: flip(p.data),
  };
}

function decodePayload(p: JsonPayload, behaviour: CodecBehaviour): JsonPayload {
  if (text(p.metadata?.encoding) !== ENCODED) return p;
  const data = behaviour === 'broken-round-trip' ? p.data : flip(p.data);
  return { metadata: { encoding: p.metadata?.['original-encoding'] ?? '' }, ...(data ? { data } : {}) };
}

export async function startCodecServer(options: CodecServerOptions = {}): Promise<CodecServer> {
  const behaviour = options.behaviour ?? 'healthy';
  const basePath = options.basePath ?? '';
  const requests: RecordedRequest[] = [];
  const cors =
    options.cors === false
      ? undefined
      : { allowOrigin: '*', allowHeaders: 'content-type,x-namespace,authorization', ...options.cors };

  const setCors = (res: ServerResponse, preflight: boolean): void => {
    if (!cors || (options.corsOnPreflightOnly && !preflight)) return;
    if (cors.allowOrigin) res.setHeader('Access-Control-Allow-Origin', cors.allowOrigin);
    if (cors.allowCredentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
    if (preflight) {
      res.setHeader('Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
      if (cors.allowHeaders) res.setHeader('Access-Control-Allow-Headers', cors.allowHeaders);
    }
  };
  const authProblem = (req: IncomingMessage): 401 | 403 | undefined => {
    if (options.auth === undefined) return undefined;
    const given = req.headers.authorization;
    if (given === undefined) return 401;
    return given === options.auth ? undefined : 403;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? '', path, headers: req.headers });
    const body = await readBody(req);
    if (behaviour === 'hang') return;
    if (behaviour === 'html') {
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><html><body>Temporal</body></html>');
      return;
    }
    const operation = path === `${basePath}/decode` ? 'decode' : path === `${basePath}/encode` ? 'encode' : undefined;
    const served = operation === 'decode' || (operation === 'encode' && behaviour !== 'no-encode');

    if (behaviour === 'redirect') {
      res.writeHead(302, { location: 'https://login.example.test/' }).end();
      return;
    }
    if (req.method === 'OPTIONS') {
      if (behaviour === 'hang-preflight') return;
      const status = options.authOnPreflight ? authProblem(req) : undefined;
      if (status) {
        res.writeHead(status).end();
        return;
      }
      // express answers OPTIONS on a known route by itself (200, Allow: POST), with or without cors.
      setCors(res, true);
      if (!served) res.writeHead(404).end();
      else if (cors) res.writeHead(204).end();
      else res.writeHead(200, { allow: 'POST', 'content-type': 'text/plain' }).end('POST');
      return;
    }
    setCors(res, false);
    if (!served) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`Cannot ${req.method} ${path}`);
      return;
    }
    if (req.method !== 'POST' || behaviour === 'post-not-allowed') {
      res.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const status = authProblem(req);
    if (status) {
      const auth = req.headers.authorization ?? '';
      const token = auth.replace(/^\S+\s+/, '');
      const b64 = (text: string): string => Buffer.from(text).toString('base64');
      const detail =
        options.echoAuthInErrors === 'encoded'
          ? `: ${auth} token=${token} b64:${b64(auth)} b64t:${b64(token)} url:${encodeURIComponent(auth)} urlt:${encodeURIComponent(token)}`
          : options.echoAuthInErrors
            ? `: ${auth}`
            : '';
      res
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(`${status === 401 ? 'Unauthorized' : 'Forbidden'}${detail}`);
      return;
    }
    if (behaviour === 'server-error') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal server error');
      return;
    }
    if (behaviour === 'not-json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('payloads: none');
      return;
    }
    if (behaviour === 'no-payloads') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: 'ok', items: [] }));
      return;
    }
    let payloads: JsonPayload[];
    try {
      payloads = (JSON.parse(body) as { payloads: JsonPayload[] }).payloads;
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid JSON');
      return;
    }
    if (behaviour === 'decode-fails-on-data' && operation === 'decode' && payloads.length > 0) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('decryption failed');
      return;
    }
    const out = operation === 'encode' ? payloads.map(encodePayload) : payloads.map((p) => decodePayload(p, behaviour));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ payloads: out }));
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => res.destroy());
  };
  const server = options.tls
    ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener)
    : createServer(listener);
  const loopback = await serveLoopback(server);
  const origin = options.tls ? `https://localhost:${loopback.port}` : `http://${loopback.address}`;
  return { ...loopback, endpoint: `${origin}${basePath}`, requests };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}
