// The rules rustls (through webpki) applies to a server certificate where OpenSSL, and so the Client, is lenient
// (docs/research/sdk-stacks.md#where-the-stacks-disagree,
// docs/research/common-failures.md#certificates-rustls-refuses). Pure functions over node:crypto certificates.
import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';

/** The X.509 version (1, 2 or 3) read from the DER: TBSCertificate starts with `[0] EXPLICIT INTEGER` unless v1. */
export function x509Version(cert: X509Certificate): number {
  try {
    const der = cert.raw;
    const outer = derHeader(der, 0);
    const tbs = derHeader(der, outer.contentStart);
    const first = tbs.contentStart;
    if (der[first] !== 0xa0) return 1;
    const wrapped = derHeader(der, first);
    const integer = derHeader(der, wrapped.contentStart);
    if (der[wrapped.contentStart] !== 0x02 || integer.length !== 1) return 1;
    return (der[integer.contentStart] ?? 0) + 1;
  } catch {
    return 3;
  }
}

function derHeader(der: Buffer, offset: number): { contentStart: number; length: number } {
  const lengthByte = der[offset + 1];
  if (lengthByte === undefined) throw new Error('truncated DER');
  if (lengthByte < 0x80) return { contentStart: offset + 2, length: lengthByte };
  const octets = lengthByte & 0x7f;
  if (octets === 0 || octets > 4) throw new Error('unsupported DER length');
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (der[offset + 2 + i] ?? 0);
  return { contentStart: offset + 2 + octets, length };
}

export interface PresentedNames {
  dns: string[];
  ip: string[];
}

/** The subjectAltName entries webpki looks at; the subject CN is never one of them. */
export function presentedNames(cert: X509Certificate): PresentedNames {
  const entries = cert.subjectAltName ? cert.subjectAltName.split(', ') : [];
  return {
    dns: entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4).replace(/^"|"$/g, '')),
    ip: entries.filter((e) => e.startsWith('IP Address:')).map((e) => e.slice('IP Address:'.length)),
  };
}

/** webpki's name check: IP literals only against IP SANs; DNS names case-insensitively, `*` only as the whole left-most label. */
export function validForName(names: PresentedNames, serverName: string): boolean {
  const ipVersion = isIP(serverName);
  if (ipVersion) return names.ip.some((ip) => sameIp(ip, serverName));
  const wanted = serverName.toLowerCase().replace(/\.$/, '');
  return names.dns.some((presented) => {
    const name = presented.toLowerCase().replace(/\.$/, '');
    if (!name.startsWith('*.')) return name === wanted;
    const [first, ...rest] = wanted.split('.');
    return first !== undefined && first.length > 0 && rest.length >= 2 && rest.join('.') === name.slice(2);
  });
}

function sameIp(a: string, b: string): boolean {
  return normalizeIp(a) === normalizeIp(b);
}

function normalizeIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  // Expand :: and drop leading zeros, so 0:0:0:0:0:0:0:1 and ::1 compare equal.
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = ip.includes('::') ? 8 - headParts.length - tailParts.length : 0;
  return [...headParts, ...Array<string>(missing).fill('0'), ...tailParts]
    .map((p) => p.replace(/^0+(?=.)/, ''))
    .join(':');
}

/** How rustls writes the expected name in NotValidForNameContext, to match what the user's Worker log says. */
export function rustlsExpected(serverName: string): string {
  return isIP(serverName) ? `IpAddress(${serverName})` : `DnsName("${serverName}")`;
}
