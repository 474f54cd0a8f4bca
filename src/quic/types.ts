/**
 * Types of the XMPP-over-QUIC probe: what to probe (a candidate with where it
 * came from), the UDP socket seam, and the typed result (with a JSON form
 * whose certificate chain is base64).
 */
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import type { Clock } from '../core/clock.js';

/** Where a QUIC candidate came from. */
export type QuicCandidateSource = 'srv' | 'host-meta' | 'default-port';

/** One place to try XMPP over QUIC: a host name (or IP) and UDP port. */
export interface QuicCandidate {
  /** Stable id, e.g. `c2s:quic:xmpp.example.com:443`. */
  id: string;
  service: ServiceKind;
  /** Host name (without trailing dot) or IP literal to resolve and probe. */
  host: string;
  port: number;
  source: QuicCandidateSource;
  /** One line on where exactly it came from, e.g. the SRV owner or the host-meta URL. */
  origin: string;
  /** SRV priority and weight; 0 for the others. */
  priority: number;
  weight: number;
}

export interface QuicTarget {
  /** IP literal to send to. */
  host: string;
  port: number;
  /** The XMPP domain: SNI and reference identity. */
  domain: string;
  service: ServiceKind;
  /** Where the candidate came from (a QuicCandidate's id or origin). */
  source: string;
}

export interface UdpRemoteInfo {
  address: string;
  port: number;
}

/** The smallest surface of a UDP socket the probe needs (node:dgram's Socket fits). */
export interface UdpSocketLike {
  send(msg: Buffer, port: number, address: string, callback?: (err: Error | null) => void): void;
  on(event: 'message', listener: (msg: Buffer, rinfo: UdpRemoteInfo) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  close(): void;
}

export type UdpSocketFactory = (family: 4 | 6) => UdpSocketLike;

export interface QuicProbeOptions {
  /** Deadline of the whole probe, in ms. */
  timeoutMs: number;
  socketFactory?: UdpSocketFactory;
  clock?: Clock;
  /** Most datagrams read from the server (default 64). */
  maxDatagrams?: number;
  /** Most bytes read from the server (default 256 KiB). */
  maxBytes?: number;
  /** Follow one Retry with a new Initial carrying its token (default true). */
  followRetry?: boolean;
  /**
   * Offer this ALPN instead of xmpp-client/xmpp-server (interop checks, e.g.
   * `h3` against an HTTP/3 server); the outcome then compares with it.
   */
  alpn?: string;
  /** Send CONNECTION_CLOSE at the end (default true). */
  polite?: boolean;
}

export type QuicOutcome =
  | 'handshake'
  | 'no-answer'
  | 'version-negotiation'
  | 'retry'
  | 'connection-closed'
  | 'wrong-alpn'
  | 'no-alpn'
  | 'error';

export interface QuicCloseError {
  code: number;
  /** Frame type that caused the error (transport close, 0x1c). */
  frameType?: number;
  /** Reason phrase, escaped and cut. */
  reason: string;
  /** The TLS alert, when the code is a CRYPTO_ERROR (0x0100 + alert). */
  tlsAlert?: number;
  /** e.g. `CRYPTO_ERROR 0x178 (TLS alert 120 no_application_protocol)`. */
  name: string;
  /** 0x1d: an application close. */
  application: boolean;
  /** Encryption level the close came in. */
  level: 'initial' | 'handshake';
}

export interface QuicTimings {
  /** First Initial sent until the Certificate message was read. */
  handshakeMs?: number;
  totalMs: number;
}

export interface QuicProbeResult {
  target: QuicTarget;
  outcome: QuicOutcome;
  /** Version Negotiation: the versions the server listed. */
  versions?: number[];
  closeError?: QuicCloseError;
  /** ALPN offered and chosen. */
  alpnOffered: string;
  alpn: string | null;
  tlsVersion?: string;
  /** IANA name, e.g. TLS_AES_128_GCM_SHA256. */
  cipher?: string;
  /** DER, leaf first. */
  chainDer: Buffer[];
  /** The server sent ECH retry configs in EncryptedExtensions. */
  ech: boolean;
  /** The server answered with a Retry (followed or not). */
  retry: boolean;
  /** How far the handshake got. */
  reached: 'nothing' | 'server-hello' | 'encrypted-extensions' | 'handshake-reached-certificate' | 'server-finished';
  /** CertificateVerify and Finished checks: true/false, null when not reached. */
  certificateVerify: boolean | null;
  finished: boolean | null;
  timings: QuicTimings;
  datagramsSent: number;
  datagramsReceived: number;
  bytesReceived: number;
  /** One line on what went wrong (network strings escaped). */
  error?: string;
  findings: Finding[];
}

/** The JSON form: the chain as base64. */
export type QuicProbeJson = Omit<QuicProbeResult, 'chainDer'> & { chainDer: string[] };

export function quicResultToJson(r: QuicProbeResult): QuicProbeJson {
  return { ...r, chainDer: r.chainDer.map((b) => b.toString('base64')) };
}
