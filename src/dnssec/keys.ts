/**
 * DNSKEY arithmetic: the key tag (RFC 4034 Appendix B) and DS digests
 * (RFC 4034 §5.1.4, RFC 4509, RFC 6605), so a DS at the parent can be
 * matched to a key in the child.
 */
import { createHash } from 'node:crypto';
import { dnskeyRdata, nameToWire } from './wire.js';
import { type DnskeyData, type DsData } from '../dns/records.js';

/** RFC 4034 Appendix B key tag of a DNSKEY. */
export function keyTag(k: DnskeyData): number {
  const rdata = dnskeyRdata(k.flags, k.algorithm, k.key);
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >> 16) & 0xffff;
  return ac & 0xffff;
}

const DIGESTS: Record<number, string> = { 1: 'sha1', 2: 'sha256', 4: 'sha384' };
export const DIGEST_LENGTHS: Record<number, number> = { 1: 20, 2: 32, 4: 48 };

/** The DS digest of `owner`'s DNSKEY for a digest type, or null when the type is unsupported. */
export function dsDigest(owner: string, k: DnskeyData, digestType: number): Buffer | null {
  const alg = DIGESTS[digestType];
  if (!alg) return null;
  return createHash(alg).update(nameToWire(owner)).update(dnskeyRdata(k.flags, k.algorithm, k.key)).digest();
}

/** The DS record data that points at this key. */
export function makeDs(owner: string, k: DnskeyData, digestType = 2): DsData {
  const digest = dsDigest(owner, k, digestType);
  if (!digest) throw new Error(`unsupported DS digest type ${digestType}`);
  return { keyTag: keyTag(k), algorithm: k.algorithm, digestType, digest };
}

/** True when the DS names this key: same tag, algorithm, and a digest that matches. */
export function dsMatches(owner: string, ds: DsData, k: DnskeyData): boolean {
  if (ds.algorithm !== k.algorithm || ds.keyTag !== keyTag(k)) return false;
  const d = dsDigest(owner, k, ds.digestType);
  return d !== null && d.equals(ds.digest);
}

/** Flags bit 7 (ZONE): only zone keys may sign zone data (RFC 4034 §2.1.1). */
export const isZoneKey = (k: DnskeyData): boolean => (k.flags & 0x0100) !== 0;
/** Flags bit 15 (SEP): a hint only, never a requirement (RFC 4034 §2.1.1). */
export const isSep = (k: DnskeyData): boolean => (k.flags & 0x0001) !== 0;
