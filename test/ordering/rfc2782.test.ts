import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawOrder, firstPickShares, priorityGroups } from '../../src/ordering/rfc2782.js';
import { orderCandidates } from '../../src/ordering/order.js';
import { seededRandom } from '../../src/core/random.js';

interface R {
  id: string;
  priority: number;
  weight: number;
}

/** Draws many seeded orders and compares first-pick frequencies with the computed shares. */
function checkFrequencies(group: R[], draws = 40_000, tolerance = 0.012): void {
  const shares = firstPickShares(group);
  const counts = new Map<string, number>(group.map((r) => [r.id, 0]));
  const rnd = seededRandom(12345);
  for (let i = 0; i < draws; i++) {
    const first = drawOrder(group, rnd)[0]!;
    counts.set(first.id, counts.get(first.id)! + 1);
  }
  for (const r of group) {
    const observed = counts.get(r.id)! / draws;
    const expected = shares.get(r)!;
    assert.ok(Math.abs(observed - expected) < tolerance, `${r.id}: observed ${observed.toFixed(4)}, expected ${expected.toFixed(4)}`);
  }
}

test('first-pick frequencies match the weight shares', () => {
  checkFrequencies([
    { id: 'a', priority: 0, weight: 60 },
    { id: 'b', priority: 0, weight: 30 },
    { id: 'c', priority: 0, weight: 10 },
  ]);
});

test('weight 0 beside weighted records is picked first only on a draw of 0', () => {
  const group = [
    { id: 'zero', priority: 0, weight: 0 },
    { id: 'w1', priority: 0, weight: 1 },
    { id: 'w3', priority: 0, weight: 3 },
  ];
  const shares = firstPickShares(group);
  assert.equal(shares.get(group[0]!), 1 / 5);
  assert.equal(shares.get(group[1]!), 1 / 5);
  assert.equal(shares.get(group[2]!), 3 / 5);
  checkFrequencies(group);
});

test('all weights 0: every record equally likely', () => {
  const group = [
    { id: 'a', priority: 0, weight: 0 },
    { id: 'b', priority: 0, weight: 0 },
    { id: 'c', priority: 0, weight: 0 },
    { id: 'd', priority: 0, weight: 0 },
  ];
  for (const s of firstPickShares(group).values()) assert.equal(s, 0.25);
  checkFrequencies(group);
});

test('shares of a group always sum to 1', () => {
  const rnd = seededRandom(7);
  for (let n = 0; n < 200; n++) {
    const group = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, i) => ({ id: String(i), priority: 0, weight: rnd() < 0.3 ? 0 : Math.floor(rnd() * 100) }));
    const sum = [...firstPickShares(group).values()].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-9, `sum ${sum} for ${JSON.stringify(group)}`);
  }
});

test('priorities are strict: a lower priority always comes first', () => {
  const recs = [
    { id: 'late', priority: 20, weight: 100 },
    { id: 'early1', priority: 10, weight: 1 },
    { id: 'early2', priority: 10, weight: 1 },
  ];
  assert.deepEqual(priorityGroups(recs).map((g) => g.map((r) => r.id).sort()), [['early1', 'early2'], ['late']]);
  const rnd = seededRandom(1);
  for (let i = 0; i < 100; i++) assert.equal(drawOrder(recs, rnd)[2]!.id, 'late');
});

test('a seed makes the draw reproducible; the order is a permutation', () => {
  const raw = ['a', 'b', 'c', 'd'].map((t, i) => ({
    id: `c2s:xmpp:${t}:5222`,
    service: 'c2s' as const,
    family: 'xmpp' as const,
    mode: 'starttls' as const,
    source: 'srv' as const,
    priority: i < 2 ? 0 : 5,
    weight: 10 * (i + 1),
    port: 5222,
    target: t,
    ttl: 300,
  }));
  const one = orderCandidates(raw, 99);
  const two = orderCandidates(raw, 99);
  assert.deepEqual(one.draw, two.draw);
  assert.deepEqual([...one.draw!.order].sort(), raw.map((r) => r.id).sort());
  assert.deepEqual(one.candidates.map((c) => c.group), [1, 1, 2, 2]);
  // Within a group, sorted by share, highest first.
  assert.equal(one.candidates[0]!.target, 'b');
  const seeds = new Set<string>();
  for (let s = 0; s < 30; s++) seeds.add(orderCandidates(raw, s).draw!.order.join());
  assert.ok(seeds.size > 1, 'different seeds give different orders');
});
