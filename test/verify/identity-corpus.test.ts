/**
 * The identity corpus (fixtures/pki/identity-corpus.ts): every certificate
 * in it, made by the lab CA and parsed from its DER, gets the verdict and the
 * findings the corpus expects from our matcher. The interop suite compares
 * the same cases with Prosody's util.x509.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { IDENTITY_CORPUS, corpusCertificate } from '../../fixtures/pki/identity-corpus.js';
import { parseCertificate } from '../../src/verify/x509.js';
import { identityFindings, matchIdentity } from '../../src/verify/identity.js';

const ca = await LabCa.create();

test('the corpus: unique ids, and every kind of identifier in it', () => {
  const ids = IDENTITY_CORPUS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate case ids');
  const verdicts = new Set(IDENTITY_CORPUS.map((c) => c.expect));
  assert.deepEqual([...verdicts].sort(), ['cn', 'dns', 'none', 'srv', 'xmppaddr']);
  assert.ok(IDENTITY_CORPUS.some((c) => c.wildcard), 'wildcard matches');
  assert.ok(IDENTITY_CORPUS.some((c) => c.service === 's2s'), 's2s cases');
});

for (const c of IDENTITY_CORPUS) {
  test(`${c.id}: ${c.about} → ${c.expect}`, async () => {
    const parsed = parseCertificate((await corpusCertificate(ca, c)).der);
    assert.ok(parsed.ok, 'the corpus certificate parses');
    const r = matchIdentity(parsed.cert, { domain: c.domain, service: c.service, srvTargets: [] });
    assert.equal(r.by?.type ?? 'none', c.expect, `verdict for ${c.domain} (${c.service})`);
    assert.equal(r.matched, c.expect !== 'none');
    assert.equal(r.by?.wildcard ?? false, c.wildcard ?? false, 'matched through a wildcard');
    assert.deepEqual(identityFindings(r, 'probe', c.service).map((f) => f.code), c.findings);
  });
}
