// A raw TLS 1.2 ClientHello, and a reader of the server's first flight, to see what TLS 1.2 shows in clear: whether
// the server asks for a client certificate (CertificateRequest) and which CA names it accepts
// (certificate_authorities, RFC 5246 §7.4.4). Under TLS 1.3 that message is encrypted
// (docs/research/middleboxes.md#client-certificate-rejection). No keys are made: the probe stops reading at
// ServerHelloDone and hangs up. Everything read is bounded and length-checked; hostile bytes give 'malformed'.
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { tcpConnect } from './tcp-connect.js';
import { budget, type Bounds } from './deadline.js';
import { receivedAlertNumber } from './tls-alerts.js';

export type FirstFlight =
  /** The server went on with TLS 1.2 and reached ServerHelloDone. `certificateAuthorities` is empty when it names none. */
  | { kind: 'tls12'; requestsCertificate: false }
  | { kind: 'tls12'; requestsCertificate: true; certificateAuthorities: Uint8Array[] }
  /** The server refused TLS 1.2 (a TLS 1.3-only server answers protocol_version). */
  | { kind: 'alert'; number: number; name: string }
  | { kind: 'malformed'; why: string }
  | { kind: 'closed' | 'timeout' | 'unreachable'; why: string };

/** Enough for a long certificate chain and a list of CA names; a server sending more is not read further. */
export const FIRST_FLIGHT_MAX_BYTES = 256 * 1024;
const MAX_CA_NAMES = 200;

const HANDSHAKE = 22;
const ALERT = 21;
const SERVER_HELLO = 2;
const CERTIFICATE_REQUEST = 13;
const SERVER_HELLO_DONE = 14;

function u16(n: number): number[] {
  return [(n >> 8) & 0xff, n & 0xff];
}
function vector16(bytes: number[] | Buffer): number[] {
  return [...u16(bytes.length), ...bytes];
}
function extension(type: number, body: number[]): number[] {
  return [...u16(type), ...vector16(body)];
}

/** A ClientHello that offers TLS 1.2 only (no supported_versions), common AEAD suites, SNI and ALPN h2. */
export function tls12ClientHello(servername?: string): Buffer {
  const suites = [
    0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x009d, 0xc013, 0xc014, 0x002f, 0x0035,
  ].flatMap(u16);
  const name = servername ? Buffer.from(servername, 'ascii') : undefined;
  const extensions = [
    ...(name ? extension(0x0000, vector16([0, ...u16(name.length), ...name])) : []),
    ...extension(0x000a, vector16([0x001d, 0x0017, 0x0018].flatMap(u16))),
    ...extension(0x000b, [1, 0]),
    ...extension(
      0x000d,
      vector16([0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0201].flatMap(u16))
    ),
    ...extension(0x0010, vector16([2, ...Buffer.from('h2')])),
    ...extension(0x0017, []),
    ...extension(0xff01, [0]),
  ];
  const body = [0x03, 0x03, ...randomBytes(32), 0, ...vector16(suites), 1, 0, ...vector16(extensions)];
  const handshake = [1, (body.length >> 16) & 0xff, ...u16(body.length & 0xffff), ...body];
  return Buffer.from([HANDSHAKE, 0x03, 0x01, ...vector16(handshake)]);
}

/**
 * Feeds the server's bytes in; returns the verdict once one is possible, undefined while more bytes are needed.
 * Pure: the test hands it hostile and truncated input directly.
 */
export function readFirstFlight(received: Buffer): FirstFlight | undefined {
  let handshake = Buffer.alloc(0);
  let at = 0;
  let sawServerHello = false;
  let request: Uint8Array[] | undefined;
  while (at + 5 <= received.length) {
    const type = received[at] as number;
    const length = received.readUInt16BE(at + 3);
    if (received[at + 1] !== 3 || length > 18432) return { kind: 'malformed', why: 'not a TLS record' };
    if (at + 5 + length > received.length) break;
    const fragment = received.subarray(at + 5, at + 5 + length);
    at += 5 + length;
    if (type === ALERT) {
      if (fragment.length < 2) return { kind: 'malformed', why: 'short alert' };
      const number = fragment[1] as number;
      return { kind: 'alert', number, name: receivedAlertNumber(number) };
    }
    if (type !== HANDSHAKE) return { kind: 'malformed', why: `record type ${type} before ServerHelloDone` };
    handshake = Buffer.concat([handshake, fragment]);
    // Handshake messages may span records and records may carry several messages.
    while (handshake.length >= 4) {
      const messageType = handshake[0] as number;
      const messageLength = handshake.readUIntBE(1, 3);
      if (messageLength > FIRST_FLIGHT_MAX_BYTES) return { kind: 'malformed', why: 'handshake message too long' };
      if (handshake.length < 4 + messageLength) break;
      const message = handshake.subarray(4, 4 + messageLength);
      handshake = handshake.subarray(4 + messageLength);
      if (messageType === SERVER_HELLO) {
        if (message.length < 2 || message[0] !== 3 || message[1] !== 3)
          return { kind: 'malformed', why: 'the ServerHello is not TLS 1.2' };
        sawServerHello = true;
      } else if (!sawServerHello) {
        return { kind: 'malformed', why: 'no ServerHello first' };
      } else if (messageType === CERTIFICATE_REQUEST) {
        const names = certificateAuthorities(message);
        if (!names) return { kind: 'malformed', why: 'unreadable CertificateRequest' };
        request = names;
      } else if (messageType === SERVER_HELLO_DONE) {
        return request
          ? { kind: 'tls12', requestsCertificate: true, certificateAuthorities: request }
          : { kind: 'tls12', requestsCertificate: false };
      }
    }
  }
  return undefined;
}

/** RFC 5246 §7.4.4: certificate_types<1..255>, supported_signature_algorithms<2..2^16-2>, certificate_authorities. */
function certificateAuthorities(message: Buffer): Uint8Array[] | undefined {
  let at = 0;
  if (message.length < 1) return undefined;
  at += 1 + (message[0] as number);
  if (at + 2 > message.length) return undefined;
  at += 2 + message.readUInt16BE(at);
  if (at + 2 > message.length) return undefined;
  const total = message.readUInt16BE(at);
  at += 2;
  const end = at + total;
  if (end > message.length) return undefined;
  const names: Uint8Array[] = [];
  while (at < end) {
    if (at + 2 > end || names.length >= MAX_CA_NAMES) return undefined;
    const length = message.readUInt16BE(at);
    at += 2;
    if (length === 0 || at + length > end) return undefined;
    names.push(Uint8Array.from(message.subarray(at, at + length)));
    at += length;
  }
  return names;
}

export interface FirstFlightTarget {
  address: string;
  family: 4 | 6;
  port: number;
  servername?: string;
}

/** Sends the TLS 1.2 ClientHello and reads the answer up to ServerHelloDone, within the bounds. Never throws. */
export async function probeTls12FirstFlight(target: FirstFlightTarget, bounds: Bounds): Promise<FirstFlight> {
  const clock = budget(bounds.timeoutMs);
  const tcp = await tcpConnect(target, bounds, { keepOpen: true });
  const socket: Socket | undefined = tcp.socket;
  if (!socket) return { kind: 'unreachable', why: tcp.outcome };
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (flight: FirstFlight): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      bounds.signal.removeEventListener('abort', onTimeout);
      socket.destroy();
      resolve(flight);
    };
    const onTimeout = (): void => finish({ kind: 'timeout', why: `no ServerHelloDone within ${clock.elapsed()} ms` });
    const timer = setTimeout(onTimeout, Math.max(0, clock.remaining()));
    if (bounds.signal.aborted) return onTimeout();
    bounds.signal.addEventListener('abort', onTimeout, { once: true });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length > FIRST_FLIGHT_MAX_BYTES) return finish({ kind: 'malformed', why: 'first flight too long' });
      const flight = readFirstFlight(received);
      if (flight) finish(flight);
    });
    socket.on('error', (error: Error) => finish({ kind: 'closed', why: error.message }));
    socket.on('end', () => finish({ kind: 'closed', why: 'the server closed the connection' }));
    socket.write(tls12ClientHello(target.servername));
  });
}
