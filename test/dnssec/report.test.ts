/**
 * From results to findings, end to end on the signed lab: resolver mode (AD
 * bit, SERVFAIL turned answer under CD = bogus, Extended DNS Errors), the
 * off mode, a non-matching TLSA in an unsigned zone that must be ignored, a
 * secure mismatch with the records that would match, a secure "no TLSA",
 * and bogus answers explained with their broken link.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DnsClient, parseResolver } from '../../src/dns/client.js';
import { parseTrustAnchors } from '../../src/dnssec/anchors.js';
import { createDnssecChecker } from '../../src/dnssec/checker.js';
import { daneFindings } from '../../src/verify/dane/findings.js';
import { dnssecFindings } from '../../src/dnssec/report.js';
import { CATALOGUE } from '../../src/report/catalogue.js';
import { evaluateDane, type Tlsa } from '../../src/verify/dane/match.js';
import { fixedClock } from '../../src/core/clock.js';
import { startSignedLab, tlsaRecord, type SignedLab } from '../../fixtures/dnssec/lab.js';
import { LabCa } from '../../fixtures/pki/lab-ca.js';

const NOW = Date.UTC(2031, 0, 2, 3, 4, 5);
let lab: SignedLab;
let chain: Buffer[];

before(async () => {
  const ca = await LabCa.create('Findings Root');
  const inter = await ca.intermediate('Findings Intermediate');
  chain = [(await inter.issue({ dnsNames: ['xmpp.secure.test'] })).der, inter.der];
  // The secure zone publishes a stale 3 1 1 (the key before a renewal).
  lab = await startSignedLab({ nowMs: NOW, records: { 'secure.test': [tlsaRecord(5222, 'xmpp.secure.test', 3, 1, 1, Buffer.alloc(32, 0x5a))] } });
});
after(() => lab.close());

const client = (): DnsClient => new DnsClient({ server: parseResolver(lab.address)!, timeoutMs: 2000 });
const validateChecker = () => createDnssecChecker({ mode: 'validate', client: client(), anchors: parseTrustAnchors(lab.trustAnchorText).anchors, clock: fixedClock(NOW) });
const tlsaOf = (records: { data: unknown }[]): Tlsa[] =>
  records.map((r) => {
    const d = r.data as { usage: number; selector: number; matchingType: number; certificate: Buffer };
    return { usage: d.usage, selector: d.selector, matchingType: d.matchingType, data: d.certificate };
  });

describe('resolver mode', () => {
  it('trusts AD, turns SERVFAIL-but-answers-with-CD into bogus, and passes on EDE', async () => {
    const c = client();
    const chk = createDnssecChecker({ mode: 'resolver', client: c });
    const sec = await chk.check('www.secure.test', 'A');
    assert.equal(sec.status, 'secure');
    assert.match(sec.caveat!, /only as trustworthy as the path/);
    const ins = await chk.check('www.insecure.test', 'A');
    assert.equal(ins.status, 'insecure');
    const bog = await chk.check('www.expired.test', 'A');
    assert.equal(bog.status, 'bogus');
    assert.deepEqual(bog.ede, [{ code: 7, text: 'Signature Expired' }]);
    assert.equal(bog.records.length, 1);
    const codes = dnssecFindings(bog).map((f) => f.code);
    assert.deepEqual(codes, ['DNSSEC_BOGUS', 'DNSSEC_EDE']);
    // The CD retry happened.
    assert.ok(c.log.some((q) => q.name === 'www.expired.test' && q.flags?.cd === true));
  });

  it('off mode reports nothing', async () => {
    const chk = createDnssecChecker({ mode: 'off', client: client() });
    const r = await chk.check('www.badsig.test', 'A');
    assert.equal(r.mode, 'off');
    assert.deepEqual(dnssecFindings(r), []);
  });
});

describe('DANE findings', () => {
  it('a non-matching TLSA in an unsigned zone is ignored, not a DANE failure', async () => {
    const chk = validateChecker();
    const tlsa = await chk.check('_5222._tcp.xmpp.insecure.test', 'TLSA');
    assert.equal(tlsa.status, 'insecure');
    assert.equal(tlsa.records.length, 1);
    const srv = await chk.check('_xmpp-client._tcp.insecure.test', 'SRV');
    const addr = await chk.check('xmpp.insecure.test', 'A');
    const evaluation = evaluateDane(tlsaOf(tlsa.records as never), chain, { pkixValid: true, nameMatches: true });
    assert.equal(evaluation.outcome, 'fail', 'the record really does not match');
    const f = daneFindings({ service: 'c2s', port: 5222, target: 'xmpp.insecure.test', tlsa, srvStatus: srv.status, addressStatus: addr.status, chain, evaluation, pkixValid: true });
    assert.deepEqual(f.map((x) => x.code), ['DANE_TLSA_NOT_SECURE']);
    assert.equal(f[0]!.severity, 'info');
  });

  it('a secure TLSA that does not match is an error that shows the records that would match', async () => {
    const chk = validateChecker();
    const tlsa = await chk.check('_5222._tcp.xmpp.secure.test', 'TLSA');
    assert.equal(tlsa.status, 'secure', tlsa.reason);
    const srv = await chk.check('_xmpp-client._tcp.secure.test', 'SRV');
    const addr = await chk.check('xmpp.secure.test', 'A');
    const evaluation = evaluateDane(tlsaOf(tlsa.records as never), chain, { pkixValid: true, nameMatches: true });
    const f = daneFindings({ service: 'c2s', port: 5222, target: 'xmpp.secure.test', tlsa, srvStatus: srv.status, addressStatus: addr.status, chain, evaluation, pkixValid: true });
    assert.deepEqual(f.map((x) => x.code), ['DANE_TLSA_MISMATCH']);
    assert.match(f[0]!.message, /_5222\._tcp\.xmpp\.secure\.test\. 3600 IN TLSA 3 1 1 [0-9A-F]{64}/);
    assert.match(f[0]!.fix, /2 1 1/);
  });

  it('a secure "no TLSA" is a real result: no DANE, no finding', async () => {
    const chk = validateChecker();
    const tlsa = await chk.check('_5269._tcp.xmpp.secure.test', 'TLSA');
    assert.equal(tlsa.status, 'secure');
    assert.equal(tlsa.records.length, 0);
    const f = daneFindings({ service: 's2s', port: 5269, target: 'xmpp.secure.test', tlsa, srvStatus: 'secure', addressStatus: 'secure', chain, evaluation: null, pkixValid: true });
    assert.deepEqual(f, []);
  });

  it('DANE passing where PKIX fails: a warning for c2s, information for s2s', async () => {
    const tlsa = await validateChecker().check('_5222._tcp.xmpp.secure.test', 'TLSA');
    const good = evaluateDane([{ usage: 3, selector: 0, matchingType: 0, data: chain[0]! }], chain, { pkixValid: false, nameMatches: false });
    const base = { port: 5222, target: 'xmpp.secure.test', tlsa, srvStatus: 'secure' as const, addressStatus: 'secure' as const, chain, evaluation: good, pkixValid: false };
    assert.deepEqual(daneFindings({ ...base, service: 'c2s' }).map((x) => [x.code, x.severity]), [['DANE_PKIX_FAIL_C2S', 'warning']]);
    assert.deepEqual(daneFindings({ ...base, service: 's2s' }).map((x) => [x.code, x.severity]), [['DANE_PKIX_FAIL_S2S', 'info']]);
  });

  it('a bogus TLSA lookup is reported as bogus, with the broken link in the DNSSEC finding', async () => {
    const chk = validateChecker();
    const r = await chk.check('www.dsmismatch.test', 'A');
    const f = dnssecFindings(r, 'c2s');
    assert.equal(f[0]!.code, 'DNSSEC_BOGUS');
    assert.match(f[0]!.message, /Broken link: dsmismatch\.test\/DNSKEY in zone dsmismatch\.test \(ds-matches-no-dnskey\)/);
    assert.match(f[0]!.fix, /dnssec-dsfromkey/);
    const tl = await chk.check('_5222._tcp.www.badsig.test', 'TLSA');
    assert.equal(tl.status, 'bogus');
    const d = daneFindings({ service: 'c2s', port: 5222, target: 'www.badsig.test', tlsa: tl, srvStatus: 'secure', addressStatus: 'bogus', chain, evaluation: null, pkixValid: true });
    assert.deepEqual(d.map((x) => x.code), ['DANE_TLSA_BOGUS']);
  });

  it('every code is in the catalogue with the right prefix', () => {
    for (const code of ['DNSSEC_BOGUS', 'DNSSEC_INDETERMINATE', 'DNSSEC_EDE', 'DNSSEC_RESOLVER_MODE', 'DNSSEC_TRUST_ANCHOR_ERROR', 'DANE_TLSA_NOT_SECURE', 'DANE_TLSA_BOGUS', 'DANE_TLSA_MISMATCH', 'DANE_TLSA_UNUSABLE', 'DANE_PKIX_FAIL_C2S', 'DANE_PKIX_FAIL_S2S']) {
      assert.ok(CATALOGUE.has(code), code);
    }
  });
});
