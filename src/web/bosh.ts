/**
 * XMPP over BOSH (XEP-0124 §7.1, XEP-0206) against one https:// endpoint: one
 * session creation request with a short `wait`, the answer read for its sid,
 * session attributes, stream features or terminate condition; then a polite
 * terminate, and a CORS preflight (OPTIONS) as a web client on another origin
 * would send. One deadline for the whole check; bodies capped.
 */
import { randomInt } from 'node:crypto';
import { parseFeatures, NS_STREAMS } from '../xmpp/stream.js';
import { escapeTerminal } from '../core/escape.js';
import { emptyResult, failedRequest, remaining, timingsFrom } from './endpoint-common.js';
import { webRequest, type WebRequestOptions, type WebResponse } from '../http/request.js';
import type { BoshDetails, EndpointResult } from './types.js';
import { attrNs, parseXmlDocument } from './xml.js';

export const NS_HTTPBIND = 'http://jabber.org/protocol/httpbind';
export const NS_XBOSH = 'urn:xmpp:xbosh';
/** The origin our preflight claims to come from (a name that can never be real). */
export const PREFLIGHT_ORIGIN = 'https://xmpp-check.invalid';
const MAX_BODY = 65_536;

function escAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');
}

/** The session creation request of XEP-0206 §5. */
export function sessionRequest(domain: string, rid: number, wait: number): string {
  return (
    `<body content='text/xml; charset=utf-8' hold='1' rid='${rid}' to='${escAttr(domain)}' ver='1.6' wait='${wait}'` +
    ` xml:lang='en' xmpp:version='1.0' xmlns='${NS_HTTPBIND}' xmlns:xmpp='${NS_XBOSH}'/>`
  );
}

export function terminateRequest(sid: string, rid: number): string {
  return `<body rid='${rid}' sid='${escAttr(sid)}' type='terminate' xmlns='${NS_HTTPBIND}'/>`;
}

const num = (v: string | undefined): number | null => (v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : null);

/** Creates one BOSH session and reads its answer. Never throws. */
export async function checkBosh(url: string, domain: string, opts: WebRequestOptions & { preflight?: boolean }): Promise<EndpointResult> {
  const started = performance.now();
  const deadline = started + opts.timeoutMs;
  // A short wait: the answer to session creation is immediate on sane servers, and we never hold longer than our deadline.
  const wait = Math.max(1, Math.min(10, Math.floor(opts.timeoutMs / 1000) - 1));
  const rid = randomInt(1_000_000, 2 ** 32);
  const preflightP = opts.preflight === false ? Promise.resolve(null) : preflight(url, { ...opts, timeoutMs: opts.timeoutMs });
  let res: WebResponse;
  try {
    const got = await webRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8', accept: 'text/xml, */*;q=0.1' }, body: sessionRequest(domain, rid, wait) },
      { ...opts, maxBytes: MAX_BODY },
    );
    if (got.kind !== 'response') {
      got.socket.destroy();
      throw new Error('unexpected upgrade');
    }
    res = got;
  } catch (err) {
    const r = failedRequest(err, started);
    await preflightP;
    return r;
  }
  const r = emptyResult('ok');
  r.address = res.address;
  r.httpStatus = res.status;
  r.tls = res.tls;
  r.timings = timingsFrom(res.times, 0);
  const bosh: BoshDetails = {
    sid: null,
    wait: null,
    hold: null,
    requests: null,
    inactivity: null,
    polling: null,
    ver: null,
    from: null,
    xmppVersion: null,
    allowOrigin: res.headers['access-control-allow-origin'] ?? null,
    preflight: null,
  };
  r.bosh = bosh;
  const done = async (): Promise<EndpointResult> => {
    bosh.preflight = await preflightP;
    r.timings.totalMs = Math.round(performance.now() - started);
    return r;
  };
  if (res.status !== 200) {
    r.outcome = 'http-error';
    r.detail = `HTTP ${res.status} to the session request`;
    return done();
  }
  if (res.truncated) {
    r.outcome = 'malformed';
    r.detail = `more than ${MAX_BODY} bytes in answer to the session request`;
    return done();
  }
  const doc = parseXmlDocument(res.body.toString('utf8'), { maxChars: MAX_BODY, restricted: true });
  if (!doc.ok) {
    r.outcome = 'malformed';
    r.detail = `the answer is not XML: ${escapeTerminal(doc.error, 120)}`;
    return done();
  }
  const body = doc.root;
  if (body.name !== 'body' || body.ns !== NS_HTTPBIND) {
    r.outcome = 'malformed';
    r.detail = `the answer is <${escapeTerminal(body.name, 40)} xmlns="${escapeTerminal(body.ns, 80)}">, not a BOSH <body/>`;
    return done();
  }
  const a = body.attrs;
  bosh.sid = a['sid'] ?? null;
  bosh.wait = num(a['wait']);
  bosh.hold = num(a['hold']);
  bosh.requests = num(a['requests']);
  bosh.inactivity = num(a['inactivity']);
  bosh.polling = num(a['polling']);
  bosh.ver = a['ver'] ?? null;
  bosh.from = a['from'] ?? null;
  bosh.xmppVersion = attrNs(body, NS_XBOSH, 'version');
  if (a['type'] === 'terminate') {
    const condition = a['condition'] ?? 'undefined-condition';
    r.outcome = 'terminate';
    r.error = { condition, text: null };
    r.detail = `the connection manager terminated the session: ${escapeTerminal(condition, 60)}`;
    return done();
  }
  if (!bosh.sid) {
    r.outcome = 'malformed';
    r.detail = 'the session response has no sid';
    return done();
  }
  const features = body.children.find((c) => c.name === 'features' && c.ns === NS_STREAMS);
  if (features) {
    r.features = parseFeatures(features);
    r.timings.featuresMs = r.timings.responseMs;
  } else {
    r.outcome = 'no-features';
    r.detail = 'no <stream:features/> in the session response';
  }
  // Polite: end the session we made (XEP-0124 §12); its answer does not matter.
  try {
    const t = await webRequest(url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: terminateRequest(bosh.sid, rid + 1) }, { ...opts, timeoutMs: Math.min(1000, remaining(deadline)), maxBytes: 4096 });
    if (t.kind === 'upgrade') t.socket.destroy();
  } catch {
    // ignored
  }
  return done();
}

/** The CORS preflight a browser sends before a cross-origin POST with a text/xml body. */
async function preflight(url: string, opts: WebRequestOptions): Promise<BoshDetails['preflight']> {
  try {
    const res = await webRequest(
      url,
      {
        method: 'OPTIONS',
        headers: { origin: PREFLIGHT_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      },
      { ...opts, maxBytes: 4096 },
    );
    if (res.kind === 'upgrade') {
      res.socket.destroy();
      return { status: res.status, allowOrigin: null, allowMethods: null, allowHeaders: null, ok: false, error: 'unexpected upgrade' };
    }
    const allowOrigin = res.headers['access-control-allow-origin'] ?? null;
    const allowMethods = res.headers['access-control-allow-methods'] ?? null;
    const allowHeaders = res.headers['access-control-allow-headers'] ?? null;
    const originOk = allowOrigin !== null && (allowOrigin.trim() === '*' || allowOrigin.trim() === PREFLIGHT_ORIGIN);
    const methodOk = allowMethods === null || /(^|[\s,])(POST|\*)([\s,]|$)/i.test(allowMethods);
    const headersOk = allowHeaders !== null && /(^|[\s,])(content-type|\*)([\s,]|$)/i.test(allowHeaders);
    return { status: res.status, allowOrigin, allowMethods, allowHeaders, ok: res.status >= 200 && res.status < 300 && originOk && methodOk && headersOk, error: null };
  } catch (err) {
    return { status: null, allowOrigin: null, allowMethods: null, allowHeaders: null, ok: false, error: escapeTerminal(err instanceof Error ? err.message : String(err), 200) };
  }
}
