/**
 * PKIX path building and checks, on chains made by the lab CA: valid chains,
 * incomplete chains, self-signed and untrusted roots, validity against the
 * injected clock, weak keys and hashes, EKU rules, and the --ca-file loader.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { EKU_CLIENT_AUTH, EKU_SERVER_AUTH, LabCa, type IssuedCert } from '../../fixtures/pki/lab-ca.js';
import { fixedClock, systemClock } from '../../src/core/clock.js';
import { parseCertificate, type ParsedCertificate } from '../../src/verify/x509.js';
import { buildTrustStore, loadCaFile, verifyPath, type PkixOptions, type TrustStore } from '../../src/verify/pkix.js';

const DAY = 86_400_000;
const root = await LabCa.create('Test Root');
const inter = await root.intermediate('Test Intermediate');
const store: TrustStore = buildTrustStore([new X509Certificate(root.der)]);

const parse = (der: Buffer): ParsedCertificate => {
  const r = parseCertificate(der);
  assert.ok(r.ok);
  return r.cert;
};
const chain = (...certs: (IssuedCert | LabCa)[]): ParsedCertificate[] => certs.map((c) => parse(c.der));
const opts = (more: Partial<PkixOptions> = {}): PkixOptions => ({ subject: 'probe-1', service: 'c2s', clock: systemClock, warnDays: 14, ...more });
const codes = (r: { findings: { code: string }[] }): string[] => r.findings.map((f) => f.code).sort();

test('system trust store: Node\'s bundled roots are loaded, and do not trust the lab', async () => {
  // A root of Node's store, presented alone, ends at the system anchor; without the system roots it is only self-signed.
  const bundled = parseCertificate(Buffer.from(rootCertificates[0]!.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64'));
  assert.ok(bundled.ok);
  const viaSystem = verifyPath([bundled.cert], buildTrustStore(), opts());
  assert.equal(viaSystem.result.status, 'trusted');
  assert.equal(viaSystem.result.anchor?.source, 'system');
  assert.equal(verifyPath([bundled.cert], buildTrustStore([], { system: false }), opts()).result.status, 'self-signed');
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(leaf, inter), buildTrustStore(), opts());
  assert.equal(r.result.trusted, false);
  assert.equal(r.result.status, 'incomplete');
  assert.equal(r.result.missingIssuer, 'CN=Test Root');
});

test('valid chain with intermediate: trusted, path leaf → intermediate → extra root, no findings', async () => {
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(leaf, inter), store, opts());
  assert.equal(r.result.status, 'trusted');
  assert.equal(r.result.trusted, true);
  assert.deepEqual(r.result.path.map((p) => [p.subject, p.source]), [['CN=example.com', 'sent'], ['CN=Test Intermediate', 'sent'], ['CN=Test Root', 'extra']]);
  assert.equal(r.result.anchor?.source, 'extra');
  assert.deepEqual(r.findings, []);
  assert.ok(r.result.leafDaysLeft !== null && r.result.leafDaysLeft >= 88 && r.result.leafDaysLeft <= 90);
});

test('a trusted root appended to the chain (as Node does) is not reported as extra', async () => {
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(leaf, inter, root), store, opts());
  assert.equal(r.result.status, 'trusted');
  assert.deepEqual(r.result.unusedSent, []);
  assert.deepEqual(r.findings, []);
});

test('intermediates out of order still build; unrelated certificates are reported', async () => {
  const other = await LabCa.create('Unrelated CA');
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  const r = verifyPath([...chain(leaf, other, inter)], store, opts());
  assert.equal(r.result.status, 'trusted');
  assert.deepEqual(r.result.unusedSent, [1]);
  assert.deepEqual(codes(r), ['CERT_CHAIN_EXTRA']);
  assert.match(r.findings[0]!.message, /Unrelated CA/);
});

test('chain incomplete: leaf from an intermediate sent without it names the missing issuer', async () => {
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(leaf), store, opts());
  assert.equal(r.result.status, 'incomplete');
  assert.equal(r.result.missingIssuer, 'CN=Test Intermediate');
  assert.deepEqual(codes(r), ['CERT_CHAIN_INCOMPLETE']);
  assert.match(r.findings[0]!.message, /Test Intermediate/);
});

test('self-signed leaf: CERT_SELF_SIGNED; trusted when pinned through extra roots', async () => {
  const ss = await LabCa.selfSigned({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(ss), store, opts());
  assert.equal(r.result.status, 'self-signed');
  assert.deepEqual(codes(r), ['CERT_SELF_SIGNED']);
  const pinned = verifyPath(chain(ss), buildTrustStore([ss.certPem]), opts());
  assert.equal(pinned.result.status, 'trusted');
  assert.deepEqual(pinned.findings, []);
});

test('self-signed leaf whose keyUsage lacks keyCertSign (openssl req -x509 -addext keyUsage=digitalSignature) is self-signed, not an incomplete chain', async () => {
  // What `openssl req -x509 ... -addext keyUsage=digitalSignature` makes: CA:TRUE from
  // openssl.cnf's v3_ca, and a keyUsage without keyCertSign, so OpenSSL's issuer check
  // (Node's checkIssued) refuses the certificate as its own issuer.
  for (const variant of [
    { basicConstraintsCa: true, keyUsage: ['digitalSignature'] as const },
    { basicConstraintsCa: false, keyUsage: ['digitalSignature', 'keyEncipherment'] as const },
  ]) {
    const ss = await LabCa.selfSigned({ dnsNames: ['example.com'], basicConstraintsCa: variant.basicConstraintsCa, keyUsage: [...variant.keyUsage] });
    const parsed = parse(ss.der);
    assert.equal(parsed.node.checkIssued(parsed.node), false, 'the case Node\'s issuer check refuses');
    const r = verifyPath([parsed], store, opts());
    assert.equal(r.result.status, 'self-signed', JSON.stringify(variant));
    assert.equal(r.result.missingIssuer, null);
    assert.deepEqual(codes(r), ['CERT_SELF_SIGNED']);
    assert.doesNotMatch(r.findings[0]!.fix, /fullchain/);
  }
});

test('a certificate whose issuer name equals its subject but that another key signed is not self-signed', async () => {
  const other = await LabCa.create('Lookalike Root');
  // Subject = issuer, byte for byte, but signed by the CA's key, not its own.
  const lookalike = await other.issue({ dnsNames: ['example.com'], subjectIsIssuer: true });
  const parsed = parse(lookalike.der);
  assert.equal(parsed.selfIssued, true);
  const r = verifyPath([parsed], store, opts());
  assert.equal(r.result.status, 'incomplete');
  assert.equal(r.result.missingIssuer, 'CN=Lookalike Root');
  assert.deepEqual(codes(r), ['CERT_CHAIN_INCOMPLETE']);
});

test('untrusted root: the chain ends at a root not in the store', async () => {
  const evilRoot = await LabCa.create('Private Root');
  const evilInter = await evilRoot.intermediate('Private Intermediate');
  const leaf = await evilInter.issue({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(leaf, evilInter, evilRoot), store, opts());
  assert.equal(r.result.status, 'untrusted-root');
  assert.equal(r.result.path.length, 3);
  assert.deepEqual(codes(r), ['CERT_UNTRUSTED_ROOT']);
  assert.match(r.findings[0]!.message, /Private Root/);
});

test('a root with the trusted name but another key does not make a chain trusted', async () => {
  const impostor = await LabCa.create('Test Root');
  const leaf = await impostor.issue({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(leaf), store, opts());
  assert.equal(r.result.trusted, false);
});

test('expired and not-yet-valid, judged by the injected clock', async () => {
  const now = Date.now();
  const leaf = await inter.issue({ dnsNames: ['example.com'], notBefore: new Date(now - 10 * DAY), notAfter: new Date(now + 30 * DAY) });
  const later = verifyPath(chain(leaf, inter), store, opts({ clock: fixedClock(now + 40 * DAY) }));
  assert.deepEqual(codes(later), ['CERT_EXPIRED']);
  assert.match(later.findings[0]!.message, /10 days ago/);
  assert.equal(later.result.leafDaysLeft, -10);

  const earlier = verifyPath(chain(leaf, inter), store, opts({ clock: fixedClock(now - 20 * DAY) }));
  assert.ok(codes(earlier).includes('CERT_NOT_YET_VALID'));

  const inside = verifyPath(chain(leaf, inter), store, opts({ clock: fixedClock(now) }));
  assert.deepEqual(inside.findings, []);
});

test('an expired intermediate is reported too', async () => {
  const now = Date.now();
  const oldInter = await root.intermediate('Old Intermediate', { notBefore: new Date(now - 400 * DAY), notAfter: new Date(now - DAY) });
  const leaf = await oldInter.issue({ dnsNames: ['example.com'] });
  const r = verifyPath(chain(leaf, oldInter), store, opts());
  assert.deepEqual(codes(r), ['CERT_EXPIRED']);
  assert.match(r.findings[0]!.message, /Old Intermediate/);
});

test('expiring soon uses warnDays (default 14) and critDays (default 7), and says how many days are left', async () => {
  const now = Date.now();
  const leaf = await inter.issue({ dnsNames: ['example.com'], notAfter: new Date(now + 10 * DAY + 3_600_000) });
  const r = verifyPath(chain(leaf, inter), store, opts({ clock: fixedClock(now) }));
  assert.deepEqual(codes(r), ['CERT_EXPIRING_SOON']);
  assert.match(r.findings[0]!.message, /10 days left \(warning at 14\)/);
  assert.deepEqual(verifyPath(chain(leaf, inter), store, opts({ clock: fixedClock(now), warnDays: 3 })).findings, []);
  const def = verifyPath(chain(leaf, inter), store, { subject: 'p', service: 'c2s', clock: fixedClock(now) });
  assert.deepEqual(codes(def), ['CERT_EXPIRING_SOON']);
  // Within the critical threshold: an error, not a warning.
  const crit = verifyPath(chain(leaf, inter), store, opts({ clock: fixedClock(now), critDays: 11 }));
  assert.deepEqual(codes(crit), ['CERT_EXPIRING_CRITICAL']);
  assert.match(crit.findings[0]!.message, /10 days left \(critical at 11\)/);
  const soon = await inter.issue({ dnsNames: ['example.com'], notAfter: new Date(now + 5 * DAY + 3_600_000) });
  assert.deepEqual(codes(verifyPath(chain(soon, inter), store, { subject: 'p', service: 'c2s', clock: fixedClock(now) })), ['CERT_EXPIRING_CRITICAL'], 'default critDays 7');
});

test('RSA keys under 2048 bits are flagged; 2048 is fine', async () => {
  const weak = await inter.issue({ dnsNames: ['example.com'], key: 'rsa1024' });
  const r = verifyPath(chain(weak, inter), store, opts());
  assert.deepEqual(codes(r), ['CERT_WEAK_RSA_KEY']);
  assert.match(r.findings[0]!.message, /1024-bit/);
  const ok = await inter.issue({ dnsNames: ['example.com'], key: 'rsa2048' });
  assert.deepEqual(verifyPath(chain(ok, inter), store, opts()).findings, []);
});

test('SHA-1 signatures are flagged, on the leaf and on an intermediate', async () => {
  const sha1 = await inter.issue({ dnsNames: ['example.com'], signatureHash: 'SHA-1' });
  const c = chain(sha1, inter);
  assert.equal(c[0]!.signature.hash, 'SHA-1');
  const r = verifyPath(c, store, opts());
  assert.equal(r.result.status, 'trusted', 'Node still verifies SHA-1 signatures, so the path builds');
  assert.deepEqual(codes(r), ['CERT_SHA1_SIGNATURE']);
  assert.match(r.findings[0]!.message, /ecdsa-with-SHA1/);

  const sha1Inter = await root.intermediate('SHA-1 Intermediate', { signatureHash: 'SHA-1' });
  const leaf = await sha1Inter.issue({ dnsNames: ['example.com'] });
  const r2 = verifyPath(chain(leaf, sha1Inter), store, opts());
  assert.deepEqual(codes(r2), ['CERT_SHA1_SIGNATURE']);
  assert.match(r2.findings[0]!.message, /SHA-1 Intermediate/);
});

test('leaf EKU without serverAuth is an error; no EKU extension at all is fine', async () => {
  const clientOnly = await inter.issue({ dnsNames: ['example.com'], eku: [EKU_CLIENT_AUTH] });
  assert.deepEqual(codes(verifyPath(chain(clientOnly, inter), store, opts())), ['CERT_NO_SERVER_AUTH_EKU']);
  const none = await inter.issue({ dnsNames: ['example.com'], eku: null });
  assert.equal(chain(none)[0]!.eku, null);
  assert.deepEqual(verifyPath(chain(none, inter), store, opts()).findings, []);
});

test('s2s: no clientAuth EKU warns only when SASL EXTERNAL is offered without dialback', async () => {
  const serverOnly = await inter.issue({ dnsNames: ['example.com'], eku: [EKU_SERVER_AUTH] });
  const c = chain(serverOnly, inter);
  const s2s = (more: Partial<PkixOptions>) => codes(verifyPath(c, store, opts({ service: 's2s', ...more })));
  assert.deepEqual(s2s({ saslExternal: true, dialback: false }), ['CERT_NO_CLIENT_AUTH_EKU']);
  assert.deepEqual(s2s({ saslExternal: true, dialback: true }), []);
  assert.deepEqual(s2s({ saslExternal: false, dialback: false }), []);
  assert.deepEqual(s2s({}), [], 'unknown stream features: no claim');
  assert.deepEqual(codes(verifyPath(c, store, opts({ service: 'c2s', saslExternal: true, dialback: false }))), []);
  const both = await inter.issue({ dnsNames: ['example.com'] });
  assert.deepEqual(codes(verifyPath(chain(both, inter), store, opts({ service: 's2s', saslExternal: true, dialback: false }))), []);
  const noEku = await inter.issue({ dnsNames: ['example.com'], eku: null });
  assert.deepEqual(codes(verifyPath(chain(noEku, inter), store, opts({ service: 's2s', saslExternal: true, dialback: false }))), []);
});

test('empty chain: CERT_NONE', () => {
  const r = verifyPath([], store, opts());
  assert.equal(r.result.status, 'no-certificate');
  assert.deepEqual(codes(r), ['CERT_NONE']);
});

test('loadCaFile: PEM roots load; unreadable, empty and corrupt files give clear errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-ca-'));
  const good = join(dir, 'roots.pem');
  const other = await LabCa.create('Second Root');
  writeFileSync(good, `# comment\n${root.certPem}\n${other.certPem}`);
  const ok = loadCaFile(good);
  assert.ok(ok.ok);
  assert.deepEqual(ok.roots.map((r) => r.subject), ['CN=Test Root', 'CN=Second Root']);
  const leaf = await inter.issue({ dnsNames: ['example.com'] });
  assert.equal(verifyPath(chain(leaf, inter), buildTrustStore(ok.roots, { system: false }), opts()).result.trusted, true);

  const missing = loadCaFile(join(dir, 'nope.pem'));
  assert.ok(!missing.ok);
  assert.match(missing.error, /^cannot read .*nope\.pem: there is no such file$/);

  const text = join(dir, 'text.pem');
  writeFileSync(text, 'hello world\n');
  const t = loadCaFile(text);
  assert.ok(!t.ok);
  assert.match(t.error, /no PEM certificate/);

  const key = join(dir, 'key.pem');
  writeFileSync(key, leaf.keyPem);
  const k = loadCaFile(key);
  assert.ok(!k.ok);
  assert.match(k.error, /no CERTIFICATE block/);

  const corrupt = join(dir, 'corrupt.pem');
  writeFileSync(corrupt, `${root.certPem}-----BEGIN CERTIFICATE-----\nAAAAAAAA\n-----END CERTIFICATE-----\n`);
  const c = loadCaFile(corrupt);
  assert.ok(!c.ok);
  assert.match(c.error, /certificate #2 .* is invalid/);

  const der = join(dir, 'root.der');
  writeFileSync(der, root.der);
  const d = loadCaFile(der);
  assert.ok(d.ok && d.roots.length === 1);

  const isDir = loadCaFile(dir);
  assert.ok(!isDir.ok);
  assert.match(isDir.error, /cannot read/);
});

test('a path through a certificate that is no CA is not trusted, though it leads to a trusted root (OpenSSL\'s issuer check lets it through when it has no keyUsage)', async () => {
  const root = await LabCa.create('Not-CA Test Root');
  const notCa = await root.intermediate('A leaf used as issuer', { notCa: true });
  const leaf = await notCa.issue({ dnsNames: ['example.com'] });
  const parsed = chain(leaf, notCa);
  assert.equal(parsed[0]!.node.checkIssued(parsed[1]!.node), true, 'Node\'s issuer check accepts it');
  const r = verifyPath(parsed, buildTrustStore([root.certPem]), opts());
  assert.equal(r.result.status, 'issuer-not-ca');
  assert.equal(r.result.trusted, false);
  assert.deepEqual(codes(r), ['CERT_ISSUER_NOT_CA']);
  // The same shape with a real intermediate is trusted.
  const inter = await root.intermediate('A real intermediate');
  const good = await inter.issue({ dnsNames: ['example.com'] });
  assert.equal(verifyPath(chain(good, inter), buildTrustStore([root.certPem]), opts()).result.status, 'trusted');
});
