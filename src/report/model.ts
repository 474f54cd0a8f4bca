/**
 * The report: the one data model that flows through the pipeline.
 *
 * Discovery fills `hosts`, `services[].srv` and `services[].candidates`; ordering
 * fills shares and the seeded draw; probes and verification add their own typed
 * results. Renderers (table, JSON) only read it. Every field here is described
 * by the versioned JSON Schema in schema/report.schema.json; change both together.
 * REPORT_SCHEMA_VERSION is MAJOR.MINOR: bump MINOR when you only add fields or
 * enum values (consumers ignore what they do not know; the schema allows it),
 * MAJOR when a field goes, changes type, or stops being always there.
 */
import type { PoshResult } from '../posh/posh.js';
import type { QuicServiceReport } from '../verify/quic.js';
import type { WebReport } from '../web/types.js';
import type { AuthoritativeReport } from '../discovery/authoritative.js';
import { type Candidate, type DnsQueryLog, type ReportInput, type ServiceKind } from '../core/types.js';
import { type CheckedProbe, type Publish } from '../verify/types.js';
import type { Prooftype } from '../verify/verdict.js';
import { type DnssecEntry } from '../dnssec/types.js';
import type { CataloguedFinding } from './catalogue.js';
import { type HostAddresses, type SrvLookup } from '../dns/lookup.js';

export const REPORT_SCHEMA_VERSION = '2.3';

export interface ServiceReport {
  service: ServiceKind;
  /** The SRV lookups of both families (and the legacy `_jabber._tcp` for c2s). */
  srv: { xmpp: SrvLookup; xmpps: SrvLookup; jabber: SrvLookup | null };
  /**
   * srv: SRV records found; fallback: none, so the domain's A/AAAA on the
   * default port; unavailable: the `.` target says there is no service, or
   * the domain does not exist (NXDOMAIN);
   * unknown: the lookups failed, so we cannot tell.
   */
  mode: 'srv' | 'fallback' | 'unavailable' | 'unknown' | 'probe';
  /** Candidates sorted by priority group, then by descending share. */
  candidates: Candidate[];
  /** One RFC 2782 draw, reproducible with `seed`. */
  draw: { seed: number; order: string[] } | null;
  /** Only `_xmpps-` records: the A/AAAA fallback that clients without XEP-0368 use instead (probed too); null otherwise. */
  legacyFallback?: Candidate | null;
  /** One per (candidate, address), with what verification made of it. */
  probes: CheckedProbe[];
  /** The domain's POSH file for this service (RFC 7711); null when not fetched. */
  posh: PoshResult | null;
  /** What the operator could publish to authenticate what the servers present. */
  publish: Publish;
  /** XMPP over QUIC (XEP-0467); null when not checked. */
  quic: QuicServiceReport | null;
  /** Does the service work: the verdict line of the table, the Nagios and Prometheus outputs. */
  status: ServiceStatus;
}

/**
 * ok: every target works (reachable and authenticated) on every address;
 * degraded: some target or address fails while another works; down: none
 * works; off: the SRV target `.` says there is no service; unknown: the SRV
 * lookups failed; unchecked: not probed (--dns-only).
 */
export type ServiceState = 'ok' | 'degraded' | 'down' | 'off' | 'unknown' | 'unchecked';

export interface ServiceStatus {
  state: ServiceState;
  /** Targets (candidates) that work on at least one address. */
  targetsUp: number;
  targetsTotal: number;
  /** Probes (target × address) that work. */
  addressesUp: number;
  addressesTotal: number;
  /** The prooftypes that authenticate the working connections. */
  authenticatedBy: Prooftype[];
  /** One line, e.g. "reachable via 3 of 4 targets, authenticated via PKIX+DANE". */
  summary: string;
}

/** One distinct certificate of the report (leaf or intermediate), and everywhere it was presented. */
export interface CertificateEntry {
  /** SHA-256 of the DER, lowercase hex. */
  sha256: string;
  role: 'leaf' | 'intermediate';
  subject: string;
  /** DNS names, SRV-IDs and XmppAddrs of the subjectAltName (the CN when there is none). */
  names: string[];
  /** Null for the HTTPS certificate of a web endpoint, of which only a summary is kept. */
  issuer: string | null;
  notBefore: string | null;
  notAfter: string | null;
  /** Whole days left at check time (negative once expired). */
  daysLeft: number | null;
  presentedBy: {
    /** Null for a web endpoint (WebSocket, BOSH). */
    service: ServiceKind | null;
    transport: 'tcp' | 'quic' | 'websocket' | 'bosh';
    /** Host name, or the URL of a web endpoint. */
    target: string;
    port: number | null;
    address: string | null;
  }[];
  /** PEM; in the JSON only with --include-certs. */
  pem?: string;
}

export interface DnssecSection {
  mode: 'validate' | 'resolver' | 'off';
  /** Where trust starts: the built-in root anchors, or a file given with --trust-anchor. */
  anchors: string;
  /** Resolver mode: what the statuses rest on. */
  caveat: string | null;
  results: DnssecEntry[];
}

export interface ReportSummary {
  status: 'ok' | 'warning' | 'error' | 'unknown';
  exitCode: 0 | 1 | 2 | 3;
  errors: number;
  warnings: number;
  infos: number;
  /** Set when the check could not run (status unknown). */
  reason: string | null;
}

export interface Report {
  schemaVersion: string;
  tool: { name: 'xmpp-check'; version: string };
  input: ReportInput;
  startedAt: string;
  durationMs: number;
  /** source none: the check never got as far as choosing one (an invalid command line); server is then empty. */
  resolver: { server: string; source: 'option' | 'resolv.conf' | 'none' };
  options: { services: ServiceKind[]; seed: number | null; timeoutMs: number; ipFamilies: (4 | 6)[] };
  dnssec: DnssecSection;
  /** XEP-0156: host-meta, the _xmppconnect TXT record, WebSocket and BOSH endpoints; null when not checked. */
  web: Omit<WebReport, 'findings'> | null;
  /** --authoritative: the zone's name servers asked directly, and their SRV answers; null when not asked. */
  authoritative: AuthoritativeReport | null;
  /** Address lookups of every host the services name, keyed by name. */
  hosts: Record<string, HostAddresses>;
  services: ServiceReport[];
  /** Every distinct certificate presented, once, with where it was presented. */
  certificates: CertificateEntry[];
  dns: { queries: DnsQueryLog[] };
  findings: CataloguedFinding[];
  summary: ReportSummary;
}
