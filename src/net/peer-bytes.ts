// What the first bytes a peer sends say about it: a TLS record, an HTTP/1.x response, an HTTP/2 frame (plaintext gRPC),
// or something else. Used to tell "server is plaintext" from "server speaks TLS" without trusting error texts.

export type PeerGuess = 'tls' | 'http1' | 'http2' | 'unknown';

/** TLS record content types: handshake (22) and alert (21); the version's major byte is always 3. */
const TLS_HANDSHAKE = 0x16;
const TLS_ALERT = 0x15;
/** HTTP/2 frame types a server sends first: SETTINGS (4) and GOAWAY (7). */
const H2_FIRST_FRAME_TYPES = new Set([0x04, 0x07]);

export function guessPeer(bytes: Buffer): PeerGuess | undefined {
  if (bytes.length === 0) return undefined;
  const first = bytes[0];
  if ((first === TLS_HANDSHAKE || first === TLS_ALERT) && (bytes.length < 2 || bytes[1] === 0x03)) return 'tls';
  if (bytes.subarray(0, 5).toString('latin1') === 'HTTP/') return 'http1';
  if (bytes.length >= 4 && bytes[0] === 0 && H2_FIRST_FRAME_TYPES.has(bytes[3] ?? -1)) return 'http2';
  return 'unknown';
}

/** The status line of an HTTP/1.x response, for evidence (e.g. "HTTP/1.1 400 Bad Request"). */
export function httpStatusLine(bytes: Buffer): string | undefined {
  const text = bytes.subarray(0, 200).toString('latin1');
  const line = /^HTTP\/\d(?:\.\d)? \d{3}[^\r\n]*/.exec(text);
  return line?.[0];
}

/** Up to 16 bytes as hex, for evidence about an unknown peer. */
export function hexPreview(bytes: Buffer): string {
  return bytes
    .subarray(0, 16)
    .toString('hex')
    .replace(/(..)(?=.)/g, '$1 ');
}

/** The HTTP/2 client connection preface plus an empty SETTINGS frame: what a gRPC client sends first. */
export const HTTP2_CLIENT_PREFACE = Buffer.concat([
  Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'),
  Buffer.from([0, 0, 0, 0x04, 0, 0, 0, 0, 0]),
]);
