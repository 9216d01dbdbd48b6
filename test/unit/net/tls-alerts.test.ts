import { describe, expect, it } from '@jest/globals';
import { receivedAlert } from '../../../src/net/tls-alerts.js';
import { guessPeer, httpStatusLine } from '../../../src/net/peer-bytes.js';

// Texts as Node 20 / OpenSSL 3 report received alerts; if these fail after a Node upgrade, revisit tls-alerts.ts.
function opensslError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('receivedAlert', () => {
  it.each([
    [
      'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
      'error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 116',
      116,
      'certificate required',
    ],
    [
      'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL',
      'error:0A000460:SSL routines:ssl3_read_bytes:tlsv1 alert no application protocol:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:1601:SSL alert number 120',
      120,
      'no application protocol',
    ],
    [
      'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE',
      'error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:ssl/record/rec_layer_s3.c:1605:SSL alert number 42',
      42,
      'bad certificate',
    ],
    [
      'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
      'error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:ssl/record/rec_layer_s3.c:1605:SSL alert number 48',
      48,
      'unknown ca',
    ],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'sslv3 alert certificate expired', 45, 'certificate expired'],
  ])('reads %s as alert %d', (code, message, number, name) => {
    expect(receivedAlert(opensslError(code, message))).toEqual({ number, name });
  });

  it.each([
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'error:0A00010B:SSL routines:ssl3_get_record:wrong version number'],
    ['ECONNRESET', 'read ECONNRESET'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'],
  ])('finds no alert in %s', (code, message) => {
    expect(receivedAlert(opensslError(code, message))).toBeUndefined();
  });
});

describe('guessPeer', () => {
  it.each([
    [Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a]), 'tls'],
    [Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02]), 'tls'],
    [Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), 'http1'],
    [Buffer.from([0x00, 0x00, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00]), 'http2'],
    [Buffer.from([0x00, 0x01, 0x02, 0x03]), 'unknown'],
    [Buffer.alloc(0), undefined],
  ])('reads %j as %s', (bytes, guess) => {
    expect(guessPeer(bytes)).toBe(guess);
  });

  it('extracts the HTTP status line', () => {
    expect(httpStatusLine(Buffer.from('HTTP/1.0 403 Forbidden\r\nContent-Length: 0\r\n\r\n'))).toBe(
      'HTTP/1.0 403 Forbidden'
    );
  });
});
