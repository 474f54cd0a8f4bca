/**
 * RRSIG checks on one RRset (RFC 4035 §5.3): signer, type covered, labels,
 * validity window against the clock (serial arithmetic, RFC 4034 §3.1.5),
 * the key that the key tag and algorithm name, and the signature itself.
 * Returns either the signature that verified or why every one failed.
 */
import { rrsigOf } from '../dns/records.js';
import type { Answer } from 'dns-packet';
import { algorithmName, dnskeyToKeyObject, SUPPORTED_ALGORITHMS, verifySignature } from './crypto.js';
import { isZoneKey, keyTag } from './keys.js';
import type { DnskeyData, RrsigData } from '../dns/records.js';
import { ancestorWithLabels, isSubdomain, normName, rrsigLabelCount, signedData } from './wire.js';

export type SigFailure =
  | 'signature-expired'
  | 'signature-not-yet-valid'
  | 'no-dnskey-for-keytag'
  | 'bad-signature'
  | 'unsupported-algorithm'
  | 'signer-mismatch'
  | 'bad-labels'
  | 'malformed';

export interface SigProblem {
  failure: SigFailure;
  keyTag: number;
  algorithm: number;
  detail: string;
}

export type RRsetCheck =
  | { ok: true; sig: RrsigData; key: DnskeyData; keyTag: number; wildcard: string | null }
  | { ok: false; problems: SigProblem[] };

/** Seconds as a 32-bit serial number (RFC 1982) — RRSIG times wrap in 2106. */
const serialBefore = (a: number, b: number): boolean => ((a - b) | 0) < 0;

export function fmtTime(sec: number): string {
  return new Date(sec * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The RRSIG records of a section that cover `owner`/`type`. */
export function sigsFor(records: Answer[], owner: string, type: string): RrsigData[] {
  const o = normName(owner);
  return records
    .flatMap((rr) => {
      const d = normName(rr.name) === o ? rrsigOf(rr) : null;
      return d && d.typeCovered === type ? [d] : [];
    });
}

/**
 * Verifies an RRset against the zone's keys. `nowMs` is wall time. The first
 * signature that verifies wins (RFC 4035 §5.3.3: one valid RRSIG is enough).
 */
export function verifyRRset(
  owner: string,
  type: string,
  rrset: Answer[],
  sigs: RrsigData[],
  keys: DnskeyData[],
  zone: string,
  nowMs: number,
  limit = 16,
): RRsetCheck {
  const problems: SigProblem[] = [];
  const now = Math.floor(nowMs / 1000) >>> 0;
  const ownerLabels = rrsigLabelCount(normName(owner));
  for (const sig of sigs.slice(0, limit)) {
    const tag = sig.keyTag;
    const p = (failure: SigFailure, detail: string): void => {
      problems.push({ failure, keyTag: tag, algorithm: sig.algorithm, detail });
    };
    if (!sig || typeof sig.signersName !== 'string' || !Buffer.isBuffer(sig.signature)) {
      p('malformed', 'the RRSIG could not be read');
      continue;
    }
    if (sig.typeCovered !== type) continue;
    if (normName(sig.signersName) !== normName(zone) || !isSubdomain(owner, sig.signersName)) {
      p('signer-mismatch', `RRSIG signer ${normName(sig.signersName)} is not the zone ${normName(zone)}`);
      continue;
    }
    if (sig.labels > ownerLabels) {
      p('bad-labels', `RRSIG labels field ${sig.labels} exceeds the ${ownerLabels} labels of ${normName(owner)}`);
      continue;
    }
    if (!SUPPORTED_ALGORITHMS.has(sig.algorithm)) {
      p('unsupported-algorithm', `algorithm ${algorithmName(sig.algorithm)} is not supported`);
      continue;
    }
    const candidates = keys.filter((k) => k.algorithm === sig.algorithm && keyTag(k) === tag && isZoneKey(k));
    if (!candidates.length) {
      p('no-dnskey-for-keytag', `no DNSKEY with key tag ${tag} (${algorithmName(sig.algorithm)}) in ${normName(zone)}`);
      continue;
    }
    if (serialBefore(sig.expiration, now)) {
      p('signature-expired', `RRSIG ${type} by key ${tag} expired at ${fmtTime(sig.expiration)}`);
      continue;
    }
    if (serialBefore(now, sig.inception)) {
      p('signature-not-yet-valid', `RRSIG ${type} by key ${tag} is not valid before ${fmtTime(sig.inception)}`);
      continue;
    }
    let data: Buffer;
    try {
      data = signedData(sig, owner, rrset);
    } catch (err) {
      p('malformed', `the RRset could not be put in canonical form: ${(err as Error).message}`);
      continue;
    }
    let verified: DnskeyData | null = null;
    for (const k of candidates) {
      const ko = dnskeyToKeyObject(k.algorithm, k.key);
      if (ko && verifySignature(sig.algorithm, ko, data, sig.signature)) {
        verified = k;
        break;
      }
    }
    if (!verified) {
      p('bad-signature', `the RRSIG ${type} by key ${tag} (${algorithmName(sig.algorithm)}) does not verify: the data or the signature was changed`);
      continue;
    }
    const wildcard = sig.labels >= ownerLabels ? null : sig.labels === 0 ? '*' : `*.${ancestorWithLabels(owner, sig.labels)}`;
    return { ok: true, sig, key: verified, keyTag: tag, wildcard };
  }
  return { ok: false, problems };
}

/** Of several failures, the one that best explains the broken link (most specific first). */
export function mainProblem(problems: SigProblem[]): SigProblem | null {
  const order: SigFailure[] = [
    'bad-signature',
    'signature-expired',
    'signature-not-yet-valid',
    'no-dnskey-for-keytag',
    'bad-labels',
    'signer-mismatch',
    'malformed',
    'unsupported-algorithm',
  ];
  for (const f of order) {
    const p = problems.find((x) => x.failure === f);
    if (p) return p;
  }
  return null;
}
