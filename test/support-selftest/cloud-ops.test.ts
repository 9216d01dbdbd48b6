import { beforeAll, describe, expect, it } from '@jest/globals';
import * as grpc from '@grpc/grpc-js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { closeAfterAll } from '../support/close-after-all.js';
import { startCloudOps, type CloudOpsServer } from '../support/servers/cloud-ops.js';
import { openOpsClient } from '../../src/stages/cloud/ops-api.js';
import { Secret } from '../../src/text/secret.js';

const KEY = 'tdk-cloud-ops-selftest';
let pki: TestPki;
let ops: CloudOpsServer;
const track = closeAfterAll();

beforeAll(async () => {
  pki = await createTestPki();
  ops = await track(
    startCloudOps({
      tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem },
      apiKey: KEY,
      namespaces: [
        { namespace: 'myns.acct12', acceptedCaPem: pki.ca.certPem, certificateFilters: [{ commonName: 'w-*' }] },
        { namespace: 'other.acct12' },
      ],
      denied: ['other.acct12'],
    })
  );
});

function client(key: string) {
  return openOpsClient({
    address: `localhost:${ops.port}`,
    apiKey: new Secret(key),
    caPem: pki.ca.certPem,
    signal: new AbortController().signal,
    callTimeoutMs: 3000,
  });
}

describe('the Cloud Ops API stand-in', () => {
  it('answers GetNamespace over TLS with the namespace, its CA bundle as PEM bytes, and records the headers', async () => {
    const c = await client(KEY);
    const answer = await c.getNamespace('myns.acct12');
    c.close();
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    const mtls = (answer.value.spec as { mtlsAuth: { acceptedClientCa: Uint8Array; certificateFilters: unknown[] } })
      .mtlsAuth;
    expect(Buffer.from(mtls.acceptedClientCa).toString('utf8')).toBe(pki.ca.certPem);
    expect(mtls.certificateFilters).toEqual([{ commonName: 'w-*' }]);
    expect(answer.value.state).toBe('RESOURCE_STATE_ACTIVE');
    const call = ops.calls.at(-1);
    expect(call).toMatchObject({ method: 'GetNamespace', authorization: 'present', authorizedWithKnownKey: true });
    expect(call?.apiVersion).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it('refuses an unknown key, a namespace the key may not read, and one outside the account, by status code', async () => {
    const stranger = await client('tdk-not-known');
    const unauthenticated = await stranger.getNamespace('myns.acct12');
    stranger.close();
    expect(unauthenticated).toMatchObject({ ok: false, failure: { codeName: 'UNAUTHENTICATED' } });
    const c = await client(KEY);
    expect(await c.getNamespace('other.acct12')).toMatchObject({
      ok: false,
      failure: { codeName: 'PERMISSION_DENIED' },
    });
    expect(await c.getNamespace('gone.acct12')).toMatchObject({ ok: false, failure: { codeName: 'NOT_FOUND' } });
    expect(await c.listNamespaceNames('')).toEqual({ ok: true, value: { names: ['myns.acct12'], nextPageToken: '' } });
    c.close();
  });

  it('refuses a call without the API version header', async () => {
    const raw = new grpc.Client(`localhost:${ops.port}`, grpc.credentials.createSsl(Buffer.from(pki.ca.certPem)));
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${KEY}`);
    const error = await new Promise<grpc.ServiceError | null>((resolve) =>
      raw.makeUnaryRequest(
        '/temporal.api.cloud.cloudservice.v1.CloudService/GetNamespace',
        () => Buffer.alloc(0),
        (b: Buffer) => b,
        {},
        metadata,
        { deadline: Date.now() + 3000 },
        (err) => resolve(err)
      )
    );
    raw.close();
    expect(error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(error?.details).toContain('temporal-cloud-api-version');
  });
});
