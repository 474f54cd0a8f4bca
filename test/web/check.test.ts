/**
 * XEP-0156 end to end: checkWeb against the web fixture (host-meta, RFC 7395
 * WebSocket and BOSH endpoints with misbehaving variants) on loopback, names
 * resolved through the fixture DNS server, certificates from a lab CA.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { DnsClient } from '../../src/dns/client.js';
import { checkWeb, summarizeEndpoint, summarizeWeb, type WebCheckOptions, type WebReport } from '../../src/web/check.js';
import { CATALOGUE } from '../../src/report/catalogue.js';
import { startDnsServer, type RunningDnsServer } from '../../fixtures/lab/dns-server.js';
import { startWebServer, type RunningWebServer, type WebRoute } from '../../fixtures/web/server.js';
import { LabCa } from '../../fixtures/pki/lab-ca.js';

const HM = '/.well-known/host-meta';
const HMJ = '/.well-known/host-meta.json';
const WS = 'urn:xmpp:alt-connections:websocket';
const BOSH = 'urn:xmpp:alt-connections:xbosh';
const QUIC = 'urn:xmpp:alt-connections:quic';
const CORS = { 'access-control-allow-origin': '*' };

let ca: LabCa;
let dns: RunningDnsServer;
let web: RunningWebServer;
let plain: RunningWebServer;

const xrd = (links: [string, string][], extra = ''): string =>
  `<?xml version='1.0' encoding='utf-8'?>\n<!-- host-meta -->\n<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>${extra}` +
  links.map(([rel, href]) => `<Link rel="${rel}" href="${href.replace(/&/g, '&amp;')}"/>`).join('') +
  `</XRD>`;
const jrd = (links: [string, string][]): string => JSON.stringify({ links: links.map(([rel, href]) => ({ rel, href })) });
const page = (body: string, headers: Record<string, string> = CORS, status = 200): WebRoute => ({ kind: 'static', status, body, headers });
const redirect = (to: string, status = 302, headers: Record<string, string> = CORS): WebRoute => ({ kind: 'static', status, headers: { location: to, ...headers } });

const GOOD_WS = 'wss://good.web.test/ws';
const GOOD_BOSH = 'https://good.web.test/bosh';
const goodLinks: [string, string][] = [
  [WS, GOOD_WS],
  [BOSH, GOOD_BOSH],
  [QUIC, 'quic://good.web.test:5443'],
  ['lrdd', 'https://good.web.test/lrdd?uri={uri}'],
];

const routes: Record<string, WebRoute> = {
  [`good.web.test${HM}`]: page(xrd(goodLinks)),
  [`good.web.test${HMJ}`]: page(jrd(goodLinks)),
  'good.web.test/ws': { kind: 'websocket', scenario: 'ok' },
  'good.web.test/bosh': { kind: 'bosh', scenario: 'ok' },
  [`nocors.web.test${HM}`]: page(xrd([[WS, GOOD_WS]]), {}),
  [`nocors.web.test${HMJ}`]: { kind: 'static', status: 200, body: jrd([[WS, GOOD_WS]]), corsWhenOrigin: '*' },
  [`restricted.web.test${HM}`]: page(xrd([[WS, GOOD_WS]]), { 'access-control-allow-origin': 'https://webchat.restricted.web.test' }),
  [`json.web.test${HMJ}`]: page(jrd([[WS, GOOD_WS]])),
  [`insecure.web.test${HM}`]: page(xrd([[BOSH, 'http://insecure.web.test/bosh'], [WS, 'ws://insecure.web.test/ws']])),
  'insecure.web.test/ws': { kind: 'websocket', scenario: 'ok' },
  'insecure.web.test/bosh': { kind: 'bosh', scenario: 'ok' },
  [`hop.web.test${HM}`]: redirect(`https://good.web.test${HM}`),
  [`barehop.web.test${HM}`]: redirect(`https://good.web.test${HM}`, 301, {}),
  [`tohttp.web.test${HM}`]: redirect(`http://tohttp.web.test${HM}`, 301),
  [`deadend.web.test${HM}`]: redirect('https://deadend.web.test/gone'),
  [`noloc.web.test${HM}`]: { kind: 'static', status: 302, headers: CORS },
  [`httpredir.web.test${HM}`]: page(xrd([[WS, GOOD_WS]])),
  [`other.web.test${HM}`]: page(xrd([[WS, 'wss://ws.elsewhere.test/ws']])),
  'ws.elsewhere.test/ws': { kind: 'websocket', scenario: 'ok' },
  [`untrusted.web.test${HM}`]: page(xrd([[WS, 'wss://ws.untrusted.test/ws']])),
  'ws.untrusted.test/ws': { kind: 'websocket', scenario: 'ok' },
  [`refuse.web.test${HM}`]: page(
    xrd(['nosub', 'wrongsub', 'missing', 'badaccept', 'oldframing', 'nofeat'].map((p) => [WS, `wss://refuse.web.test/${p}`] as [string, string])),
  ),
  'refuse.web.test/nosub': { kind: 'websocket', scenario: 'no-subprotocol' },
  'refuse.web.test/wrongsub': { kind: 'websocket', scenario: 'wrong-subprotocol' },
  'refuse.web.test/badaccept': { kind: 'websocket', scenario: 'bad-accept' },
  'refuse.web.test/oldframing': { kind: 'websocket', scenario: 'no-open' },
  'refuse.web.test/nofeat': { kind: 'websocket', scenario: 'no-features' },
  [`stranger.web.test${HM}`]: page(xrd([[WS, GOOD_WS], [BOSH, GOOD_BOSH]])),
  [`boshbad.web.test${HM}`]: page(xrd(['nocors', 'nofeat', 'html', 'missing', 'nosid'].map((p) => [BOSH, `https://boshbad.web.test/${p}`] as [string, string]))),
  'boshbad.web.test/nocors': { kind: 'bosh', scenario: 'ok', cors: false },
  'boshbad.web.test/nofeat': { kind: 'bosh', scenario: 'no-features' },
  'boshbad.web.test/html': { kind: 'bosh', scenario: 'not-xml' },
  'boshbad.web.test/nosid': { kind: 'bosh', scenario: 'no-sid' },
  [`mismatch.web.test${HM}`]: page(xrd([[WS, GOOD_WS]])),
  [`mismatch.web.test${HMJ}`]: page(jrd([[BOSH, GOOD_BOSH]])),
  [`malformed.web.test${HM}`]: page(`<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'><Link rel="${WS}" href="wss://x`),
  [`malformed.web.test${HMJ}`]: page('{"links": 5}'),
  [`doctype.web.test${HM}`]: page(`<?xml version="1.0"?><!DOCTYPE XRD [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'><Link rel="${WS}" href="&b;"/></XRD>`),
  [`wrongroot.web.test${HM}`]: page(`<html><body>Welcome to nginx!</body></html>`),
  [`big.web.test${HM}`]: page(xrd([[WS, GOOD_WS]], `<Property type="x">${'y'.repeat(100_000)}</Property>`)),
  [`httperr.web.test${HM}`]: page('oops', CORS, 500),
  [`silent.web.test${HM}`]: page(xrd([[WS, 'wss://silent.web.test/ws']])),
  'silent.web.test/ws': { kind: 'websocket', scenario: 'silent' },
  [`hostile.web.test${HMJ}`]: page(JSON.stringify({ links: [{ rel: WS, href: 'wss://hostile.web.test/\u001b[31mred\u202e' }, { rel: BOSH, href: 'gopher://hostile.web.test/\u001b]0;x' }] })),
  [`many.web.test${HM}`]: page(xrd(Array.from({ length: 12 }, (_, i) => [WS, `wss://good.web.test/ws?n=${i}`] as [string, string]))),
};

const hosts = [
  'good', 'nocors', 'restricted', 'json', 'insecure', 'hop', 'barehop', 'tohttp', 'deadend', 'noloc', 'httpredir', 'other', 'refuse', 'stranger', 'boshbad',
  'untrusted', 'mismatch', 'malformed', 'doctype', 'wrongroot', 'big', 'httperr', 'silent', 'hostile', 'none', 'txt', 'many',
].map((h) => `${h}.web.test`);

before(async () => {
  ca = await LabCa.create();
  const webCert = await ca.issue({ dnsNames: ['*.web.test', 'web.test'] });
  const wrongCert = await ca.issue({ dnsNames: ['unrelated.test'] });
  const strangerCa = await LabCa.create('Some Other Root');
  const untrustedCert = await strangerCa.issue({ dnsNames: ['ws.untrusted.test'] });
  web = await startWebServer({
    routes,
    defaultCert: { key: webCert.keyPem, cert: webCert.certPem },
    certFor: (name) =>
      name === 'ws.elsewhere.test' ? { key: wrongCert.keyPem, cert: wrongCert.certPem } : name === 'ws.untrusted.test' ? { key: untrustedCert.keyPem, cert: untrustedCert.certPem } : null,
    unknownDomains: new Set(['stranger.web.test']),
  });
  plain = await startWebServer({ secure: false, routes: { [`httpredir.web.test${HM}`]: redirect(`https://httpredir.web.test${HM}`, 301, {}) } });
  const records = [...hosts, 'ws.elsewhere.test', 'ws.untrusted.test'].map((name) => ({ name, type: 'A', ttl: 60, data: '127.0.0.1' }) as Answer);
  records.push(
    { name: '_xmppconnect.txt.web.test', type: 'TXT', ttl: 60, data: [`_xmpp-client-websocket=${GOOD_WS}`] } as Answer,
    { name: '_xmppconnect.txt.web.test', type: 'TXT', ttl: 60, data: ['_xmpp-client-xbosh=', 'https://good.web.test/bosh'] } as Answer,
    { name: '_xmppconnect.txt.web.test', type: 'TXT', ttl: 60, data: ['_xmpp-client-httppoll=https://txt.web.test/poll'] } as Answer,
    { name: '_xmppconnect.good.web.test', type: 'TXT', ttl: 60, data: [`_xmpp-client-websocket=${GOOD_WS}`] } as Answer,
  );
  dns = await startDnsServer({ records });
});
after(async () => {
  await web.close();
  await plain.close();
  await dns.close();
});

const opts = (o: Partial<WebCheckOptions> = {}): WebCheckOptions => ({
  dns: new DnsClient({ server: { host: dns.host, port: dns.port }, timeoutMs: 500, attempts: 1 }),
  extraRoots: [ca.certPem],
  timeoutMs: 3000,
  defaultPort: web.port,
  ipFamilies: [4],
  ...o,
});
const codes = (r: WebReport): string[] => r.findings.map((f) => f.code).sort();
const endpoint = (r: WebReport, url: string) => {
  const e = r.endpoints.find((x) => x.url === url);
  assert.ok(e, `no endpoint ${url} in ${r.endpoints.map((x) => x.url).join(', ')}`);
  return e;
};

test('a well-configured domain: both documents, WebSocket and BOSH work, QUIC link handed on', async () => {
  const before = web.pongs;
  const r = await checkWeb('good.web.test', opts({ dnssecSecure: true }));
  assert.deepEqual(codes(r), []);
  assert.equal(r.hostMeta.xrd.status, 'found');
  assert.equal(r.hostMeta.jrd.status, 'found');
  assert.equal(r.hostMeta.consistent, true);
  assert.equal(r.hostMeta.xrd.cors?.verdict, 'any');
  assert.deepEqual(r.hostMeta.xrd.links.map((l) => l.rel), [WS, BOSH, QUIC, 'lrdd']);
  assert.deepEqual(r.quicLinks, [{ rel: QUIC, url: 'quic://good.web.test:5443', host: 'good.web.test', port: 5443, source: 'host-meta' }]);
  assert.equal(r.endpoints.length, 2);

  const ws = endpoint(r, GOOD_WS);
  assert.deepEqual(ws.sources, ['host-meta', 'host-meta.json', 'txt']);
  assert.equal(ws.result.outcome, 'ok', ws.result.detail ?? '');
  assert.equal(ws.result.websocket?.subprotocol, 'xmpp');
  assert.deepEqual(ws.result.websocket?.open, { from: 'good.web.test', id: 'fixture-stream-1', version: '1.0', lang: 'en' });
  assert.deepEqual(ws.result.features?.mechanisms, ['SCRAM-SHA-1', 'PLAIN']);
  assert.equal(ws.result.websocket?.closedPolitely, true);
  assert.equal(ws.result.tls?.trusted, true);
  assert.equal(ws.result.tls?.identityOk, true);
  const t = ws.result.timings;
  assert.ok(t.tlsMs !== null && t.responseMs !== null && t.openMs !== null && t.featuresMs !== null);
  assert.ok(t.tlsMs <= t.responseMs && t.responseMs <= t.openMs && t.openMs <= t.featuresMs && t.featuresMs <= t.totalMs);
  assert.ok(web.pongs > before, 'the server\'s ping was answered');
  assert.ok(web.wsMessages.includes('<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="good.web.test" version="1.0"/>'));
  assert.ok(web.wsMessages.includes('<close xmlns="urn:ietf:params:xml:ns:xmpp-framing"/>'));
  assert.match(summarizeEndpoint(ws), /^ok · subprotocol xmpp · open from good\.web\.test · SASL SCRAM-SHA-1 PLAIN · \d+ ms$/);

  const b = endpoint(r, GOOD_BOSH);
  assert.equal(b.result.outcome, 'ok', b.result.detail ?? '');
  assert.equal(b.result.bosh?.sid, 'fixture-sid-1');
  assert.equal(b.result.bosh?.xmppVersion, '1.0');
  assert.equal(b.result.bosh?.requests, 2);
  assert.ok((b.result.bosh?.wait ?? 99) <= 10, 'we asked for a short wait');
  assert.equal(b.result.bosh?.preflight?.ok, true);
  assert.deepEqual(b.result.features?.mechanisms, ['SCRAM-SHA-1', 'PLAIN']);
  const sent = web.boshBodies.find((x) => x.includes("to='good.web.test'"));
  assert.ok(sent && /xmpp:version='1\.0'/.test(sent) && /hold='1'/.test(sent));
  assert.ok(web.boshBodies.some((x) => x.includes("type='terminate'") && x.includes("sid='fixture-sid-1'")), 'the session was terminated');
  assert.match(summarizeEndpoint(b), /^ok · sid fixture-sid-1 · wait \d+ · SASL SCRAM-SHA-1 PLAIN · CORS ok · \d+ ms$/);
  assert.deepEqual(r.txt.websocket, [GOOD_WS]);
  assert.equal(summarizeWeb(r), 'host-meta + host-meta.json · WebSocket 1/1 ok · BOSH 1/1 ok · TXT 1 · QUIC links 1');
});

test('host-meta without CORS is flagged; CORS sent only when asked with an Origin counts', async () => {
  const r = await checkWeb('nocors.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_HOSTMETA_NO_CORS']);
  assert.equal(r.findings[0]!.subject, `https://nocors.web.test${HM}`);
  assert.equal(r.hostMeta.xrd.cors?.verdict, 'none');
  assert.deepEqual(r.hostMeta.jrd.cors, { allowOrigin: null, allowOriginWithOrigin: '*', verdict: 'any' });
  assert.equal(endpoint(r, GOOD_WS).result.outcome, 'ok');
  const restricted = await checkWeb('restricted.web.test', opts());
  assert.deepEqual(codes(restricted), ['WEB_HOSTMETA_CORS_RESTRICTED']);
});

test('the JSON variant alone is enough', async () => {
  const r = await checkWeb('json.web.test', opts());
  assert.deepEqual(codes(r), []);
  assert.equal(r.hostMeta.xrd.status, 'none');
  assert.equal(r.hostMeta.jrd.status, 'found');
  assert.equal(r.hostMeta.consistent, null);
  assert.deepEqual(endpoint(r, GOOD_WS).sources, ['host-meta.json']);
  assert.equal(endpoint(r, GOOD_WS).result.outcome, 'ok');
});

test('http:// and ws:// endpoints are flagged and never connected to', async () => {
  const r = await checkWeb('insecure.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_ENDPOINT_INSECURE', 'WEB_ENDPOINT_INSECURE']);
  assert.deepEqual(r.endpoints.map((e) => e.result.outcome), ['insecure', 'insecure']);
  assert.equal(endpoint(r, 'http://insecure.web.test/bosh').port, 80);
  assert.equal(web.requests.filter((q) => q.host === 'insecure.web.test' && q.path !== HM && q.path !== HMJ).length, 0);
});

test('redirects: https hop followed and noted; to http refused; dead ends and missing Location fail; bare redirect lacks CORS', async () => {
  const hop = await checkWeb('hop.web.test', opts());
  assert.deepEqual(codes(hop), ['WEB_HOSTMETA_REDIRECTED']);
  assert.equal(hop.hostMeta.xrd.finalUrl, `https://good.web.test${HM}`);
  assert.equal(hop.hostMeta.xrd.steps[0]!.status, 302);
  assert.equal(endpoint(hop, GOOD_WS).result.outcome, 'ok');

  const bare = await checkWeb('barehop.web.test', opts());
  assert.deepEqual(codes(bare), ['WEB_HOSTMETA_NO_CORS', 'WEB_HOSTMETA_REDIRECTED']);

  const tohttp = await checkWeb('tohttp.web.test', opts());
  assert.deepEqual(codes(tohttp), ['WEB_HOSTMETA_REDIRECT_NOT_HTTPS']);
  assert.equal(tohttp.hostMeta.xrd.status, 'invalid');
  assert.equal(plain.requests.filter((q) => q.host === 'tohttp.web.test').length, 0, 'the http URL was not fetched');

  assert.deepEqual(codes(await checkWeb('deadend.web.test', opts())), ['WEB_HOSTMETA_REDIRECT_FAILED']);
  assert.deepEqual(codes(await checkWeb('noloc.web.test', opts())), ['WEB_HOSTMETA_REDIRECT_FAILED']);
});

test('http://…/host-meta redirecting to https is noted (caas#8) when the plain-http check is asked for', async () => {
  const r = await checkWeb('httpredir.web.test', opts({ httpPort: plain.port }));
  assert.deepEqual(codes(r), ['WEB_HOSTMETA_HTTP_REDIRECT']);
  assert.deepEqual(r.hostMeta.http, { url: `http://httpredir.web.test${HM}`, status: 301, redirectTo: `https://httpredir.web.test${HM}`, error: null });
  const without = await checkWeb('httpredir.web.test', opts());
  assert.equal(without.hostMeta.http, null);
  assert.deepEqual(codes(without), []);
});

test('an endpoint on another domain whose certificate does not name it', async () => {
  const r = await checkWeb('other.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_ENDPOINT_CERT_MISMATCH']);
  const e = endpoint(r, 'wss://ws.elsewhere.test/ws');
  assert.equal(e.result.outcome, 'tls-error');
  assert.equal(e.result.tls?.trusted, true);
  assert.equal(e.result.tls?.identityOk, false);
  assert.deepEqual(e.result.tls?.dnsNames, ['unrelated.test']);
  assert.match(r.findings[0]!.message, /unrelated\.test, not ws\.elsewhere\.test \(a host outside other\.web\.test\)/);
  assert.equal(web.requests.filter((q) => q.host === 'ws.elsewhere.test').length, 0, 'no HTTP request after the failed check');
});

test('an endpoint whose certificate chains to no trusted root', async () => {
  const r = await checkWeb('untrusted.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_ENDPOINT_CERT_UNTRUSTED']);
  const e = endpoint(r, 'wss://ws.untrusted.test/ws');
  assert.equal(e.result.outcome, 'tls-error');
  assert.equal(e.result.tls?.trusted, false);
  assert.equal(e.result.tls?.identityOk, true);
});

test('WebSocket handshakes that fail: no/wrong subprotocol, 404, bad accept, old framing, no features', async () => {
  const r = await checkWeb('refuse.web.test', opts({ timeoutMs: 1500 }));
  const out = (p: string): string => endpoint(r, `wss://refuse.web.test/${p}`).result.outcome;
  assert.equal(out('nosub'), 'no-subprotocol');
  assert.equal(out('wrongsub'), 'no-subprotocol');
  assert.equal(out('missing'), 'http-error');
  assert.equal(endpoint(r, 'wss://refuse.web.test/missing').result.httpStatus, 404);
  assert.equal(out('badaccept'), 'handshake-invalid');
  assert.equal(out('oldframing'), 'no-open');
  assert.equal(out('nofeat'), 'no-features');
  assert.deepEqual(codes(r), ['WEB_WS_HANDSHAKE_INVALID', 'WEB_WS_HANDSHAKE_REFUSED', 'WEB_WS_NO_FEATURES', 'WEB_WS_NO_OPEN', 'WEB_WS_NO_SUBPROTOCOL', 'WEB_WS_NO_SUBPROTOCOL']);
  assert.match(endpoint(r, 'wss://refuse.web.test/wrongsub').result.detail ?? '', /"chat"/);
  assert.match(endpoint(r, 'wss://refuse.web.test/nofeat').result.detail ?? '', /stream:features/);
  assert.ok(endpoint(r, 'wss://refuse.web.test/nofeat').result.timings.openMs !== null);
});

test('a domain the endpoints do not serve: stream error host-unknown, BOSH terminate', async () => {
  const r = await checkWeb('stranger.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_BOSH_TERMINATE', 'WEB_WS_STREAM_ERROR']);
  assert.deepEqual(endpoint(r, GOOD_WS).result.error, { condition: 'host-unknown', text: null });
  const b = endpoint(r, GOOD_BOSH);
  assert.equal(b.result.outcome, 'terminate');
  assert.deepEqual(b.result.error, { condition: 'host-unknown', text: null });
  assert.match(summarizeEndpoint(b), /^terminate: .*host-unknown/);
});

test('BOSH variants: no CORS, no features, HTML instead of a body, no sid, 404', async () => {
  const r = await checkWeb('boshbad.web.test', opts());
  const e = (p: string) => endpoint(r, `https://boshbad.web.test/${p}`).result;
  assert.equal(e('nocors').outcome, 'ok');
  assert.equal(e('nocors').bosh?.preflight?.ok, false);
  assert.equal(e('nofeat').outcome, 'no-features');
  assert.equal(e('nofeat').bosh?.sid, 'fixture-sid-1');
  assert.equal(e('html').outcome, 'malformed');
  assert.equal(e('nosid').outcome, 'malformed');
  assert.equal(e('missing').outcome, 'http-error');
  assert.deepEqual(codes(r), ['WEB_BOSH_HTTP_ERROR', 'WEB_BOSH_MALFORMED', 'WEB_BOSH_MALFORMED', 'WEB_BOSH_NO_CORS', 'WEB_BOSH_NO_FEATURES']);
  const pre = web.requests.find((q) => q.method === 'OPTIONS' && q.path === '/nocors');
  assert.equal(pre?.headers['access-control-request-method'], 'POST');
});

test('XRD and JRD that disagree', async () => {
  const r = await checkWeb('mismatch.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_HOSTMETA_MISMATCH']);
  assert.equal(r.hostMeta.consistent, false);
  assert.match(r.findings[0]!.message, /Only in host-meta: websocket wss:\/\/good\.web\.test\/ws; only in host-meta\.json: bosh https:\/\/good\.web\.test\/bosh/);
});

test('malformed documents: broken XML, wrong JSON type, DOCTYPE (never expanded), wrong root, too large, HTTP error', async () => {
  const m = await checkWeb('malformed.web.test', opts());
  assert.deepEqual(codes(m), ['WEB_HOSTMETA_MALFORMED', 'WEB_HOSTMETA_MALFORMED']);
  assert.equal(m.endpoints.length, 0);
  const d = await checkWeb('doctype.web.test', opts());
  assert.deepEqual(codes(d), ['WEB_HOSTMETA_MALFORMED']);
  assert.match(d.findings[0]!.message, /DOCTYPE/);
  assert.deepEqual(codes(await checkWeb('wrongroot.web.test', opts())), ['WEB_HOSTMETA_MALFORMED']);
  assert.deepEqual(codes(await checkWeb('big.web.test', opts())), ['WEB_HOSTMETA_TOO_LARGE']);
  assert.deepEqual(codes(await checkWeb('httperr.web.test', opts())), ['WEB_HOSTMETA_HTTP_ERROR']);
});

test('nothing published is info only; an unreachable web server is one finding', async () => {
  const r = await checkWeb('none.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_NONE']);
  assert.equal(summarizeWeb(r), 'no host-meta · WebSocket 0/0 ok · BOSH 0/0 ok');
  assert.equal(r.findings[0]!.severity, 'info');
  assert.equal(r.txt.status, 'nxdomain');
  const u = await checkWeb('json.web.test', opts({ defaultPort: 9 }));
  assert.deepEqual(codes(u), ['WEB_HOSTMETA_UNREACHABLE']);
  assert.equal(u.findings[0]!.severity, 'info');
});

test('_xmppconnect TXT: values listed, insecure without DNSSEC, only-in-TXT flagged; endpoints still checked', async () => {
  const r = await checkWeb('txt.web.test', opts({ dnssecSecure: false }));
  assert.deepEqual(r.txt.websocket, [GOOD_WS]);
  assert.deepEqual(r.txt.bosh, [GOOD_BOSH], 'strings of one record are joined');
  assert.deepEqual(r.txt.other, [{ key: '_xmpp-client-httppoll', value: 'https://txt.web.test/poll' }]);
  assert.equal(r.txt.dnssecSecure, false);
  assert.deepEqual(codes(r), ['WEB_TXT_INSECURE', 'WEB_TXT_ONLY', 'WEB_TXT_ONLY']);
  assert.equal(r.findings.find((f) => f.code === 'WEB_TXT_INSECURE')!.severity, 'warning');
  assert.equal(endpoint(r, GOOD_WS).result.outcome, 'ok');
  assert.deepEqual(endpoint(r, GOOD_WS).sources, ['txt']);
  const unknown = await checkWeb('txt.web.test', opts({ connect: false }));
  assert.deepEqual(codes(unknown), ['WEB_TXT_ONLY', 'WEB_TXT_ONLY', 'WEB_TXT_UNVERIFIED']);
  assert.deepEqual(unknown.endpoints.map((e) => e.result.outcome), ['skipped', 'skipped']);
  const secure = await checkWeb('txt.web.test', opts({ dnssecSecure: true, connect: false }));
  assert.deepEqual(codes(secure), ['WEB_TXT_ONLY', 'WEB_TXT_ONLY']);
});

test('a WebSocket endpoint that never speaks times out within the deadline', async () => {
  const t0 = performance.now();
  const r = await checkWeb('silent.web.test', opts({ timeoutMs: 700 }));
  assert.ok(performance.now() - t0 < 3000);
  assert.deepEqual(codes(r), ['WEB_ENDPOINT_TIMEOUT']);
  const e = endpoint(r, 'wss://silent.web.test/ws');
  assert.equal(e.result.outcome, 'timeout');
  assert.match(e.result.detail ?? '', /no <open\/>/);
});

test('hostile strings are escaped in findings and summaries; odd schemes are bad URLs', async () => {
  const r = await checkWeb('hostile.web.test', opts());
  assert.deepEqual(codes(r), ['WEB_ENDPOINT_BAD_URL', 'WEB_WS_HANDSHAKE_REFUSED']);
  for (const f of r.findings) assert.doesNotMatch(f.message, /[\u001b\u202e]/);
  for (const e of r.endpoints) assert.doesNotMatch(summarizeEndpoint(e), /[\u001b\u202e]/);
});

test('the number of endpoints connected to is capped', async () => {
  const r = await checkWeb('many.web.test', opts({ maxEndpoints: 3 }));
  assert.equal(r.endpoints.length, 12);
  assert.equal(r.endpoints.filter((e) => e.result.outcome === 'ok').length, 3);
  assert.equal(r.endpoints.filter((e) => e.result.outcome === 'skipped').length, 9);
  assert.deepEqual(codes(r), []);
});

test('every WEB_ code is in the catalogue', () => {
  for (const code of ['WEB_NONE', 'WEB_HOSTMETA_NO_CORS', 'WEB_WS_NO_SUBPROTOCOL', 'WEB_BOSH_TERMINATE', 'WEB_TXT_INSECURE']) assert.ok(CATALOGUE.has(code), code);
});
