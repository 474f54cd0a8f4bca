/**
 * The web connection methods stage (XEP-0156): host-meta (XRD and JRD) and the
 * _xmppconnect TXT record, in parallel; then each published WebSocket and BOSH
 * endpoint, once per URL, in parallel; QUIC-looking links handed on to the
 * QUIC check. Returns the typed WebReport with its findings. Never throws.
 */
import type { DnsClient } from '../dns/client.js';
import { dedupeFindings, inContext, makeFinding, sortFindings } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import { escapeTerminal } from '../core/escape.js';
import { checkBosh } from './bosh.js';
import { endpointFindings } from './endpoint-findings.js';
import { emptyResult } from './endpoint-common.js';
import { WEB_FINDINGS as F } from './findings.js';
import { fetchHostMeta, fetchHttpHostMeta, type HostMetaFetch } from './host-meta.js';
import { lookupXmppConnect } from './txt.js';
import { REL_BOSH, REL_WEBSOCKET, type EndpointSource, type HostMetaDocument, type QuicLink, type WebEndpoint, type WebReport, type WebTransport } from './types.js';
import { checkWebSocket } from './websocket.js';

export { summarizeEndpoint, summarizeWeb } from './endpoint-findings.js';
export type * from './types.js';

export interface WebCheckOptions {
  dns: DnsClient;
  /** Extra trust roots (PEM), added to Node's bundled ones. */
  extraRoots: string[];
  /** Deadline of each fetch and of each endpoint check. */
  timeoutMs: number;
  /** Port for https:// and wss:// URLs that name none (443; a test lab moves it). */
  defaultPort: number;
  ipFamilies: (4 | 6)[];
  /** DNSSEC status of the _xmppconnect TXT answer: true secure, false insecure, null unknown (default). */
  dnssecSecure?: boolean | null;
  /** Also GET http://<domain>/.well-known/host-meta on this port (80) to see whether it redirects; off when null (default). */
  httpPort?: number | null;
  /** Connect to the endpoints (default true); false lists them only. */
  connect?: boolean;
  /** Most endpoints connected to (default 8); the rest are listed as skipped. */
  maxEndpoints?: number;
}

const SCHEMES: Record<WebTransport, { secure: string; insecure: string }> = {
  websocket: { secure: 'wss:', insecure: 'ws:' },
  bosh: { secure: 'https:', insecure: 'http:' },
};

const transportOf = (rel: string): WebTransport | null => (rel === REL_WEBSOCKET ? 'websocket' : rel === REL_BOSH ? 'bosh' : null);

/** Endpoint keys (transport + URL) a found document lists. */
function endpointKeys(doc: HostMetaDocument): Set<string> {
  const s = new Set<string>();
  for (const l of doc.links) {
    const t = transportOf(l.rel);
    if (t) s.add(`${t} ${l.href}`);
  }
  return s;
}

/** Links whose rel mentions QUIC (e.g. urn:xmpp:alt-connections:quic), with host and port. */
export function quicLinksOf(links: { rel: string; href: string; source: EndpointSource }[]): QuicLink[] {
  const out: QuicLink[] = [];
  const seen = new Set<string>();
  for (const l of links) {
    if (!/quic/i.test(l.rel)) continue;
    let u: URL;
    try {
      u = new URL(l.href);
    } catch {
      continue;
    }
    const host = u.hostname.replace(/^\[|\]$/g, '');
    if (!host) continue;
    const key = `${l.rel} ${u.href}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ rel: l.rel, url: u.href, host, port: u.port ? Number(u.port) : 443, source: l.source });
  }
  return out;
}

function newEndpoint(transport: WebTransport, href: string, source: EndpointSource): WebEndpoint {
  let host: string | null = null;
  let port: number | null = null;
  const e: WebEndpoint = { transport, url: href, host, port, sources: [source], result: emptyResult('skipped') };
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    e.result = emptyResult('bad-url', 'not a URL');
    return e;
  }
  host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase() || null;
  const s = SCHEMES[transport];
  port = u.port ? Number(u.port) : u.protocol === s.secure ? 443 : u.protocol === s.insecure ? 80 : null;
  e.host = host;
  e.port = port;
  if (u.protocol === s.insecure) e.result = emptyResult('insecure', `${u.protocol}// is not encrypted`);
  else if (u.protocol !== s.secure) e.result = emptyResult('bad-url', `a ${transport === 'bosh' ? 'BOSH' : 'WebSocket'} URL needs ${s.secure}//, not ${escapeTerminal(u.protocol, 20)}//`);
  else if (!host) e.result = emptyResult('bad-url', 'no host in the URL');
  return e;
}

export async function checkWeb(domain: string, opts: WebCheckOptions): Promise<WebReport> {
  const started = performance.now();
  const dnssecSecure = opts.dnssecSecure ?? null;
  const base = { dns: opts.dns, extraRoots: opts.extraRoots, timeoutMs: opts.timeoutMs, defaultPort: opts.defaultPort, ipFamilies: opts.ipFamilies };
  const [xrd, jrd, txt, http] = await Promise.all([
    fetchHostMeta(domain, 'xrd', base),
    fetchHostMeta(domain, 'jrd', base),
    lookupXmppConnect(opts.dns, domain, dnssecSecure),
    opts.httpPort != null ? fetchHttpHostMeta(domain, opts.httpPort, base) : Promise.resolve(null),
  ]);
  const findings: Finding[] = [...xrd.findings, ...jrd.findings, ...(http?.findings ?? []), ...txt.findings];
  findings.push(...unreachable(domain, xrd, jrd));

  // XRD and JRD should agree on the endpoints.
  let consistent: boolean | null = null;
  if (xrd.doc.status === 'found' && jrd.doc.status === 'found') {
    const a = endpointKeys(xrd.doc);
    const b = endpointKeys(jrd.doc);
    const onlyA = [...a].filter((k) => !b.has(k));
    const onlyB = [...b].filter((k) => !a.has(k));
    consistent = !onlyA.length && !onlyB.length;
    if (!consistent) {
      const list = (xs: string[]): string => (xs.length ? xs.map((x) => escapeTerminal(x, 120)).join(', ') : 'nothing');
      findings.push(makeFinding(F.WEB_HOSTMETA_MISMATCH, `https://${domain}/.well-known/host-meta`, `Only in host-meta: ${list(onlyA)}; only in host-meta.json: ${list(onlyB)}.`));
    }
  }

  // Endpoints: one per transport and URL, with every source that lists it.
  const endpoints = new Map<string, WebEndpoint>();
  const add = (transport: WebTransport, href: string, source: EndpointSource): void => {
    const key = `${transport} ${href}`;
    const known = endpoints.get(key);
    if (known) {
      if (!known.sources.includes(source)) known.sources.push(source);
      return;
    }
    endpoints.set(key, newEndpoint(transport, href, source));
  };
  const allLinks: { rel: string; href: string; source: EndpointSource }[] = [];
  for (const [doc, source] of [[xrd.doc, 'host-meta'], [jrd.doc, 'host-meta.json']] as const) {
    for (const l of doc.links) {
      allLinks.push({ ...l, source });
      const t = transportOf(l.rel);
      if (t) add(t, l.href, source);
    }
  }
  for (const v of txt.txt.bosh) add('bosh', v, 'txt');
  for (const v of txt.txt.websocket) add('websocket', v, 'txt');

  const foundDocs = [xrd.doc, jrd.doc].filter((d) => d.status === 'found');
  const hostMetaEndpoints = [...endpoints.values()].some((e) => e.sources.some((s) => s !== 'txt'));
  if (foundDocs.length && !hostMetaEndpoints) {
    findings.push(makeFinding(F.WEB_HOSTMETA_NO_ENDPOINTS, foundDocs[0]!.finalUrl ?? foundDocs[0]!.url, `${escapeTerminal(foundDocs[0]!.finalUrl ?? foundDocs[0]!.url)} lists no ${REL_WEBSOCKET} or ${REL_BOSH} link.`));
  }
  if (xrd.doc.status === 'none' && jrd.doc.status === 'none' && !endpoints.size) {
    findings.push(makeFinding(F.WEB_NONE, domain, `https://${domain}/.well-known/host-meta and host-meta.json answer 404, and ${txt.txt.name} lists no endpoint.`));
  }

  // Connect to each endpoint that can be tried, up to the cap, all at once.
  const max = opts.maxEndpoints ?? 8;
  let tried = 0;
  await Promise.all(
    [...endpoints.values()].map(async (e) => {
      if (e.result.outcome !== 'skipped') return;
      if (opts.connect === false) {
        e.result.detail = 'discovery only';
        return;
      }
      if (tried >= max) {
        e.result.detail = `more than ${max} endpoints published`;
        return;
      }
      tried++;
      e.result = e.transport === 'websocket' ? await checkWebSocket(e.url, domain, base) : await checkBosh(e.url, domain, base);
    }),
  );
  for (const e of endpoints.values()) {
    // A broken endpoint is a warning when another one works: web clients use that one (docs/findings.md, "Severity in context").
    const othersWork = [...endpoints.values()].some((o) => o !== e && o.result.outcome === 'ok');
    findings.push(...endpointFindings(e, domain).map((f) => inContext(f, F, 'target', othersWork)));
    if (e.sources.length === 1 && e.sources[0] === 'txt') {
      findings.push(makeFinding(F.WEB_TXT_ONLY, e.url, `${escapeTerminal(e.url, 200)} is listed in ${txt.txt.name} but in neither host-meta document.`));
    }
  }

  return {
    domain,
    hostMeta: { xrd: xrd.doc, jrd: jrd.doc, http: http?.result ?? null, consistent },
    txt: txt.txt,
    endpoints: [...endpoints.values()],
    quicLinks: quicLinksOf(allLinks),
    findings: sortFindings(dedupeFindings(findings)),
    durationMs: Math.round(performance.now() - started),
  };
}

/** One finding when the web server cannot be reached at all, one per document otherwise. */
function unreachable(domain: string, xrd: HostMetaFetch, jrd: HostMetaFetch): Finding[] {
  if (xrd.unreachable && jrd.unreachable) {
    return [makeFinding(F.WEB_HOSTMETA_UNREACHABLE, `https://${domain}/`, `https://${domain}/ could not be reached (${xrd.unreachable}).`)];
  }
  return [xrd, jrd].filter((x) => x.unreachable).map((x) => makeFinding(F.WEB_HOSTMETA_UNREACHABLE, x.doc.url, `${x.doc.url} could not be fetched (${x.unreachable}).`));
}
