import { describe, expect, it } from '@jest/globals';
import {
  allowsOrigin,
  evaluatePreflight,
  missingAllowedHeaders,
  webUiRequestHeaders,
  wildcardWithCredentials,
} from '../../../src/knowledge/codec-cors.js';

const ORIGIN = 'http://localhost:8233';
const PLAIN = webUiRequestHeaders(false);
const WITH_AUTH = webUiRequestHeaders(true);

describe('webUiRequestHeaders', () => {
  it('lists the non-safelisted headers the Web UI sends, with authorization only when auth is set', () => {
    expect(PLAIN).toEqual(['content-type', 'x-namespace']);
    expect(WITH_AUTH).toEqual(['content-type', 'x-namespace', 'authorization']);
  });
});

describe('evaluatePreflight', () => {
  it('allows what the samples-typescript codec server answers (cors with allowedHeaders)', () => {
    const headers = {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
      'access-control-allow-headers': 'x-namespace,content-type',
    };
    expect(evaluatePreflight(ORIGIN, PLAIN, 204, headers)).toEqual([]);
  });

  it('reports both the origin and the headers when a server sends no CORS at all', () => {
    expect(evaluatePreflight(ORIGIN, PLAIN, 200, {})).toEqual([
      { rule: 'allow-origin', origin: ORIGIN },
      { rule: 'allow-headers', missing: ['content-type', 'x-namespace'] },
    ]);
  });

  it('reports a non-2xx preflight', () => {
    const headers = {
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-headers': 'content-type, x-namespace',
    };
    expect(evaluatePreflight(ORIGIN, PLAIN, 401, headers)).toEqual([{ rule: 'preflight-status', status: 401 }]);
  });

  it('needs no Allow-Methods: POST is a CORS-safelisted method', () => {
    const headers = {
      'access-control-allow-origin': ORIGIN,
      'access-control-allow-headers': 'content-type,x-namespace',
      'access-control-allow-methods': 'GET',
    };
    expect(evaluatePreflight(ORIGIN, PLAIN, 204, headers)).toEqual([]);
  });

  it('reports an origin that is not the Web UI, with what the server said', () => {
    const headers = { 'access-control-allow-origin': 'https://other.example', 'access-control-allow-headers': '*' };
    expect(evaluatePreflight(ORIGIN, PLAIN, 204, headers)).toEqual([
      { rule: 'allow-origin', origin: ORIGIN, got: 'https://other.example' },
    ]);
  });
});

describe('allowsOrigin', () => {
  it.each([
    [{ 'access-control-allow-origin': '*' }, true],
    [{ 'access-control-allow-origin': ORIGIN }, true],
    [{ 'access-control-allow-origin': ` ${ORIGIN} ` }, true],
    [{ 'access-control-allow-origin': `${ORIGIN}/` }, false],
    [{ 'access-control-allow-origin': 'http://localhost:3000' }, false],
    [{ 'access-control-allow-origin': `${ORIGIN}, https://cloud.temporal.io` }, false],
    [{ 'access-control-allow-origin': [ORIGIN, ORIGIN] }, false],
    [{ 'access-control-allow-origin': [ORIGIN] }, true],
    [{}, false],
  ])('%j → %s', (headers, expected) => {
    expect(allowsOrigin(ORIGIN, headers)).toBe(expected);
  });
});

describe('missingAllowedHeaders', () => {
  it('compares names case-insensitively', () => {
    expect(missingAllowedHeaders(PLAIN, { 'access-control-allow-headers': 'Content-Type, X-Namespace' })).toEqual([]);
  });

  it('names exactly the headers that are missing', () => {
    expect(missingAllowedHeaders(WITH_AUTH, { 'access-control-allow-headers': 'content-type' })).toEqual([
      'x-namespace',
      'authorization',
    ]);
  });

  it('lets * cover every header except authorization', () => {
    expect(missingAllowedHeaders(WITH_AUTH, { 'access-control-allow-headers': '*' })).toEqual(['authorization']);
    expect(missingAllowedHeaders(WITH_AUTH, { 'access-control-allow-headers': '*, Authorization' })).toEqual([]);
  });
});

describe('wildcardWithCredentials', () => {
  it('names the headers that answer * while credentials are allowed', () => {
    const headers = {
      'access-control-allow-credentials': 'true',
      'access-control-allow-origin': '*',
      'access-control-allow-headers': '*',
    };
    expect(wildcardWithCredentials(headers)).toEqual(['Access-Control-Allow-Origin', 'Access-Control-Allow-Headers']);
  });

  it('says nothing when credentials are not allowed or the origin is echoed', () => {
    expect(wildcardWithCredentials({ 'access-control-allow-origin': '*' })).toEqual([]);
    expect(
      wildcardWithCredentials({ 'access-control-allow-credentials': 'true', 'access-control-allow-origin': ORIGIN })
    ).toEqual([]);
  });
});
