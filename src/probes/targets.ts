/**
 * What to probe: every candidate at every address discovery found for its
 * target, in the address families asked for. Pure; addresses that are not IP
 * literals are dropped (probes never resolve names).
 */
import net from 'node:net';
import type { Candidate } from '../core/types.js';
import type { HostAddresses } from '../dns/lookup.js';
import type { ProbeTarget } from './types.js';

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();

export function targetsFor(candidates: Candidate[], hosts: Record<string, HostAddresses>, ipFamilies: (4 | 6)[] = [4, 6]): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (const candidate of candidates) {
    if (candidate.target === '.' || candidate.port === 0) continue;
    const h = hosts[norm(candidate.target)];
    if (!h) continue;
    const seen = new Set<string>();
    for (const fam of ipFamilies) {
      for (const address of (fam === 4 ? h.a : h.aaaa).addresses) {
        if (net.isIP(address) !== fam || seen.has(address)) continue;
        seen.add(address);
        out.push({ candidate, address, ipFamily: fam });
      }
    }
  }
  return out;
}
