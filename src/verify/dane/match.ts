/**
 * DANE matching (RFC 6698, RFC 7671, RFC 7673 for XMPP): pure functions over
 * TLSA records and the certificate chain the server presented. Decides per
 * record whether it is usable and which certificate it matched, applies
 * digest algorithm agility, says whether DANE applies at all (SRV, address
 * and TLSA RRsets must all be DNSSEC-secure), and suggests the TLSA records
 * that would match what the server presents.
 */
import { tlsaOwner } from '../../core/names.js';
import { createHash, X509Certificate } from 'node:crypto';
import type { SecurityStatus } from '../../dnssec/types.js';

export interface Tlsa {
  usage: number;
  selector: number;
  matchingType: number;
  data: Buffer;
}

export interface DaneContext {
  /** PKIX validation of the chain (with the name check) succeeded: needed by PKIX-TA(0) and PKIX-EE(1). */
  pkixValid: boolean;
  /**
   * The leaf certificate matches a reference identifier (the source domain,
   * or the DNSSEC-secure SRV target, RFC 7673 §3): needed by DANE-TA(2).
   * A boolean, or a callback the matcher calls when it needs the answer.
   */
  nameMatches: boolean | (() => boolean);
}

export type TlsaVerdict = 'match' | 'no-match' | 'unusable' | 'ignored-weaker-digest';

export interface TlsaRecordResult {
  record: Tlsa;
  /** `3 1 1 ABCD…` */
  text: string;
  verdict: TlsaVerdict;
  /** Index in the presented chain (0 = leaf) of the certificate it matched, or null. */
  matchedIndex: number | null;
  /** Why it is (not) usable, in one line. */
  reason: string;
}

export interface DaneEvaluation {
  /** pass: a usable record matched; fail: usable records exist, none matched; no-usable: every record is unusable (fall back to PKIX, RFC 7671 §4.1). */
  outcome: 'pass' | 'fail' | 'no-usable';
  records: TlsaRecordResult[];
  /** The first record that matched. */
  matched: TlsaRecordResult | null;
}

const USAGE_NAMES = ['PKIX-TA', 'PKIX-EE', 'DANE-TA', 'DANE-EE'];
const SELECTOR_NAMES = ['Cert', 'SPKI'];
const MATCHING_NAMES = ['Full', 'SHA2-256', 'SHA2-512'];
const DIGEST_LENGTH: Record<number, number> = { 1: 32, 2: 64 };
/** Digest strength for agility (RFC 7671 §9); Full(0) is not a digest and is exempt. */
const STRENGTH: Record<number, number> = { 1: 1, 2: 2 };

export const tlsaText = (t: Tlsa): string => `${t.usage} ${t.selector} ${t.matchingType} ${t.data.toString('hex').toUpperCase()}`;
export const tlsaName = (t: Tlsa): string =>
  `${USAGE_NAMES[t.usage] ?? `usage ${t.usage}`}(${t.usage}) ${SELECTOR_NAMES[t.selector] ?? `selector ${t.selector}`}(${t.selector}) ${MATCHING_NAMES[t.matchingType] ?? `matching type ${t.matchingType}`}(${t.matchingType})`;

// ---- a minimal DER walk, to take the SubjectPublicKeyInfo bytes exactly as the certificate holds them ----

function tlv(buf: Buffer, off: number): { tag: number; start: number; end: number; next: number } {
  if (off + 2 > buf.length) throw new Error('truncated DER');
  const tag = buf[off]!;
  let len = buf[off + 1]!;
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || off + 2 + n > buf.length) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[off + 2 + i]!;
    hdr += n;
  }
  const start = off + hdr;
  const end = start + len;
  if (end > buf.length) throw new Error('DER overruns its buffer');
  return { tag, start, end, next: end };
}

/** The DER SubjectPublicKeyInfo of a certificate, byte for byte (selector 1). */
export function spkiOf(certDer: Buffer): Buffer {
  const cert = tlv(certDer, 0);
  const tbs = tlv(certDer, cert.start);
  let off = tbs.start;
  let field = tlv(certDer, off);
  if (field.tag === 0xa0) {
    off = field.next; // [0] version
    field = tlv(certDer, off);
  }
  // serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
  for (let i = 0; i < 5; i++) {
    off = tlv(certDer, off).next;
  }
  const spki = tlv(certDer, off);
  if (spki.tag !== 0x30) throw new Error('no SubjectPublicKeyInfo where expected');
  return certDer.subarray(off, spki.end);
}

function selected(certDer: Buffer, selector: number): Buffer {
  return selector === 0 ? certDer : spkiOf(certDer);
}

function associate(content: Buffer, matchingType: number): Buffer {
  if (matchingType === 1) return createHash('sha256').update(content).digest();
  if (matchingType === 2) return createHash('sha512').update(content).digest();
  return content;
}

/** Why a record's parameters are unusable, or null when they are fine (RFC 7671 §4.1, RFC 6698 §2.1). */
export function unusableReason(t: Tlsa): string | null {
  if (t.usage > 3) return `usage ${t.usage} is not defined (0-3)`;
  if (t.selector > 1) return `selector ${t.selector} is not defined (0 or 1)`;
  if (t.matchingType > 2) return `matching type ${t.matchingType} is not defined (0-2)`;
  const want = DIGEST_LENGTH[t.matchingType];
  if (want !== undefined && t.data.length !== want) return `a ${MATCHING_NAMES[t.matchingType]} digest is ${want} bytes, this one is ${t.data.length}`;
  if (t.matchingType === 0 && t.data.length === 0) return 'empty association data';
  return null;
}

/** True when `chain[i]` is signed by `chain[i+1]` for every i below `upTo`. */
function chainsTo(chain: Buffer[], upTo: number): boolean {
  try {
    const certs = chain.slice(0, upTo + 1).map((d) => new X509Certificate(d));
    for (let i = 0; i < upTo; i++) {
      if (!certs[i]!.checkIssued(certs[i + 1]!) || !certs[i]!.verify(certs[i + 1]!.publicKey)) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Matches TLSA records against the presented chain (DER, leaf first).
 * Per record: unusable parameters, weaker digest ignored (agility), or a
 * match/no-match with the rules of its usage.
 */
export function evaluateDane(records: Tlsa[], chain: Buffer[], ctx: DaneContext): DaneEvaluation {
  const nameOk = (): boolean => (typeof ctx.nameMatches === 'function' ? ctx.nameMatches() : ctx.nameMatches);
  const usable = records.filter((t) => unusableReason(t) === null);
  // Digest agility: per usage/selector, only the strongest digest present counts.
  const strongest = new Map<string, number>();
  for (const t of usable) {
    const s = STRENGTH[t.matchingType];
    if (s === undefined) continue;
    const k = `${t.usage}/${t.selector}`;
    strongest.set(k, Math.max(strongest.get(k) ?? 0, s));
  }
  const results: TlsaRecordResult[] = records.slice(0, 100).map((t) => {
    const text = tlsaText(t);
    const bad = unusableReason(t);
    if (bad) return { record: t, text, verdict: 'unusable', matchedIndex: null, reason: bad };
    const s = STRENGTH[t.matchingType];
    if (s !== undefined && s < (strongest.get(`${t.usage}/${t.selector}`) ?? 0)) {
      return { record: t, text, verdict: 'ignored-weaker-digest', matchedIndex: null, reason: `a stronger digest is published for ${USAGE_NAMES[t.usage]} ${SELECTOR_NAMES[t.selector]}, so this ${MATCHING_NAMES[t.matchingType]} record is ignored (RFC 7671 §9)` };
    }
    const candidates = t.usage === 1 || t.usage === 3 ? [0] : chain.map((_, i) => i).filter((i) => i > 0 || chain.length === 1);
    let index: number | null = null;
    for (const i of candidates) {
      const der = chain[i];
      if (!der) continue;
      let content: Buffer;
      try {
        content = selected(der, t.selector);
      } catch {
        continue;
      }
      if (associate(content, t.matchingType).equals(t.data)) {
        index = i;
        break;
      }
    }
    const where = t.usage === 1 || t.usage === 3 ? 'the server certificate' : 'any CA certificate the server sent';
    if (index === null) return { record: t, text, verdict: 'no-match', matchedIndex: null, reason: `${tlsaName(t)} matches none of ${where}` };
    switch (t.usage) {
      case 3:
        return { record: t, text, verdict: 'match', matchedIndex: 0, reason: 'DANE-EE matches the server certificate (names and dates are not checked, RFC 7671 §5.1)' };
      case 2:
        if (!chainsTo(chain, index)) return { record: t, text, verdict: 'no-match', matchedIndex: index, reason: `DANE-TA matches certificate #${index}, but the server certificate does not chain to it` };
        if (!nameOk()) return { record: t, text, verdict: 'no-match', matchedIndex: index, reason: `DANE-TA matches certificate #${index}, but the server certificate names neither the domain nor the secure SRV target` };
        return { record: t, text, verdict: 'match', matchedIndex: index, reason: `DANE-TA matches certificate #${index} the server sent, and the server certificate chains to it with a matching name` };
      default:
        if (!ctx.pkixValid) return { record: t, text, verdict: 'no-match', matchedIndex: index, reason: `${USAGE_NAMES[t.usage]} matches certificate #${index}, but the chain does not pass PKIX validation, which this usage also requires` };
        return { record: t, text, verdict: 'match', matchedIndex: index, reason: `${USAGE_NAMES[t.usage]} matches certificate #${index} and the chain passes PKIX validation` };
    }
  });
  const matched = results.find((r) => r.verdict === 'match') ?? null;
  const anyUsable = results.some((r) => r.verdict !== 'unusable');
  return { outcome: matched ? 'pass' : anyUsable ? 'fail' : 'no-usable', records: results, matched };
}

export interface TlsaSuggestion {
  record: Tlsa;
  /** Zone-file line, e.g. `_5222._tcp.xmpp.example.com. 3600 IN TLSA 3 1 1 ABCD…`. */
  line: string;
  about: string;
}

/**
 * The TLSA records that would match what the server presents: `3 1 1` for the
 * leaf key (survives renewals that keep the key) and `2 1 1` for the issuer
 * the server sent, with the owner `_port._tcp.target.`.
 */
export function suggestTlsa(chainDer: Buffer[], port: number, target: string, ttl = 3600): TlsaSuggestion[] {
  const owner = `${tlsaOwner({ port, target })}.`;
  const out: TlsaSuggestion[] = [];
  const add = (usage: number, der: Buffer | undefined, about: string): void => {
    if (!der) return;
    try {
      const rec: Tlsa = { usage, selector: 1, matchingType: 1, data: createHash('sha256').update(spkiOf(der)).digest() };
      out.push({ record: rec, line: `${owner} ${ttl} IN TLSA ${tlsaText(rec)}`, about });
    } catch {
      /* not a certificate: nothing to suggest */
    }
  };
  add(3, chainDer[0], 'DANE-EE: the server key; keep the key at renewal and this stays valid');
  add(2, chainDer[1], 'DANE-TA: the issuing CA the server sends; survives leaf renewals under the same CA key');
  return out;
}

export interface DaneApplicability {
  applies: boolean;
  reason: string;
}

/**
 * DANE is used only when the SRV (when there is one), the address and the
 * TLSA RRsets are all DNSSEC-secure (RFC 7673 §3, RFC 6698 §4.1); otherwise
 * TLSA records are ignored, and a mismatch there is not a DANE failure.
 */
export function daneApplies(srv: SecurityStatus | null, address: SecurityStatus, tlsa: SecurityStatus): DaneApplicability {
  const parts: [string, SecurityStatus | null][] = [
    ['SRV', srv],
    ['address', address],
    ['TLSA', tlsa],
  ];
  const bad = parts.filter(([, s]) => s !== null && s !== 'secure');
  if (!bad.length) return { applies: true, reason: 'SRV, address and TLSA records are all DNSSEC-secure' };
  const bogus = bad.filter(([, s]) => s === 'bogus');
  if (bogus.length) return { applies: false, reason: `the ${bogus.map(([n]) => n).join(' and ')} records are bogus: a DANE client cannot connect securely` };
  return { applies: false, reason: `the ${bad.map(([n, s]) => `${n} records are ${s}`).join(', ')}: DANE needs all of them secure, so TLSA records are ignored` };
}
