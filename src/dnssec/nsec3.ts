/**
 * Authenticated denial with NSEC3 (RFC 5155 §8, RFC 9276): the hash, base32hex,
 * and the proofs — closest encloser, next closer, wildcard, opt-out. Works
 * on NSEC3 records whose signatures were already checked. Iteration counts
 * above MAX_NSEC3_ITERATIONS make the answer insecure (RFC 9276 §3.2) so a
 * hostile zone cannot make us hash for long.
 */
import { createHash } from 'node:crypto';
import { ancestorWithLabels, isSubdomain, labelsOf, nameToWire, normName } from './wire.js';
import { delegationViewOfTypes } from './nsec.js';

export const MAX_NSEC3_ITERATIONS = 150;

const B32 = '0123456789abcdefghijklmnopqrstuv';

export function base32hexEncode(buf: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

export function base32hexDecode(s: string): Buffer | null {
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of s.toLowerCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 5155 §5: IH(salt, x, k) with SHA-1. */
export function nsec3Hash(name: string, salt: Buffer, iterations: number): Buffer {
  let h = createHash('sha1').update(nameToWire(name)).update(salt).digest();
  for (let i = 0; i < iterations; i++) h = createHash('sha1').update(h).update(salt).digest();
  return h;
}

export interface Nsec3Record {
  /** Owner name, e.g. `<hash>.zone`. */
  owner: string;
  hashAlgorithm: number;
  flags: number;
  iterations: number;
  salt: Buffer;
  next: Buffer;
  types: string[];
}

const ownerHash = (n: Nsec3Record): Buffer | null => base32hexDecode(labelsOf(n.owner)[0] ?? '');
export const isOptOut = (n: Nsec3Record): boolean => (n.flags & 1) === 1;

function covers(n: Nsec3Record, h: Buffer): boolean {
  const o = ownerHash(n);
  if (!o) return false;
  if (Buffer.compare(o, n.next) < 0) return Buffer.compare(o, h) < 0 && Buffer.compare(h, n.next) < 0;
  return Buffer.compare(o, h) < 0 || Buffer.compare(h, n.next) < 0; // last in the chain wraps
}

export type Nsec3Proof =
  | { ok: true; kind: 'nodata' | 'nxdomain' | 'wildcard-nodata' | 'opt-out' | 'wildcard-answer'; detail: string }
  | { ok: false; insecure?: boolean; detail: string };

/** Hashes names with the parameters of the NSEC3 set, remembering results. */
class Hasher {
  private readonly memo = new Map<string, Buffer>();
  constructor(
    readonly salt: Buffer,
    readonly iterations: number,
  ) {}
  hash(name: string): Buffer {
    const k = normName(name);
    let h = this.memo.get(k);
    if (!h) {
      h = nsec3Hash(k, this.salt, this.iterations);
      this.memo.set(k, h);
    }
    return h;
  }
}

/** Checks the set is usable: SHA-1, one parameter set, owners in the zone, iterations within bounds. */
function prepare(recs: Nsec3Record[], zone: string): { recs: Nsec3Record[]; hasher: Hasher } | { error: string; insecure?: boolean } {
  const usable = recs.filter((n) => n.hashAlgorithm === 1 && labelsOf(n.owner).length === labelsOf(normName(zone)).length + 1 && isSubdomain(n.owner, zone) && ownerHash(n)?.length === n.next.length);
  if (!usable.length) return { error: 'no usable NSEC3 record (unknown hash algorithm or owner outside the zone)' };
  const first = usable[0]!;
  if (first.iterations > MAX_NSEC3_ITERATIONS) {
    return { error: `NSEC3 uses ${first.iterations} iterations, above the ${MAX_NSEC3_ITERATIONS} we accept (RFC 9276): treated as insecure`, insecure: true };
  }
  const same = usable.filter((n) => n.iterations === first.iterations && n.salt.equals(first.salt));
  return { recs: same, hasher: new Hasher(first.salt, first.iterations) };
}

function find(recs: Nsec3Record[], h: Buffer): Nsec3Record | undefined {
  return recs.find((n) => ownerHash(n)?.equals(h));
}

interface Encloser {
  ce: string;
  nextCloser: string;
  coverOfNextCloser: Nsec3Record;
}

/** RFC 5155 §8.3: the closest provable encloser of `name` and the NSEC3 that covers the next closer name. */
function closestEncloserProof(recs: Nsec3Record[], hasher: Hasher, name: string, zone: string): Encloser | null {
  const q = normName(name);
  const ql = labelsOf(q).length;
  const zl = labelsOf(normName(zone)).length;
  for (let i = ql - 1; i >= zl; i--) {
    const ce = ancestorWithLabels(q, i);
    const m = find(recs, hasher.hash(ce));
    if (!m) continue;
    // An encloser that is a delegation or DNAME cannot prove names below it.
    if (m.types.includes('DNAME') || (m.types.includes('NS') && !m.types.includes('SOA'))) return null;
    const nextCloser = ancestorWithLabels(q, i + 1);
    const cover = recs.find((n) => covers(n, hasher.hash(nextCloser)));
    return cover ? { ce, nextCloser, coverOfNextCloser: cover } : null;
  }
  return null;
}

const wildcardOf = (ce: string): string => (ce === '.' ? '*' : `*.${ce}`);

/** NODATA for `name`/`type`, including DS under opt-out and wildcard NODATA (RFC 5155 §8.5-8.7). */
export function proveNodata3(all: Nsec3Record[], name: string, type: string, zone: string): Nsec3Proof {
  const p = prepare(all, zone);
  if ('error' in p) return { ok: false, insecure: p.insecure, detail: p.error };
  const { recs, hasher } = p;
  const q = normName(name);
  const m = find(recs, hasher.hash(q));
  if (m) {
    if (m.types.includes(type)) return { ok: false, detail: `the NSEC3 for ${q} says ${type} exists` };
    if (type !== 'CNAME' && m.types.includes('CNAME')) return { ok: false, detail: `the NSEC3 for ${q} says it is an alias (CNAME)` };
    if (type !== 'DS' && m.types.includes('NS') && !m.types.includes('SOA') && q !== normName(zone)) {
      return { ok: false, detail: `the NSEC3 for ${q} is the parent side of a delegation and cannot deny ${type}` };
    }
    return { ok: true, kind: 'nodata', detail: `NSEC3 for ${q} lists ${m.types.join(' ') || 'no types'}, not ${type}` };
  }
  const enc = closestEncloserProof(recs, hasher, q, zone);
  if (!enc) return { ok: false, detail: `no NSEC3 matches ${q} and no closest encloser can be proven` };
  if (type === 'DS' && enc.nextCloser === q && isOptOut(enc.coverOfNextCloser)) {
    return { ok: true, kind: 'opt-out', detail: `${q} lies in an opt-out span: an unsigned delegation may exist there` };
  }
  const wm = find(recs, hasher.hash(wildcardOf(enc.ce)));
  if (wm && !wm.types.includes(type) && !wm.types.includes('CNAME')) {
    return { ok: true, kind: 'wildcard-nodata', detail: `wildcard ${wildcardOf(enc.ce)} has no ${type}` };
  }
  return { ok: false, detail: `no NSEC3 proves that ${q} has no ${type}` };
}

/** NXDOMAIN for `name`: closest encloser, next closer covered, wildcard covered (RFC 5155 §8.4). */
export function proveNxdomain3(all: Nsec3Record[], name: string, zone: string): Nsec3Proof {
  const p = prepare(all, zone);
  if ('error' in p) return { ok: false, insecure: p.insecure, detail: p.error };
  const { recs, hasher } = p;
  const q = normName(name);
  if (find(recs, hasher.hash(q))) return { ok: false, detail: `an NSEC3 matches ${q}, so it exists` };
  const enc = closestEncloserProof(recs, hasher, q, zone);
  if (!enc) return { ok: false, detail: `no closest encloser of ${q} can be proven` };
  const wc = wildcardOf(enc.ce);
  const wcover = recs.find((n) => covers(n, hasher.hash(wc)));
  if (!wcover) return { ok: false, detail: `no NSEC3 proves that the wildcard ${wc} does not exist` };
  const optOut = isOptOut(enc.coverOfNextCloser);
  return {
    ok: true,
    kind: optOut ? 'opt-out' : 'nxdomain',
    detail: `closest encloser ${enc.ce}; next closer ${enc.nextCloser} covered${optOut ? ' by an opt-out NSEC3' : ''}; no wildcard ${wc}`,
  };
}

/** A wildcard-expanded answer: the next closer name under the wildcard's parent must be covered (RFC 5155 §8.8). */
export function proveWildcardAnswer3(all: Nsec3Record[], name: string, wildcard: string, zone: string): Nsec3Proof {
  const p = prepare(all, zone);
  if ('error' in p) return { ok: false, insecure: p.insecure, detail: p.error };
  const ce = normName(wildcard).replace(/^\*\.?/, '') || '.';
  const q = normName(name);
  const nextCloser = ancestorWithLabels(q, labelsOf(ce).length + 1);
  const cover = p.recs.find((n) => covers(n, p.hasher.hash(nextCloser)));
  return cover ? { ok: true, kind: 'wildcard-answer', detail: `NSEC3 covers ${nextCloser}` } : { ok: false, detail: `no NSEC3 proves that ${nextCloser} does not exist` };
}

export type Nsec3DelegationView = 'insecure-delegation' | 'not-a-cut' | 'nxdomain' | 'ds-claimed' | 'unproven' | 'insecure';

/** What NSEC3 records in answer to a DS query at `name` say about a zone cut there. */
export function nsec3Delegation(all: Nsec3Record[], name: string, zone: string): { view: Nsec3DelegationView; detail: string } {
  const p = prepare(all, zone);
  if ('error' in p) return { view: p.insecure ? 'insecure' : 'unproven', detail: p.error };
  const q = normName(name);
  const m = find(p.recs, p.hasher.hash(q));
  if (m) return delegationViewOfTypes(m.types, `the NSEC3 for ${q}`);
  const nod = proveNodata3(all, q, 'DS', zone);
  if (nod.ok && nod.kind === 'opt-out') return { view: 'insecure-delegation', detail: nod.detail };
  if (nod.ok) return { view: 'not-a-cut', detail: nod.detail };
  const nx = proveNxdomain3(all, q, zone);
  if (nx.ok) return { view: nx.kind === 'opt-out' ? 'insecure-delegation' : 'nxdomain', detail: nx.detail };
  return { view: 'unproven', detail: nx.detail };
}
