/**
 * Discovery: SRV lookups of both families for each service, the domain's own
 * A/AAAA (for the fallback), then A/AAAA of every SRV target. Two rounds of
 * parallel queries: everything that does not depend on an answer is asked at once.
 */
import { srvName } from '../core/names.js';
import { type DnsClient } from '../dns/client.js';
import type { HostAddresses, SrvLookup } from '../dns/lookup.js';
import type { Candidate, ServiceKind } from '../core/types.js';
import { lookupHost, lookupSrv } from '../dns/lookup.js';

export const LEGACY_JABBER = '_jabber._tcp';
export const FALLBACK_PORT: Record<ServiceKind, number> = { c2s: 5222, s2s: 5269 };

export interface ServiceDiscovery {
  service: ServiceKind;
  srv: { xmpp: SrvLookup; xmpps: SrvLookup; jabber: SrvLookup | null };
  /** probe: no SRV lookup; the one node --probe names. */
  mode: 'srv' | 'fallback' | 'unavailable' | 'unknown' | 'probe';
  /** The node of --probe (mode probe only). */
  node?: ProbeNode;
}

/** --probe HOST:PORT: one node checked directly for the domain. */
export interface ProbeNode {
  host: string;
  port: number;
  directTls: boolean;
}

export interface Discovery {
  domain: string;
  services: ServiceDiscovery[];
  /** Address lookups of the domain itself and of every SRV target. */
  hosts: Record<string, HostAddresses>;
}

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();







function modeOf(xmpp: SrvLookup, xmpps: SrvLookup): ServiceDiscovery['mode'] {
  const real = (l: SrvLookup): boolean => l.records.some((r) => r.target !== '.');
  if (real(xmpp) || real(xmpps)) return 'srv';
  // A lone "." at _xmpp- says the service is not offered: never fall back to A/AAAA.
  if (xmpp.noService) return 'unavailable';
  const answered = (l: SrvLookup): boolean => l.status === 'ok' || l.status === 'nodata' || l.status === 'nxdomain';
  if (!answered(xmpp)) return 'unknown';
  // "." at _xmpps- only says "no direct TLS": the _xmpp- side decides (here: no records, so fallback).
  return 'fallback';
}

export interface DiscoverOptions {
  services: ServiceKind[];
  /** Called as soon as a host's addresses are known (lets probes start early). */
  onHost?: (host: HostAddresses) => void;
}

export async function discover(dns: DnsClient, domain: string, opts: DiscoverOptions): Promise<Discovery> {
  const hosts: Record<string, HostAddresses> = {};
  const hostPromises = new Map<string, Promise<HostAddresses>>();
  const host = (name: string): Promise<HostAddresses> => {
    const key = norm(name);
    let p = hostPromises.get(key);
    if (!p) {
      p = lookupHost(dns, key).then((h) => {
        hosts[key] = h;
        opts.onHost?.(h);
        return h;
      });
      hostPromises.set(key, p);
    }
    return p;
  };

  // Round 1: every SRV name and the domain's own addresses, all at once.
  const domainHost = host(domain);
  const services = await Promise.all(
    opts.services.map(async (service): Promise<ServiceDiscovery> => {
      const names = { xmpp: srvName(service, 'xmpp'), xmpps: srvName(service, 'xmpps') };
      const [xmpp, xmpps, jabber] = await Promise.all([
        lookupSrv(dns, `${names.xmpp}.${domain}`, 'xmpp'),
        lookupSrv(dns, `${names.xmpps}.${domain}`, 'xmpps'),
        service === 'c2s' ? lookupSrv(dns, `${LEGACY_JABBER}.${domain}`, 'xmpp') : Promise.resolve(null),
      ]);
      // Round 2: the targets' addresses, as soon as this service's SRV answers are in.
      await Promise.all(
        [...xmpp.records, ...xmpps.records].filter((r) => r.target !== '.').map((r) => host(r.target)),
      );
      return { service, srv: { xmpp, xmpps, jabber }, mode: modeOf(xmpp, xmpps) };
    }),
  );
  await domainHost;
  await Promise.all(hostPromises.values());
  return { domain, services, hosts };
}

/**
 * --probe: no SRV lookup at all, only the node's addresses (none to look up
 * for an IP address). The SRV lookups are there, marked skipped, so that
 * everything reading them sees that nothing was asked.
 */
export async function discoverNode(dns: DnsClient, domain: string, services: ServiceKind[], node: ProbeNode): Promise<Discovery> {
  const host = norm(node.host);
  const h = await lookupHost(dns, host);
  const skipped = (owner: string): SrvLookup => ({ owner, status: 'skipped', rcode: null, error: null, cnames: [], records: [], noService: false });
  return {
    domain,
    services: services.map((service) => ({
      service,
      srv: { xmpp: skipped(`${srvName(service, 'xmpp')}.${domain}`), xmpps: skipped(`${srvName(service, 'xmpps')}.${domain}`), jabber: null },
      mode: 'probe' as const,
      node: { ...node, host },
    })),
    hosts: { [host]: h },
  };
}

/** The places to connect to for one service, before ordering fills in shares. */
export function candidatesOf(domain: string, sd: ServiceDiscovery): Omit<Candidate, 'share' | 'group'>[] {
  if (sd.mode === 'probe' && sd.node) {
    const family = sd.node.directTls ? 'xmpps' : 'xmpp';
    return [
      { id: `${sd.service}:${family}:${sd.node.host}:${sd.node.port}`, service: sd.service, family, mode: sd.node.directTls ? 'directtls' : 'starttls', source: 'probe', priority: 0, weight: 0, port: sd.node.port, target: sd.node.host, ttl: null },
    ];
  }
  if (sd.mode === 'fallback') {
    const port = FALLBACK_PORT[sd.service];
    return [
      { id: `${sd.service}:xmpp:${domain}:${port}`, service: sd.service, family: 'xmpp', mode: 'starttls', source: 'fallback', priority: 0, weight: 0, port, target: domain, ttl: null },
    ];
  }
  if (sd.mode !== 'srv') return [];
  const seen = new Set<string>();
  const out: Omit<Candidate, 'share' | 'group'>[] = [];
  for (const r of [...sd.srv.xmpp.records, ...sd.srv.xmpps.records]) {
    if (r.target === '.') continue;
    const id = `${sd.service}:${r.family}:${r.target}:${r.port}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({
      id,
      service: sd.service,
      family: r.family,
      mode: r.family === 'xmpps' ? 'directtls' : 'starttls',
      source: 'srv',
      priority: r.priority,
      weight: r.weight,
      port: r.port,
      target: r.target,
      ttl: r.ttl,
    });
  }
  return out;
}
