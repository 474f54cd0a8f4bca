/**
 * Asks the DNSSEC checker about every answer verification needs — the SRV
 * RRsets, the targets' A and AAAA, and the TLSA RRset of every candidate —
 * all at once, and keeps the results by name and type for the DANE decision
 * and the report.
 */
import type { DnssecChecker } from '../dnssec/checker.js';
import type { DnssecResult, SecurityStatus } from '../dnssec/types.js';
import type { Candidate, DnssecEntry, ServiceReport } from '../report/model.js';

export const tlsaOwner = (c: Pick<Candidate, 'port' | 'target'>): string => `_${c.port}._tcp.${c.target}`;

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
  srvStatus(c: Candidate, services: ServiceReport[]): SecurityStatus | null {
    if (c.source !== 'srv') return null;
    const s = services.find((x) => x.service === c.service);
    const owner = c.family === 'xmpps' ? s?.srv.xmpps.owner : s?.srv.xmpp.owner;
    return owner ? (this.status(owner, 'SRV') ?? 'indeterminate') : 'indeterminate';
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
export async function checkSecurity(checker: DnssecChecker, services: ServiceReport[]): Promise<SecurityResults> {
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
      ask(c.target, 'A');
      ask(c.target, 'AAAA');
      if (c.port > 0) ask(tlsaOwner(c), 'TLSA');
    }
  }
  await Promise.all(jobs);
  return out;
}
