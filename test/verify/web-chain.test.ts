/** The HTTPS chain check the pipeline hands the web client: our path builder, dates and serverAuth, with a reason when it fails. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { fixedClock, systemClock } from '../../src/core/clock.js';
import { buildTrustStore } from '../../src/verify/pkix.js';
import { webChainCheck } from '../../src/verify/web-chain.js';
import { EKU_CLIENT_AUTH } from '../../src/verify/x509.js';

const DAY = 86_400_000;

test('webChainCheck: a chain to a trusted root passes; self-signed, incomplete, expired, not yet valid and clientAuth-only fail, each saying why', async () => {
  const ca = await LabCa.create();
  const inter = await ca.intermediate();
  const leaf = await inter.issue({ dnsNames: ['www.example.test'] });
  const check = webChainCheck(buildTrustStore([ca.certPem], { system: false }), systemClock);
  assert.equal(check([leaf.der, inter.der]), null);
  assert.match(check([leaf.der]) ?? '', /issuer certificate/);
  assert.equal(check([]), 'no certificate');
  const self = await LabCa.selfSigned({ dnsNames: ['www.example.test'] });
  assert.equal(check([self.der]), 'self-signed certificate');
  // An unknown root: the same chain against a store without the lab CA.
  assert.match(webChainCheck(buildTrustStore([], { system: false }), systemClock)([leaf.der, inter.der, ca.der]) ?? '', /not trusted|issuer/);
  const later = webChainCheck(buildTrustStore([ca.certPem], { system: false }), fixedClock(Date.now() + 3000 * DAY));
  assert.match(later([leaf.der, inter.der]) ?? '', /^the certificate has expired/);
  const expiredInter = await ca.intermediate('Short-lived Intermediate', { notAfter: new Date(Date.now() + 2 * DAY) });
  const leaf2 = await expiredInter.issue({ dnsNames: ['www.example.test'] });
  const soon = webChainCheck(buildTrustStore([ca.certPem], { system: false }), fixedClock(Date.now() + 5 * DAY));
  assert.match(soon([leaf2.der, expiredInter.der]) ?? '', /^the issuer .*Short-lived Intermediate.* has expired/);
  const future = await inter.issue({ dnsNames: ['www.example.test'], notBefore: new Date(Date.now() + 10 * DAY) });
  assert.match(check([future.der, inter.der]) ?? '', /^the certificate is not yet valid/);
  const client = await inter.issue({ dnsNames: ['www.example.test'], eku: [EKU_CLIENT_AUTH] });
  assert.match(check([client.der, inter.der]) ?? '', /serverAuth/);
  const unparseable = Buffer.from('30030201ff', 'hex');
  assert.match(check([unparseable]) ?? '', /cannot be parsed/);
});
