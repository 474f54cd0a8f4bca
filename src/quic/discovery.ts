/**
 * Where to try XMPP over QUIC (XEP-0467 §2 rule 1), as pure functions over
 * what other stages looked up: `_xmppq-client._udp` / `_xmppq-server._udp`
 * SRV records (the convention of xmpp-proxy), XEP-0156 host-meta links, and
 * otherwise UDP 443 on the domain itself. Each candidate records its origin.
 */
import type { ServiceKind } from '../core/types.js';
import type { QuicCandidate } from './types.js';

export const QUIC_SRV_PREFIX: Record<ServiceKind, string> = { c2s: '_xmppq-client._udp', s2s: '_xmppq-server._udp' };
/** XEP-0467 §2 rule 1: UDP 443 when no other discovery gives a QUIC endpoint. */
export const QUIC_DEFAULT_PORT = 443;

export interface QuicSrvInput {
  priority: number;
  weight: number;
  port: number;
  /** Target host, with or without trailing dot; `.` means "no service". */
  target: string;
  owner?: string;
}

/** A QUIC endpoint another stage read from host-meta (XEP-0156). */
export interface HostMetaQuicLink {
  url?: string;
  host: string;
  port: number;
}

export interface QuicDiscovery {
  /** srv/host-meta: from DNS or host-meta (or both); default: UDP 443 on the domain; unavailable: SRV `.` and nothing else. */
  mode: 'discovered' | 'default' | 'unavailable';
  candidates: QuicCandidate[];
  /** Inputs that were not usable, and why. */
  skipped: { origin: string; reason: string }[];
}

export function quicSrvOwner(domain: string, service: ServiceKind): string {
  return `${QUIC_SRV_PREFIX[service]}.${stripDot(domain)}`;
}

const stripDot = (s: string): string => (s.endsWith('.') && s.length > 1 ? s.slice(0, -1) : s).toLowerCase();

const HOST_RE = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$|^[0-9a-f:.]+$/i;

function badEndpoint(host: string, port: number): string | null {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${String(port)} out of range`;
  if (!host || host.length > 253 || !HOST_RE.test(host)) return 'not a host name or IP address';
  return null;
}

const idOf = (service: ServiceKind, host: string, port: number): string => `${service}:quic:${host}:${port}`;

/** Candidates from `_xmppq-*._udp` SRV records, by priority then descending weight. */
export function candidatesFromSrv(domain: string, service: ServiceKind, records: QuicSrvInput[]): { candidates: QuicCandidate[]; noService: boolean; skipped: QuicDiscovery['skipped'] } {
  const owner = quicSrvOwner(domain, service);
  const skipped: QuicDiscovery['skipped'] = [];
  if (records.length === 1 && (records[0]!.target === '.' || records[0]!.target === '')) return { candidates: [], noService: true, skipped };
  const candidates: QuicCandidate[] = [];
  for (const r of [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)) {
    const host = stripDot(r.target);
    const origin = `SRV ${r.owner ?? owner} ${r.priority} ${r.weight} ${r.port} ${r.target}`;
    const bad = host === '.' ? 'target "." among other records' : badEndpoint(host, r.port);
    if (bad) {
      skipped.push({ origin, reason: bad });
      continue;
    }
    candidates.push({ id: idOf(service, host, r.port), service, host, port: r.port, source: 'srv', origin, priority: r.priority, weight: r.weight });
  }
  return { candidates, noService: false, skipped };
}

/** Candidates from host-meta QUIC links, in document order. */
export function candidatesFromHostMeta(service: ServiceKind, links: HostMetaQuicLink[]): { candidates: QuicCandidate[]; skipped: QuicDiscovery['skipped'] } {
  const candidates: QuicCandidate[] = [];
  const skipped: QuicDiscovery['skipped'] = [];
  for (const l of links) {
    const host = stripDot(l.host ?? '');
    const origin = `host-meta ${l.url ?? `${host}:${l.port}`}`;
    const bad = badEndpoint(host, l.port);
    if (bad) {
      skipped.push({ origin, reason: bad });
      continue;
    }
    candidates.push({ id: idOf(service, host, l.port), service, host, port: l.port, source: 'host-meta', origin, priority: 0, weight: 0 });
  }
  return { candidates, skipped };
}

/** UDP 443 on the domain itself (XEP-0467 §2 rule 1). */
export function defaultQuicCandidate(domain: string, service: ServiceKind): QuicCandidate {
  const host = stripDot(domain);
  return {
    id: idOf(service, host, QUIC_DEFAULT_PORT),
    service,
    host,
    port: QUIC_DEFAULT_PORT,
    source: 'default-port',
    origin: `default: UDP ${QUIC_DEFAULT_PORT} on ${host} (XEP-0467 §2 rule 1)`,
    priority: 0,
    weight: 0,
  };
}

/**
 * All QUIC candidates of one service: SRV first, then host-meta (duplicates
 * of an earlier host:port dropped); the default port only when neither
 * gave any and SRV did not say "no service".
 */
export function quicCandidates(input: { domain: string; service: ServiceKind; srv?: QuicSrvInput[] | null; hostMeta?: HostMetaQuicLink[] | null }): QuicDiscovery {
  const srv = candidatesFromSrv(input.domain, input.service, input.srv ?? []);
  const hm = candidatesFromHostMeta(input.service, input.hostMeta ?? []);
  const seen = new Set<string>();
  const candidates = [...srv.candidates, ...hm.candidates].filter((c) => {
    if (seen.has(c.id)) return false;
    seen.add(c.id);
    return true;
  });
  const skipped = [...srv.skipped, ...hm.skipped];
  if (candidates.length) return { mode: 'discovered', candidates, skipped };
  if (srv.noService) return { mode: 'unavailable', candidates: [], skipped };
  return { mode: 'default', candidates: [defaultQuicCandidate(input.domain, input.service)], skipped };
}
