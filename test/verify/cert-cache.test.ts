/**
 * The certificate caches: each distinct certificate is read once per process
 * (counted through parseCertificate's seam), signatures are checked once per
 * pair of certificates, and nothing that depends on the time or the trust
 * store is cached across them. Also the index of Node's roots by subject.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { fixedClock } from '../../src/core/clock.js';
import { verifyCertificate, type CertificateContext } from '../../src/verify/certificate.js';
import { buildTrustStore, signatureCheckCount, verifyPath, type PkixOptions } from '../../src/verify/pkix.js';
import { certificateParseCount, parseCertificate, pemToDer, type ParsedCertificate } from '../../src/verify/x509.js';

const DAY = 86_400_000;
const root = await LabCa.create('Cache Root');
const inter = await root.intermediate('Cache Intermediate');
const now = Date.now();

const parsed = (der: Buffer): ParsedCertificate => {
  const r = parseCertificate(der);
  assert.ok(r.ok);
  return r.cert;
};
const opts = (more: Partial<PkixOptions> = {}): PkixOptions => ({ subject: 'probe', service: 'c2s', clock: fixedClock(now), warnDays: 14, ...more });

test('a certificate is read once: the same DER again, even in another buffer, gets the same frozen result', async () => {
  const leaf = await root.issue({ dnsNames: ['once.example'] });
  const before = certificateParseCount();
  const a = parseCertificate(leaf.der);
  const b = parseCertificate(Buffer.from(leaf.der));
  const c = parseCertificate(new Uint8Array(leaf.der));
  assert.equal(certificateParseCount() - before, 1);
  assert.ok(a.ok && b.ok && c.ok);
  assert.equal(a, b);
  assert.equal(a.cert, c.cert);
  assert.ok(Object.isFrozen(a.cert) && Object.isFrozen(a.cert.san) && Object.isFrozen(a.cert.san!.dns));
  assert.throws(() => (a.cert.san!.dns as string[]).push('other.example'));
  // The cache holds a private copy: changing the caller's buffer changes nothing.
  const mine = Buffer.from(leaf.der);
  const d = parseCertificate(mine);
  mine.fill(0);
  assert.ok(d.ok && d.cert.der.equals(leaf.der));
  const other = await root.issue({ dnsNames: ['twice.example'] });
  parseCertificate(other.der);
  assert.equal(certificateParseCount() - before, 2);
});

test('sixteen probes presenting one chain: two certificates read, each signature checked once', async () => {
  const leaf = await inter.issue({ dnsNames: ['many.example'] });
  const store = buildTrustStore([root.certPem]);
  const ctx = (i: number): CertificateContext => ({ domain: 'many.example', service: 'c2s', srvTargets: ['many.example'], trustStore: store, clock: fixedClock(now), subject: `probe-${i}` });
  const parses = certificateParseCount();
  const sigs = signatureCheckCount();
  const reports = Array.from({ length: 16 }, (_, i) => verifyCertificate([Buffer.from(leaf.der), Buffer.from(inter.der)], ctx(i)));
  assert.equal(certificateParseCount() - parses, 2);
  assert.equal(signatureCheckCount() - sigs, 2, 'leaf by intermediate, intermediate by root');
  for (const [i, r] of reports.entries()) {
    assert.equal(r.report.pkix.status, 'trusted');
    assert.deepEqual(r.findings, []);
    // Findings and reports are per probe, never shared.
    assert.ok(i === 0 || r.report !== reports[0]!.report);
  }
});

test('results that depend on the time are not cached: the same chain at two times', async () => {
  const leaf = await root.issue({ dnsNames: ['time.example'], notAfter: new Date(now + 20 * DAY) });
  const store = buildTrustStore([root.certPem]);
  const chain = [parsed(leaf.der)];
  const codes = (clockMs: number): string[] => verifyPath(chain, store, opts({ clock: fixedClock(clockMs) })).findings.map((f) => f.code);
  assert.deepEqual(codes(now), []);
  assert.deepEqual(codes(now + 10 * DAY), ['CERT_EXPIRING_SOON']);
  assert.deepEqual(codes(now + 30 * DAY), ['CERT_EXPIRED']);
  assert.deepEqual(codes(now), []);
  const later = now + 10 * DAY;
  assert.equal(verifyPath(chain, store, opts({ clock: fixedClock(later) })).result.leafDaysLeft, Math.trunc((chain[0]!.notAfter.getTime() - later) / DAY));
  assert.equal(verifyPath(chain, store, opts()).result.leafDaysLeft, Math.trunc((chain[0]!.notAfter.getTime() - now) / DAY));
});

test('results that depend on the trust store are not cached: the same chain with and without its root', async () => {
  const leaf = await inter.issue({ dnsNames: ['store.example'] });
  const chain = [parsed(leaf.der), parsed(inter.der)];
  const trusted = verifyPath(chain, buildTrustStore([root.certPem]), opts());
  const bare = verifyPath(chain, buildTrustStore(), opts());
  const other = verifyPath(chain, buildTrustStore([(await LabCa.create('Cache Root')).certPem]), opts());
  assert.equal(trusted.result.status, 'trusted');
  assert.equal(bare.result.status, 'incomplete');
  // A different root of the same name did not issue the intermediate (its key identifier differs).
  assert.equal(other.result.status, 'incomplete');
  assert.equal(other.result.trusted, false);
  assert.equal(verifyPath(chain, buildTrustStore([root.certPem]), opts()).result.status, 'trusted');
});

test('Node\'s roots are found by subject: each root, sent alone, is trusted as a system root', () => {
  const store = buildTrustStore();
  let n = 0;
  for (const pem of rootCertificates) {
    for (const der of pemToDer(pem)) {
      const r = parseCertificate(der);
      if (!r.ok) continue;
      const v = verifyPath([r.cert], store, opts({ clock: fixedClock(r.cert.notBefore.getTime() + DAY) }));
      assert.equal(v.result.status, 'trusted', r.cert.subject);
      assert.equal(v.result.path[0]!.source, 'system', r.cert.subject);
      n++;
    }
  }
  assert.ok(n > 100);
});
