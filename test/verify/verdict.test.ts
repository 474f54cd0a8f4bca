/**
 * The verdict of one connection: the precedence rule (DANE when a secure,
 * usable TLSA record set exists; else PKIX when it passes; else POSH) over
 * every combination of the three prooftypes, the table's one-line form, and
 * the findings verifyChain derives from the same decision (DANE mismatch,
 * secure delegation to the SRV target, hosting provider without DNSSEC).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Answer } from 'dns-packet';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { fixedClock } from '../../src/core/clock.js';
import { SecurityResults } from '../../src/dnssec/answers.js';
import type { DnssecResult, SecurityStatus } from '../../src/dnssec/types.js';
import { spkiOf } from '../../src/verify/dane/match.js';
import { buildTrustStore } from '../../src/verify/pkix.js';
import { verifyChain, type SessionToVerify, type VerifyOptions } from '../../src/verify/stage.js';
import { decideVerdict, verdictFailure, verdictShort, type ProofResult, type ProofStatus } from '../../src/verify/verdict.js';

const proof = (status: ProofStatus): ProofResult => ({ status, reason: `${status} reason` });
const S: Record<string, ProofStatus> = { '+': 'pass', '-': 'fail', '.': 'not-applicable' };

/**
 * Every combination, written out: PKIX DANE POSH → authenticated, by, decidedBy, note.
 * `+` pass, `-` fail, `.` not applicable; `note` is a pattern the note must match (null: no note).
 */
const TABLE: [string, boolean, string | null, string | null, RegExp | null][] = [
  // DANE passes: authenticated by DANE, whatever PKIX and POSH say.
  ['+ + +', true, 'dane', 'dane', null],
  ['+ + -', true, 'dane', 'dane', null],
  ['+ + .', true, 'dane', 'dane', null],
  ['- + +', true, 'dane', 'dane', null],
  ['- + -', true, 'dane', 'dane', null],
  ['- + .', true, 'dane', 'dane', null],
  ['. + +', true, 'dane', 'dane', null],
  ['. + -', true, 'dane', 'dane', null],
  ['. + .', true, 'dane', 'dane', null],
  // DANE fails (a secure, usable TLSA set matches nothing): NOT authenticated, even when PKIX or POSH passes.
  ['+ - +', false, null, 'dane', /PKIX-only client .*would still accept it, and a client that does POSH but not DANE/],
  ['+ - -', false, null, 'dane', /^DANE-aware clients refuse it; a PKIX-only client \(no DANE\) would still accept it$/],
  ['+ - .', false, null, 'dane', /^DANE-aware clients refuse it; a PKIX-only client \(no DANE\) would still accept it$/],
  ['- - +', false, null, 'dane', /^DANE-aware clients refuse it; a client that does POSH but not DANE would still accept it$/],
  ['- - -', false, null, 'dane', null],
  ['- - .', false, null, 'dane', null],
  ['. - +', false, null, 'dane', /POSH but not DANE/],
  ['. - -', false, null, 'dane', null],
  ['. - .', false, null, 'dane', null],
  // No DANE: PKIX when it passes.
  ['+ . +', true, 'pkix', 'pkix', null],
  ['+ . -', true, 'pkix', 'pkix', null],
  ['+ . .', true, 'pkix', 'pkix', null],
  // PKIX fails or does not apply: POSH when a POSH file is published.
  ['- . +', true, 'posh', 'posh', null],
  ['- . -', false, null, 'posh', null],
  ['. . +', true, 'posh', 'posh', null],
  ['. . -', false, null, 'posh', null],
  // Nothing else applies: PKIX failed (or nothing was presented).
  ['- . .', false, null, 'pkix', null],
  ['. . .', false, null, null, null],
];

test('the precedence rule over all 27 combinations of PKIX, DANE and POSH', () => {
  assert.equal(new Set(TABLE.map((r) => r[0])).size, 27, 'every combination once');
  for (const [combo, authenticated, by, decidedBy, note] of TABLE) {
    const [p, d, s] = combo.split(' ').map((c) => proof(S[c]!));
    const v = decideVerdict(p!, d!, s!);
    assert.equal(v.authenticated, authenticated, `${combo}: authenticated`);
    assert.equal(v.by, by, `${combo}: by`);
    assert.equal(v.decidedBy, decidedBy, `${combo}: decidedBy`);
    if (note) assert.match(v.note ?? '', note, `${combo}: note`);
    else assert.equal(v.note, null, `${combo}: no note`);
    assert.equal(v.by !== null, v.authenticated, `${combo}: by is set exactly when authenticated`);
    assert.deepEqual([v.pkix, v.dane, v.posh], [p, d, s], `${combo}: the proofs are kept`);
  }
});

test('the table line says the verdict first, and never contradicts it', () => {
  const v = (combo: string) => {
    const [p, d, s] = combo.split(' ').map((c) => proof(S[c]!));
    return decideVerdict(p!, d!, s!);
  };
  assert.equal(verdictShort(v('+ . .')), '✓ PKIX');
  assert.equal(verdictShort(v('- . +')), '✓ POSH');
  assert.equal(verdictShort(v('+ + .')), '✓ PKIX+DANE');
  assert.equal(verdictShort(v('- + .')), '✓ DANE');
  assert.equal(verdictShort(v('+ - .')), '✗ DANE fails (PKIX ✓)');
  assert.equal(verdictShort(v('+ - +')), '✗ DANE fails (PKIX ✓, POSH ✓)');
  assert.equal(verdictShort(v('- - .')), '✗ DANE fails');
  assert.equal(verdictShort(v('- . .')), '✗ none');
  assert.equal(verdictShort(v('- . -')), '✗ none');
  assert.equal(verdictShort(null), '-');
  assert.equal(verdictFailure(v('+ - .')), 'not authenticated (DANE fails: no secure TLSA record matches)');
  assert.equal(verdictFailure(v('- . .')), 'not authenticated');
  assert.equal(verdictFailure(v('+ . .')), null);
  for (const [combo] of TABLE) {
    const line = verdictShort(v(combo));
    assert.equal(line.startsWith('✓ '), v(combo).authenticated, `${combo}: ${line}`);
    assert.equal(verdictFailure(v(combo)) === null, v(combo).authenticated, combo);
  }
});

// ---- verifyChain: the findings follow the same decision ----

const root = await LabCa.create('Verdict Root');
const now = Date.now();
const opts = (security: SecurityResults | null): VerifyOptions => ({ domain: 'tenant.test', clock: fixedClock(now), trustStore: buildTrustStore([root.certPem]), warnDays: 14, security, posh: {} });

function result(name: string, type: string, status: SecurityStatus, records: Answer[] = []): DnssecResult {
  return { name, type, mode: 'validate', status, outcome: records.length ? 'answer' : 'nodata', rcode: 'NOERROR', records, zone: 'test', reason: status, brokenLink: null, chain: [], wildcard: null, ede: [], caveat: null };
}

function security(target: string, port: number, tlsa: { status: SecurityStatus; data?: Buffer }): SecurityResults {
  const sec = new SecurityResults('validate');
  sec.set(result(target, 'A', 'secure'), target, 'A');
  const owner = `_${port}._tcp.${target}`;
  const records = tlsa.data ? [{ name: owner, type: 'TLSA', ttl: 300, data: { usage: 3, selector: 1, matchingType: 1, certificate: tlsa.data } } as Answer] : [];
  sec.set(result(owner, 'TLSA', tlsa.status, records), owner, 'TLSA');
  return sec;
}

const session = (chainDer: Buffer[], target: string, srvStatus: SecurityStatus | null): SessionToVerify => ({
  service: 'c2s', target, port: 5222, address: '192.0.2.1', ipFamily: 4, chainDer, tlsaOwner: `_5222._tcp.${target}`, srvStatus, subject: `${target}:5222 via 192.0.2.1`,
});
const codes = (fs: { code: string; severity: string }[]): string[] => fs.map((f) => `${f.code}/${f.severity}`).sort();

test('a secure, usable TLSA set that matches nothing: NOT authenticated although PKIX passes, and the finding says what a PKIX-only client does', async () => {
  const leaf = await root.issue({ dnsNames: ['tenant.test'] });
  const v = verifyChain(session([leaf.der], 'xmpp.tenant.test', 'secure'), ['xmpp.tenant.test'], opts(security('xmpp.tenant.test', 5222, { status: 'secure', data: Buffer.alloc(32, 0x5a) })));
  assert.equal(v.pkix.status, 'pass');
  assert.equal(v.verdict.authenticated, false);
  assert.equal(v.verdict.decidedBy, 'dane');
  assert.equal(v.verdict.dane.status, 'fail');
  assert.match(v.verdict.note ?? '', /PKIX-only client/);
  assert.deepEqual(codes(v.findings), ['DANE_TLSA_MISMATCH/error'], 'the DANE error is the verdict; no AUTH_NONE beside it');
  assert.match(v.findings[0]!.message, /NOT authenticated, DANE-aware clients and servers refuse the connection \(a PKIX-only client, one without DANE, would still accept it/);
});

test('a matching secure TLSA record: authenticated by DANE even when PKIX passes too', async () => {
  const leaf = await root.issue({ dnsNames: ['tenant.test'] });
  const spki = createHash('sha256').update(spkiOf(leaf.der)).digest();
  const v = verifyChain(session([leaf.der], 'xmpp.tenant.test', 'secure'), ['xmpp.tenant.test'], opts(security('xmpp.tenant.test', 5222, { status: 'secure', data: spki })));
  assert.deepEqual([v.verdict.authenticated, v.verdict.by, v.verdict.decidedBy], [true, 'dane', 'dane']);
  assert.deepEqual(codes(v.findings), []);
});

test('a bogus TLSA answer behind a secure SRV record: DANE decides, NOT authenticated', async () => {
  const leaf = await root.issue({ dnsNames: ['tenant.test'] });
  const v = verifyChain(session([leaf.der], 'xmpp.tenant.test', 'secure'), ['xmpp.tenant.test'], opts(security('xmpp.tenant.test', 5222, { status: 'bogus' })));
  assert.deepEqual([v.verdict.authenticated, v.verdict.decidedBy, v.verdict.dane.status], [false, 'dane', 'fail']);
  assert.deepEqual(codes(v.findings), ['DANE_TLSA_BOGUS/error']);
});

test('the provider\'s certificate: a valid delegation when the SRV answer is DNSSEC-secure, not authenticated when it is not', async () => {
  const provider = await root.issue({ dnsNames: ['xmpp.provider.test'] });
  const sec = security('xmpp.provider.test', 5222, { status: 'secure' });
  const secure = verifyChain(session([provider.der], 'xmpp.provider.test', 'secure'), ['xmpp.provider.test'], opts(sec));
  assert.deepEqual([secure.verdict.authenticated, secure.verdict.by, secure.verdict.decidedBy], [true, 'pkix', 'pkix']);
  assert.match(secure.pkix.reason, /DNS-ID xmpp\.provider\.test \(the SRV target, delegated by a DNSSEC-secure SRV record\)/);
  assert.deepEqual(secure.certificate.identity?.by?.via, 'srvTarget');
  assert.deepEqual(codes(secure.findings), ['CERT_NAME_SRV_TARGET_SECURE/warning']);

  const insecure = verifyChain(session([provider.der], 'xmpp.provider.test', 'insecure'), ['xmpp.provider.test'], opts(sec));
  assert.deepEqual([insecure.verdict.authenticated, insecure.verdict.decidedBy], [false, 'pkix']);
  assert.deepEqual(codes(insecure.findings), ['AUTH_NONE/error', 'CERT_NAME_HOSTING_PROVIDER/error']);
  // No SRV record at all (fallback): nothing delegates, the domain is the only reference identifier.
  const fallback = verifyChain(session([provider.der], 'xmpp.provider.test', null), ['xmpp.provider.test'], opts(sec));
  assert.equal(fallback.verdict.authenticated, false);
});
