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
import type { ProbeReport } from '../probes/types.js';
import type { CertificateReport } from '../verify/certificate.js';
import type { PoshResult } from '../posh/posh.js';
import type { Prooftype, Verdict } from '../verdict/verdict.js';
import type { SecurityStatus } from '../dnssec/types.js';
import type { QuicServiceReport } from '../quic/stage.js';
import type { WebReport } from '../web/types.js';
import type { AuthoritativeReport } from '../discovery/authoritative.js';

export const REPORT_SCHEMA_VERSION = '2.0';

export type Severity = 'error' | 'warning' | 'info';
export type ServiceKind = 'c2s' | 's2s';
/** `xmpp` = the `_xmpp-*` SRV family (STARTTLS), `xmpps` = `_xmpps-*` (direct TLS, XEP-0368). */
export type Family = 'xmpp' | 'xmpps';
export type ConnectMode = 'starttls' | 'directtls';

export interface Finding {
  /** Stable code from the catalogue (docs/findings.md). */
  code: string;
  severity: Severity;
  /** What the finding is about: a record, a target, an address, a probe. */
  subject: string;
  /** One specific line that explains this occurrence. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** Spec and section it rests on. */
  reference: string;
  service?: ServiceKind;
  /** Set by --ignore: kept in the report, but counted in no status or exit code. */
  ignored?: boolean;
  /** A root cause that several answers share: the names (and types) it breaks. */
  affected?: string[];
  /** Findings folded into this one because they are symptoms of the same cause. */
  related?: { code: string; subject: string }[];
}

export interface DnsFlags {
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
}

export interface DnsRecordLog {
  name: string;
  type: string;
  ttl: number;
  /** Presentation form of the RDATA, as in a zone file. */
  data: string;
}

/** One question asked of the resolver, as it went on the wire. */
export interface DnsQueryLog {
  name: string;
  type: string;
  server: string;
  transport: 'udp' | 'tcp';
  rcode: string | null;
  flags: DnsFlags | null;
  answers: DnsRecordLog[];
  /** Extended DNS Errors (RFC 8914), when the resolver sent any. */
  ede: { code: number; text: string }[];
  /** Set when no usable answer arrived: timeout, refused, malformed, ... */
  error: string | null;
  attempts: number;
  startMs: number;
  timeMs: number;
}

export type LookupStatus = 'ok' | 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'error';

export interface SrvRecord {
  /** e.g. `_xmpps-client._tcp.example.com` */
  owner: string;
  family: Family;
  priority: number;
  weight: number;
  port: number;
  /** Target host name, without trailing dot; `.` for "no service". */
  target: string;
  ttl: number;
}

export interface SrvLookup {
  owner: string;
  status: LookupStatus;
  rcode: string | null;
  error: string | null;
  /** Names of CNAMEs followed to reach the SRV RRset (a CNAME at the SRV owner). */
  cnames: string[];
  records: SrvRecord[];
  /** True when the RRset is the single record with target `.` (RFC 2782: service decidedly not available). */
  noService: boolean;
}

export interface AddressLookup {
  status: LookupStatus;
  error: string | null;
  addresses: string[];
  ttl: number | null;
}

export interface HostAddresses {
  name: string;
  /** CNAME chain followed from `name` (empty when `name` owns its addresses). */
  cnames: string[];
  /** True when `name` is an IP literal rather than a host name. */
  ipLiteral: boolean;
  a: AddressLookup;
  aaaa: AddressLookup;
}

/** One place to connect to: an SRV record, or the A/AAAA fallback. */
export interface Candidate {
  /** Stable id, e.g. `c2s:xmpps:xmpp.example.com:5223`. */
  id: string;
  service: ServiceKind;
  family: Family;
  mode: ConnectMode;
  source: 'srv' | 'fallback';
  priority: number;
  weight: number;
  port: number;
  target: string;
  ttl: number | null;
  /** Chance (0..1) that RFC 2782 selection picks this record first among its priority group. */
  share: number;
  /** Position of its priority group, 1 = tried first. */
  group: number;
}

export interface ServiceReport {
  service: ServiceKind;
  /** The SRV lookups of both families (and the legacy `_jabber._tcp` for c2s). */
  srv: { xmpp: SrvLookup; xmpps: SrvLookup; jabber: SrvLookup | null };
  /**
   * srv: SRV records found; fallback: none, so the domain's A/AAAA on the
   * default port; unavailable: the `.` target says there is no service;
   * unknown: the lookups failed, so we cannot tell.
   */
  mode: 'srv' | 'fallback' | 'unavailable' | 'unknown';
  /** Candidates sorted by priority group, then by descending share. */
  candidates: Candidate[];
  /** One RFC 2782 draw, reproducible with `seed`. */
  draw: { seed: number; order: string[] } | null;
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

/** DANE for one probe: whether TLSA applies (DNSSEC), and how each record fared. */
export interface DaneReport {
  /** `_port._tcp.target` */
  owner: string;
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

export interface DnssecSection {
  mode: 'validate' | 'resolver' | 'off';
  /** Where trust starts: the built-in root anchors, or a file given with --trust-anchor. */
  anchors: string;
  /** Resolver mode: what the statuses rest on. */
  caveat: string | null;
  results: DnssecEntry[];
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

export interface ReportInput {
  /** What the user typed. */
  raw: string;
  /** The domain in A-labels, without trailing dot: the reference identity. */
  domain: string;
  /** The domain in U-labels (same as `domain` when it is ASCII). */
  unicode: string;
  /** Set when the input was a JID: its localpart/resource were dropped. */
  jid: string | null;
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
  findings: Finding[];
  summary: ReportSummary;
}
