import { describe, expect, it } from '@jest/globals';
import {
  classifyCodecAnswer,
  describePayload,
  payloadsBody,
  probePayload,
  samePayload,
} from '../../../src/knowledge/codec-protocol.js';

const json = (body: unknown, status = 200) => ({ status, contentType: 'application/json', body: JSON.stringify(body) });

describe('classifyCodecAnswer', () => {
  it('accepts a payloads array', () => {
    const payloads = [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'Ingi' }];
    expect(classifyCodecAnswer(json({ payloads }))).toEqual({ kind: 'ok', payloads });
  });

  it('accepts {} for an empty request: proto3 JSON leaves out empty repeated fields', () => {
    expect(classifyCodecAnswer(json({}))).toEqual({ kind: 'ok', payloads: [] });
  });

  it.each([
    [401, { kind: 'auth', status: 401 }],
    [403, { kind: 'auth', status: 403 }],
    [404, { kind: 'not-found' }],
    [405, { kind: 'method-not-allowed' }],
    [500, { kind: 'server-error', status: 500 }],
    [503, { kind: 'server-error', status: 503 }],
    [302, { kind: 'unexpected-status', status: 302 }],
    [400, { kind: 'unexpected-status', status: 400 }],
  ])('reads status %i as %j whatever the body', (status, expected) => {
    expect(classifyCodecAnswer(json({ payloads: [] }, status))).toEqual(expected);
  });

  it('recognises an HTML page by its content type or its first tag', () => {
    expect(classifyCodecAnswer({ status: 200, contentType: 'text/html; charset=utf-8', body: '{}' })).toEqual({
      kind: 'html',
    });
    expect(classifyCodecAnswer({ status: 200, body: '\n  <!DOCTYPE html><html></html>' })).toEqual({ kind: 'html' });
  });

  it('reports a body that is not JSON', () => {
    expect(classifyCodecAnswer({ status: 200, contentType: 'application/json', body: 'ok' })).toEqual({
      kind: 'not-json',
    });
  });

  it.each([
    [{ result: [] }, ['result']],
    [{ payloads: 'none' }, ['payloads']],
    [{ payloads: [{ data: 42 }] }, ['payloads']],
    [{ payloads: [{ metadata: { encoding: 1 } }] }, ['payloads']],
    [[1, 2], []],
    [null, []],
  ])('reports %j as JSON without a payloads array', (body, keys) => {
    expect(classifyCodecAnswer(json(body))).toEqual({ kind: 'no-payloads', keys });
  });
});

describe('payloads', () => {
  it('builds a json/plain probe payload and the request body', () => {
    const payload = probePayload('hi');
    expect(Buffer.from(payload.metadata?.encoding ?? '', 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(payload.data ?? '', 'base64').toString()).toBe('"hi"');
    expect(JSON.parse(payloadsBody([payload]))).toEqual({ payloads: [payload] });
  });

  it('compares payloads by their bytes, not their base64 spelling', () => {
    const a = { metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'IngiCg==' };
    expect(samePayload(a, { metadata: { encoding: 'anNvbi9wbGFpbg' }, data: 'IngiCg' })).toBe(true);
    expect(samePayload(a, { ...a, data: 'InkiCg==' })).toBe(false);
    expect(samePayload(a, { data: a.data })).toBe(false);
    expect(samePayload(a, { ...a, metadata: { ...a.metadata, extra: 'eA==' } })).toBe(false);
  });

  it('describes a payload by its encoding and size only', () => {
    expect(describePayload(probePayload('secret text'))).toBe('encoding json/plain, 13 bytes of data');
    expect(describePayload({})).toBe('encoding none, 0 bytes of data');
  });
});
