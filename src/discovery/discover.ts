/**
 * Discovery: SRV lookups of both families for each service, the domain's own
 * A/AAAA (for the fallback), then A/AAAA of every SRV target. Two rounds of
 * parallel queries: everything that does not depend on an answer is asked at once.
 */
import { compareNames, srvName } from '../core/names.js';
import { dnsNameProblem, type DnsClient } from '../dns/client.js';
import type { HostAddresses, SrvLookup, SrvRecord } from '../dns/lookup.js';
import type { Candidate, ServiceKind } from '../core/types.js';
import { lookupHost, lookupSrv } from '../dns/lookup.js';

export const LEGACY_JABBER = '_jabber._tcp';
export const FALLBACK_PORT: Record<ServiceKind, number> = { c2s: 5222, s2s: 5269 };

export interface ServiceDiscovery {
  service: ServiceKind;
  srv: { xmpp: SrvLookup; xmpps: SrvLookup; jabber: SrvLookup | null };
  /** unavailable: a lone "." at `_xmpp-`, or the domain does not exist (NXDOMAIN); probe: no SRV lookup, the one node --probe names. */
  mode: 'srv' | 'fallback' | 'unavailable' | 'unknown' | 'probe';
  /** The node of --probe (mode probe only). */
  node?: ProbeNode;
  /** Ids of the candidates whose targets were looked up, to be probed (at most MAX_CHECKED_RECORDS); absent: all. */
  checked?: Set<string>;
  /** Distinct SRV records with a valid target that were not checked (over the cap). */
  skipped?: number;
}

/** --probe HOST:PORT: one node checked directly for the domain. */
export interface ProbeNode {
  host: string;
  port: number;
  directTls: boolean;
}

/**
 * At most this many SRV records (distinct family, target and port) per service
 * have their targets looked up and probed, the first in the order clients try
 * them (priority, then weight). A hostile zone can publish thousands in one
 * TCP answer; each would cost DNS queries, probes and certificate checks.
 */
export const MAX_CHECKED_RECORDS = 64;

/**
 * Why an SRV target is not a host name a client can look up, or null: only
 * A-label characters (letters, digits, hyphen; underscore tolerated) and the
 * label and name lengths of DNS. Anything else (ESC, newline, NUL, bytes that
 * were not UTF-8) is never looked up.
 */
export function targetNameProblem(target: string): string | null {
  if (target === '.') return null;
  if (!/^[a-z0-9_.-]+$/i.test(target)) return 'it holds characters a host name cannot have (letters, digits, hyphens and dots only, in A-labels)';
  return dnsNameProblem(target);
}

/**
 * The candidate id of every record of an RRset as published (both families):
 * every record counts in the RFC 2782 draw, even two that share a target and
 * port (at other priorities or weights); only a byte-identical repeat, which
 * DNS itself would have removed, counts once (and gets no id). The first
 * record of an endpoint is `service:family:target:port`, later ones add
 * `/priority-weight`.
 */
export function recordIds(service: ServiceKind, records: readonly SrvRecord[]): Map<SrvRecord, string> {
  const rdata = new Set<string>();
  const endpoints = new Set<string>();
  const out = new Map<SrvRecord, string>();
  for (const r of records) {
    if (r.target === '.') continue;
    const key = `${r.family}:${r.priority}:${r.weight}:${r.port}:${r.target}`;
    if (rdata.has(key)) continue;
    rdata.add(key);
    const endpoint = `${service}:${r.family}:${r.target}:${r.port}`;
    out.set(r, endpoints.has(endpoint) ? `${endpoint}/${r.priority}-${r.weight}` : endpoint);
    endpoints.add(endpoint);
  }
  return out;
}

/** The SRV records to check: valid targets, distinct, the first MAX_CHECKED_RECORDS in the order clients try them. */
function checkedRecords(service: ServiceKind, records: SrvRecord[]): { checked: SrvRecord[]; skipped: number; ids: Map<SrvRecord, string> } {
  const ids = recordIds(service, records);
  const valid = [...ids.keys()].filter((r) => !targetNameProblem(r.target));
  valid.sort((a, b) => a.priority - b.priority || b.weight - a.weight || compareNames(a.target, b.target) || a.port - b.port);
  return { checked: valid.slice(0, MAX_CHECKED_RECORDS), skipped: Math.max(0, valid.length - MAX_CHECKED_RECORDS), ids };
}

export interface Discovery {
  domain: string;
  services: ServiceDiscovery[];
  /** Address lookups of the domain itself and of every SRV target. */
  hosts: Record<string, HostAddresses>;
}

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();

/** True when the owner name could not be asked at all (too long for DNS): no query went out. */
export const isInvalidName = (l: SrvLookup): boolean => l.status === 'error' && (l.error ?? '').startsWith('invalid-name:');

function modeOf(xmpp: SrvLookup, xmpps: SrvLookup): ServiceDiscovery['mode'] {
  const real = (l: SrvLookup): boolean => l.records.some((r) => r.target !== '.');
  if (real(xmpp) || real(xmpps)) return 'srv';
  // A lone "." at _xmpp- says the service is not offered: never fall back to A/AAAA.
  if (xmpp.noService) return 'unavailable';
  // A name too long for DNS has no records anywhere: as good as an empty answer.
  const answered = (l: SrvLookup): boolean => l.status === 'ok' || l.status === 'nodata' || l.status === 'nxdomain' || isInvalidName(l);
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
      // Round 2: the addresses of the targets to check, as soon as this service's SRV answers are in.
      const { checked, skipped, ids: idOf } = checkedRecords(service, [...xmpp.records, ...xmpps.records]);
      await Promise.all(checked.map((r) => host(r.target)));
      const mode = modeOf(xmpp, xmpps);
      const ids = new Set(checked.map((r) => idOf.get(r)!));
      if (mode === 'fallback') ids.add(`${service}:xmpp:${domain}:${FALLBACK_PORT[service]}`);
      return { service, srv: { xmpp, xmpps, jabber }, mode, checked: ids, skipped };
    }),
  );
  await domainHost;
  await Promise.all(hostPromises.values());
  // The report lists the hosts in one order whatever order the answers came in (an IP literal target, answered
  // at once, used to move ahead when the process was quick): the domain, then each service's targets as published.
  const ordered: Record<string, HostAddresses> = {};
  const names = [norm(domain), ...services.flatMap((s) => [...s.srv.xmpp.records, ...s.srv.xmpps.records].filter((r) => r.target !== '.').map((r) => norm(r.target)))];
  for (const k of [...names, ...Object.keys(hosts)]) if (hosts[k] && !(k in ordered)) ordered[k] = hosts[k]!;
  const d: Discovery = { domain, services, hosts: ordered };
  // A domain that does not exist offers no service: not a fallback to addresses it does not have.
  if (domainIsNxdomain(d)) for (const s of services) s.mode = 'unavailable';
  return d;
}

/** True when the domain itself does not exist: every lookup at or under it said NXDOMAIN. */
export function domainIsNxdomain(d: Discovery): boolean {
  const h = d.hosts[d.domain];
  if (!h || h.a.status !== 'nxdomain' || h.aaaa.status !== 'nxdomain') return false;
  return d.services.every((s) => s.srv.xmpp.status === 'nxdomain' && s.srv.xmpps.status === 'nxdomain');
}

/**
 * Where clients that do not implement XEP-0368 connect when a service has
 * `_xmpps-` records but no `_xmpp-` records: they find no SRV record and fall
 * back to the domain's A/AAAA on 5222/5269 (RFC 6120 §3.2.2). Null otherwise
 * (a "." at `_xmpp-` says no service, so they do not fall back either).
 */
export function legacyFallbackOf(domain: string, sd: ServiceDiscovery): Omit<Candidate, 'share' | 'group'> | null {
  const { xmpp, xmpps } = sd.srv;
  if (sd.mode !== 'srv' || (xmpp.status !== 'nodata' && xmpp.status !== 'nxdomain')) return null;
  if (!xmpps.records.some((r) => r.target !== '.')) return null;
  const port = FALLBACK_PORT[sd.service];
  return { id: `${sd.service}:xmpp:${domain}:${port}`, service: sd.service, family: 'xmpp', mode: 'starttls', source: 'fallback', priority: 0, weight: 0, port, target: domain, ttl: null };
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

/**
 * The places to connect to for one service, before ordering fills in shares:
 * every distinct record with a valid target (the shares count them all); only
 * those in `sd.checked` are kept after ordering.
 */
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
  // Every record of the RRset as published (recordIds): byte-identical repeats aside.
  const ids = recordIds(sd.service, [...sd.srv.xmpp.records, ...sd.srv.xmpps.records]);
  const out: Omit<Candidate, 'share' | 'group'>[] = [];
  for (const r of [...sd.srv.xmpp.records, ...sd.srv.xmpps.records]) {
    if (r.target === '.' || targetNameProblem(r.target)) continue;
    const id = ids.get(r);
    if (id === undefined) continue;
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
