/**
 * The typed results of the web connection methods check (XEP-0156): what
 * host-meta and the _xmppconnect TXT record publish, and what each WebSocket
 * (RFC 7395) and BOSH (XEP-0124/0206) endpoint answered. These go into the
 * JSON report as they are; every string in them came from the network and is
 * raw (escape it before printing).
 */
import type { Finding } from '../core/finding.js';
import type { LookupStatus } from '../dns/lookup.js';
import type { StreamFeatures } from '../xmpp/stream.js';
import { type EndpointTls } from '../http/request.js';

export const REL_BOSH = 'urn:xmpp:alt-connections:xbosh';
export const REL_WEBSOCKET = 'urn:xmpp:alt-connections:websocket';

export type WebTransport = 'websocket' | 'bosh';
export type EndpointSource = 'host-meta' | 'host-meta.json' | 'txt';

/** One <Link/> (XRD) or links[] member (JRD), as published. */
export interface WebLink {
  rel: string;
  href: string;
  /** The `type` attribute/member, when given. */
  type: string | null;
}

/** One HTTP request of a fetch, redirects included. */
export interface WebFetchStep {
  url: string;
  status: number | null;
  redirectTo: string | null;
  /** The response's Access-Control-Allow-Origin header, null when absent. */
  allowOrigin: string | null;
  error: string | null;
  timeMs: number;
}

/** host-meta (XRD) or host-meta.json (JRD). */
export interface HostMetaDocument {
  format: 'xrd' | 'jrd';
  url: string;
  /** found: parsed; none: 404/410; invalid: a file we cannot use; error: the fetch failed. */
  status: 'found' | 'none' | 'invalid' | 'error';
  steps: WebFetchStep[];
  /** URL of the response that carried the document (after redirects). */
  finalUrl: string | null;
  contentType: string | null;
  cors: CorsResult | null;
  /** Every link, any rel, in document order. */
  links: WebLink[];
}

/** What the Access-Control-Allow-Origin header of a response allows. */
export interface CorsResult {
  /** The header on a plain request (no Origin sent); null when absent. */
  allowOrigin: string | null;
  /** The header when asked with an Origin (sent only when the plain answer had none). */
  allowOriginWithOrigin: string | null;
  /** any: `*`; origin: only the origin asked about (or one fixed origin); none: no header. */
  verdict: 'any' | 'origin' | 'none';
}

/** The plain-http host-meta check (only when `httpPort` is given). */
export interface HttpHostMeta {
  url: string;
  status: number | null;
  redirectTo: string | null;
  error: string | null;
}

export interface HostMetaReport {
  xrd: HostMetaDocument;
  jrd: HostMetaDocument;
  http: HttpHostMeta | null;
  /** XRD and JRD list the same BOSH/WebSocket endpoints (null unless both were found). */
  consistent: boolean | null;
}


export interface EndpointTimings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** Until the HTTP answer's headers (101 for WebSocket). */
  responseMs: number | null;
  /** WebSocket: until the server's <open/>. */
  openMs: number | null;
  /** Until the stream features (WebSocket frame, or the BOSH body). */
  featuresMs: number | null;
  totalMs: number;
}

export type EndpointOutcome =
  | 'ok'
  /** http:// or ws://: reported, not connected to. */
  | 'insecure'
  | 'bad-url'
  | 'unreachable'
  | 'timeout'
  | 'tls-error'
  /** WebSocket: no 101. BOSH: an HTTP error status. */
  | 'http-error'
  | 'handshake-invalid'
  | 'no-subprotocol'
  | 'no-open'
  | 'no-features'
  | 'stream-error'
  /** BOSH type='terminate'. */
  | 'terminate'
  | 'malformed'
  /** Not connected to (the caller asked for discovery only). */
  | 'skipped';

export interface WebSocketDetails {
  /** The Sec-WebSocket-Protocol the server agreed to, null when none. */
  subprotocol: string | null;
  /** Attributes of the server's <open/>. */
  open: { from: string | null; id: string | null; version: string | null; lang: string | null } | null;
  /** see-other-uri of a <close/> the server sent instead. */
  seeOtherUri: string | null;
  /** The server answered our <close/> with its own. */
  closedPolitely: boolean;
}

export interface BoshDetails {
  sid: string | null;
  /** Session attributes of the answer, as sent. */
  wait: number | null;
  hold: number | null;
  requests: number | null;
  inactivity: number | null;
  polling: number | null;
  ver: string | null;
  from: string | null;
  /** xmpp:version (XEP-0206). */
  xmppVersion: string | null;
  /** The Access-Control-Allow-Origin of the POST answer. */
  allowOrigin: string | null;
  /** The OPTIONS preflight (null when not tried). */
  preflight: { status: number | null; allowOrigin: string | null; allowMethods: string | null; allowHeaders: string | null; ok: boolean; error: string | null } | null;
}

export interface EndpointResult {
  outcome: EndpointOutcome;
  /** The address connected to. */
  address: string | null;
  httpStatus: number | null;
  tls: EndpointTls | null;
  features: StreamFeatures | null;
  /** Stream error or BOSH terminate condition. */
  error: { condition: string; text: string | null } | null;
  websocket: WebSocketDetails | null;
  bosh: BoshDetails | null;
  timings: EndpointTimings;
  /** What went wrong, in words; null when ok. */
  detail: string | null;
}

export interface WebEndpoint {
  transport: WebTransport;
  url: string;
  host: string | null;
  port: number | null;
  /** Where it was published (one connection per URL, however often it was listed). */
  sources: EndpointSource[];
  result: EndpointResult;
}

/** A link that looks like XMPP over QUIC, for the QUIC check. */
export interface QuicLink {
  rel: string;
  url: string;
  host: string;
  port: number;
  source: EndpointSource;
}

export interface XmppConnectTxt {
  name: string;
  status: LookupStatus;
  error: string | null;
  /** Each TXT record, its strings joined. */
  records: string[];
  bosh: string[];
  websocket: string[];
  /** Other `key=value` pairs. */
  other: { key: string; value: string }[];
  /** As given by the caller: true = DNSSEC-validated, false = insecure, null = unknown. */
  dnssecSecure: boolean | null;
}

export interface WebReport {
  domain: string;
  hostMeta: HostMetaReport;
  txt: XmppConnectTxt;
  endpoints: WebEndpoint[];
  quicLinks: QuicLink[];
  findings: Finding[];
  durationMs: number;
}
