/**
 * The ordering stage: fills in each candidate's priority group and first-pick
 * share, sorts candidates the way a client tries them (group, then share), and
 * records one seeded RFC 2782 draw.
 */
import type { Candidate } from '../report/model.js';
import { seededRandom } from '../util/random.js';
import { drawOrder, firstPickShares, priorityGroups } from './rfc2782.js';

export function orderCandidates(raw: Omit<Candidate, 'share' | 'group'>[], seed: number): { candidates: Candidate[]; draw: { seed: number; order: string[] } | null } {
  const groups = priorityGroups(raw);
  const candidates: Candidate[] = [];
  groups.forEach((group, i) => {
    const shares = firstPickShares(group);
    const withShares = group.map((c) => ({ ...c, share: shares.get(c) ?? 0, group: i + 1 }));
    withShares.sort((a, b) => b.share - a.share || a.target.localeCompare(b.target) || a.port - b.port);
    candidates.push(...withShares);
  });
  if (!raw.length) return { candidates, draw: null };
  const order = drawOrder(raw, seededRandom(seed)).map((c) => c.id);
  return { candidates, draw: { seed, order } };
}
