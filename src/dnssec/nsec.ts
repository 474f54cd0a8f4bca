/**
 * Authenticated denial with NSEC (RFC 4035 §5.4, RFC 6840 §4.1, §4.4):
 * given NSEC records whose signatures were already checked, decide whether
 * they prove that a name does not exist, that it has no record of a type,
 * or (for DS) that a delegation is unsigned.
 */
import { compareNames, isSubdomain, labelsOf, normName, ancestorWithLabels } from './wire.js';

export interface NsecRecord {
  owner: string;
  next: string;
  types: string[];
}

/** True when the NSEC spans `name` (owner < name < next, with the last NSEC wrapping to the apex). */
export function nsecCovers(n: NsecRecord, name: string, zone: string): boolean {
  if (!isSubdomain(name, zone)) return false;
  const afterOwner = compareNames(name, n.owner) > 0;
  const beforeNext = compareNames(name, n.next) < 0;
  if (compareNames(n.owner, n.next) < 0) return afterOwner && beforeNext;
  return afterOwner || beforeNext; // last NSEC of the chain: next is the apex
}

/** An NSEC at an ancestor that is a delegation (NS without SOA) or a DNAME cannot deny names below it (RFC 6840 §4.1). */
function deniesBelow(n: NsecRecord, name: string): boolean {
  const o = normName(n.owner);
  if (o === normName(name) || !isSubdomain(name, o)) return true;
  if (n.types.includes('DNAME')) return false;
  if (n.types.includes('NS') && !n.types.includes('SOA')) return false;
  return true;
}

/** The closest encloser a covering NSEC implies: the longest ancestor of `name` shared with its owner or next name. */
function closestEncloser(n: NsecRecord, name: string, zone: string): string {
  const l = labelsOf(normName(name)).length;
  const zl = labelsOf(normName(zone)).length;
  for (let i = l - 1; i >= zl; i--) {
    const anc = ancestorWithLabels(name, i);
    if (isSubdomain(n.owner, anc) || isSubdomain(n.next, anc)) return anc;
  }
  return normName(zone);
}

const wildcardOf = (ce: string): string => (ce === '.' ? '*' : `*.${ce}`);

export type NsecProof =
  | { ok: true; kind: 'nodata' | 'nxdomain' | 'wildcard-nodata' | 'ent-nodata'; detail: string }
  | { ok: false; detail: string };

/** Proves that `name` has no `type` records (NODATA), directly, as an empty non-terminal, or through a wildcard. */
export function proveNodata(nsecs: NsecRecord[], name: string, type: string, zone: string): NsecProof {
  const q = normName(name);
  const match = nsecs.find((n) => normName(n.owner) === q);
  if (match) {
    if (match.types.includes(type)) return { ok: false, detail: `the NSEC at ${q} says ${type} exists` };
    if (type !== 'CNAME' && match.types.includes('CNAME')) return { ok: false, detail: `the NSEC at ${q} says it is an alias (CNAME)` };
    if (type !== 'DS' && match.types.includes('NS') && !match.types.includes('SOA') && q !== normName(zone)) {
      return { ok: false, detail: `the NSEC at ${q} is the parent side of a delegation and cannot deny ${type}` };
    }
    if (type === 'DS' && match.types.includes('SOA') && q !== '.') {
      return { ok: false, detail: `the NSEC at ${q} comes from the child zone apex and cannot deny DS` };
    }
    return { ok: true, kind: 'nodata', detail: `NSEC at ${q} lists ${match.types.join(' ') || 'no types'}, not ${type}` };
  }
  // Empty non-terminal: an NSEC spans the name and its next name lies below it.
  const ent = nsecs.find((n) => nsecCovers(n, q, zone) && isSubdomain(n.next, q) && normName(n.next) !== q);
  if (ent) return { ok: true, kind: 'ent-nodata', detail: `${q} is an empty non-terminal (NSEC ${normName(ent.owner)} → ${normName(ent.next)})` };
  // Wildcard NODATA: the name does not exist and the wildcard that would match has no such type.
  const cover = nsecs.find((n) => nsecCovers(n, q, zone) && deniesBelow(n, q));
  if (cover) {
    const wc = wildcardOf(closestEncloser(cover, q, zone));
    const wmatch = nsecs.find((n) => normName(n.owner) === wc);
    if (wmatch && !wmatch.types.includes(type) && !wmatch.types.includes('CNAME')) {
      return { ok: true, kind: 'wildcard-nodata', detail: `${q} is covered by NSEC ${normName(cover.owner)} and wildcard ${wc} has no ${type}` };
    }
  }
  return { ok: false, detail: `no NSEC proves that ${q} has no ${type}` };
}

/** Proves that `name` does not exist: an NSEC spans it and one spans the wildcard at its closest encloser. */
export function proveNxdomain(nsecs: NsecRecord[], name: string, zone: string): NsecProof {
  const q = normName(name);
  const cover = nsecs.find((n) => nsecCovers(n, q, zone) && deniesBelow(n, q));
  if (!cover) return { ok: false, detail: `no NSEC spans ${q}` };
  if (isSubdomain(cover.next, q) && normName(cover.next) !== q) {
    return { ok: false, detail: `${q} is an empty non-terminal, so it exists (NOERROR expected, not NXDOMAIN)` };
  }
  const ce = closestEncloser(cover, q, zone);
  const wc = wildcardOf(ce);
  const wcover = nsecs.find((n) => nsecCovers(n, wc, zone));
  if (!wcover) return { ok: false, detail: `no NSEC proves that the wildcard ${wc} does not exist` };
  return { ok: true, kind: 'nxdomain', detail: `NSEC ${normName(cover.owner)} → ${normName(cover.next)} spans ${q}; no wildcard ${wc}` };
}

/** For a wildcard-expanded answer: proves the query name itself does not exist (RFC 4035 §5.3.4). */
export function proveWildcardAnswer(nsecs: NsecRecord[], name: string, zone: string): NsecProof {
  const q = normName(name);
  const cover = nsecs.find((n) => nsecCovers(n, q, zone) && deniesBelow(n, q));
  return cover ? { ok: true, kind: 'nxdomain', detail: `NSEC ${normName(cover.owner)} spans ${q}` } : { ok: false, detail: `no NSEC proves that ${q} itself does not exist` };
}

export type DelegationView = 'insecure-delegation' | 'not-a-cut' | 'nxdomain' | 'ds-claimed' | 'unproven';

/**
 * What the type bitmap of the denial record that matches `name` exactly (NSEC,
 * or NSEC3 for its hash) says about a zone cut there; `what` names the record.
 */
export function delegationViewOfTypes(types: string[], what: string): { view: 'ds-claimed' | 'unproven' | 'insecure-delegation' | 'not-a-cut'; detail: string } {
  if (types.includes('DS')) return { view: 'ds-claimed', detail: `${what} lists DS, but no DS came` };
  if (types.includes('SOA')) return { view: 'unproven', detail: `${what} is from the child apex, not the parent` };
  if (types.includes('NS')) return { view: 'insecure-delegation', detail: `${what} shows a delegation (NS) without DS` };
  return { view: 'not-a-cut', detail: `${what} shows no delegation` };
}

/** What signed NSEC records in answer to a DS query at `name` say about a zone cut there. */
export function nsecDelegation(nsecs: NsecRecord[], name: string, zone: string): { view: DelegationView; detail: string } {
  const q = normName(name);
  const match = nsecs.find((n) => normName(n.owner) === q);
  if (match) return delegationViewOfTypes(match.types, `the NSEC at ${q}`);
  const nod = proveNodata(nsecs, q, 'DS', zone);
  if (nod.ok) return { view: 'not-a-cut', detail: nod.detail };
  const nx = proveNxdomain(nsecs, q, zone);
  if (nx.ok) return { view: 'nxdomain', detail: nx.detail };
  return { view: 'unproven', detail: nx.detail };
}
