// Marker secrets for leak tests, and the one assertion that none of them (nor any piece of a private key) got out.
// Every marker starts with `tdcanary_`, so a partial leak of any of them is caught by that prefix alone.
import { createPrivateKey } from 'node:crypto';
import { expect } from '@jest/globals';

export const CANARY_PREFIX = 'tdcanary_';

export const CANARY = {
  apiKey: `${CANARY_PREFIX}APIKEY_7f3a9c2b41d8e6f0a5c3`,
  codecAuth: `Bearer ${CANARY_PREFIX}CODECAUTH_91be04d7c2a85f3e`,
  grpcMetaAuthorization: `Bearer ${CANARY_PREFIX}GRPCMETA_3c8d5a0f6b2e9147`,
  grpcMetaOther: `${CANARY_PREFIX}GRPCMETA_X_b5e27a9d04c1f638`,
  profileApiKey: `${CANARY_PREFIX}TOMLAPIKEY_2d9e4b7c1a08f356`,
  profileGrpcMeta: `${CANARY_PREFIX}TOMLMETA_8a1c6f3e9b24d705`,
  profileCodecAuth: `Bearer ${CANARY_PREFIX}TOMLCODEC_5f0b3d8e27c9a164`,
  cloudApiKey: `${CANARY_PREFIX}CLOUDAPIKEY_5d1c8e7a93f20b64`,
} as const;

/** The random tails of the markers: a renderer that cut the prefix off must not get away with it. */
const MARKER_TAILS = Object.values(CANARY).map((value) => value.slice(value.lastIndexOf('_') + 1));

/**
 * The markers as a server may quote them back: base64 and URL-encoded, whole and without the `Bearer ` scheme (the
 * prefix does not survive base64, so these are searched one by one).
 */
const MARKER_ENCODINGS = Object.values(CANARY).flatMap((value) => {
  const token = value.replace(/^Bearer /, '');
  return [...new Set([value, token, `Bearer ${token}`])].flatMap((v) => [
    Buffer.from(v).toString('base64').replace(/=+$/, ''),
    Buffer.from(v).toString('base64url'),
    encodeURIComponent(v),
  ]);
});

const MIN_FRAGMENT = 16;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += width) lines.push(text.slice(i, i + width));
  return lines;
}

/**
 * Pieces of a private key that must never be printed: every base64 line of its PEM, its DER as one base64 string, as
 * base64url and as hex, the DER base64 re-wrapped at 76 columns (MIME) and 48, and 32-character windows of it.
 */
export function keyFragments(keyPem: string): string[] {
  const pemLines = keyPem.split(/\r?\n/).filter((line) => line && !line.startsWith('-----'));
  const der = createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
  const oneLine = der.toString('base64');
  const windows = wrap(oneLine, 32);
  return [
    ...pemLines,
    oneLine,
    der.toString('base64url'),
    der.toString('hex'),
    ...wrap(oneLine, 76),
    ...wrap(oneLine, 48),
    ...windows,
  ].filter((fragment) => fragment.length >= MIN_FRAGMENT);
}

/** Raw DER of the key, to search byte streams a server recorded. */
export function keyDer(keyPem: string): Buffer {
  return createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'der' });
}

/**
 * Fails the test when `text` holds a marker, a marker's random tail, or a fragment of one of `keys` (PEM strings).
 * The failure message names the kind of fragment and its position, never the secret itself.
 */
export function expectNoSecrets(text: string, where: string, keys: readonly string[] = []): void {
  const leaks: string[] = [];
  const prefixAt = text.indexOf(CANARY_PREFIX);
  if (prefixAt >= 0) leaks.push(`a ${CANARY_PREFIX} marker at offset ${prefixAt}`);
  MARKER_TAILS.forEach((tail, i) => {
    if (text.includes(tail)) leaks.push(`the tail of marker #${i}`);
  });
  MARKER_ENCODINGS.forEach((encoded, i) => {
    if (text.includes(encoded)) leaks.push(`encoded form #${i} of a marker`);
  });
  keys.forEach((keyPem, k) => {
    const found = keyFragments(keyPem).filter((fragment) => text.includes(fragment));
    if (found.length > 0)
      leaks.push(
        `${found.length} fragment(s) of private key #${k} (first at offset ${text.indexOf(found[0] as string)})`
      );
  });
  expect(leaks.length === 0 ? 'no leaks' : `${where} leaks: ${leaks.join('; ')}`).toBe('no leaks');
}
