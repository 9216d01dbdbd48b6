// node:tls server on loopback with the knobs the TLS and gRPC stages need: ALPN, client-cert policy, post-handshake behaviour.
import { createServer as createTlsServer } from 'node:tls';
import { createOkHttp2Server } from './http2-ok.js';
import type { TLSSocket } from 'node:tls';
import { serveLoopback } from './loopback.js';
import type { LoopbackServer } from './loopback.js';

export interface TlsServerOptions {
  cert: { certPem: string; keyPem: string };
  /** CA PEM used to verify client certificates. */
  ca?: string;
  /** Ask for a client certificate but accept the connection without one. */
  requestClientCert?: boolean;
  /**
   * Reject a missing or untrusted client certificate. With TLS 1.3 the client's handshake completes first; a missing
   * certificate then gets alert 116 (certificate required), an untrusted one a plain hang-up without any alert.
   */
  requireClientCert?: boolean;
  /** ALPN protocols offered; 'none' disables ALPN entirely. Default ['h2']. */
  alpn?: string[] | 'none';
  /**
   * After the handshake: 'http2-ok' (default) speaks HTTP/2 and answers every request `200 text/plain ok`;
   * 'hold' keeps the connection open and never sends anything; 'close' ends it at once.
   */
  onSecure?: 'http2-ok' | 'hold' | 'close';
  /** 'TLSv1.3' refuses TLS 1.2, where the CertificateRequest (and its CA names) would travel in clear. */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** With requestClientCert: accept clients without a certificate, hang up (no alert) on one that does not verify. */
  dropUnverifiedCert?: boolean;
}

export interface TlsHandshake {
  alpnProtocol: string | false;
  servername: string | false;
  authorized: boolean;
  authorizationError?: string;
  /** Subject of the client certificate, when one was presented. */
  clientCertSubject?: string;
}

export interface TlsServer extends LoopbackServer {
  /** One entry per completed server-side handshake. */
  handshakes: TlsHandshake[];
  /** Messages of handshakes that failed on the server side (tlsClientError). */
  tlsErrors: string[];
  connectionCount(): number;
}

export async function startTlsServer(opts: TlsServerOptions): Promise<TlsServer> {
  const onSecure = opts.onSecure ?? 'http2-ok';
  const alpn = opts.alpn ?? ['h2'];
  const wantsClientCert = (opts.requestClientCert ?? false) || (opts.requireClientCert ?? false);
  const handshakes: TlsHandshake[] = [];
  const tlsErrors: string[] = [];

  const server = createTlsServer({
    cert: opts.cert.certPem,
    key: opts.cert.keyPem,
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    requestCert: wantsClientCert,
    rejectUnauthorized: opts.requireClientCert ?? false,
    ...(opts.minVersion ? { minVersion: opts.minVersion } : {}),
    ...(alpn === 'none' ? {} : { ALPNProtocols: alpn }),
  });

  // A plaintext HTTP/2 server fed the already-decrypted TLS sockets: keeps ALPN and cert policy in node:tls's hands.
  const { http2, destroySessions } = createOkHttp2Server();

  server.on('tlsClientError', (error: Error) => tlsErrors.push(error.message));
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.on('error', () => {});
    const peer = wantsClientCert ? socket.getPeerCertificate() : undefined;
    const commonName = peer && Object.keys(peer).length > 0 ? peer.subject?.CN : undefined;
    const clientCertSubject = Array.isArray(commonName) ? commonName.join(',') : commonName;
    handshakes.push({
      alpnProtocol: socket.alpnProtocol ?? false,
      servername: (socket as TLSSocket & { servername?: string | false }).servername ?? false,
      authorized: socket.authorized,
      ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
      ...(clientCertSubject !== undefined ? { clientCertSubject } : {}),
    });
    if (opts.dropUnverifiedCert && clientCertSubject !== undefined && !socket.authorized) socket.destroy();
    else if (onSecure === 'close') socket.end();
    else if (onSecure === 'http2-ok') http2.emit('connection', socket);
    else socket.pause();
  });

  const loopback = await serveLoopback(server, destroySessions);
  return { ...loopback, handshakes, tlsErrors };
}
