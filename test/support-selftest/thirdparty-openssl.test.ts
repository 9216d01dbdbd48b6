import { describe, expect, it } from '@jest/globals';
import { connect } from 'node:tls';
import { createTestPki } from '../support/pki.js';
import { startOpensslServer } from '../support/thirdparty/openssl-server.js';

function handshake(port: number, options: { ca: string; cert?: string; key?: string }): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ALPNProtocols: ['h2'], ...options });
    socket.once('secureConnect', () => {
      const protocol = `${socket.getProtocol() ?? '?'} ${String(socket.alpnProtocol)}`;
      socket.destroy();
      resolve(protocol);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('startOpensslServer', () => {
  it('runs s_server pinned to TLS 1.2 with a required client certificate, and stops it', async () => {
    const pki = await createTestPki();
    const server = await startOpensslServer({
      cert: pki.server,
      clientCaPem: pki.ca.certPem,
      clientCert: 'require',
      version: 'tls1_2',
    });
    try {
      expect(await handshake(server.port, { ca: pki.ca.certPem })).toBe('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE');
      expect(
        await handshake(server.port, { ca: pki.ca.certPem, cert: pki.client.certPem, key: pki.client.keyPem })
      ).toBe('TLSv1.2 h2');
    } finally {
      await server.close();
    }
  });
});
