import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { Resolver } from 'node:dns/promises';
import { connect as connectHttp2 } from 'node:http2';
import type { ClientHttp2Session, IncomingHttpHeaders } from 'node:http2';
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import { createTestPki } from '../support/pki.js';
import type { TestPki } from '../support/pki.js';
import { closeAfterAll } from '../support/close-after-all.js';
import {
  refusedPort,
  startDnsServer,
  startDripServer,
  startHttp1Server,
  startHttp2NonGrpcServer,
  startRandomBytesServer,
  startResetServer,
  startSilentServer,
  startTlsServer,
  startTlsStallServer,
} from '../support/servers/index.js';
import type { DnsServer } from '../support/servers/index.js';

const WAIT_MS = 2_000;

function bounded<T>(promise: Promise<T>, label: string, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: no outcome within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Observed {
  data: Buffer;
  ended: boolean;
  error?: NodeJS.ErrnoException;
}

/** Everything a socket yields until it closes or `ms` pass; the socket is destroyed afterwards. */
function observe(socket: Socket, ms: number): Promise<Observed> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const observed: Observed = { data: Buffer.alloc(0), ended: false };
    const finish = (): void => {
      clearTimeout(timer);
      observed.data = Buffer.concat(chunks);
      socket.destroy();
      resolve(observed);
    };
    const timer = setTimeout(finish, ms);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      observed.error = error;
    });
    socket.on('end', () => {
      observed.ended = true;
    });
    socket.once('close', finish);
  });
}

function openTcp(port: number): Promise<Socket> {
  return bounded(
    new Promise((resolve, reject) => {
      const socket = connectTcp({ host: '127.0.0.1', port }, () => resolve(socket));
      socket.once('error', reject);
    }),
    'tcp connect'
  );
}

function openTls(options: ConnectionOptions): Promise<TLSSocket> {
  return bounded(
    new Promise((resolve, reject) => {
      const socket = connectTls({ host: '127.0.0.1', servername: 'localhost', ...options }, () => resolve(socket));
      socket.once('error', reject);
    }),
    'tls connect'
  );
}

/** Resolves with the first error a TLS client sees (during or after the handshake), or fails the wait. */
function tlsFailure(options: ConnectionOptions): Promise<NodeJS.ErrnoException> {
  return bounded(
    new Promise((resolve) => {
      const socket = connectTls({ host: '127.0.0.1', servername: 'localhost', ...options });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.destroy();
        resolve(error);
      });
      socket.resume();
    }),
    'tls failure'
  );
}

/** Polls until `condition` holds: the server side of a TLS 1.3 handshake completes after the client's. */
function until(condition: () => boolean, label: string, ms = WAIT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error(`${label}: not reached within ${ms} ms`));
      else setTimeout(check, 5);
    };
    check();
  });
}

async function http2Get(session: ClientHttp2Session): Promise<{ headers: IncomingHttpHeaders; body: string }> {
  return bounded(
    new Promise<{ headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      session.once('error', reject);
      const request = session.request({ ':path': '/' });
      let headers: IncomingHttpHeaders = {};
      let body = '';
      request.setEncoding('utf8');
      request.on('response', (received) => {
        headers = received;
      });
      request.on('data', (chunk: string) => {
        body += chunk;
      });
      request.on('end', () => resolve({ headers, body }));
      request.on('error', reject);
      request.end();
    }),
    'http2 request'
  ).finally(() => session.destroy());
}

describe('startDnsServer', () => {
  let dns: DnsServer;
  let resolver: Resolver;
  let impatient: Resolver;
  beforeAll(async () => {
    dns = await startDnsServer({
      'ns1.acct.tmprl.cloud': { A: ['127.0.0.1'], AAAA: ['::1'] },
      'alias.example.test': { CNAME: 'middle.example.test' },
      'middle.example.test': { CNAME: 'target.example.test' },
      'target.example.test': { A: ['127.0.3.3'] },
      'gone.example.test': { rcode: 'NXDOMAIN' },
      'broken.example.test': { rcode: 'SERVFAIL' },
      'empty.example.test': {},
      'slow.example.test': { silent: true },
    });
    // Answers may be slow under parallel workers on a busy machine (300 ms was missed): wait up to 5 s for them. Only
    // the silent entry, which never answers, is asked with the short timeout.
    resolver = new Resolver({ timeout: 5000, tries: 1 });
    resolver.setServers([dns.server]);
    impatient = new Resolver({ timeout: 300, tries: 1 });
    impatient.setServers([dns.server]);
  });
  afterAll(() => dns.close());

  it('answers A and AAAA records for a zone name and records the question', async () => {
    await expect(resolver.resolve4('NS1.acct.tmprl.cloud')).resolves.toEqual(['127.0.0.1']);
    await expect(resolver.resolve6('ns1.acct.tmprl.cloud')).resolves.toEqual(['::1']);
    expect(dns.queries).toContain('ns1.acct.tmprl.cloud');
    expect(dns.questions).toEqual(expect.arrayContaining([{ name: 'ns1.acct.tmprl.cloud', type: 'AAAA' }]));
  });

  it('flattens a CNAME chain so resolve4 gets the target address', async () => {
    await expect(resolver.resolve4('alias.example.test')).resolves.toEqual(['127.0.3.3']);
    await expect(resolver.resolveCname('alias.example.test')).resolves.toEqual(['middle.example.test']);
  });

  it('answers NXDOMAIN for names outside the zone and for NXDOMAIN entries', async () => {
    await expect(resolver.resolve4('unknown.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('gone.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('answers SERVFAIL when the entry says so', async () => {
    await expect(resolver.resolve4('broken.example.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
  });

  it('answers an empty NOERROR for a name without records of the asked type', async () => {
    await expect(resolver.resolve4('empty.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve6('target.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('never answers a silent entry, so the resolver times out', async () => {
    await expect(impatient.resolve4('slow.example.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(dns.queries).toContain('slow.example.test');
  });
});

describe('startTlsServer', () => {
  let pki: TestPki;
  const track = closeAfterAll();
  beforeAll(async () => {
    pki = await createTestPki();
  });
  function tlsServer(
    options: Omit<Parameters<typeof startTlsServer>[0], 'cert'> = {}
  ): ReturnType<typeof startTlsServer> {
    return track(startTlsServer({ cert: pki.server, ...options }));
  }

  it('presents the server certificate and negotiates h2 by default', async () => {
    const server = await tlsServer();
    const socket = await openTls({ port: server.port, ca: pki.ca.certPem, ALPNProtocols: ['h2', 'http/1.1'] });
    expect(socket.authorized).toBe(true);
    expect(socket.alpnProtocol).toBe('h2');
    expect(socket.getPeerX509Certificate()?.fingerprint256).toBe(pki.server.cert.fingerprint256);
    await until(() => server.handshakes.length > 0, 'server handshake');
    socket.destroy();
    expect(server.address).toBe(`127.0.0.1:${server.port}`);
    expect(server.handshakes[0]).toMatchObject({ alpnProtocol: 'h2', servername: 'localhost' });
  });

  it('offers no ALPN protocol when alpn is none', async () => {
    const server = await tlsServer({ alpn: 'none', onSecure: 'hold' });
    const socket = await openTls({ port: server.port, ca: pki.ca.certPem, ALPNProtocols: ['h2'] });
    expect(socket.alpnProtocol).toBe(false);
    socket.destroy();
  });

  it('answers HTTP/2 requests with 200 ok after the handshake', async () => {
    const server = await tlsServer();
    const session = connectHttp2(`https://127.0.0.1:${server.port}`, { ca: pki.ca.certPem, servername: 'localhost' });
    const { headers, body } = await http2Get(session);
    expect(headers[':status']).toBe(200);
    expect(body).toBe('ok');
  });

  it('ends the connection right after the handshake with onSecure close', async () => {
    const server = await tlsServer({ onSecure: 'close' });
    const socket = await openTls({ port: server.port, ca: pki.ca.certPem });
    const observed = await observe(socket, WAIT_MS);
    expect(observed.ended).toBe(true);
    expect(observed.data.length).toBe(0);
  });

  it('rejects a client without a certificate when one is required, with a TLS 1.3 alert', async () => {
    const server = await tlsServer({ ca: pki.ca.certPem, requireClientCert: true });
    const error = await tlsFailure({ port: server.port, ca: pki.ca.certPem });
    expect(error.code).toBe('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED');
  });

  // node:tls checks the chain after the handshake and just drops the connection: no alert
  // (docs/research/middleboxes.md#client-certificate-rejection).
  it('hangs up without an alert on a client certificate from an unrelated CA when one is required', async () => {
    const server = await tlsServer({ ca: pki.ca.certPem, requireClientCert: true });
    const socket = await openTls({
      port: server.port,
      ca: pki.ca.certPem,
      cert: pki.otherClient.certPem,
      key: pki.otherClient.keyPem,
    });
    const observed = await observe(socket, WAIT_MS);
    expect(observed.ended || observed.error?.code === 'ECONNRESET').toBe(true);
    expect(observed.error?.code ?? '').not.toMatch(/^ERR_SSL_/);
    expect(observed.data.length).toBe(0);
    await until(() => server.tlsErrors.length > 0, 'server-side rejection');
    expect(server.handshakes).toHaveLength(0);
  });

  it('accepts a client certificate issued by the trusted CA and records who it was', async () => {
    const server = await tlsServer({ ca: pki.ca.certPem, requireClientCert: true });
    const session = connectHttp2(`https://127.0.0.1:${server.port}`, {
      ca: pki.ca.certPem,
      servername: 'localhost',
      cert: pki.client.certPem,
      key: pki.client.keyPem,
    });
    const { headers } = await http2Get(session);
    expect(headers[':status']).toBe(200);
    expect(server.handshakes[0]).toMatchObject({ authorized: true, clientCertSubject: 'test-client' });
  });

  it('lets a client without a certificate in when the certificate is only requested', async () => {
    const server = await tlsServer({ ca: pki.ca.certPem, requestClientCert: true, onSecure: 'hold' });
    const socket = await openTls({ port: server.port, ca: pki.ca.certPem });
    const observed = await observe(socket, 200);
    expect(observed.error).toBeUndefined();
    expect(observed.ended).toBe(false);
    await until(() => server.handshakes.length > 0, 'server handshake');
    expect(server.handshakes[0]).toMatchObject({ authorized: false });
    expect(server.handshakes[0]?.clientCertSubject).toBeUndefined();
  });

  it('destroys open connections on close', async () => {
    const server = await startTlsServer({ cert: pki.server, onSecure: 'hold' });
    const socket = await openTls({ port: server.port, ca: pki.ca.certPem });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    await bounded(server.close(), 'server close');
    await bounded(closed, 'client sees close');
  });
});

describe('hostile servers', () => {
  let pki: TestPki;
  const started = closeAfterAll();
  beforeAll(async () => {
    pki = await createTestPki();
  });

  it('silent server accepts the connection and never sends a byte', async () => {
    const server = await started(startSilentServer());
    const socket = await openTcp(server.port);
    socket.write('hello?');
    const observed = await observe(socket, 300);
    expect(observed.ended).toBe(false);
    expect(observed.error).toBeUndefined();
    expect(observed.data.length).toBe(0);
    expect(server.connectionCount()).toBe(1);
  });

  it('random-bytes server sends garbage at once, which a TLS client cannot parse', async () => {
    const server = await started(startRandomBytesServer());
    const observed = await observe(await openTcp(server.port), 300);
    expect(observed.data.length).toBe(1024);
    const error = await tlsFailure({ port: server.port });
    expect(error.code).toMatch(/^ERR_SSL_/);
  });

  it('reset server aborts the connection with ECONNRESET', async () => {
    const server = await started(startResetServer());
    const socket = connectTcp({ host: '127.0.0.1', port: server.port });
    const observed = await observe(socket, WAIT_MS);
    expect(observed.error?.code).toBe('ECONNRESET');
  });

  it('HTTP/1.1 server answers any bytes with a 200 HTML page and closes', async () => {
    const server = await started(startHttp1Server());
    const socket = await openTcp(server.port);
    socket.write('\x16\x03\x01 not really a ClientHello');
    const observed = await observe(socket, WAIT_MS);
    const text = observed.data.toString('utf8');
    expect(text.startsWith('HTTP/1.1 200 OK\r\n')).toBe(true);
    expect(text).toContain('<html>');
    expect(observed.ended).toBe(true);
  });

  it('HTTP/2 non-gRPC server answers 200 text/html over cleartext HTTP/2', async () => {
    const server = await started(startHttp2NonGrpcServer());
    const { headers, body } = await http2Get(connectHttp2(`http://127.0.0.1:${server.port}`));
    expect(headers[':status']).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/html/);
    expect(headers['grpc-status']).toBeUndefined();
    expect(body).toContain('<html>');
  });

  it('drip server sends one byte per interval', async () => {
    const server = await started(startDripServer({ intervalMs: 40 }));
    const socket = await openTcp(server.port);
    const sizes: number[] = [];
    socket.on('data', (chunk: Buffer) => sizes.push(chunk.length));
    await observe(socket, 300);
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    expect(sizes.every((size) => size === 1)).toBe(true);
  });

  it('TLS stall server completes the handshake with h2 and then says nothing', async () => {
    const server = await started(startTlsStallServer(pki.server));
    const socket = await openTls({ port: server.port, ca: pki.ca.certPem, ALPNProtocols: ['h2'] });
    expect(socket.authorized).toBe(true);
    expect(socket.alpnProtocol).toBe('h2');
    socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
    const observed = await observe(socket, 300);
    expect(observed.ended).toBe(false);
    expect(observed.error).toBeUndefined();
    expect(observed.data.length).toBe(0);
  });

  it('refusedPort gives a loopback port that refuses connections', async () => {
    const port = await refusedPort();
    await expect(openTcp(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('close destroys connections still open on a hostile server', async () => {
    const server = await startDripServer({ intervalMs: 20 });
    const socket = await openTcp(server.port);
    socket.on('error', () => {});
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await bounded(server.close(), 'server close');
    await bounded(closed, 'client sees close');
  });
});
