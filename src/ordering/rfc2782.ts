/**
 * RFC 2782 target selection over one mixed set of SRV records (XEP-0368 rule
 * 1: `_xmpp-` and `_xmpps-` records are ordered together). Gives each record's
 * exact chance of being tried first within its priority group, and a seeded
 * draw of a whole connection order.
 *
 * Within a priority the RFC arranges the records with weight 0 first, sums the
 * weights, draws an integer uniformly from 0 to the sum inclusive and picks the
 * first record whose running sum reaches it. So a weight-0 record at the front
 * wins only on a draw of 0, and with all weights 0 the choice is uniform.
 */
import { randomIntInclusive, type Random } from '../core/random.js';

export interface Weighted {
  priority: number;
  weight: number;
}

/**
 * The RFC's arrangement of one priority group: "in any order, except that all
 * those with weight 0 are placed at the beginning". We shuffle each part, so
 * that equal records share the picks fairly.
 */
export function arrange<T extends Weighted>(group: T[], rnd: Random): T[] {
  return [...shuffle(group.filter((r) => r.weight === 0), rnd), ...shuffle(group.filter((r) => r.weight !== 0), rnd)];
}

function shuffle<T>(items: T[], rnd: Random): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Groups records by priority, lowest (tried first) first. */
export function priorityGroups<T extends Weighted>(records: T[]): T[][] {
  const byPrio = new Map<number, T[]>();
  for (const r of records) {
    if (!byPrio.has(r.priority)) byPrio.set(r.priority, []);
    byPrio.get(r.priority)!.push(r);
  }
  return [...byPrio.entries()].sort((a, b) => a[0] - b[0]).map(([, g]) => g);
}

/**
 * Exact first-pick probability of each record of one priority group. The draw
 * is uniform over W+1 integers (W = sum of weights); the value 0 goes to the
 * first record of the shuffled arrangement: one of the weight-0 records if
 * there are any, else any of the weighted ones.
 */
export function firstPickShares<T extends Weighted>(group: T[]): Map<T, number> {
  const shares = new Map<T, number>();
  const zeros = group.filter((r) => r.weight === 0);
  const weighted = group.filter((r) => r.weight !== 0);
  const total = weighted.reduce((s, r) => s + r.weight, 0);
  for (const r of zeros) shares.set(r, 1 / (zeros.length * (total + 1)));
  for (const r of weighted) shares.set(r, (r.weight + (zeros.length ? 0 : 1 / weighted.length)) / (total + 1));
  return shares;
}

/** One full RFC 2782 ordering: priority groups in order, each drawn by weight without replacement. */
export function drawOrder<T extends Weighted>(records: T[], rnd: Random): T[] {
  const out: T[] = [];
  for (const group of priorityGroups(records)) {
    let remaining = arrange(group, rnd);
    while (remaining.length) {
      const total = remaining.reduce((s, r) => s + r.weight, 0);
      const pick = randomIntInclusive(rnd, total);
      let running = 0;
      let chosen = remaining[remaining.length - 1]!;
      for (const r of remaining) {
        running += r.weight;
        if (running >= pick) {
          chosen = r;
          break;
        }
      }
      out.push(chosen);
      remaining = remaining.filter((r) => r !== chosen); // the rest keep their arrangement
    }
  }
  return out;
}
