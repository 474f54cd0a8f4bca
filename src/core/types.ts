/**
 * The shared vocabulary of every stage: the two services, the SRV families and
 * connection modes, a candidate (one place to connect to), the input as parsed,
 * and the log of DNS queries. Types only; imports nothing of ours.
 */

export type ServiceKind = 'c2s' | 's2s';

/** `xmpp` = the `_xmpp-*` SRV family (STARTTLS), `xmpps` = `_xmpps-*` (direct TLS, XEP-0368). */
export type Family = 'xmpp' | 'xmpps';

export type ConnectMode = 'starttls' | 'directtls';

/** One place to connect to: an SRV record, or the A/AAAA fallback. */
export interface Candidate {
  /** Stable id, e.g. `c2s:xmpps:xmpp.example.com:5223`. */
  id: string;
  service: ServiceKind;
  family: Family;
  mode: ConnectMode;
  /** srv: an SRV record; fallback: the domain's A/AAAA; probe: the node --probe names. */
  source: 'srv' | 'fallback' | 'probe';
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
