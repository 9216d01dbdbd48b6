import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { connect as connectHttp2 } from 'node:http2';
import { createTestPki, type TestPki } from '../support/pki.js';
import { startTemporalFrontend, type TemporalFrontend } from '../support/servers/temporal-frontend.js';
import { startHaproxy } from '../support/thirdparty/haproxy.js';

let pki: TestPki;
let frontend: TemporalFrontend;
beforeAll(async () => {
  pki = await createTestPki();
  frontend = await startTemporalFrontend();
});
afterAll(() => frontend.close());

function grpcStatus(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(`https://localhost:${port}`, { ca: pki.ca.certPem });
    session.on('error', reject);
    const request = session.request({
      ':method': 'POST',
      ':path': '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let status = '';
    request.on('response', (headers) => (status = String(headers[':status'])));
    request.on('trailers', (trailers) => (status += ` grpc-status ${String(trailers['grpc-status'])}`));
    request.on('close', () => {
      session.destroy();
      resolve(status);
    });
    request.on('error', reject);
    request.end(Buffer.alloc(5));
    request.resume();
  });
}

describe('startHaproxy', () => {
  it('terminates TLS with ALPN h2 and forwards gRPC to an h2 backend, then stops', async () => {
    const haproxy = await startHaproxy({ backend: frontend.address, mode: 'http', tls: pki.server });
    try {
      expect(await grpcStatus(haproxy.port)).toBe('200 grpc-status 0');
    } finally {
      await haproxy.close();
    }
  });
});
