/**
 * What to probe: every candidate at every address discovery found for its
 * target, in the address families asked for, within caps (a few addresses per
 * family per target, a bounded number of probes per service), so that a zone
 * publishing thousands of addresses cannot make thousands of connections.
 * Pure; addresses that are not IP literals are dropped (probes never resolve
 * names). `capFinding` says what the caps left out.
 */
import net from 'node:net';
import { makeFinding, type Finding } from '../core/finding.js';
import type { Candidate, ServiceKind } from '../core/types.js';
import type { HostAddresses } from '../dns/lookup.js';
import { PROBE_FINDINGS as F } from './findings.js';
import type { ProbeTarget } from './types.js';

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();

/** At most this many addresses of each family are probed per target. */
export const MAX_ADDRESSES_PER_FAMILY = 4;
/** At most this many probes per service (candidates in client order, their addresses in order). */
export const MAX_PROBES_PER_SERVICE = 32;

export interface PlannedProbes {
  targets: ProbeTarget[];
  /** Addresses not probed because of the caps. */
  skippedAddresses: number;
}

export function planProbes(candidates: Candidate[], hosts: Record<string, HostAddresses>, ipFamilies: (4 | 6)[] = [4, 6]): PlannedProbes {
  const out: ProbeTarget[] = [];
  let skippedAddresses = 0;
  for (const candidate of candidates) {
    if (candidate.target === '.' || candidate.port === 0) continue;
    const h = hosts[norm(candidate.target)];
    if (!h) continue;
    const seen = new Set<string>();
    for (const fam of ipFamilies) {
      let taken = 0;
      for (const address of (fam === 4 ? h.a : h.aaaa).addresses) {
        if (net.isIP(address) !== fam || seen.has(address)) continue;
        seen.add(address);
        if (taken >= MAX_ADDRESSES_PER_FAMILY || out.length >= MAX_PROBES_PER_SERVICE) {
          skippedAddresses++;
          continue;
        }
        taken++;
        out.push({ candidate, address, ipFamily: fam });
      }
    }
  }
  return { targets: out, skippedAddresses };
}

/** The probes of one service's candidates (see planProbes for the caps). */
export function targetsFor(candidates: Candidate[], hosts: Record<string, HostAddresses>, ipFamilies: (4 | 6)[] = [4, 6]): ProbeTarget[] {
  return planProbes(candidates, hosts, ipFamilies).targets;
}

/** One finding per service when the caps left SRV records or addresses unchecked; null when nothing was left out. */
export function capFinding(service: ServiceKind, counts: { records: number; skippedRecords: number; skippedAddresses: number }, limits: { records: number }): Finding | null {
  const parts: string[] = [];
  if (counts.skippedRecords) {
    parts.push(`${counts.skippedRecords} of ${counts.records} SRV records were not checked (at most ${limits.records} per service, the first in the order clients try them)`);
  }
  if (counts.skippedAddresses) {
    parts.push(`${counts.skippedAddresses} address${counts.skippedAddresses === 1 ? ' was' : 'es were'} not probed (at most ${MAX_ADDRESSES_PER_FAMILY} per address family per target and ${MAX_PROBES_PER_SERVICE} probes per service)`);
  }
  if (!parts.length) return null;
  return makeFinding(F.PROBE_CAPPED, `${service} service`, `Checked in part: ${parts.join('; ')}. The report lists every record and address; the rest was not looked up or connected to.`, { service });
}
