/** Resolver addresses: parsing `HOST[:PORT]` / `[V6]:PORT` and printing them back. Light: no DNS code. */
import net from 'node:net';

export interface ResolverAddress {
  host: string;
  port: number;
}

export const formatResolver = (s: ResolverAddress): string => (s.host.includes(':') ? `[${s.host}]:${s.port}` : `${s.host}:${s.port}`);

/** Parses `HOST`, `HOST:PORT`, `[V6]:PORT` or a bare IPv6 address; port defaults to 53. */
export function parseResolver(spec: string): ResolverAddress | null {
  const s = spec.trim();
  let host: string;
  let port = 53;
  const br = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (br) {
    host = br[1]!;
    if (br[2]) port = Number(br[2]);
  } else if (net.isIPv6(s)) {
    host = s;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(s);
    if (!m) return null;
    host = m[1]!;
    if (m[2]) port = Number(m[2]);
  }
  if (!net.isIP(host)) return null;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}
