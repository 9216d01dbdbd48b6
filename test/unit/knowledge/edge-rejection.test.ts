import { describe, expect, it } from '@jest/globals';
import { bodyExcerpt, classifyHttpAnswer, rejectionStage } from '../../../src/knowledge/edge-rejection.js';

// nginx 1.22's pages, as it sends them (test/integration/edge-nginx.test.ts reads them from a live nginx).
const page = (title: string, line?: string): Buffer =>
  Buffer.from(
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title.replace(/^(\d+) .*/, '$1 Bad Request')}</h1></center>\r\n${line ? `<center>${line}</center>\r\n` : ''}<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n`
  );

describe('classifyHttpAnswer', () => {
  it('reads nginx 400 pages about the client certificate as tls rejections, quoting the title', () => {
    const missing = classifyHttpAnswer({
      status: 400,
      contentType: 'text/html',
      body: page('400 No required SSL certificate was sent', 'No required SSL certificate was sent'),
    });
    expect(missing).toEqual({
      kind: 'client-cert-missing',
      status: 400,
      excerpt: '400 No required SSL certificate was sent',
    });
    const rejected = classifyHttpAnswer({
      status: 400,
      contentType: 'text/html',
      body: page('400 The SSL certificate error', 'The SSL certificate error'),
    });
    expect(rejected).toMatchObject({ kind: 'client-cert-rejected', excerpt: '400 The SSL certificate error' });
    expect(rejectionStage(missing)).toBe('tls');
    expect(rejectionStage(rejected)).toBe('tls');
  });

  it('tells gRPC answers (any grpc-status, trailers-only or not) from ingress pages', () => {
    expect(
      classifyHttpAnswer({ status: 200, contentType: 'application/grpc', grpcStatus: 16, body: Buffer.alloc(0) })
    ).toEqual({
      kind: 'grpc',
      grpcStatus: 16,
    });
    expect(classifyHttpAnswer({ status: 200, contentType: 'application/grpc+proto', body: Buffer.alloc(5) })).toEqual({
      kind: 'grpc',
    });
    expect(classifyHttpAnswer({ status: 200, contentType: 'text/plain', body: Buffer.from('ok') })).toMatchObject({
      kind: 'not-grpc',
      status: 200,
    });
  });

  it('maps 403, 502/503/504 and others to the grpc stage with the page title', () => {
    const forbidden = classifyHttpAnswer({ status: 403, body: page('403 Forbidden') });
    expect(forbidden).toEqual({ kind: 'forbidden', status: 403, excerpt: '403 Forbidden' });
    expect(classifyHttpAnswer({ status: 502, body: page('502 Bad Gateway') })).toMatchObject({ kind: 'no-backend' });
    expect(
      classifyHttpAnswer({
        status: 503,
        body: Buffer.from(
          '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n'
        ),
      })
    ).toEqual({
      kind: 'no-backend',
      status: 503,
      excerpt: '503 Service Unavailable No server is available to handle this request.',
    });
    expect(classifyHttpAnswer({ status: 404, body: Buffer.from('not found') })).toMatchObject({ kind: 'not-grpc' });
    expect(rejectionStage(forbidden)).toBe('grpc');
  });
});

describe('bodyExcerpt', () => {
  it('is one bounded, escape-free line whatever the server sends', () => {
    const hostile = Buffer.from(`<title>\u001b[31mred\u001b[0m ${'x'.repeat(5000)}</title>`);
    const excerpt = bodyExcerpt(hostile);
    expect(excerpt.length).toBeLessThanOrEqual(160);
    expect(excerpt).not.toContain('\u001b');
    expect(bodyExcerpt(Buffer.from('line one\r\nline two\u0000'))).toBe('line one line two');
    expect(bodyExcerpt(Buffer.from([0xff, 0xfe, 0x00, 0x41]))).not.toMatch(/[\u0000-\u001f]/);
    expect(bodyExcerpt(Buffer.alloc(0))).toBe('');
  });
});
