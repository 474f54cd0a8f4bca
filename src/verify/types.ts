/** What verification adds to a probe: the certificate, DANE and POSH results, and the verdict. */
import type { CertificateReport } from './certificate.js';
import type { ProbeReport } from '../probes/types.js';
import type { SecurityStatus } from '../dnssec/types.js';
import type { Verdict } from './verdict.js';

/** DANE for one probe: whether TLSA applies (DNSSEC), and how each record fared. */
export interface DaneReport {
  /** The TLSA owner whose records count: `_port._tcp.target` (or `_port._udp.host` for QUIC). */
  owner: string;
  /**
   * Which TLSA base domain that is (RFC 7671 §7): the target itself; for a
   * target that is an alias, the CNAME-expanded name or, failing that, the
   * name in the SRV record. Absent in reports before 2.2.
   */
  base?: 'target' | 'cname-expanded' | 'original-name';
  /** The TLSA owners looked at, in order. */
  tried?: string[];
  tlsaStatus: SecurityStatus | null;
  applies: boolean;
  reason: string;
  /** none: no TLSA records; not-applicable: records exist but DNSSEC does not let them count. */
  outcome: 'pass' | 'fail' | 'no-usable' | 'none' | 'not-applicable';
  records: { text: string; verdict: string; matchedIndex: number | null; reason: string }[];
}

/** A probe with what verification made of it. */
export interface CheckedProbe extends ProbeReport {
  certificate: CertificateReport | null;
  dane: DaneReport | null;
  /** Whether the leaf is among the POSH fingerprints; null when there was no usable POSH document. */
  posh: { matched: boolean; hash: string | null } | null;
  verdict: Verdict | null;
}

/** Ready-to-paste records and files, for the certificate each target presents. */
export interface Publish {
  /** A POSH document (JSON text) for the certificate(s) presented, to serve at the POSH URL. */
  posh: string | null;
  poshUrl: string;
  /** TLSA records (zone-file lines) that would match what the servers present. */
  tlsa: string[];
  /** Whether to publish these (empty when the certificate must be fixed first). */
  advice: PublishAdvice;
}

export interface PublishAdvice {
  /**
   * none: every connection is authenticated and no pin is stale; publish: the
   * POSH file and TLSA records above would authenticate what the servers
   * present; fix-certificate: a presented certificate is expired, not yet
   * valid, untrusted or names another domain, so no pin is suggested.
   */
  decision: 'none' | 'publish' | 'fix-certificate';
  reason: string;
}
