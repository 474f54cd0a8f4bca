/**
 * POSH against the HTTPS fixture on loopback: names resolved through the
 * fixture DNS server, certificates from a lab CA made for this test.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { DnsClient } from '../../src/dns/client.js';
import { fetchPosh, type PoshOptions } from '../../src/posh/posh.js';
import { poshDocumentFor, poshFingerprint, poshMatch } from '../../src/verify/posh.js';
import { startDnsServer, type RunningDnsServer } from '../../fixtures/lab/dns-server.js';
import { startHttpsServer, type RunningHttpsServer, type Route } from '../../fixtures/https/server.js';
import { LabCa, type IssuedCert } from '../../fixtures/pki/lab-ca.js';

const C = '/.well-known/posh/xmpp-client.json';
const S = '/.well-known/posh/xmpp-server.json';
let ca: LabCa;
let xmppCert: IssuedCert;
let otherCert: IssuedCert;
let dns: RunningDnsServer;
let web: RunningHttpsServer;

const hosts = ['direct', 'delegating', 'provider', 'mismatch', 'malformed', 'tohttp', 'legacy', 'none', 'zero', 'badcert', 'twice', 'big', 'hop', 'typed'].map((h) => `${h}.posh.test`);

before(async () => {
  ca = await LabCa.create();
  xmppCert = await ca.issue({ dnsNames: ['provider.posh.test'] });
  otherCert = await ca.issue({ dnsNames: ['someone-else.test'] });
  const webCert = await ca.issue({ dnsNames: ['*.posh.test'] });
  const wrongWebCert = await ca.issue({ dnsNames: ['unrelated.test'] });
  const doc = (o: unknown): Route => ({ status: 200, body: JSON.stringify(o) });
  const fp = poshFingerprint(xmppCert.der);
  const routes: Record<string, Route> = {
    [`direct.posh.test${C}`]: doc({ fingerprints: [{ 'sha-256': fp }], expires: 3600 }),
    [`delegating.posh.test${C}`]: doc({ url: `https://provider.posh.test${C}`, expires: 600 }),
    [`provider.posh.test${C}`]: doc({ fingerprints: [{ 'sha-512': poshFingerprint(xmppCert.der, 'sha-512') }, { 'sha-1024': 'zzz' }], expires: 86400 }),
    [`mismatch.posh.test${C}`]: doc({ fingerprints: [{ 'sha-256': poshFingerprint(otherCert.der) }], expires: 3600 }),
    [`malformed.posh.test${C}`]: { status: 200, body: '{"fingerprints": [' },
    [`typed.posh.test${C}`]: doc({ fingerprints: 'abc', expires: '3600' }),
    [`tohttp.posh.test${C}`]: { status: 301, headers: { location: `http://tohttp.posh.test${C}` } },
    [`legacy.posh.test/.well-known/posh._xmpp-client._tcp.json`]: doc({ fingerprints: [{ 'sha-256': fp }], expires: 60 }),
    [`zero.posh.test${C}`]: doc({ fingerprints: [{ 'sha-256': fp }], expires: 0 }),
    [`zero.posh.test${S}`]: doc({ fingerprints: [{ 'sha-256': fp }], expires: 10 }),
    [`badcert.posh.test${C}`]: doc({ fingerprints: [{ 'sha-256': fp }], expires: 60 }),
    [`twice.posh.test${C}`]: doc({ url: `https://delegating.posh.test${C}`, expires: 60 }),
    [`big.posh.test${C}`]: { status: 200, body: `{"fingerprints":[],"expires":1,"pad":"${'x'.repeat(100_000)}"}` },
    [`hop.posh.test${C}`]: { status: 302, headers: { location: `https://direct.posh.test${C}` } },
  };
  web = await startHttpsServer({
    routes,
    defaultCert: { key: webCert.keyPem, cert: webCert.certPem },
    certFor: (name) => (name === 'badcert.posh.test' ? { key: wrongWebCert.keyPem, cert: wrongWebCert.certPem } : null),
  });
  dns = await startDnsServer({ records: hosts.map((name) => ({ name, type: 'A', ttl: 60, data: '127.0.0.1' }) as Answer) });
});
after(async () => {
  await web.close();
  await dns.close();
});

const opts = (): PoshOptions => ({
  dns: new DnsClient({ server: { host: dns.host, port: dns.port }, timeoutMs: 500, attempts: 1 }),
  extraRoots: [ca.certPem],
  timeoutMs: 2000,
  defaultPort: web.port,
  ipFamilies: [4],
});
const codes = (r: { findings: { code: string }[] }): string[] => r.findings.map((f) => f.code);

test('a direct fingerprint match', async () => {
  const r = await fetchPosh('direct.posh.test', 'c2s', opts());
  assert.equal(r.status, 'found');
  assert.equal(r.location, 'rfc7711');
  assert.equal(r.expires, 3600);
  assert.deepEqual(codes(r), []);
  assert.deepEqual(poshMatch(r, xmppCert.der), { matched: true, hash: 'sha-256' });
  assert.deepEqual(poshMatch(r, otherCert.der), { matched: false, hash: null });
});

test('url delegation to the provider\'s file: its fingerprints, the smaller expiry, unknown hashes ignored', async () => {
  const r = await fetchPosh('delegating.posh.test', 'c2s', opts());
  assert.equal(r.status, 'found');
  assert.equal(r.delegatedTo, `https://provider.posh.test${C}`);
  assert.equal(r.url, `https://provider.posh.test${C}`);
  assert.equal(r.expires, 600);
  assert.deepEqual(poshMatch(r, xmppCert.der), { matched: true, hash: 'sha-512' });
});

test('a file that lists another certificate does not match', async () => {
  const r = await fetchPosh('mismatch.posh.test', 'c2s', opts());
  assert.equal(r.status, 'found');
  assert.equal(poshMatch(r, xmppCert.der).matched, false);
});

test('malformed JSON and wrong types', async () => {
  assert.deepEqual(codes(await fetchPosh('malformed.posh.test', 'c2s', opts())), ['POSH_MALFORMED']);
  const t = await fetchPosh('typed.posh.test', 'c2s', opts());
  assert.deepEqual(codes(t), ['POSH_INVALID']);
  assert.equal(t.status, 'invalid');
});

test('a redirect to plain http is refused, not followed', async () => {
  const r = await fetchPosh('tohttp.posh.test', 'c2s', opts());
  assert.deepEqual(codes(r), ['POSH_REDIRECT_NOT_HTTPS']);
  assert.equal(web.requests.filter((q) => q.host === 'tohttp.posh.test' && q.path === C).length, 1);
});

test('an https redirect is followed', async () => {
  const r = await fetchPosh('hop.posh.test', 'c2s', opts());
  assert.equal(r.status, 'found');
  assert.equal(r.steps[0]!.status, 302);
  assert.equal(r.url, `https://direct.posh.test${C}`);
});

test('a file only at the draft\'s location is used and flagged', async () => {
  const r = await fetchPosh('legacy.posh.test', 'c2s', opts());
  assert.equal(r.status, 'found');
  assert.equal(r.location, 'legacy');
  assert.deepEqual(codes(r), ['POSH_LEGACY_LOCATION']);
});

test('no POSH at all is info only', async () => {
  const r = await fetchPosh('none.posh.test', 'c2s', opts());
  assert.equal(r.status, 'none');
  assert.deepEqual(codes(r), ['POSH_NONE']);
  assert.equal(r.findings[0]!.severity, 'info');
});

test('expires 0 is valid and noted; s2s reads xmpp-server.json', async () => {
  const c = await fetchPosh('zero.posh.test', 'c2s', opts());
  assert.equal(c.status, 'found');
  assert.equal(c.expires, 0);
  assert.deepEqual(codes(c), ['POSH_EXPIRES_ZERO']);
  const s = await fetchPosh('zero.posh.test', 's2s', opts());
  assert.equal(s.expires, 10);
});

test('the POSH server\'s own certificate must be valid for the domain', async () => {
  const r = await fetchPosh('badcert.posh.test', 'c2s', opts());
  assert.equal(r.status, 'error');
  assert.deepEqual(codes(r), ['POSH_SERVER_CERT_INVALID']);
});

test('one delegation only', async () => {
  assert.deepEqual(codes(await fetchPosh('twice.posh.test', 'c2s', opts())), ['POSH_DELEGATION_TOO_LONG']);
});

test('a huge body is cut and refused', async () => {
  assert.deepEqual(codes(await fetchPosh('big.posh.test', 'c2s', opts())), ['POSH_TOO_LARGE']);
});

test('a domain without a web server: unreachable, info', async () => {
  const o = opts();
  o.defaultPort = 9;
  const r = await fetchPosh('direct.posh.test', 'c2s', o);
  assert.equal(r.status, 'error');
  assert.deepEqual(codes(r), ['POSH_UNREACHABLE']);
});

test('the document to publish matches the certificate it was made for', async () => {
  const doc = JSON.parse(poshDocumentFor(xmppCert.der)) as { fingerprints: Record<string, string>[]; expires: number };
  assert.equal(doc.fingerprints[0]!['sha-256'], poshFingerprint(xmppCert.der));
  assert.equal(doc.expires, 86400);
});
