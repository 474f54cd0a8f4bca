/**
 * The DNSSEC result types every part of the check shares: the status of an
 * answer (RFC 4033 §5: secure, insecure, bogus, indeterminate), where the
 * chain of trust broke and why, and the chain walked from the anchor down.
 */
import type { Answer } from 'dns-packet';

export type SecurityStatus = 'secure' | 'insecure' | 'bogus' | 'indeterminate';
export type DnssecMode = 'validate' | 'resolver' | 'off';

/** Why a link of the chain broke, in DNSViz's terms. */
export type BrokenLinkKind =
  | 'signature-expired'
  | 'signature-not-yet-valid'
  | 'ds-matches-no-dnskey'
  | 'no-dnskey-for-keytag'
  | 'bad-signature'
  | 'missing-rrsig'
  | 'no-dnskey'
  | 'missing-denial'
  | 'bad-denial'
  | 'signer-mismatch'
  | 'malformed';

export interface BrokenLink {
  /** The zone whose data or keys failed. */
  zone: string;
  /** The RRset that failed: `name`/`type`. */
  name: string;
  type: string;
  kind: BrokenLinkKind;
  detail: string;
}

/** One zone on the way from the trust anchor to the answer. */
export interface ChainStep {
  zone: string;
  status: SecurityStatus;
  /** How the zone's keys were reached. */
  via: 'trust-anchor' | 'ds' | 'insecure-delegation' | 'no-anchor';
  /** Key tags of the DNSKEYs that the DS (or anchor) vouched for. */
  keyTags: number[];
  detail: string;
}

export interface DnssecResult {
  name: string;
  type: string;
  mode: DnssecMode;
  status: SecurityStatus;
  /** What the answer said. */
  outcome: 'answer' | 'nodata' | 'nxdomain' | 'error';
  rcode: string | null;
  /** The records of the asked type (after CNAMEs), without signatures. */
  records: Answer[];
  /** The zone that signed the answer, or where the insecure delegation is. */
  zone: string | null;
  /** One line: why this status. */
  reason: string;
  brokenLink: BrokenLink | null;
  chain: ChainStep[];
  /** Set when the answer was synthesised from this wildcard. */
  wildcard: string | null;
  /** Extended DNS Errors the resolver sent (RFC 8914). */
  ede: { code: number; text: string }[];
  /** Resolver mode: what the status rests on. */
  caveat: string | null;
}

const RANK: Record<SecurityStatus, number> = { secure: 0, insecure: 1, indeterminate: 2, bogus: 3 };

/** The weakest of several statuses (bogus beats indeterminate beats insecure beats secure). */
export function worstStatus(list: SecurityStatus[]): SecurityStatus {
  return list.reduce<SecurityStatus>((w, s) => (RANK[s] > RANK[w] ? s : w), 'secure');
}

/** The DNSSEC status of one answer that matters (SRV, A/AAAA, TLSA). */
export interface DnssecEntry {
  name: string;
  type: string;
  status: SecurityStatus;
  outcome: 'answer' | 'nodata' | 'nxdomain' | 'error';
  zone: string | null;
  reason: string;
  brokenLink: { zone: string; name: string; type: string; kind: string; detail: string } | null;
  wildcard: string | null;
  ede: { code: number; text: string }[];
}
