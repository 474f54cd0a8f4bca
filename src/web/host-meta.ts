/**
 * host-meta (RFC 6415) as XEP-0156 uses it: fetches
 * https://<domain>/.well-known/host-meta (XRD) or host-meta.json (JRD) through
 * our resolver, follows a few https-only redirects, parses the document, and
 * checks the Access-Control-Allow-Origin header web clients need. Optionally
 * asks the plain-http URL whether it redirects (what older clients fetch).
 */
import { makeFinding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import { escapeTerminal } from '../core/escape.js';
import { httpsGet, HttpsGetError, type HttpsGetOptions, type HttpsResponse } from '../http/https-get.js';
import { WEB_FINDINGS as F } from './findings.js';
import { webRequest, type WebRequestOptions } from '../http/request.js';
import { PREFLIGHT_ORIGIN } from './bosh.js';
import type { CorsResult, HostMetaDocument, HttpHostMeta, WebFetchStep, WebLink } from './types.js';
import { parseXmlDocument } from './xml.js';

export const NS_XRD = 'http://docs.oasis-open.org/ns/xri/xrd-1.0';
const MAX_REDIRECTS = 3;
const MAX_BYTES = 64 * 1024;
const MAX_LINKS = 100;

export type HostMetaOptions = Omit<HttpsGetOptions, 'maxBytes'>;

export const hostMetaUrl = (domain: string, format: 'xrd' | 'jrd'): string => `https://${domain}/.well-known/host-meta${format === 'jrd' ? '.json' : ''}`;

export type ParsedLinks = { links: WebLink[] } | { error: string };

/** The links of an XRD document (RFC 6415 §3.1); the root must be <XRD/> in the XRD namespace. */
export function parseXrd(text: string): ParsedLinks {
  const doc = parseXmlDocument(text, { maxChars: MAX_BYTES, maxDepth: 8 });
  if (!doc.ok) return { error: `not well-formed XML: ${doc.error}` };
  const root = doc.root;
  if (root.name !== 'XRD' || root.ns !== NS_XRD) return { error: `the root element is <${root.name}> in namespace "${root.ns}", not <XRD xmlns="${NS_XRD}">` };
  const links: WebLink[] = [];
  for (const el of root.children) {
    if (el.name !== 'Link' || el.ns !== NS_XRD) continue;
    const rel = el.attrs['rel'];
    const href = el.attrs['href'];
    if (rel === undefined || href === undefined) continue;
    links.push({ rel: rel.trim(), href: href.trim(), type: el.attrs['type'] ?? null });
    if (links.length >= MAX_LINKS) break;
  }
  return { links };
}

/** The links of a JRD document (RFC 6415 Appendix A). */
export function parseJrd(text: string): ParsedLinks {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message}` };
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { error: 'the document is not a JSON object' };
  const raw = (doc as Record<string, unknown>).links;
  if (raw === undefined) return { links: [] };
  if (!Array.isArray(raw)) return { error: '"links" is not an array' };
  const links: WebLink[] = [];
  for (const l of raw) {
    if (typeof l !== 'object' || l === null || Array.isArray(l)) return { error: 'a member of "links" is not an object' };
    const o = l as Record<string, unknown>;
    if (typeof o.rel !== 'string') return { error: 'a link has no "rel" string' };
    if (o.href === undefined) continue; // a template link: nothing for us
    if (typeof o.href !== 'string') return { error: `the "href" of the ${o.rel} link is not a string` };
    links.push({ rel: o.rel.trim(), href: o.href.trim(), type: typeof o.type === 'string' ? o.type : null });
    if (links.length >= MAX_LINKS) break;
  }
  return { links };
}

function corsVerdict(v: string | null): CorsResult['verdict'] {
  if (v === null) return 'none';
  return v.trim() === '*' ? 'any' : 'origin';
}

/** ACAO of the final answer; when absent, asks again with an Origin (some servers only answer CORS then). */
async function corsOf(res: HttpsResponse, opts: HostMetaOptions): Promise<CorsResult> {
  const plain = res.headers['access-control-allow-origin'] ?? null;
  if (plain !== null) return { allowOrigin: plain, allowOriginWithOrigin: null, verdict: corsVerdict(plain) };
  let withOrigin: string | null = null;
  try {
    const again = await webRequest(res.url, { method: 'GET', headers: { origin: PREFLIGHT_ORIGIN } }, { ...(opts as WebRequestOptions), maxBytes: MAX_BYTES });
    if (again.kind === 'upgrade') again.socket.destroy();
    else withOrigin = again.headers['access-control-allow-origin'] ?? null;
  } catch {
    // the first answer stands
  }
  return { allowOrigin: null, allowOriginWithOrigin: withOrigin, verdict: corsVerdict(withOrigin) };
}

export interface HostMetaFetch {
  doc: HostMetaDocument;
  findings: Finding[];
  /** The fetch failed before any HTTP answer (for one shared "unreachable" finding). */
  unreachable: string | null;
}

/** Fetches and parses one of the two host-meta documents of a domain. Never throws. */
export async function fetchHostMeta(domain: string, format: 'xrd' | 'jrd', opts: HostMetaOptions): Promise<HostMetaFetch> {
  const start = hostMetaUrl(domain, format);
  const steps: WebFetchStep[] = [];
  const findings: Finding[] = [];
  const doc: HostMetaDocument = { format, url: start, status: 'error', steps, finalUrl: null, contentType: null, cors: null, links: [] };
  const out = (status: HostMetaDocument['status'], unreachable: string | null = null): HostMetaFetch => {
    doc.status = status;
    return { doc, findings, unreachable };
  };
  let url = start;
  for (let hop = 0; ; hop++) {
    if (hop > MAX_REDIRECTS) {
      findings.push(makeFinding(F.WEB_HOSTMETA_REDIRECT_FAILED, start, `${start} redirected more than ${MAX_REDIRECTS} times.`));
      return out('invalid');
    }
    let res: HttpsResponse;
    try {
      res = await httpsGet(url, { ...opts, maxBytes: MAX_BYTES });
    } catch (err) {
      const e = err instanceof HttpsGetError ? err : new HttpsGetError('connect', String(err));
      steps.push({ url, status: null, redirectTo: null, allowOrigin: null, error: `${e.kind}: ${escapeTerminal(e.message, 200)}`, timeMs: 0 });
      if (e.kind === 'tls') {
        findings.push(makeFinding(F.WEB_HOSTMETA_CERT_INVALID, url, `The HTTPS server for ${escapeTerminal(url)} failed the certificate check: ${escapeTerminal(e.message, 200)}.`));
        return out('error');
      }
      if (hop > 0) {
        findings.push(makeFinding(F.WEB_HOSTMETA_REDIRECT_FAILED, start, `${start} redirects to ${escapeTerminal(url)}, which could not be fetched (${escapeTerminal(e.message, 160)}).`));
        return out('error');
      }
      return out('error', escapeTerminal(e.message, 200));
    }
    const location = res.headers.location ?? null;
    const isRedirect = res.status >= 300 && res.status < 400 && res.status !== 304;
    let next: string | null = null;
    if (isRedirect && location !== null) {
      try {
        next = new URL(location, url).href;
      } catch {
        next = null;
      }
    }
    steps.push({ url, status: res.status, redirectTo: next ?? location, allowOrigin: res.headers['access-control-allow-origin'] ?? null, error: null, timeMs: res.timeMs });
    if (isRedirect) {
      if (location === null || next === null) {
        findings.push(makeFinding(F.WEB_HOSTMETA_REDIRECT_FAILED, url, `${escapeTerminal(url)} answered HTTP ${res.status} ${location === null ? 'without a Location header' : `with an unusable Location ${escapeTerminal(location, 120)}`}.`));
        return out('invalid');
      }
      if (!next.startsWith('https://')) {
        findings.push(makeFinding(F.WEB_HOSTMETA_REDIRECT_NOT_HTTPS, url, `${escapeTerminal(url)} redirects to ${escapeTerminal(next, 160)}, which is not https.`));
        return out('invalid');
      }
      url = next;
      continue;
    }
    if (res.status === 404 || res.status === 410) {
      if (hop > 0) {
        findings.push(makeFinding(F.WEB_HOSTMETA_REDIRECT_FAILED, start, `${start} redirects to ${escapeTerminal(url)}, which answers HTTP ${res.status}.`));
        return out('invalid');
      }
      return out('none');
    }
    if (res.status !== 200) {
      findings.push(makeFinding(hop > 0 ? F.WEB_HOSTMETA_REDIRECT_FAILED : F.WEB_HOSTMETA_HTTP_ERROR, url, `${escapeTerminal(url)} answered HTTP ${res.status}${hop > 0 ? ` (redirected from ${start})` : ''}.`));
      return out('invalid');
    }
    if (res.truncated) {
      findings.push(makeFinding(F.WEB_HOSTMETA_TOO_LARGE, url, `${escapeTerminal(url)} sent more than ${MAX_BYTES} bytes.`));
      return out('invalid');
    }
    doc.finalUrl = res.url;
    doc.contentType = res.headers['content-type'] ?? null;
    if (hop > 0) findings.push(makeFinding(F.WEB_HOSTMETA_REDIRECTED, start, `${start} is served only after ${hop} redirect${hop > 1 ? 's' : ''}, from ${escapeTerminal(res.url, 160)}.`));
    const parsed = format === 'xrd' ? parseXrd(res.body.toString('utf8')) : parseJrd(res.body.toString('utf8'));
    doc.cors = await corsOf(res, opts);
    const bareRedirects = steps.filter((s) => s.redirectTo !== null && s.allowOrigin === null);
    if (doc.cors.verdict === 'none') {
      findings.push(makeFinding(F.WEB_HOSTMETA_NO_CORS, res.url, `${escapeTerminal(res.url)} has no Access-Control-Allow-Origin header, not even when asked with an Origin.`));
    } else if (bareRedirects.length) {
      findings.push(makeFinding(F.WEB_HOSTMETA_NO_CORS, start, `The redirect from ${escapeTerminal(bareRedirects[0]!.url)} has no Access-Control-Allow-Origin header, so browsers stop there.`));
    } else if (doc.cors.verdict === 'origin') {
      const v = doc.cors.allowOrigin ?? doc.cors.allowOriginWithOrigin ?? '';
      findings.push(makeFinding(F.WEB_HOSTMETA_CORS_RESTRICTED, res.url, `${escapeTerminal(res.url)} sends Access-Control-Allow-Origin: ${escapeTerminal(v, 120)}.`));
    }
    if ('error' in parsed) {
      findings.push(makeFinding(F.WEB_HOSTMETA_MALFORMED, res.url, `${escapeTerminal(res.url)} is not a valid ${format === 'xrd' ? 'XRD' : 'JRD'} document: ${escapeTerminal(parsed.error, 160)}.`));
      return out('invalid');
    }
    doc.links = parsed.links;
    return out('found');
  }
}

/** GET http://<domain>/.well-known/host-meta on `httpPort`: does it redirect (to https)? Never throws. */
export async function fetchHttpHostMeta(domain: string, httpPort: number, opts: HostMetaOptions): Promise<{ result: HttpHostMeta; findings: Finding[] }> {
  const url = `http://${domain}/.well-known/host-meta`;
  const result: HttpHostMeta = { url, status: null, redirectTo: null, error: null };
  const findings: Finding[] = [];
  try {
    const res = await webRequest(url, { method: 'GET' }, { ...(opts as WebRequestOptions), defaultHttpPort: httpPort, maxBytes: 4096 });
    if (res.kind === 'upgrade') res.socket.destroy();
    result.status = res.status;
    const loc = res.headers['location'];
    if (res.status >= 300 && res.status < 400 && loc) {
      try {
        result.redirectTo = new URL(loc, url).href;
      } catch {
        result.redirectTo = loc;
      }
      if (result.redirectTo.startsWith('https://')) {
        findings.push(makeFinding(F.WEB_HOSTMETA_HTTP_REDIRECT, url, `${url} redirects (HTTP ${res.status}) to ${escapeTerminal(result.redirectTo, 160)}.`));
      }
    }
  } catch (err) {
    result.error = escapeTerminal(err instanceof Error ? err.message : String(err), 200);
  }
  return { result, findings };
}
