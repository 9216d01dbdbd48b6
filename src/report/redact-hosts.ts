// --redact-hosts: a pure transform of the report that replaces host names, public IP addresses and Temporal Cloud
// account ids with stable placeholders (host-1, ip-1, acct-1), so a report can be pasted where the infrastructure
// must not be named. One redactor per run: the same input gets the same placeholder in every report of a fleet.
//
// What stays, because it identifies nobody and the diagnosis needs it: localhost, loopback, private (RFC 1918, ULA)
// and link-local addresses; Temporal's public names (*.temporal.io, <cloud>-<region>.region.tmprl.cloud, and the
// tmprl.cloud suffix, so a namespace endpoint still reads <namespace>.acct-1.tmprl.cloud); host.docker.internal.
// Namespace names stay too: only the account id part of a namespace id is replaced.
import { attachSecrets, secretsOf } from '../text/secret-registry.js';
import { isIP } from 'node:net';
import type { Report } from './model.js';

/** Top-level report fields that hold no host: tool and environment data, and the schema version. */
const UNTOUCHED_FIELDS = new Set(['schemaVersion', 'tool', 'environment', 'startedAt']);
/** Keys whose values are public ids or titles, never hosts. */
const UNTOUCHED_KEYS = new Set(['id', 'check', 'stage', 'title', 'status', 'stack', 'package', 'outcome']);

/** Temporal's public names, Docker's host aliases, and the documentation domains fix texts use (RFC 2606). */
const KEPT_HOSTS = new Set([
  'localhost',
  'host.docker.internal',
  'gateway.docker.internal',
  'tmprl.cloud',
  'temporal.io',
  'example.com',
]);
const KEPT_SUFFIXES = ['.temporal.io', '.region.tmprl.cloud', '.localhost', '.example.com'];
/** Top-level domains a host name in free text can end with; other dotted words are file names or check ids. */
const TLDS = new Set(
  (
    'com net org io cloud dev app ai co info biz me us uk de fr eu nl ch se no dk fi jp cn in au ca br ru it es pl be at ' +
    'cz kr sg hk tw nz za ie il mx ar cl pt gr hu ro tr ua id my th vn ph lu is ee lv lt sk si hr bg rs ' +
    'internal local localdomain lan corp home intranet private svc cluster test example invalid xyz tech online site ' +
    'sh gg ly to tv cc ws gov edu mil int aws gcp azure'
  ).split(' ')
);

const CLOUD_NAMESPACE_HOST = /^([a-z0-9-]+)\.([a-z0-9]+)\.tmprl\.cloud$/;
const CLOUD_NAMESPACE_ID = /^[a-z][a-z0-9-]{1,38}\.([a-z0-9]{5,})$/;
const IPV4 = /(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?!\w|\.\d)/g;
const IPV6 = /(?<![\w:.])((?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?)(?![\w:])/g;
const HOST_TOKEN =
  /(?<![\w-])(?<!\w\.)((?:[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9])(?![\w-]|\.[A-Za-z0-9])/g;

export class HostRedactor {
  readonly #hosts = new Map<string, string>();
  readonly #accounts = new Map<string, string>();
  readonly #ips = new Map<string, string>();
  /** Single-label host names (e.g. a Kubernetes service `temporal-frontend`) seen in an address setting. */
  readonly #bareHosts = new Set<string>();

  /** A copy of the report with every host, public IP and Cloud account id replaced. */
  redactReport(report: Report): Report {
    this.#seed(report);
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(report)) {
      copy[key] = UNTOUCHED_FIELDS.has(key) ? value : this.#redactValue(value);
    }
    // The copy is rendered like the original: with the secrets of the run that produced it.
    return attachSecrets(copy as unknown as Report, secretsOf(report));
  }

  /** Replaces hosts, public IPs and known account ids in one string. */
  redactText(text: string): string {
    let out = text.replace(IPV4, (ip: string) => (isIP(ip) === 4 ? this.#ip(ip) : ip));
    out = out.replace(IPV6, (ip: string) => (isIP(ip) === 6 ? this.#ip(ip) : ip));
    out = out.replace(HOST_TOKEN, (token: string) => this.#hostToken(token));
    for (const bare of this.#bareHosts) {
      out = out.replace(new RegExp(`(?<![\\w.@/-])${escapeRegExp(bare)}(?![\\w-]|\\.\\w)`, 'g'), () =>
        this.#host(bare)
      );
    }
    for (const [account, placeholder] of this.#accounts) {
      out = out.replace(new RegExp(`(?<![\\w-])${escapeRegExp(account)}(?![\\w-])`, 'gi'), placeholder);
    }
    return out;
  }

  /** The configured address and namespace get the first placeholders, so host-1 is always the target. */
  #seed(report: Report): void {
    const address = report.target.address?.value;
    const host = address ? hostOf(address) : undefined;
    if (host && !isIP(host)) {
      if (host.includes('.')) this.#hostToken(host);
      else if (host !== 'localhost') {
        this.#bareHosts.add(host);
        this.#host(host);
      }
    }
    const namespace = report.target.namespace?.value.toLowerCase() ?? '';
    const account = CLOUD_NAMESPACE_ID.exec(namespace)?.[1];
    const cloudTarget = host !== undefined && (host.endsWith('.tmprl.cloud') || host.endsWith('.api.temporal.io'));
    if (account && (cloudTarget || /\d/.test(account))) this.#account(account);
  }

  #redactValue(value: unknown, key?: string): unknown {
    if (typeof value === 'string') return key !== undefined && UNTOUCHED_KEYS.has(key) ? value : this.redactText(value);
    if (Array.isArray(value)) return value.map((item: unknown) => this.#redactValue(item));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, item]) => [k, this.#redactValue(item, k)]));
    }
    return value;
  }

  #hostToken(token: string): string {
    const name = token.toLowerCase();
    if (KEPT_HOSTS.has(name) || KEPT_SUFFIXES.some((suffix) => name.endsWith(suffix))) return token;
    const cloud = CLOUD_NAMESPACE_HOST.exec(name);
    if (cloud?.[1] && cloud[2]) return `${cloud[1]}.${this.#account(cloud[2])}.tmprl.cloud`;
    if (this.#hosts.has(name)) return this.#host(name);
    const tld = name.slice(name.lastIndexOf('.') + 1);
    return TLDS.has(tld) ? this.#host(name) : token;
  }

  #host(name: string): string {
    return placeholder(this.#hosts, name.toLowerCase(), 'host');
  }

  #account(account: string): string {
    return placeholder(this.#accounts, account.toLowerCase(), 'acct');
  }

  #ip(ip: string): string {
    return isKeptIp(ip) ? ip : placeholder(this.#ips, ip.toLowerCase(), 'ip');
  }
}

/** Redacts one report (a fresh redactor: placeholders are numbered from 1). */
export function redactHosts(report: Report): Report {
  return new HostRedactor().redactReport(report);
}

function placeholder(map: Map<string, string>, key: string, prefix: string): string {
  let value = map.get(key);
  if (!value) {
    value = `${prefix}-${map.size + 1}`;
    map.set(key, value);
  }
  return value;
}

/** host of `host:port`, `[v6]:port` or `scheme://host:port/path`; undefined when it cannot be read. */
function hostOf(address: string): string | undefined {
  const withoutScheme = address.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const bracketed = /^\[([^\]]+)\]/.exec(withoutScheme);
  if (bracketed) return bracketed[1];
  if (isIP(withoutScheme)) return withoutScheme;
  const host = withoutScheme.split(/[:/]/)[0]?.toLowerCase();
  return host || undefined;
}

/** Loopback, unspecified, private and link-local addresses name no one's infrastructure in particular. */
function isKeptIp(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return (
      a === 127 ||
      a === 0 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254)
    );
  }
  const v6 = ip.toLowerCase();
  return (
    v6 === '::1' ||
    v6 === '::' ||
    /^f[cd][0-9a-f]{2}:/.test(v6) ||
    /^fe[89ab][0-9a-f]:/.test(v6) ||
    v6.startsWith('::ffff:127.')
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
