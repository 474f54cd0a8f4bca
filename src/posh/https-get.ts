/**
 * A small HTTPS GET for POSH (and later host-meta) that never touches the
 * system resolver: the host is resolved through our DNS client, the TLS
 * connection goes to that address with SNI and certificate check for the
 * host name (HTTPS rules, RFC 9110 §4.3.4 / RFC 6125), and the body is capped.
 * Redirects are followed by the caller, one hop per call.
 */
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { DnsClient } from '../dns/client.js';
import { lookupHost } from '../discovery/discover.js';

export interface HttpsGetOptions {
  dns: DnsClient;
  /** Extra trust roots (PEM), added to Node's bundled ones. */
  extraRoots: string[];
  timeoutMs: number;
  maxBytes: number;
  /** Port for https:// URLs that name none (443; a test lab moves it). */
  defaultPort: number;
  ipFamilies: (4 | 6)[];
}

export interface HttpsResponse {
  url: string;
  address: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** True when the body was cut at maxBytes. */
  truncated: boolean;
  timeMs: number;
}

export class HttpsGetError extends Error {
  constructor(
    readonly kind: 'dns' | 'connect' | 'tls' | 'timeout' | 'http' | 'url',
    message: string,
  ) {
    super(message);
    this.name = 'HttpsGetError';
  }
}

async function addressesOf(dns: DnsClient, host: string, families: (4 | 6)[]): Promise<string[]> {
  if (net.isIP(host)) return [host];
  const h = await lookupHost(dns, host);
  const out: string[] = [];
  if (families.includes(4)) out.push(...h.a.addresses);
  if (families.includes(6)) out.push(...h.aaaa.addresses);
  return out;
}

function getOnce(url: URL, address: string, opts: HttpsGetOptions): Promise<HttpsResponse> {
  const started = performance.now();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: HttpsGetError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const req = https.request({
      host: address,
      port: url.port ? Number(url.port) : opts.defaultPort,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      servername: net.isIP(host) ? undefined : host,
      headers: { host: url.host, accept: 'application/json, */*;q=0.1', 'user-agent': 'xmpp-check' },
      ca: [...tls.rootCertificates, ...opts.extraRoots],
      checkServerIdentity: (_h, cert) => tls.checkServerIdentity(host, cert),
      agent: false,
    });
    const timer = setTimeout(() => fail(new HttpsGetError('timeout', `no complete answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      const tlsish = /CERT|SSL|TLS|self.signed|altnames|UNABLE_TO|DEPTH_ZERO|ERR_TLS/i.test(`${err.code ?? ''} ${err.message}`);
      fail(new HttpsGetError(tlsish ? 'tls' : 'connect', err.code ? `${err.code}: ${err.message}` : err.message));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (chunk: Buffer) => {
        if (truncated) return;
        size += chunk.length;
        if (size > opts.maxBytes) {
          truncated = true;
          chunks.push(chunk.subarray(0, chunk.length - (size - opts.maxBytes)));
          finish();
          return;
        }
        chunks.push(chunk);
      });
      const finish = (): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ url: url.href, address, status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks), truncated, timeMs: Math.round(performance.now() - started) });
        req.destroy();
      };
      res.on('end', finish);
      res.on('error', () => fail(new HttpsGetError('http', 'the response broke off')));
    });
    req.end();
  });
}

/** One GET of an https URL, trying each address of the host until one connects. */
export async function httpsGet(urlText: string, opts: HttpsGetOptions): Promise<HttpsResponse> {
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new HttpsGetError('url', `not a URL: ${urlText}`);
  }
  if (url.protocol !== 'https:') throw new HttpsGetError('url', `not an https URL: ${urlText}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addrs = await addressesOf(opts.dns, host, opts.ipFamilies);
  if (!addrs.length) throw new HttpsGetError('dns', `${host} has no address`);
  let last: HttpsGetError | null = null;
  for (const address of addrs) {
    try {
      return await getOnce(url, address, opts);
    } catch (err) {
      last = err instanceof HttpsGetError ? err : new HttpsGetError('connect', String(err));
      // A certificate problem is the server's answer, not a network hiccup: do not try other addresses.
      if (last.kind === 'tls') throw last;
    }
  }
  throw last!;
}
