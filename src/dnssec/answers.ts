/**
 * Asks the DNSSEC checker about every answer verification needs — the SRV
 * RRsets, the targets' A and AAAA, and the TLSA RRset of every candidate —
 * all at once, and keeps the results by name and type for the DANE decision
 * and the report.
 */
import { isIP } from 'node:net';
import type { DnssecChecker } from './checker.js';
import type { DnssecResult, SecurityStatus } from './types.js';
import type { Candidate } from '../core/types.js';
import type { DnssecEntry } from './types.js';
import type { ServiceDiscovery } from '../discovery/discover.js';
import type { OrderedService } from '../ordering/order.js';
import { tlsaOwner } from '../core/names.js';


export class SecurityResults {
  private readonly map = new Map<string, DnssecResult>();
  constructor(readonly mode: DnssecChecker['mode']) {}

  static key(name: string, type: string): string {
    return `${name.replace(/\.$/, '').toLowerCase()}|${type}`;
  }

  set(r: DnssecResult, name: string, type: string): void {
    this.map.set(SecurityResults.key(name, type), r);
  }

  get(name: string, type: string): DnssecResult | null {
    return this.map.get(SecurityResults.key(name, type)) ?? null;
  }

  status(name: string, type: string): SecurityStatus | null {
    return this.get(name, type)?.status ?? null;
  }

  /** The SRV status a candidate rests on: null for the A/AAAA fallback (no SRV involved). */
  srvStatus(c: Candidate, services: readonly Pick<ServiceDiscovery, 'service' | 'srv'>[]): SecurityStatus | null {
    if (c.source !== 'srv') return null;
    const s = services.find((x) => x.service === c.service);
    const owner = c.family === 'xmpps' ? s?.srv.xmpps.owner : s?.srv.xmpp.owner;
    return owner ? (this.status(owner, 'SRV') ?? 'indeterminate') : 'indeterminate';
  }

  /** A new set: these results, then `more` (a later answer for the same name and type replaces the earlier one in place). */
  with(more: readonly { name: string; type: string; result: DnssecResult }[]): SecurityResults {
    const out = new SecurityResults(this.mode);
    for (const [k, v] of this.map) out.map.set(k, v);
    for (const m of more) out.set(m.result, m.name, m.type);
    return out;
  }

  all(): DnssecResult[] {
    return [...this.map.values()];
  }

  entries(): DnssecEntry[] {
    return this.all().map((r) => ({
      name: r.name,
      type: r.type,
      status: r.status,
      outcome: r.outcome,
      zone: r.zone,
      reason: r.reason,
      brokenLink: r.brokenLink ? { ...r.brokenLink } : null,
      wildcard: r.wildcard,
      ede: r.ede,
    }));
  }
}

/** Runs every DNSSEC check the services need, in parallel. */
export async function checkSecurity(checker: DnssecChecker, services: readonly OrderedService[]): Promise<SecurityResults> {
  const out = new SecurityResults(checker.mode);
  const asked = new Set<string>();
  const jobs: Promise<void>[] = [];
  const ask = (name: string, type: string): void => {
    const k = SecurityResults.key(name, type);
    if (asked.has(k)) return;
    asked.add(k);
    jobs.push(
      checker.check(name, type).then((r) => out.set(r, name, type)),
    );
  };
  for (const s of services) {
    // A SERVFAIL is asked too: the validator (with CD) says which link of the chain broke.
    for (const l of [s.srv.xmpp, s.srv.xmpps]) if (l.records.length || l.status === 'servfail') ask(l.owner, 'SRV');
    for (const c of s.candidates) {
      // An IP address (--probe [::1]:5222, an SRV target written as an address) is no name to ask DNS about.
      if (isIP(c.target)) continue;
      ask(c.target, 'A');
      ask(c.target, 'AAAA');
      if (c.port > 0) ask(tlsaOwner(c), 'TLSA');
    }
  }
  await Promise.all(jobs);
  return out;
}

/** Asks the checker about further answers (QUIC's `_port._udp` TLSA and addresses) and returns `base` with them added. */
export async function checkMore(checker: DnssecChecker, base: SecurityResults, asks: readonly { name: string; type: string }[]): Promise<SecurityResults> {
  const results = await Promise.all(asks.map(async (a) => ({ ...a, result: await checker.check(a.name, a.type) })));
  return base.with(results);
}

/** The DNSSEC status of each SRV owner: from `results` when known there, else asked of the checker. */
export async function srvStatuses(checker: DnssecChecker, results: SecurityResults, owners: readonly string[]): Promise<Record<string, SecurityStatus>> {
  const pairs = await Promise.all(owners.map(async (o) => [o, results.status(o, 'SRV') ?? (await checker.check(o, 'SRV')).status] as const));
  return Object.fromEntries(pairs);
}
