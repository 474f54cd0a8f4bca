/**
 * The certificate stage's entry point: the CertificateReport it builds, the
 * findings it returns, robustness against malformed DER, and the one-line
 * table description with hostile strings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { fixedClock } from '../../src/core/clock.js';
import { describeCertificateShort, verifyCertificate, type CertificateContext } from '../../src/verify/certificate.js';
import { buildTrustStore } from '../../src/verify/pkix.js';
import { parseCertificate } from '../../src/verify/x509.js';

const DAY = 86_400_000;
const root = await LabCa.create('Report Root');
const inter = await root.intermediate('Report Intermediate');
const now = Date.now();
const trustStore = buildTrustStore([root.certPem]);

const ctx = (more: Partial<CertificateContext> = {}): CertificateContext => ({
  domain: 'example.com',
  service: 'c2s',
  srvTargets: ['xmpp.example.com'],
  trustStore,
  clock: fixedClock(now),
  warnDays: 14,
  subject: 'c2s:xmpps:xmpp.example.com:5223@192.0.2.1',
  ...more,
});

test('a good chain: report describes the leaf and chain, no findings', async () => {
  const leaf = await inter.issue({
    commonName: 'example.com',
    san: [{ type: 'dns', value: 'example.com' }, { type: 'dns', value: '*.example.com' }, { type: 'srvName', value: '_xmpp-client.example.com' }, { type: 'xmppAddr', value: 'example.com' }, { type: 'ip', value: '192.0.2.1' }],
    notAfter: new Date(now + 60 * DAY + 3_600_000),
    key: 'rsa2048',
  });
  const { report, findings } = verifyCertificate([leaf.der, inter.der], ctx());
  assert.deepEqual(findings, []);
  const d = report.leaf!;
  assert.equal(d.subject, 'CN=example.com');
  assert.equal(d.subjectCn, 'example.com');
  assert.equal(d.issuerCn, 'Report Intermediate');
  assert.deepEqual(d.san?.dns, ['example.com', '*.example.com']);
  assert.deepEqual(d.san?.srv, ['_xmpp-client.example.com']);
  assert.deepEqual(d.san?.xmppAddr, ['example.com']);
  assert.deepEqual(d.san?.ip, ['192.0.2.1']);
  assert.equal(d.daysLeft, 60);
  assert.deepEqual(d.key, { type: 'rsa', bits: 2048, curve: null });
  assert.equal(d.signatureAlgorithm, 'ecdsa-with-SHA256');
  assert.equal(d.sha256, createHash('sha256').update(leaf.der).digest('hex'));
  const x = new X509Certificate(leaf.der);
  assert.equal(d.sha256, x.fingerprint256.replace(/:/g, '').toLowerCase());
  assert.equal(d.spkiSha256, createHash('sha256').update(x.publicKey.export({ type: 'spki', format: 'der' })).digest('hex'));
  assert.equal(new X509Certificate(d.pem).fingerprint256, x.fingerprint256, 'PEM round-trips');
  assert.equal(d.notAfter, x.validTo === '' ? '' : new Date(x.validTo).toISOString());
  assert.equal(report.chain.length, 1);
  assert.equal(report.chain[0]!.key.type, 'ec');
  assert.equal(report.chain[0]!.key.curve, 'prime256v1');
  assert.equal(report.chain[0]!.isCa, true);
  assert.equal(report.pkix.status, 'trusted');
  assert.deepEqual(report.identity?.by && [report.identity.by.type, report.identity.by.value], ['dns', 'example.com']);
  assert.deepEqual(JSON.parse(JSON.stringify(report)).leaf.san.dns, ['example.com', '*.example.com'], 'report is plain JSON data');
  assert.equal(typeof JSON.stringify(report), 'string');
});

test('findings carry the probe id, the service, and combine PKIX with identity', async () => {
  const leaf = await inter.issue({ dnsNames: ['xmpp.provider.net'], notAfter: new Date(now - DAY) });
  const { report, findings } = verifyCertificate([leaf.der], ctx({ srvTargets: ['xmpp.provider.net'], extraRoots: [root.certPem], trustStore: undefined }));
  assert.deepEqual(findings.map((f) => f.code).sort(), ['CERT_CHAIN_INCOMPLETE', 'CERT_EXPIRED', 'CERT_NAME_HOSTING_PROVIDER']);
  for (const f of findings) {
    assert.equal(f.subject, 'c2s:xmpps:xmpp.example.com:5223@192.0.2.1');
    assert.equal(f.service, 'c2s');
    assert.ok(f.fix.length > 0 && f.reference.length > 0);
  }
  assert.equal(report.identity?.coversSrvTarget, 'xmpp.provider.net');
  assert.equal(report.pkix.missingIssuer, 'CN=Report Intermediate');
});

test('reference identity comes from the domain, never the SRV target by default', async () => {
  const leaf = await inter.issue({ dnsNames: ['xmpp.example.com'] });
  const r = verifyCertificate([leaf.der, inter.der], ctx({ srvTarget: 'xmpp.example.com' }));
  assert.equal(r.report.identity?.matched, false);
  assert.deepEqual(r.findings.map((f) => f.code), ['CERT_NAME_HOSTING_PROVIDER']);
  const secure = verifyCertificate([leaf.der, inter.der], ctx({ srvTarget: 'xmpp.example.com', srvTargetSecure: true }));
  assert.equal(secure.report.identity?.matched, true);
  assert.deepEqual(secure.findings.map((f) => f.code), ['CERT_NAME_SRV_TARGET_SECURE']);
});

test('malformed DER never throws: garbage, truncation, bit flips, empty chain', async () => {
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  const garbage = verifyCertificate([Buffer.from('not a certificate')], ctx());
  assert.equal(garbage.report.leaf, null);
  assert.equal(garbage.report.pkix.status, 'unparseable');
  assert.deepEqual(garbage.findings.map((f) => f.code), ['CERT_UNPARSEABLE']);
  assert.match(garbage.findings[0]!.message, /#1/);

  const empty = verifyCertificate([], ctx());
  assert.deepEqual(empty.findings.map((f) => f.code), ['CERT_NONE']);
  assert.equal(empty.report.pkix.status, 'no-certificate');

  // A bad intermediate: the leaf is still checked, the bad one reported.
  const badInter = verifyCertificate([leaf.der, Buffer.from([0x30, 0x03, 0x02, 0x01])], ctx());
  assert.ok(badInter.report.leaf);
  assert.deepEqual(badInter.findings.map((f) => f.code).sort(), ['CERT_CHAIN_INCOMPLETE', 'CERT_UNPARSEABLE']);
  assert.deepEqual(badInter.report.unparseable.map((u) => u.index), [1]);

  let parsedCount = 0;
  for (let len = 0; len < leaf.der.length; len += 7) {
    const r = verifyCertificate([leaf.der.subarray(0, len)], ctx());
    assert.equal(r.report.leaf, null, `truncated at ${len} should not parse`);
  }
  for (let i = 0; i < leaf.der.length; i += 3) {
    const flipped = Buffer.from(leaf.der);
    flipped[i] = flipped[i]! ^ 0xff;
    const r = verifyCertificate([flipped, inter.der], ctx());
    if (r.report.leaf) parsedCount++;
    assert.ok(Array.isArray(r.findings));
  }
  assert.ok(parsedCount > 0, 'some flips (inside the signature, say) still parse and are then judged');
  assert.equal(parseCertificate(new Uint8Array(0)).ok, false);
});

test('a flipped signature byte is caught by path building (signature does not verify)', async () => {
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  const broken = Buffer.from(leaf.der);
  broken[broken.length - 5] = broken[broken.length - 5]! ^ 0x01;
  const r = verifyCertificate([broken, inter.der], ctx());
  assert.ok(r.report.leaf, 'still parses');
  assert.equal(r.report.pkix.trusted, false);
  assert.deepEqual(r.findings.map((f) => f.code), ['CERT_BAD_SIGNATURE']);
});

test('describeCertificateShort: a one-liner with names, issuer, expiry, key, fingerprint', async () => {
  const leaf = await inter.issue({ dnsNames: ['example.com', 'conference.example.com', 'upload.example.com', 'pubsub.example.com'], notAfter: new Date(now + 30 * DAY + 3_600_000) });
  const { report } = verifyCertificate([leaf.der, inter.der], ctx());
  const line = describeCertificateShort(report.leaf!);
  assert.match(line, /^CN=example\.com; SAN example\.com, conference\.example\.com, upload\.example\.com \(\+1\); issuer Report Intermediate; until \d{4}-\d\d-\d\d \(30d\); EC prime256v1; sha256 [0-9a-f]{16}…$/);
  const expired = verifyCertificate([leaf.der, inter.der], ctx({ clock: fixedClock(now + 40 * DAY) }));
  assert.match(describeCertificateShort(expired.report.leaf!), /expired 9d ago/);
});

test('hostile strings in CN and SAN render safely in the short description', async () => {
  const evil = '\u001b[31mRED\u001b[0m\u0007\r\nfake: ok\u202eevil\u0000';
  const long = `${'a'.repeat(5000)}.example.com`;
  const leaf = await inter.issue({
    commonName: evil,
    san: [{ type: 'dns', value: `x\u001b]0;pwned\u0007.example.com` }, { type: 'dns', value: long }, { type: 'xmppAddr', value: `\u009b31m${evil}` }],
  });
  const hostileIssuer = await root.intermediate(`Issuer \u001b[2J${'Z'.repeat(3000)}`);
  const leaf2 = await hostileIssuer.issue({ commonName: 'ok.example', dnsNames: ['ok.example'] });
  for (const der of [[leaf.der, inter.der], [leaf2.der, hostileIssuer.der]]) {
    const { report, findings } = verifyCertificate(der, ctx());
    const line = describeCertificateShort(report.leaf!);
    assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/, `control characters escaped: ${JSON.stringify(line)}`);
    assert.ok(line.length < 600, `bounded length (${line.length})`);
    assert.ok(findings.length > 0);
  }
  const { report } = verifyCertificate([leaf.der, inter.der], ctx());
  assert.equal(report.leaf!.subjectCn, evil, 'the report keeps the raw value for JSON');
  const line = describeCertificateShort(report.leaf!);
  assert.ok(line.includes('\\x1b[31mRED'), 'the escape is visible, not interpreted');
  assert.ok(line.includes('\\u{202e}'));
  assert.ok(line.includes('more characters'), 'very long names are cut');
});
