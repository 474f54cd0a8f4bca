/**
 * Our own DNSSEC validator (validate mode): from the trust anchors down to the
 * answer, DS → DNSKEY → RRSIG, with authenticated denial (NSEC, NSEC3) and
 * wildcard proofs. Every query goes through the DnsClient with CD set, so
 * the raw records and signatures arrive even where the resolver would answer
 * SERVFAIL. Zone cuts are found by walking DS queries from the anchor down to
 * the signer the RRSIGs name (or to the name itself when nothing is signed).
 * Validated zone keys, cut decisions and results are cached per validator,
 * so one run validates each zone once; independent DS queries go out in
 * parallel. Work is bounded by a query budget.
 */
import { dnskeyOf, dsOf, nsec3Of, nsecOf, rrsigOf, targetNameOf } from '../dns/records.js';
import type { Answer } from 'dns-packet';
import type { DnsClient, DnsResponse } from '../dns/client.js';
import { systemClock, type Clock } from '../core/clock.js';
import { rootAnchors, type TrustAnchor } from './anchors.js';
import { algorithmName, SUPPORTED_ALGORITHMS, SUPPORTED_DIGESTS } from './crypto.js';
import { dsMatches, isZoneKey, keyTag } from './keys.js';
import type { DnskeyData, DsData } from '../dns/records.js';
import { nsecDelegation, proveNodata, proveNxdomain, proveWildcardAnswer, type NsecRecord } from './nsec.js';
import { nsec3Delegation, proveNodata3, proveNxdomain3, proveWildcardAnswer3, type Nsec3Record } from './nsec3.js';
import { mainProblem, sigsFor, verifyRRset, type SigFailure, type SigProblem } from './rrsig.js';
import { worstStatus, type BrokenLink, type BrokenLinkKind, type ChainStep, type DnssecResult, type SecurityStatus } from './types.js';
import { isSubdomain, labelsOf, namesBetween, normName } from './wire.js';

export interface ValidatorOptions {
  client: DnsClient;
  /** Replaces the built-in root anchors (e.g. from a trust-anchor file). */
  anchors?: TrustAnchor[];
  clock?: Clock;
  /** Most DNS questions one validator may ask (default 300). */
  maxQueries?: number;
}

type ZoneState =
  | { status: 'secure'; zone: string; keys: DnskeyData[]; chain: ChainStep[] }
  | { status: 'insecure' | 'indeterminate'; zone: string; chain: ChainStep[]; reason: string }
  | { status: 'bogus'; zone: string; chain: ChainStep[]; reason: string; link: BrokenLink };

type CutStep =
  | { kind: 'secure-cut'; ds: DsData[] }
  | { kind: 'not-a-cut' | 'nxdomain'; detail: string }
  | { kind: 'insecure'; detail: string }
  | { kind: 'bogus'; link: BrokenLink }
  | { kind: 'indeterminate'; detail: string };

type Check = { status: SecurityStatus; zone: string | null; reason: string; link: BrokenLink | null; chain: ChainStep[]; wildcard?: string | null };

const SIG_TO_LINK: Record<SigFailure, BrokenLinkKind> = {
  'signature-expired': 'signature-expired',
  'signature-not-yet-valid': 'signature-not-yet-valid',
  'no-dnskey-for-keytag': 'no-dnskey-for-keytag',
  'bad-signature': 'bad-signature',
  'unsupported-algorithm': 'malformed',
  'signer-mismatch': 'signer-mismatch',
  'bad-labels': 'malformed',
  malformed: 'malformed',
};

const ofType = (rrs: Answer[], owner: string, type: string): Answer[] => rrs.filter((r) => r.type === type && normName(r.name) === normName(owner));
const fqdn = (n: string): string => (n === '.' ? '.' : `${n}.`);

export class DnssecValidator {
  private readonly client: DnsClient;
  private readonly anchors: TrustAnchor[];
  private readonly clock: Clock;
  private readonly maxQueries: number;
  private queries = 0;
  private readonly zoneCache = new Map<string, Promise<ZoneState>>();
  private readonly cutCache = new Map<string, Promise<CutStep>>();
  private readonly resultCache = new Map<string, Promise<DnssecResult>>();

  constructor(opts: ValidatorOptions) {
    this.client = opts.client;
    this.anchors = (opts.anchors ?? rootAnchors()).map((a) => ({ ...a, zone: normName(a.zone) }));
    this.clock = opts.clock ?? systemClock;
    this.maxQueries = opts.maxQueries ?? 300;
  }

  /** Validates the answer to one question. Never throws. */
  validate(name: string, type: string): Promise<DnssecResult> {
    const k = `${normName(name)}|${type}`;
    let p = this.resultCache.get(k);
    if (!p) {
      p = this.run(normName(name), type).catch((err) => this.result(normName(name), type, null, [], 'error', { status: 'indeterminate', zone: null, reason: `internal error: ${String(err)}`, link: null, chain: [] }));
      this.resultCache.set(k, p);
    }
    return p;
  }

  private async ask(name: string, type: string): Promise<DnsResponse> {
    if (++this.queries > this.maxQueries) throw new Error(`query budget of ${this.maxQueries} exhausted`);
    return this.client.query(name, type as never, { cd: true });
  }

  private result(name: string, type: string, res: DnsResponse | null, records: Answer[], outcome: DnssecResult['outcome'], c: Check): DnssecResult {
    return {
      name,
      type,
      mode: 'validate',
      status: c.status,
      outcome,
      rcode: res?.rcode ?? null,
      records,
      zone: c.zone,
      reason: c.reason,
      brokenLink: c.link,
      chain: c.chain,
      wildcard: c.wildcard ?? null,
      ede: res?.ede ?? [],
      caveat: null,
    };
  }

  private async run(name: string, type: string): Promise<DnssecResult> {
    let res: DnsResponse;
    try {
      res = await this.ask(name, type);
    } catch (err) {
      return this.result(name, type, null, [], 'error', { status: 'indeterminate', zone: null, reason: `no answer for ${name}/${type}: ${(err as Error).message}`, link: null, chain: [] });
    }
    if (res.rcode !== 'NOERROR' && res.rcode !== 'NXDOMAIN') {
      return this.result(name, type, res, [], 'error', { status: 'indeterminate', zone: null, reason: `the resolver answered ${res.rcode} even with checking disabled: the zone's servers could not be reached`, link: null, chain: [] });
    }
    const checks: Check[] = [];
    let cur = name;
    let records: Answer[] = [];
    let outcome: DnssecResult['outcome'] = 'nodata';
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      if (seen.has(cur)) {
        checks.push({ status: 'bogus', zone: null, reason: `CNAME loop at ${cur}`, link: { zone: cur, name: cur, type: 'CNAME', kind: 'malformed', detail: 'CNAME loop' }, chain: [] });
        break;
      }
      seen.add(cur);
      const rrs = ofType(res.answers, cur, type);
      if (rrs.length) {
        checks.push(await this.checkRRset(cur, type, rrs, res));
        records = rrs;
        outcome = 'answer';
        break;
      }
      const cn = type === 'CNAME' ? [] : ofType(res.answers, cur, 'CNAME');
      if (cn.length) {
        checks.push(await this.checkRRset(cur, 'CNAME', cn.slice(0, 1), res));
        cur = normName(targetNameOf(cn[0]!) ?? '');
        continue;
      }
      outcome = res.rcode === 'NXDOMAIN' ? 'nxdomain' : 'nodata';
      checks.push(await this.checkDenial(cur, type, res));
      break;
    }
    const status = worstStatus(checks.map((c) => c.status));
    const main = checks.find((c) => c.status === status) ?? checks[0]!;
    return this.result(name, type, res, records, outcome, { ...main, status });
  }

  /** The state of the zone that `owner` lies in, walking cuts down to `hint` (the RRSIG signer) or the name. */
  private async zoneFor(owner: string, hint: string | null): Promise<ZoneState> {
    const anchor = this.anchors.filter((a) => isSubdomain(owner, a.zone)).sort((x, y) => labelsOf(y.zone).length - labelsOf(x.zone).length)[0];
    if (!anchor) {
      return { status: 'insecure', zone: owner, chain: [{ zone: owner, status: 'insecure', via: 'no-anchor', keyTags: [], detail: 'no trust anchor covers this name' }], reason: `no trust anchor covers ${owner}` };
    }
    let state = await this.anchorZone(anchor);
    const target = hint && isSubdomain(owner, hint) && isSubdomain(hint, anchor.zone) ? normName(hint) : owner;
    const between = namesBetween(anchor.zone, target);
    // The DS questions on the way to a named signer are all needed: ask them at once.
    if (hint) for (const c of between) this.ask(c, 'DS').catch(() => undefined);
    for (const c of between) {
      if (state.status !== 'secure') return state;
      const step = await this.cutAt(state, c);
      if (step.kind === 'secure-cut') state = await this.childZone(c, step.ds, state.chain);
      else if (step.kind === 'not-a-cut') continue;
      else if (step.kind === 'nxdomain') break;
      else if (step.kind === 'insecure') {
        const chain = [...state.chain, { zone: c, status: 'insecure' as const, via: 'insecure-delegation' as const, keyTags: [], detail: step.detail }];
        return { status: 'insecure', zone: c, chain, reason: `${c} is an unsigned delegation: ${step.detail}` };
      } else if (step.kind === 'bogus') return { status: 'bogus', zone: state.zone, chain: state.chain, reason: step.link.detail, link: step.link };
      else return { status: 'indeterminate', zone: state.zone, chain: state.chain, reason: step.detail };
    }
    return state;
  }

  private anchorZone(anchor: TrustAnchor): Promise<ZoneState> {
    const k = `anchor:${anchor.zone}`;
    let p = this.zoneCache.get(k);
    if (!p) {
      p = this.keysFor(anchor.zone, anchor.ds, anchor.dnskeys, [], 'trust-anchor');
      this.zoneCache.set(k, p);
    }
    return p;
  }

  private childZone(zone: string, ds: DsData[], chain: ChainStep[]): Promise<ZoneState> {
    let p = this.zoneCache.get(zone);
    if (!p) {
      p = this.keysFor(zone, ds, [], chain, 'ds');
      this.zoneCache.set(zone, p);
    }
    return p;
  }

  /** DNSKEY step: the zone's key set, vouched for by DS (or anchor keys) and self-signed by such a key. */
  private async keysFor(zone: string, dsIn: DsData[], anchorKeys: DnskeyData[], chain: ChainStep[], via: 'trust-anchor' | 'ds'): Promise<ZoneState> {
    let ds = dsIn.filter((d) => SUPPORTED_ALGORITHMS.has(d.algorithm) && SUPPORTED_DIGESTS.has(d.digestType));
    // RFC 4509 §3: with a SHA-256 (or better) DS present, SHA-1 DS records are ignored.
    if (ds.some((d) => d.digestType !== 1)) ds = ds.filter((d) => d.digestType !== 1);
    const trusted = anchorKeys.filter((k) => SUPPORTED_ALGORITHMS.has(k.algorithm));
    const bogus = (kind: BrokenLinkKind, detail: string, type = 'DNSKEY'): ZoneState => ({
      status: 'bogus',
      zone,
      chain: [...chain, { zone, status: 'bogus', via, keyTags: [], detail }],
      reason: detail,
      link: { zone, name: zone, type, kind, detail },
    });
    if (!ds.length && !trusted.length) {
      const algs = [...new Set([...dsIn.map((d) => `${algorithmName(d.algorithm)}/digest ${d.digestType}`), ...anchorKeys.map((k) => algorithmName(k.algorithm))])].join(', ');
      const detail = `the ${via === 'ds' ? 'DS records' : 'trust anchor'} for ${fqdn(zone)} use only algorithms or digests we do not support (${algs}), so it is treated as unsigned (RFC 4035 §5.2)`;
      return { status: 'insecure', zone, chain: [...chain, { zone, status: 'insecure', via, keyTags: [], detail }], reason: detail };
    }
    let res: DnsResponse;
    try {
      res = await this.ask(zone, 'DNSKEY');
    } catch (err) {
      const detail = `no answer for the DNSKEY of ${fqdn(zone)}: ${(err as Error).message}`;
      return { status: 'indeterminate', zone, chain: [...chain, { zone, status: 'indeterminate', via, keyTags: [], detail }], reason: detail };
    }
    if (res.rcode !== 'NOERROR' && res.rcode !== 'NXDOMAIN') {
      const detail = `the DNSKEY query for ${fqdn(zone)} failed (${res.rcode})`;
      return { status: 'indeterminate', zone, chain: [...chain, { zone, status: 'indeterminate', via, keyTags: [], detail }], reason: detail };
    }
    const keyRrs = ofType(res.answers, zone, 'DNSKEY');
    const keys = keyRrs.flatMap((r) => dnskeyOf(r) ?? []);
    if (!keys.length && via === 'trust-anchor') {
      // Not the zone's fault: the resolver gives us no DNSSEC data for the anchor (it strips it, or serves a private view).
      const detail = `the resolver returns no DNSKEY for ${fqdn(zone)}, the trust anchor's zone: it does not pass DNSSEC data, so nothing can be validated`;
      return { status: 'indeterminate', zone, chain: [...chain, { zone, status: 'indeterminate', via, keyTags: [], detail }], reason: detail };
    }
    if (!keys.length) return bogus('no-dnskey', `${fqdn(zone)} has a DS at its parent but serves no DNSKEY`);
    const vouched = keys.filter((k) => ds.some((d) => dsMatches(zone, d, k)) || trusted.some((t) => t.algorithm === k.algorithm && t.key.equals(k.key)));
    if (!vouched.length) {
      const tags = keys.map((k) => keyTag(k)).join(', ');
      const d = ds[0];
      const sameTag = d ? keys.find((k) => keyTag(k) === d.keyTag && k.algorithm === d.algorithm) : undefined;
      const detail = d
        ? sameTag
          ? `DS ${d.keyTag}/${algorithmName(d.algorithm)}/digest ${d.digestType} for ${fqdn(zone)} names DNSKEY ${d.keyTag}, but the digest does not match it`
          : `DS ${ds.map((x) => `${x.keyTag}/${algorithmName(x.algorithm)}`).join(', ')} for ${fqdn(zone)} matches no DNSKEY of the zone (its keys: ${tags})`
        : `the trust anchor key for ${fqdn(zone)} is not in its DNSKEY RRset (its keys: ${tags})`;
      return bogus('ds-matches-no-dnskey', detail);
    }
    const sigs = sigsFor(res.answers, zone, 'DNSKEY');
    if (!sigs.length) return bogus('missing-rrsig', `the DNSKEY RRset of ${fqdn(zone)} has no RRSIG`);
    const check = verifyRRset(zone, 'DNSKEY', keyRrs, sigs, vouched, zone, this.clock.now());
    if (!check.ok) {
      const p = mainProblem(check.problems);
      if (p?.failure === 'no-dnskey-for-keytag' || !p) {
        return bogus('no-dnskey-for-keytag', `the DNSKEY RRset of ${fqdn(zone)} is not signed by the key the DS points to (${vouched.map((k) => keyTag(k)).join(', ')}); it is signed by ${sigs.map((s) => s.keyTag).join(', ')}`);
      }
      return bogus(SIG_TO_LINK[p.failure], `DNSKEY RRset of ${fqdn(zone)}: ${p.detail}`);
    }
    const zoneKeys = keys.filter(isZoneKey);
    const detail = `DNSKEY ${vouched.map((k) => keyTag(k)).join(', ')} ${via === 'ds' ? 'matches the DS at the parent' : 'matches the trust anchor'} and signs the key set`;
    return { status: 'secure', zone, keys: zoneKeys, chain: [...chain, { zone, status: 'secure', via, keyTags: vouched.map((k) => keyTag(k)), detail }] };
  }

  private cutAt(parent: Extract<ZoneState, { status: 'secure' }>, child: string): Promise<CutStep> {
    let p = this.cutCache.get(child);
    if (!p) {
      p = this.decideCut(parent, child);
      this.cutCache.set(child, p);
    }
    return p;
  }

  /** The DS question at `child`, answered by the (secure) parent zone: a signed cut, no cut, an unsigned cut, or a failure. */
  private async decideCut(parent: Extract<ZoneState, { status: 'secure' }>, child: string): Promise<CutStep> {
    let res: DnsResponse;
    try {
      res = await this.ask(child, 'DS');
    } catch (err) {
      return { kind: 'indeterminate', detail: `no answer for the DS of ${fqdn(child)}: ${(err as Error).message}` };
    }
    if (res.rcode !== 'NOERROR' && res.rcode !== 'NXDOMAIN') return { kind: 'indeterminate', detail: `the DS query for ${fqdn(child)} failed (${res.rcode})` };
    const now = this.clock.now();
    const link = (kind: BrokenLinkKind, detail: string, type = 'DS'): CutStep => ({ kind: 'bogus', link: { zone: parent.zone, name: child, type, kind, detail } });
    const dsRrs = ofType(res.answers, child, 'DS');
    if (dsRrs.length) {
      const sigs = sigsFor(res.answers, child, 'DS');
      if (!sigs.length) return link('missing-rrsig', `the DS RRset for ${fqdn(child)} in ${fqdn(parent.zone)} has no RRSIG`);
      const check = verifyRRset(child, 'DS', dsRrs, sigs, parent.keys, parent.zone, now);
      if (!check.ok) {
        const p = mainProblem(check.problems)!;
        return link(SIG_TO_LINK[p.failure], `DS RRset for ${fqdn(child)} in ${fqdn(parent.zone)}: ${p.detail}`);
      }
      return { kind: 'secure-cut', ds: dsRrs.flatMap((r) => dsOf(r) ?? []) };
    }
    const cn = ofType(res.answers, child, 'CNAME');
    if (cn.length) {
      const check = verifyRRset(child, 'CNAME', cn, sigsFor(res.answers, child, 'CNAME'), parent.keys, parent.zone, now);
      if (!check.ok) return link('missing-rrsig', `the CNAME at ${fqdn(child)} does not validate in ${fqdn(parent.zone)}`, 'CNAME');
      return { kind: 'not-a-cut', detail: `${fqdn(child)} is an alias` };
    }
    const denial = this.validatedDenial(res.authorities, parent);
    if (!denial.nsec.length && !denial.nsec3.length) {
      if (denial.problems.length) {
        const p = mainProblem(denial.problems)!;
        return link(SIG_TO_LINK[p.failure], `the proof that ${fqdn(child)} has no DS does not validate: ${p.detail}`, 'NSEC');
      }
      return link('missing-denial', `${fqdn(parent.zone)} is signed but gave no signed NSEC/NSEC3 proof that ${fqdn(child)} has no DS`);
    }
    const view = denial.nsec.length ? nsecDelegation(denial.nsec, child, parent.zone) : nsec3Delegation(denial.nsec3, child, parent.zone);
    switch (view.view) {
      case 'insecure-delegation':
      case 'insecure':
        return { kind: 'insecure', detail: view.detail };
      case 'not-a-cut':
        return { kind: 'not-a-cut', detail: view.detail };
      case 'nxdomain':
        return { kind: 'nxdomain', detail: view.detail };
      default:
        return link('bad-denial', `no valid proof that ${fqdn(child)} has no DS: ${view.detail}`, 'NSEC');
    }
  }

  /** NSEC/NSEC3 records of a section whose signatures verify with the zone's keys. */
  private validatedDenial(section: Answer[], zone: Extract<ZoneState, { status: 'secure' }>): { nsec: NsecRecord[]; nsec3: Nsec3Record[]; problems: SigProblem[] } {
    const now = this.clock.now();
    const nsec: NsecRecord[] = [];
    const nsec3: Nsec3Record[] = [];
    const problems: SigProblem[] = [];
    for (const rr of section.slice(0, 64)) {
      if (rr.type !== 'NSEC' && rr.type !== 'NSEC3') continue;
      const owner = normName(rr.name);
      if (!isSubdomain(owner, zone.zone)) continue;
      const check = verifyRRset(owner, rr.type, [rr], sigsFor(section, owner, rr.type), zone.keys, zone.zone, now);
      if (!check.ok) {
        problems.push(...(check.problems.length ? check.problems : [{ failure: 'no-dnskey-for-keytag' as const, keyTag: 0, algorithm: 0, detail: `the ${rr.type} at ${owner} has no RRSIG` }]));
        continue;
      }
      const n = nsecOf(rr);
      const n3 = nsec3Of(rr);
      if (n) nsec.push({ owner, next: normName(n.nextDomain), types: n.rrtypes });
      else if (n3) nsec3.push({ owner, hashAlgorithm: n3.algorithm, flags: n3.flags, iterations: n3.iterations, salt: n3.salt, next: n3.nextDomain, types: n3.rrtypes });
    }
    return { nsec, nsec3, problems };
  }

  private signerHint(section: Answer[], owner: string): string | null {
    for (const rr of section) {
      if (rr.type !== 'RRSIG') continue;
      const s = rrsigOf(rr)?.signersName;
      if (s !== undefined && isSubdomain(owner, s)) return normName(s);
    }
    return null;
  }

  private fromZone(z: ZoneState): Check {
    if (z.status === 'secure') return { status: 'secure', zone: z.zone, reason: '', link: null, chain: z.chain };
    return { status: z.status, zone: z.zone, reason: z.reason, link: z.status === 'bogus' ? z.link : null, chain: z.chain };
  }

  private async checkRRset(owner: string, type: string, rrs: Answer[], res: DnsResponse): Promise<Check> {
    const sigs = sigsFor(res.answers, owner, type);
    const hint = sigs.map((s) => s.signersName).find((s) => typeof s === 'string' && isSubdomain(owner, s)) ?? null;
    const z = await this.zoneFor(owner, hint);
    if (z.status !== 'secure') return this.fromZone(z);
    const bogus = (kind: BrokenLinkKind, detail: string): Check => ({ status: 'bogus', zone: z.zone, reason: detail, link: { zone: z.zone, name: owner, type, kind, detail }, chain: z.chain });
    if (!sigs.length) return bogus('missing-rrsig', `${owner}/${type} has no RRSIG although ${fqdn(z.zone)} is signed`);
    const check = verifyRRset(owner, type, rrs, sigs, z.keys, z.zone, this.clock.now());
    if (!check.ok) {
      const p = mainProblem(check.problems);
      return p ? bogus(SIG_TO_LINK[p.failure], `${owner}/${type}: ${p.detail}`) : bogus('missing-rrsig', `${owner}/${type} has no usable RRSIG by ${fqdn(z.zone)}`);
    }
    if (check.wildcard) {
      const d = this.validatedDenial(res.authorities, z);
      const proof = d.nsec.length ? proveWildcardAnswer(d.nsec, owner, z.zone) : d.nsec3.length ? proveWildcardAnswer3(d.nsec3, owner, check.wildcard, z.zone) : { ok: false as const, detail: 'no signed NSEC/NSEC3 came with it' };
      if (!proof.ok) return bogus('missing-denial', `${owner}/${type} was synthesised from ${check.wildcard}, but nothing proves ${owner} itself does not exist: ${proof.detail}`);
    }
    return { status: 'secure', zone: z.zone, reason: `${owner}/${type} is signed by ${fqdn(z.zone)} (key ${check.keyTag}) and the chain from the trust anchor holds`, link: null, chain: z.chain, wildcard: check.wildcard };
  }

  private async checkDenial(name: string, type: string, res: DnsResponse): Promise<Check> {
    const hint = this.signerHint(res.authorities, name);
    const z = await this.zoneFor(name, hint);
    if (z.status !== 'secure') return this.fromZone(z);
    const what = res.rcode === 'NXDOMAIN' ? `${name} does not exist` : `${name} has no ${type}`;
    const bogus = (kind: BrokenLinkKind, detail: string): Check => ({ status: 'bogus', zone: z.zone, reason: detail, link: { zone: z.zone, name, type, kind, detail }, chain: z.chain });
    const d = this.validatedDenial(res.authorities, z);
    if (!d.nsec.length && !d.nsec3.length) {
      const p = mainProblem(d.problems);
      if (p) return bogus(SIG_TO_LINK[p.failure], `the proof that ${what} does not validate: ${p.detail}`);
      return bogus('missing-denial', `${fqdn(z.zone)} is signed but no signed NSEC/NSEC3 proves that ${what}`);
    }
    let proof: { ok: boolean; detail: string; kind?: string; insecure?: boolean };
    if (d.nsec.length) proof = res.rcode === 'NXDOMAIN' ? proveNxdomain(d.nsec, name, z.zone) : proveNodata(d.nsec, name, type, z.zone);
    else proof = res.rcode === 'NXDOMAIN' ? proveNxdomain3(d.nsec3, name, z.zone) : proveNodata3(d.nsec3, name, type, z.zone);
    if (!proof.ok && proof.insecure) return { status: 'insecure', zone: z.zone, reason: proof.detail, link: null, chain: z.chain };
    if (!proof.ok) return bogus('bad-denial', `the NSEC${d.nsec.length ? '' : '3'} records do not prove that ${what}: ${proof.detail}`);
    if (proof.kind === 'opt-out') return { status: 'insecure', zone: z.zone, reason: `${what}, but only under NSEC3 opt-out, which does not prove it securely: ${proof.detail}`, link: null, chain: z.chain };
    return { status: 'secure', zone: z.zone, reason: `${what}: proven by NSEC${d.nsec.length ? '' : '3'} signed by ${fqdn(z.zone)} (${proof.detail})`, link: null, chain: z.chain };
  }
}
