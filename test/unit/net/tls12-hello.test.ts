import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFirstFlight, tls12ClientHello } from '../../../src/net/tls12-hello.js';
import { nameText, certificateNames } from '../../../src/knowledge/der-names.js';

// DER of the Name "CN=Test CA": SEQUENCE { SET { SEQUENCE { OID 2.5.4.3, UTF8String "Test CA" } } }.
const TEST_CA_NAME = Buffer.from('3012311030' + '0e0603550403' + '0c0754657374204341', 'hex');

function record(type: number, body: Buffer): Buffer {
  const header = Buffer.from([type, 3, 3, 0, 0]);
  header.writeUInt16BE(body.length, 3);
  return Buffer.concat([header, body]);
}
function message(type: number, body: Buffer): Buffer {
  const header = Buffer.from([type, 0, 0, 0]);
  header.writeUIntBE(body.length, 1, 3);
  return Buffer.concat([header, body]);
}
const serverHello = message(2, Buffer.concat([Buffer.from([3, 3]), Buffer.alloc(36)]));
function certificateRequest(names: Buffer[]): Buffer {
  const list = Buffer.concat(names.map((n) => Buffer.concat([Buffer.from([n.length >> 8, n.length & 0xff]), n])));
  return message(13, Buffer.concat([Buffer.from([1, 1, 0, 2, 4, 3, list.length >> 8, list.length & 0xff]), list]));
}
const done = message(14, Buffer.alloc(0));

describe('tls12ClientHello', () => {
  it('is one handshake record offering TLS 1.2, SNI and ALPN h2', () => {
    const hello = tls12ClientHello('temporal.example');
    expect(hello[0]).toBe(22);
    expect(hello.readUInt16BE(3)).toBe(hello.length - 5);
    expect(hello[5]).toBe(1);
    expect(hello.subarray(9, 11)).toEqual(Buffer.from([3, 3]));
    expect(hello.includes(Buffer.from('temporal.example'))).toBe(true);
    expect(hello.includes(Buffer.from([0x00, 0x2b]))).toBe(false); // no supported_versions: TLS 1.3 is not offered
  });
});

describe('readFirstFlight', () => {
  it('reads the CA names, across records split anywhere', () => {
    const flight = Buffer.concat([serverHello, certificateRequest([TEST_CA_NAME]), done]);
    const whole = record(22, flight);
    expect(readFirstFlight(whole)).toEqual({
      kind: 'tls12',
      requestsCertificate: true,
      certificateAuthorities: [Uint8Array.from(TEST_CA_NAME)],
    });
    const split = Buffer.concat([record(22, flight.subarray(0, 7)), record(22, flight.subarray(7))]);
    expect(readFirstFlight(split)).toMatchObject({ kind: 'tls12', requestsCertificate: true });
    for (let cut = 0; cut < whole.length; cut++) expect(readFirstFlight(whole.subarray(0, cut))).toBeUndefined();
  });

  it('reads an empty CA list, no request, and alerts', () => {
    expect(readFirstFlight(record(22, Buffer.concat([serverHello, certificateRequest([]), done])))).toEqual({
      kind: 'tls12',
      requestsCertificate: true,
      certificateAuthorities: [],
    });
    expect(readFirstFlight(record(22, Buffer.concat([serverHello, done])))).toEqual({
      kind: 'tls12',
      requestsCertificate: false,
    });
    expect(readFirstFlight(record(21, Buffer.from([2, 70])))).toEqual({
      kind: 'alert',
      number: 70,
      name: 'protocol version',
    });
  });

  it('calls hostile input malformed, never throws, never reads past its bounds', () => {
    expect(readFirstFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toMatchObject({ kind: 'malformed' });
    const lying = message(13, Buffer.from([1, 1, 0, 2, 4, 3, 0xff, 0xff, 0, 1]));
    expect(readFirstFlight(record(22, Buffer.concat([serverHello, lying, done])))).toMatchObject({
      kind: 'malformed',
    });
    expect(readFirstFlight(record(22, Buffer.concat([done])))).toMatchObject({ kind: 'malformed' });
    for (let i = 0; i < 2000; i++) {
      const noise = Buffer.concat([Buffer.from([22, 3, 3]), randomBytes(1 + (i % 300))]);
      expect(() => readFirstFlight(noise)).not.toThrow();
    }
  });
});

describe('der names', () => {
  it('prints a Name and refuses garbage', () => {
    expect(nameText(TEST_CA_NAME)).toBe('CN=Test CA');
    expect(nameText(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff]))).toBeUndefined();
    expect(nameText(Buffer.alloc(0))).toBeUndefined();
    expect(certificateNames(Buffer.from([0x30, 0x03, 0x30, 0x01, 0x00]))).toBeUndefined();
    for (let i = 0; i < 2000; i++) {
      const noise = Buffer.concat([Buffer.from([0x30]), randomBytes(1 + (i % 100))]);
      expect(() => nameText(noise)).not.toThrow();
      expect(() => certificateNames(noise)).not.toThrow();
    }
  });
});
