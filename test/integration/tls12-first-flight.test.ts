// The raw TLS 1.2 ClientHello against real `openssl s_server`: the CertificateRequest's CA names in clear under TLS 1.2,
// a protocol_version alert from a TLS 1.3-only server.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { probeTls12FirstFlight } from '../../src/net/tls12-hello.js';
import { certificateNames, nameText } from '../../src/knowledge/der-names.js';
import { createCa, issueCert, type Issued } from '../support/pki.js';
import { startOpensslServer } from '../support/thirdparty/openssl-server.js';
import { closeAfterAll } from '../support/close-after-all.js';

const serve = closeAfterAll();
let ca: Issued;
let server: Issued;
beforeAll(async () => {
  ca = await createCa({ commonName: 'Accepted Client CA' });
  server = await issueCert(ca, { commonName: 'localhost', dnsNames: ['localhost'] });
});

const bounds = () => ({ signal: new AbortController().signal, timeoutMs: 3000 });
const target = (port: number) => ({ address: '127.0.0.1', family: 4 as const, port, servername: 'localhost' });

describe('probeTls12FirstFlight', () => {
  it('reads the CA names a TLS 1.2 server accepts from its CertificateRequest', async () => {
    const openssl = await serve(
      startOpensslServer({ cert: server, clientCaPem: ca.certPem, clientCert: 'require', version: 'tls1_2' })
    );
    const flight = await probeTls12FirstFlight(target(openssl.port), bounds());
    if (flight.kind !== 'tls12' || !flight.requestsCertificate) throw new Error(JSON.stringify(flight));
    expect(flight.certificateAuthorities.map((name) => nameText(name))).toEqual(['CN=Accepted Client CA']);
    const names = certificateNames(new Uint8Array(ca.cert.raw));
    expect(Buffer.from(flight.certificateAuthorities[0] as Uint8Array).equals(Buffer.from(names?.subject ?? []))).toBe(
      true
    );
  });

  it('sees that a TLS 1.2 server asks for no certificate', async () => {
    const openssl = await serve(startOpensslServer({ cert: server, version: 'tls1_2' }));
    expect(await probeTls12FirstFlight(target(openssl.port), bounds())).toEqual({
      kind: 'tls12',
      requestsCertificate: false,
    });
  });

  it('gets protocol_version (70) from a TLS 1.3-only server', async () => {
    const openssl = await serve(
      startOpensslServer({ cert: server, clientCaPem: ca.certPem, clientCert: 'require', version: 'tls1_3' })
    );
    expect(await probeTls12FirstFlight(target(openssl.port), bounds())).toEqual({
      kind: 'alert',
      number: 70,
      name: 'protocol version',
    });
  });
});
