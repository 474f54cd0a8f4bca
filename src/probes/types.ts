/**
 * Typed result of one connection probe (one candidate, one address).
 * Owned by the probes stage; the report embeds it per service.
 */
import type { Candidate, ConnectMode, Family, ServiceKind } from '../core/types.js';
import { type StreamErrorInfo, type StreamInfo } from '../xmpp/stream.js';

/**
 * How a probe ended. `ok` means the stream was set up over TLS and its
 * features read, and they offer a way to authenticate; every other value
 * names the first thing that went wrong.
 */
export type ProbeOutcome =
  | 'ok'
  /** TCP: connection refused (RST). */
  | 'refused'
  /** TCP: no answer to the SYN within the deadline. */
  | 'connect-timeout'
  /** TCP: no route to the host or network. */
  | 'unreachable'
  /** TCP: any other socket error (reset mid-way included). */
  | 'network-error'
  /** TCP accepted, but the server said nothing within the deadline. */
  | 'silent'
  /** The server said something, then stopped before the step finished. */
  | 'stalled'
  /** The server closed the connection before the step finished. */
  | 'closed'
  /** An HTTP status line came back instead of XMPP. */
  | 'http'
  /** A TLS record answered our plaintext stream header (STARTTLS port speaks direct TLS). */
  | 'tls-on-starttls-port'
  /** Plaintext XML answered our TLS ClientHello (direct-TLS port speaks plain XMPP). */
  | 'plaintext-on-direct-tls'
  /** Bytes that are not XML (or not UTF-8). */
  | 'garbage'
  /** Well-formed XML, but not an XMPP stream (wrong root element or namespace). */
  | 'not-xmpp'
  /** DOCTYPE, comment or processing instruction (RFC 6120 §11.1). */
  | 'restricted-xml'
  /** An element too large or too deeply nested. */
  | 'xml-limit'
  /** The server sent more than the byte cap of one probe. */
  | 'byte-cap'
  /** The server closed the stream with a stream error. */
  | 'stream-error'
  /** The stream header lacks version='1.0', so no features follow. */
  | 'no-version'
  /** STARTTLS port whose features do not offer <starttls/>. */
  | 'no-starttls'
  /** <starttls/> answered with <failure/> (or anything but <proceed/>). */
  | 'starttls-failed'
  /** The TLS handshake failed. */
  | 'tls-failed'
  /** Direct TLS: the server refused or chose a wrong ALPN protocol. */
  | 'wrong-alpn'
  /** Direct TLS: the features over TLS offer STARTTLS (the server thinks the stream is plaintext; XEP-0368 §3 rule 5). */
  | 'starttls-in-direct-tls'
  /** The features over TLS offer no way to authenticate (c2s: no SASL, SASL2 or iq-auth; s2s: neither dialback nor SASL EXTERNAL). */
  | 'no-authentication'
  /** Not probed: the address is not an IP literal. */
  | 'bad-address';

/** Steps of a probe, in the order they run. */
export type ProbePhase = 'tcp' | 'stream' | 'starttls' | 'tls' | 'features';

/** Milliseconds per phase; null when the phase did not run. */
export interface ProbeTimings {
  tcpMs: number | null;
  /** STARTTLS mode: plaintext stream header sent until its features read. */
  streamMs: number | null;
  /** STARTTLS mode: <starttls/> sent until <proceed/> read. */
  starttlsMs: number | null;
  tlsMs: number | null;
  /** Stream header over TLS sent until its features read. */
  featuresMs: number | null;
  totalMs: number;
}

export interface ChainCert {
  /** DER, base64. */
  der: string;
  /** SHA-256 of the DER, hex, lower case. */
  sha256: string;
  subject: string;
  issuer: string;
  /** Subject equals issuer. */
  selfIssued: boolean;
  /**
   * True when this is a self-issued certificate identical to a root in Node's
   * bundled trust store (the server sent its root along; the probes' TLS
   * context has no store of its own to append one from).
   */
  fromTrustStore: boolean;
}

export interface TlsInfo {
  /** e.g. `TLSv1.3`. */
  version: string | null;
  /** OpenSSL cipher name. */
  cipher: string | null;
  /** IANA cipher name, when Node knows it. */
  cipherStandardName: string | null;
  /** SNI sent (the domain). */
  sni: string;
  /** ALPN protocols offered (direct TLS only; empty for STARTTLS). */
  alpnOffered: string[];
  /** ALPN protocol the server chose; null when none. */
  alpn: string | null;
  /** The certificate chain, leaf first. */
  chain: ChainCert[];
}





export interface ProbeReport {
  /** `<candidateId>@<address>`. */
  id: string;
  candidateId: string;
  service: ServiceKind;
  family: Family;
  mode: ConnectMode;
  target: string;
  port: number;
  address: string;
  ipFamily: 4 | 6;
  outcome: ProbeOutcome;
  /** One line on the outcome (network strings escaped and cut). */
  detail: string | null;
  /** The phase the probe ended in, when it did not succeed. */
  failedPhase: ProbePhase | null;
  timings: ProbeTimings;
  /** Bytes taken from the connection (never more than the byte cap). */
  bytesRead: number;
  bytesWritten: number;
  tls: TlsInfo | null;
  /** STARTTLS mode: the plaintext stream before TLS. */
  plainStream: StreamInfo | null;
  /** The stream over TLS (after STARTTLS, or direct TLS). */
  tlsStream: StreamInfo | null;
  streamError: StreamErrorInfo | null;
}

/** One address of one candidate: what to probe. */
export interface ProbeTarget {
  candidate: Candidate;
  address: string;
  ipFamily: 4 | 6;
}
