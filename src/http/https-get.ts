/**
 * The HTTPS GET that POSH uses: one hop (the caller follows redirects), the
 * host resolved through our DNS client, SNI and an HTTPS name check for the
 * host, the body capped. A thin adapter over the web stage's request code
 * (src/web/request.ts), so there is one HTTP client in the project.
 */
import type { DnsClient } from '../dns/client.js';
import { webRequest, WebRequestError, type WebResponse } from './request.js';

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

/** The web client's response (truncated: cut at maxBytes), with the time it took. */
export type HttpsResponse = Pick<WebResponse, 'url' | 'address' | 'status' | 'headers' | 'body' | 'truncated'> & { timeMs: number };

export class HttpsGetError extends Error {
  constructor(
    readonly kind: 'dns' | 'connect' | 'tls' | 'timeout' | 'http' | 'url',
    message: string,
  ) {
    super(message);
    this.name = 'HttpsGetError';
  }
}

/** One GET of an https URL, trying each address of the host until one connects. */
export async function httpsGet(urlText: string, opts: HttpsGetOptions): Promise<HttpsResponse> {
  if (!urlText.startsWith('https://')) throw new HttpsGetError('url', `not an https URL: ${urlText}`);
  const started = performance.now();
  try {
    const res = await webRequest(urlText, { method: 'GET', headers: { accept: 'application/json, */*;q=0.1' } }, { ...opts });
    if (res.kind !== 'response') throw new HttpsGetError('http', `unexpected protocol upgrade from ${urlText}`);
    return { url: res.url, address: res.address, status: res.status, headers: res.headers, body: res.body, truncated: res.truncated, timeMs: Math.round(performance.now() - started) };
  } catch (err) {
    if (err instanceof HttpsGetError) throw err;
    if (err instanceof WebRequestError) throw new HttpsGetError(err.kind === 'certificate' ? 'tls' : err.kind, err.message);
    throw new HttpsGetError('connect', String(err));
  }
}
