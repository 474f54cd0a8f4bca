/**
 * DANE matching against certificates from the lab CA: the whole matrix of
 * usage × selector × matching type, matching and not, plus the rules each
 * usage adds (PKIX validity, names, the chain to a DANE-TA), digest agility,
 * unusable parameters, suggestions and when DANE applies at all.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { daneApplies, evaluateDane, spkiOf, suggestTlsa, type Tlsa } from '../../../src/verify/dane/match.js';
import { LabCa } from '../../../fixtures/pki/lab-ca.js';

let root: LabCa;
let inter: LabCa;
let leaf: Buffer;
let other: Buffer;
let otherInter: LabCa;
let chain: Buffer[];

before(async () => {
  root = await LabCa.create('DANE Test Root');
  inter = await root.intermediate('DANE Test Intermediate');
  otherInter = await root.intermediate('Another Intermediate');
  leaf = (await inter.issue({ dnsNames: ['xmpp.secure.test'] })).der;
  other = (await inter.issue({ dnsNames: ['xmpp.secure.test'] })).der; // a renewal with a new key
  chain = [leaf, inter.der];
});

function assoc(der: Buffer, selector: number, mt: number): Buffer {
  const content = selector === 0 ? der : spkiOf(der);
  if (mt === 1) return createHash('sha256').update(content).digest();
  if (mt === 2) return createHash('sha512').update(content).digest();
  return content;
}

const OK = { pkixValid: true, nameMatches: true };

describe('SubjectPublicKeyInfo extraction', () => {
  it('takes the exact SPKI bytes of the certificate', () => {
    for (const der of [leaf, inter.der, root.der]) {
      const expected = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
      assert.ok(spkiOf(der).equals(expected));
    }
  });
  it('rejects garbage without crashing', () => {
    assert.throws(() => spkiOf(Buffer.from([0x30, 0x82, 0xff])));
    const r = evaluateDane([{ usage: 3, selector: 1, matchingType: 1, data: Buffer.alloc(32) }], [Buffer.from('not a cert')], OK);
    assert.equal(r.outcome, 'fail');
  });
});

describe('usage × selector × matching type', () => {
  for (const usage of [0, 1, 2, 3]) {
    for (const selector of [0, 1]) {
      for (const mt of [0, 1, 2]) {
        const label = `${usage} ${selector} ${mt}`;
        it(`${label} matches the right certificate and not another`, () => {
          const isEE = usage === 1 || usage === 3;
          const target = isEE ? leaf : inter.der;
          const good: Tlsa = { usage, selector, matchingType: mt, data: assoc(target, selector, mt) };
          const r = evaluateDane([good], chain, OK);
          assert.equal(r.outcome, 'pass', r.records[0]!.reason);
          assert.equal(r.matched?.matchedIndex, isEE ? 0 : 1);
          const wrongCert = isEE ? other : otherInter.der;
          const bad: Tlsa = { usage, selector, matchingType: mt, data: assoc(wrongCert, selector, mt) };
          const r2 = evaluateDane([bad], chain, OK);
          assert.equal(r2.outcome, 'fail');
          assert.equal(r2.records[0]!.verdict, 'no-match');
          // An EE record never matches a CA certificate, a TA record never the leaf alone.
          const swapped: Tlsa = { usage, selector, matchingType: mt, data: assoc(isEE ? inter.der : leaf, selector, mt) };
          assert.equal(evaluateDane([swapped], chain, OK).outcome, 'fail');
        });
      }
    }
  }
});

describe('the rules of each usage', () => {
  it('PKIX-TA and PKIX-EE also need PKIX validity', () => {
    for (const usage of [0, 1]) {
      const t: Tlsa = { usage, selector: 1, matchingType: 1, data: assoc(usage === 1 ? leaf : inter.der, 1, 1) };
      const r = evaluateDane([t], chain, { pkixValid: false, nameMatches: true });
      assert.equal(r.outcome, 'fail');
      assert.match(r.records[0]!.reason, /PKIX/);
    }
  });

  it('DANE-EE ignores names, dates and PKIX', async () => {
    const expired = (await inter.issue({ dnsNames: ['elsewhere.example'], notBefore: new Date(Date.now() - 100 * 86400000), notAfter: new Date(Date.now() - 86400000) })).der;
    const t: Tlsa = { usage: 3, selector: 1, matchingType: 1, data: assoc(expired, 1, 1) };
    let asked = false;
    const r = evaluateDane([t], [expired], { pkixValid: false, nameMatches: () => ((asked = true), false) });
    assert.equal(r.outcome, 'pass');
    assert.equal(asked, false, 'DANE-EE must not ask for the name check');
  });

  it('DANE-TA needs a name match (callback) and a leaf that chains to the anchor', async () => {
    const t: Tlsa = { usage: 2, selector: 1, matchingType: 1, data: assoc(inter.der, 1, 1) };
    assert.equal(evaluateDane([t], chain, { pkixValid: false, nameMatches: () => true }).outcome, 'pass');
    const noName = evaluateDane([t], chain, { pkixValid: true, nameMatches: () => false });
    assert.equal(noName.outcome, 'fail');
    assert.match(noName.records[0]!.reason, /names neither/);
    // The anchor is in the chain but did not issue the leaf.
    const foreign = (await otherInter.issue({ dnsNames: ['xmpp.secure.test'] })).der;
    const r = evaluateDane([t], [foreign, inter.der], OK);
    assert.equal(r.outcome, 'fail');
    assert.match(r.records[0]!.reason, /does not chain/);
    // The anchor must be in what the server sent.
    assert.equal(evaluateDane([t], [leaf], OK).outcome, 'fail');
  });
});

describe('digest agility and unusable records', () => {
  it('ignores a weaker digest when a stronger one is published for the same usage and selector', () => {
    const sha256 = { usage: 3, selector: 1, matchingType: 1, data: assoc(leaf, 1, 1) };
    const sha512wrong = { usage: 3, selector: 1, matchingType: 2, data: assoc(other, 1, 2) };
    const r = evaluateDane([sha256, sha512wrong], chain, OK);
    assert.equal(r.outcome, 'fail');
    assert.equal(r.records[0]!.verdict, 'ignored-weaker-digest');
    // A different selector is a different combination: no interference.
    const cert512 = { usage: 3, selector: 0, matchingType: 2, data: assoc(other, 0, 2) };
    assert.equal(evaluateDane([sha256, cert512], chain, OK).outcome, 'pass');
  });

  it('reports unusable parameters and falls back when nothing is usable', () => {
    const recs: Tlsa[] = [
      { usage: 4, selector: 1, matchingType: 1, data: Buffer.alloc(32) },
      { usage: 3, selector: 2, matchingType: 1, data: Buffer.alloc(32) },
      { usage: 3, selector: 1, matchingType: 3, data: Buffer.alloc(32) },
      { usage: 3, selector: 1, matchingType: 1, data: Buffer.alloc(20) },
    ];
    const r = evaluateDane(recs, chain, OK);
    assert.equal(r.outcome, 'no-usable');
    assert.ok(r.records.every((x) => x.verdict === 'unusable'));
    assert.match(r.records[3]!.reason, /32 bytes/);
  });
});

describe('suggestions and applicability', () => {
  it('suggests 3 1 1 and 2 1 1 records that match what the server presents', () => {
    const s = suggestTlsa(chain, 5222, 'xmpp.secure.test.');
    assert.equal(s.length, 2);
    assert.match(s[0]!.line, /^_5222\._tcp\.xmpp\.secure\.test\. 3600 IN TLSA 3 1 1 [0-9A-F]{64}$/);
    assert.match(s[1]!.line, /^_5222\._tcp\.xmpp\.secure\.test\. 3600 IN TLSA 2 1 1 [0-9A-F]{64}$/);
    for (const x of s) assert.equal(evaluateDane([x.record], chain, OK).outcome, 'pass');
    // After a renewal with a new key the old 3 1 1 no longer matches.
    assert.equal(evaluateDane([s[0]!.record], [other, inter.der], OK).outcome, 'fail');
  });

  it('applies DANE only when SRV, address and TLSA are all secure', () => {
    assert.equal(daneApplies('secure', 'secure', 'secure').applies, true);
    assert.equal(daneApplies(null, 'secure', 'secure').applies, true);
    const ins = daneApplies('secure', 'secure', 'insecure');
    assert.equal(ins.applies, false);
    assert.match(ins.reason, /TLSA records are insecure/);
    assert.equal(daneApplies('insecure', 'secure', 'secure').applies, false);
    assert.match(daneApplies('secure', 'bogus', 'secure').reason, /bogus/);
  });
});
