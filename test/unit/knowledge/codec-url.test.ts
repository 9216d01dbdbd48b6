import { describe, expect, it } from '@jest/globals';
import {
  analyzeCodecEndpoint,
  CLOUD_UI_ORIGIN,
  DEFAULT_UI_ORIGIN,
  isCloudAddress,
  isLoopbackHost,
  operationUrl,
  webUiOrigins,
} from '../../../src/knowledge/codec-url.js';

const LOCAL_UI = [DEFAULT_UI_ORIGIN];
const rules = (raw: string, origins: string[] = LOCAL_UI): string[] =>
  analyzeCodecEndpoint(raw, 'default', origins).issues.map((i) => i.rule);

describe('analyzeCodecEndpoint', () => {
  it.each([
    ['https://codec.example.com', 'https://codec.example.com', 443],
    ['https://codec.example.com/', 'https://codec.example.com', 443],
    ['http://localhost:8888', 'http://localhost:8888', 8888],
    ['https://codec.example.com:8443/team/codec/', 'https://codec.example.com:8443/team/codec', 8443],
    ['  http://[::1]:9000  ', 'http://[::1]:9000', 9000],
  ])('accepts %s as the base URL %s', (raw, base, port) => {
    const analysis = analyzeCodecEndpoint(raw, 'default', LOCAL_UI);
    expect(analysis.issues).toEqual([]);
    expect(analysis.endpoint?.base).toBe(base);
    expect(analysis.endpoint?.port).toBe(port);
  });

  it('expands {namespace} as the Web UI and CLI do', () => {
    const analysis = analyzeCodecEndpoint('https://codec.example.com/{namespace}', 'orders.a1b2c', LOCAL_UI);
    expect(analysis.expanded).toBe('https://codec.example.com/orders.a1b2c');
    expect(analysis.endpoint?.base).toBe('https://codec.example.com/orders.a1b2c');
  });

  it.each([
    ['https://codec.example.com/decode', '/decode', 'https://codec.example.com'],
    ['https://codec.example.com/codec/encode/', '/encode', 'https://codec.example.com/codec'],
    ['http://localhost:8888/DECODE', '/DECODE', 'http://localhost:8888'],
  ])('flags the operation suffix of %s and suggests the base URL', (raw, suffix, suggestion) => {
    const analysis = analyzeCodecEndpoint(raw, 'default', LOCAL_UI);
    expect(analysis.issues).toEqual([{ rule: 'operation-suffix', suffix, suggestion }]);
    expect(analysis.endpoint?.base).toBe(suggestion);
  });

  it('does not mistake a path that merely contains decode for the suffix', () => {
    expect(rules('https://codec.example.com/decoder')).toEqual([]);
  });

  it('flags a query or fragment and suggests the URL without it', () => {
    const analysis = analyzeCodecEndpoint('https://codec.example.com/x?ns=default#top', 'default', LOCAL_UI);
    expect(analysis.issues).toEqual([
      { rule: 'query-or-fragment', part: '?ns=default#top', suggestion: 'https://codec.example.com/x' },
    ]);
  });

  it.each([
    ['codec.example.com:8888', 'https://codec.example.com:8888'],
    ['localhost:8888', 'http://localhost:8888'],
    ['127.0.0.1:8888', 'http://127.0.0.1:8888'],
  ])('flags the missing scheme of %s and suggests %s', (raw, suggestion) => {
    const analysis = analyzeCodecEndpoint(raw, 'default', LOCAL_UI);
    expect(analysis.issues).toEqual([{ rule: 'scheme', suggestion }]);
    expect(analysis.endpoint).toBeUndefined();
  });

  it('flags a scheme other than http and https', () => {
    const analysis = analyzeCodecEndpoint('grpc://codec.example.com:7233', 'default', LOCAL_UI);
    expect(analysis.issues).toEqual([{ rule: 'scheme', scheme: 'grpc' }]);
    expect(analysis.endpoint).toBeUndefined();
  });

  it.each(['http://', 'https://exa mple.com', 'http://[::1'])('flags %s as invalid', (raw) => {
    expect(rules(raw)).toEqual(['invalid']);
  });

  it('flags credentials in the URL, keeps them out of the printable form and of the probed URL', () => {
    const analysis = analyzeCodecEndpoint('https://alice:hunter2@codec.example.com', 'default', LOCAL_UI);
    expect(analysis.issues).toEqual([{ rule: 'userinfo' }]);
    expect(analysis.expanded).toBe('https://[redacted]@codec.example.com');
    expect(analysis.endpoint?.base).toBe('https://codec.example.com');
    expect(JSON.stringify(analysis)).not.toContain('hunter2');
  });

  it('warns on plain http to a remote host, naming no https origin when the Web UI is on http', () => {
    expect(analyzeCodecEndpoint('http://codec.internal:8888', 'default', LOCAL_UI).issues).toEqual([
      { rule: 'mixed-content', httpsOrigins: [] },
    ]);
  });

  it('names the https Web UI origins that cannot call a plain-http remote codec server', () => {
    const analysis = analyzeCodecEndpoint('http://codec.internal:8888', 'default', [
      DEFAULT_UI_ORIGIN,
      CLOUD_UI_ORIGIN,
    ]);
    expect(analysis.issues).toEqual([{ rule: 'mixed-content', httpsOrigins: [CLOUD_UI_ORIGIN] }]);
  });

  it.each(['http://localhost:8888', 'http://127.0.0.1:8888', 'http://[::1]:8888', 'http://codec.localhost'])(
    'allows plain http to the loopback host of %s',
    (raw) => {
      expect(rules(raw, [CLOUD_UI_ORIGIN])).toEqual([]);
    }
  );
});

describe('operationUrl', () => {
  it('appends the operation to the base URL', () => {
    const endpoint = analyzeCodecEndpoint('https://codec.example.com/team/', 'default', LOCAL_UI).endpoint;
    if (!endpoint) throw new Error('no endpoint');
    expect(operationUrl(endpoint, 'decode')).toBe('https://codec.example.com/team/decode');
    expect(operationUrl(endpoint, 'encode')).toBe('https://codec.example.com/team/encode');
  });
});

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST.', true],
    ['app.localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['localhost.example.com', false],
    ['10.0.0.1', false],
    ['128.0.0.1', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('isCloudAddress', () => {
  it.each([
    ['my-ns.a1b2c.tmprl.cloud:7233', true],
    ['us-east-1.aws.api.temporal.io:7233', true],
    ['MY-NS.A1B2C.TMPRL.CLOUD', true],
    ['localhost:7233', false],
    ['tmprl.cloud.example.com:7233', false],
    ['[::1]:7233', false],
  ])('%s → %s', (address, expected) => {
    expect(isCloudAddress(address)).toBe(expected);
  });
});

describe('webUiOrigins', () => {
  it('uses the start-dev Web UI by default', () => {
    expect(webUiOrigins('localhost:7233', undefined)).toEqual({ origins: [DEFAULT_UI_ORIGIN] });
  });

  it('adds the Cloud Web UI for a Cloud address', () => {
    expect(webUiOrigins('my-ns.a1b2c.tmprl.cloud:7233', undefined)).toEqual({
      origins: [DEFAULT_UI_ORIGIN, CLOUD_UI_ORIGIN],
    });
  });

  it('reduces --ui-origin to its origin and does not repeat the Cloud UI', () => {
    expect(webUiOrigins('localhost:7233', 'https://temporal.example.com:8443/namespaces/x')).toEqual({
      origins: ['https://temporal.example.com:8443'],
    });
    expect(webUiOrigins('my-ns.a1b2c.tmprl.cloud:7233', 'https://cloud.temporal.io/')).toEqual({
      origins: [CLOUD_UI_ORIGIN],
    });
  });

  it.each(['localhost:8233', 'temporal.example.com', 'ftp://x.example.com'])(
    'reports %s as invalid and falls back to the default',
    (given) => {
      expect(webUiOrigins('localhost:7233', given)).toEqual({ origins: [DEFAULT_UI_ORIGIN], invalid: given });
    }
  );
});
