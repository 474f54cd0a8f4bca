/**
 * The ordering stage: fills in each candidate's priority group and first-pick
 * share, sorts candidates the way a client tries them (group, then share), and
 * records one seeded RFC 2782 draw.
 */
import type { Candidate } from '../core/types.js';
import { candidatesOf, legacyFallbackOf, type Discovery, type ServiceDiscovery } from '../discovery/discover.js';
import { domainIsNxdomain } from '../discovery/lint.js';
import { seededRandom } from '../core/random.js';
import { compareNames } from '../core/names.js';
import { drawOrder, firstPickShares, priorityGroups } from './rfc2782.js';

export function orderCandidates(raw: Omit<Candidate, 'share' | 'group'>[], seed: number): { candidates: Candidate[]; draw: { seed: number; order: string[] } | null } {
  const groups = priorityGroups(raw);
  const candidates: Candidate[] = [];
  groups.forEach((group, i) => {
    const shares = firstPickShares(group);
    const withShares = group.map((c) => ({ ...c, share: shares.get(c) ?? 0, group: i + 1 }));
    withShares.sort((a, b) => b.share - a.share || compareNames(a.target, b.target) || a.port - b.port);
    candidates.push(...withShares);
  });
  if (!raw.length) return { candidates, draw: null };
  const order = drawOrder(raw, seededRandom(seed)).map((c) => c.id);
  return { candidates, draw: { seed, order } };
}

/** One service as discovery found it, with its candidates in the order a client tries them. */
export interface OrderedService extends ServiceDiscovery {
  /** Candidates sorted by priority group, then by descending share. */
  candidates: Candidate[];
  /** One RFC 2782 draw, reproducible with `seed`. */
  draw: { seed: number; order: string[] } | null;
  /**
   * Only `_xmpps-` records: where clients without XEP-0368 go instead (the
   * domain's A/AAAA on the default port). Outside the RFC 2782 set; null otherwise.
   */
  legacyFallback: Candidate | null;
  /** How many distinct candidates the records gave before the cap (discovery's `checked`) kept some. */
  considered: number;
}

export interface Ordering {
  seed: number;
  services: OrderedService[];
}

/** The ordering stage: every service's candidates with their shares and one seeded draw. A domain that does not exist has none. */
export function order(d: Discovery, seed: number): Ordering {
  const nx = domainIsNxdomain(d);
  return {
    seed,
    services: d.services.map((sd) => {
      // The shares and the draw count every record; only those discovery checked (its cap) stay candidates.
      const { candidates, draw } = orderCandidates(nx ? [] : candidatesOf(d.domain, sd), seed);
      const kept = sd.checked ? candidates.filter((c) => sd.checked!.has(c.id)) : candidates;
      const legacy = nx ? null : legacyFallbackOf(d.domain, sd);
      return { ...sd, candidates: kept, draw, considered: candidates.length, legacyFallback: legacy ? { ...legacy, share: 1, group: 1 } : null };
    }),
  };
}
