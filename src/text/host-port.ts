// `host:port` both ways, with IPv6 hosts in brackets, as the SDKs and URLs write them.

export function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The host and port of `host:port` or `[v6]:port`; the port is `defaultPort` when absent. */
export function splitHostPort(address: string, defaultPort: number): { host: string; port: number } {
  const match = /^\[?(.*?)\]?:(\d+)$/.exec(address);
  return { host: match?.[1] ?? address, port: Number(match?.[2] ?? defaultPort) };
}
