/** Resolver addresses: parsing `HOST[:PORT]` / `[V6]:PORT` and printing them back. Light: no DNS code. */
import net from 'node:net';
import os from 'node:os';
import { ipVersion } from '../core/net.js';

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
  } else if (ipVersion(s) === 6) {
    host = s;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(s);
    if (!m) return null;
    host = m[1]!;
    if (m[2]) port = Number(m[2]);
  }
  if (!ipVersion(host)) return null;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host, port };
}

const special = (() => {
  const add = (list: net.BlockList, cidrs: [string, number, 'ipv4' | 'ipv6'][]): net.BlockList => {
    for (const [a, p, t] of cidrs) list.addSubnet(a, p, t);
    return list;
  };
  return {
    unspecified: add(new net.BlockList(), [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']]),
    multicast: add(new net.BlockList(), [['224.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']]),
    reserved: add(new net.BlockList(), [['240.0.0.0', 4, 'ipv4']]),
    linkLocal6: add(new net.BlockList(), [['fe80::', 10, 'ipv6']]),
  };
})();

/** Broadcast addresses of this host's IPv4 networks (read once). */
let localBroadcasts: Map<string, string> | null = null;
function broadcasts(): Map<string, string> {
  if (localBroadcasts) return localBroadcasts;
  localBroadcasts = new Map();
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      const m = /\/(\d+)$/.exec(a.cidr ?? '');
      if (a.family !== 'IPv4' || !m || Number(m[1]) >= 31) continue;
      const ip = a.address.split('.').reduce((n, o) => (n << 8) | Number(o), 0) >>> 0;
      const host = (2 ** (32 - Number(m[1])) - 1) >>> 0;
      const b = (ip | host) >>> 0;
      localBroadcasts.set([b >>> 24, (b >>> 16) & 255, (b >>> 8) & 255, b & 255].join('.'), name);
    }
  }
  return localBroadcasts;
}

/** True when `scope` (a name or a number) is an interface of this host with an IPv6 link-local address. */
function usableScope(scope: string): boolean {
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv6' || !special.linkLocal6.check(a.address, 'ipv6')) continue;
      if (name === scope || String(a.scopeid) === scope) return true;
    }
  }
  return false;
}

/**
 * Why a DNS server address cannot be sent a unicast query, or null when it
 * can: unspecified, broadcast (the limited one or a local network's),
 * multicast, reserved, or IPv6 link-local without a scope this host has.
 */
export function unicastProblem(host: string): string | null {
  // Asked before every query, always of the same one or two servers: remembered (the host's interfaces are read once anyway).
  let known = checked.get(host);
  if (known === undefined) {
    known = judgeUnicast(host);
    if (checked.size < 64) checked.set(host, known);
  }
  return known;
}

const checked = new Map<string, string | null>();

function judgeUnicast(host: string): string | null {
  const [addr, scope] = host.split('%', 2) as [string, string | undefined];
  const v = ipVersion(addr);
  if (!v) return 'not an IP address';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  const v4 = mapped ? mapped[1]! : v === 4 ? addr : null;
  if (v4 !== null) {
    if (v4 === '255.255.255.255') return 'the limited broadcast address';
    if (special.unspecified.check(v4, 'ipv4')) return 'an unspecified ("this host") address';
    if (special.multicast.check(v4, 'ipv4')) return 'a multicast address';
    if (special.reserved.check(v4, 'ipv4')) return 'a reserved address';
    const iface = broadcasts().get(v4);
    if (iface) return `the broadcast address of ${iface}`;
    return null;
  }
  if (special.unspecified.check(addr, 'ipv6')) return 'the unspecified address';
  if (special.multicast.check(addr, 'ipv6')) return 'a multicast address';
  if (special.linkLocal6.check(addr, 'ipv6')) {
    if (scope === undefined || scope === '') return 'link-local, without a scope (%interface)';
    if (!usableScope(scope)) return `link-local, and ${scope} is no interface of this host with an IPv6 link-local address`;
  }
  return null;
}
