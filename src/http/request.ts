/**
 * One HTTP(S) request to a web endpoint (POST, OPTIONS, a WebSocket upgrade, a
 * GET with an Origin), sibling of posh/https-get.ts: the host is resolved
 * through our DNS client, never the system resolver; TLS goes to that address
 * with SNI. Unlike httpsGet it does not fail on a bad certificate: it records
 * the PKIX verdict and the host name check (tls.checkServerIdentity) so the
 * caller can report them, and stops there unless told to go on. Deadline on
 * the whole exchange, body cap, timings of each phase.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { withDeadline } from '../core/deadline.js';
import type { DnsClient } from '../dns/client.js';
import { lookupHost } from '../dns/lookup.js';


export interface WebRequestOptions {
  dns: DnsClient;
  /** Extra trust roots (PEM), added to Node's bundled ones. */
  extraRoots: string[];
  timeoutMs: number;
  /** Port for https:// and wss:// URLs that name none (443; a test lab moves it). */
  defaultPort: number;
  /** Port for http:// and ws:// URLs that name none (80). */
  defaultHttpPort?: number;
  ipFamilies: (4 | 6)[];
  maxBytes?: number;
}

export interface WebRequest {
  method: 'GET' | 'POST' | 'OPTIONS';
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Ask for a protocol upgrade (WebSocket): a 101 answer hands over the socket. */
  upgrade?: boolean;
  /** Continue over TLS even when the certificate fails our checks (default false). */
  ignoreCertificate?: boolean;
}

export interface PhaseTimes {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  responseMs: number | null;
}

export interface WebResponse {
  kind: 'response';
  url: string;
  address: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  truncated: boolean;
  tls: EndpointTls | null;
  times: PhaseTimes;
}

export interface WebUpgrade {
  kind: 'upgrade';
  url: string;
  address: string;
  status: number;
  headers: Record<string, string>;
  socket: Duplex;
  /** Bytes that arrived after the 101 headers. */
  head: Buffer;
  tls: EndpointTls | null;
  times: PhaseTimes;
}

export type WebRequestErrorKind = 'url' | 'dns' | 'connect' | 'timeout' | 'tls' | 'certificate' | 'http';

export class WebRequestError extends Error {
  constructor(
    readonly kind: WebRequestErrorKind,
    message: string,
    /** Filled for 'certificate' (and when TLS got that far). */
    readonly tls: EndpointTls | null = null,
    readonly times: PhaseTimes | null = null,
    readonly address: string | null = null,
  ) {
    super(message);
    this.name = 'WebRequestError';
  }
}

const DEFAULT_MAX_BYTES = 256 * 1024;

function headersOf(raw: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** PKIX verdict from Node, host name check by RFC 9110/6125 rules, and what the leaf says. */
function tlsInfo(sock: tls.TLSSocket, host: string): EndpointTls {
  const cert = sock.getPeerCertificate();
  const has = cert && Object.keys(cert).length > 0;
  let identityError: string | null = has ? null : 'no certificate';
  if (has) {
    const err = tls.checkServerIdentity(host, cert);
    if (err) identityError = err.message;
  }
  const dnsNames = has && cert.subjectaltname
    ? cert.subjectaltname.split(/,\s*/).filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4))
    : [];
  const cn = has ? cert.subject?.CN : undefined;
  return {
    protocol: sock.getProtocol() ?? null,
    trusted: sock.authorized,
    trustError: sock.authorized ? null : String(sock.authorizationError ?? 'not trusted'),
    identityOk: identityError === null,
    identityError,
    subjectCn: Array.isArray(cn) ? (cn[0] ?? null) : (cn ?? null),
    dnsNames,
    validTo: has ? cert.valid_to : null,
    fingerprint256: has ? cert.fingerprint256 : null,
  };
}

const webContexts = new Map<string, tls.SecureContext>();

/**
 * The client context of every HTTPS request in this process with these extra
 * roots: OpenSSL verifies the chain (all of RFC 5280: dates of every
 * certificate, basicConstraints and path length, key usages, name
 * constraints, critical extensions) against Node's default store plus the
 * extra ones. Built once per set of extra roots. Node's default store is what
 * any Node program trusts: its bundled roots, plus NODE_EXTRA_CA_CERTS, which
 * Node has already parsed at start-up, so reusing that store costs about 2 ms
 * (without NODE_EXTRA_CA_CERTS Node builds it on first use, about 25 ms),
 * where a context given the roots as a list parses them all again (25-75 ms).
 */
function webSecureContext(extraRoots: string[]): tls.SecureContext {
  const key = extraRoots.join('\n');
  let ctx = webContexts.get(key);
  if (ctx) return ctx;
  const native = tls.createSecureContext() as tls.SecureContext & { context?: { addCACert?: (pem: string) => void } };
  if (typeof native.context?.addCACert === 'function') {
    for (const pem of extraRoots) native.context.addCACert(pem);
    ctx = native;
  } else {
    ctx = tls.createSecureContext({ ca: [...tls.rootCertificates, ...extraRoots] });
  }
  webContexts.set(key, ctx);
  return ctx;
}

async function addressesOf(dns: DnsClient, host: string, families: (4 | 6)[]): Promise<string[]> {
  if (net.isIP(host)) return [host];
  const h = await lookupHost(dns, host);
  const out: string[] = [];
  if (families.includes(4)) out.push(...h.a.addresses);
  if (families.includes(6)) out.push(...h.aaaa.addresses);
  return out;
}

function once(url: URL, address: string, req: WebRequest, opts: WebRequestOptions, dnsMs: number, deadline: number): Promise<WebResponse | WebUpgrade> {
  const started = performance.now();
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? opts.defaultPort : (opts.defaultHttpPort ?? 80);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const times: PhaseTimes = { dnsMs, connectMs: null, tlsMs: null, responseMs: null };
  const since = (): number => Math.round(performance.now() - started);
  let tlsResult: EndpointTls | null = null;
  const headers: Record<string, string> = { host: url.host, 'user-agent': 'xmpp-check', ...(req.headers ?? {}) };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  const common = { host: address, port, path: `${url.pathname}${url.search}`, method: req.method, headers, agent: false as const };
  const r = secure
    ? https.request({
        ...common,
        servername: net.isIP(host) ? undefined : host,
        secureContext: webSecureContext(opts.extraRoots),
        rejectUnauthorized: false,
        // Names are checked below, by us: `authorized` then means the chain alone.
        checkServerIdentity: () => undefined,
      } as https.RequestOptions & { secureContext: tls.SecureContext })
    : http.request(common);
  const onTimeout = (): never => {
    throw new WebRequestError('timeout', `no complete answer within ${Math.max(0, deadline - started | 0)} ms`, tlsResult, times, address);
  };
  // A failed exchange, or a whole response, is done with the request; an upgrade hands its socket over.
  const cleanup = (o: { ok: true; value: WebResponse | WebUpgrade } | { ok: false; error: unknown }): void => {
    if (!o.ok || o.value.kind === 'response') r.destroy();
  };
  return withDeadline<WebResponse | WebUpgrade>({ ms: deadline - performance.now(), onTimeout, cleanup }, (s) => {
    const fail = (err: WebRequestError): void => s.reject(err);
    r.on('socket', (sk) => {
      sk.once('connect', () => {
        times.connectMs = since();
      });
      if (secure) {
        sk.once('secureConnect', () => {
          times.tlsMs = since();
          tlsResult = tlsInfo(sk as tls.TLSSocket, host);
          if (!req.ignoreCertificate && (!tlsResult.trusted || !tlsResult.identityOk)) {
            const why = !tlsResult.trusted ? `certificate not trusted (${tlsResult.trustError})` : `certificate does not match ${host}: ${tlsResult.identityError}`;
            fail(new WebRequestError('certificate', why, tlsResult, times, address));
          }
        });
      }
    });
    r.on('error', (err: NodeJS.ErrnoException) => {
      const tlsish = secure && times.connectMs !== null && times.tlsMs === null;
      fail(new WebRequestError(tlsish ? 'tls' : 'connect', err.code ? `${err.code}: ${err.message}` : err.message, tlsResult, times, address));
    });
    r.on('upgrade', (res, socket, head) => {
      if (s.settled) {
        socket.destroy();
        return;
      }
      times.responseMs = since();
      s.resolve({ kind: 'upgrade', url: url.href, address, status: res.statusCode ?? 0, headers: headersOf(res.headers), socket, head, tls: tlsResult, times });
    });
    r.on('response', (res) => {
      times.responseMs = since();
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const finish = (): void => {
        if (s.settled) return;
        s.resolve({ kind: 'response', url: url.href, address, status: res.statusCode ?? 0, headers: headersOf(res.headers), body: Buffer.concat(chunks), truncated, tls: tlsResult, times });
      };
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        size += chunk.length;
        if (size > maxBytes) {
          truncated = true;
          chunks.push(chunk.subarray(0, chunk.length - (size - maxBytes)));
          finish();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', finish);
      res.on('error', () => fail(new WebRequestError('http', 'the response broke off', tlsResult, times, address)));
    });
    r.end(req.body);
  });
}

/**
 * One request to an http(s):// or ws(s):// URL, trying each address of the
 * host until one connects. A certificate problem stops at once (it is the
 * server's answer, not a network hiccup).
 */
export async function webRequest(urlText: string, req: WebRequest, opts: WebRequestOptions): Promise<WebResponse | WebUpgrade> {
  const started = performance.now();
  const deadline = started + opts.timeoutMs;
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new WebRequestError('url', 'not a URL');
  }
  if (!['https:', 'http:', 'wss:', 'ws:'].includes(url.protocol)) throw new WebRequestError('url', `unsupported scheme ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addrs: string[];
  try {
    addrs = await addressesOf(opts.dns, host, opts.ipFamilies);
  } catch (err) {
    throw new WebRequestError('dns', `could not resolve ${host}: ${String(err)}`);
  }
  const dnsMs = Math.round(performance.now() - started);
  if (!addrs.length) throw new WebRequestError('dns', `${host} has no address`, null, { dnsMs, connectMs: null, tlsMs: null, responseMs: null });
  let last: WebRequestError | null = null;
  for (const address of addrs) {
    if (performance.now() >= deadline) break;
    try {
      return await once(url, address, req, opts, dnsMs, deadline);
    } catch (err) {
      last = err instanceof WebRequestError ? err : new WebRequestError('connect', String(err));
      if (last.kind === 'certificate' || last.kind === 'tls' || last.kind === 'timeout') throw last;
    }
  }
  throw last ?? new WebRequestError('timeout', `no answer within ${opts.timeoutMs} ms`);
}

/** The certificate check of an endpoint's HTTPS server. */
export interface EndpointTls {
  protocol: string | null;
  /** The chain verifies to a trusted root (PKIX only; names are in `identityOk`). */
  trusted: boolean;
  trustError: string | null;
  /** The certificate names the endpoint's host (RFC 9110 §4.3.4 / RFC 6125). */
  identityOk: boolean;
  identityError: string | null;
  subjectCn: string | null;
  /** DNS names of the subjectAltName. */
  dnsNames: string[];
  validTo: string | null;
  /** SHA-256 of the leaf, colon-separated hex as Node prints it. */
  fingerprint256: string | null;
}
