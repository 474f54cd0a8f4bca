/** A small seeded PRNG (mulberry32) so one RFC 2782 draw can be replayed with --seed. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniformly random integer in [0, max] inclusive. */
export function randomIntInclusive(rnd: Random, max: number): number {
  return Math.min(max, Math.floor(rnd() * (max + 1)));
}
