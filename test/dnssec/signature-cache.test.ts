/**
 * The DNSSEC signature cache: a signature is verified once per (algorithm,
 * key, signature, signed data), counted through rrsig's seam, while the
 * validity window is checked against the clock on every call and changed
 * data is never served the old answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { dnskeyToKeyObject } from '../../src/dnssec/crypto.js';
import { dnssecSignatureCheckCount, verifyRRset } from '../../src/dnssec/rrsig.js';
import type { RrsigData } from '../../src/dns/records.js';
import { generateZoneKey, rrsigFor } from '../../fixtures/dnssec/signer.js';

const zone = 'cache.test';
const owner = `_xmpp-client._tcp.${zone}`;
const srv = (w: number): Answer => ({ name: owner, type: 'SRV', ttl: 300, data: { priority: 0, weight: w, port: 5222, target: `xmpp.${zone}` } }) as Answer;
const key = generateZoneKey(zone, 13, 257);
const win = { inception: 1_700_000_000, expiration: 1_900_000_000 };
const set = [srv(10), srv(20)];
const sig = (rrsigFor(set, key, win, zone) as unknown as { data: RrsigData }).data;
const inside = 1_800_000_000_000;

test('the same RRset validated again is not verified again', () => {
  const before = dnssecSignatureCheckCount();
  for (let i = 0; i < 5; i++) assert.equal(verifyRRset(owner, 'SRV', set, [sig], [key], zone, inside).ok, true);
  assert.equal(dnssecSignatureCheckCount() - before, 1);
});

test('the clock is checked on every call: a cached signature still expires', () => {
  assert.equal(verifyRRset(owner, 'SRV', set, [sig], [key], zone, inside).ok, true);
  const late = verifyRRset(owner, 'SRV', set, [sig], [key], zone, 1_950_000_000_000);
  assert.equal(late.ok, false);
  assert.equal(!late.ok && late.problems[0]!.failure, 'signature-expired');
  const early = verifyRRset(owner, 'SRV', set, [sig], [key], zone, 1_600_000_000_000);
  assert.equal(!early.ok && early.problems[0]!.failure, 'signature-not-yet-valid');
});

test('other data under the same signature is verified, and fails', () => {
  assert.equal(verifyRRset(owner, 'SRV', set, [sig], [key], zone, inside).ok, true);
  const before = dnssecSignatureCheckCount();
  const bad = verifyRRset(owner, 'SRV', [srv(10), srv(21)], [sig], [key], zone, inside);
  assert.equal(!bad.ok && bad.problems[0]!.failure, 'bad-signature');
  assert.equal(dnssecSignatureCheckCount() - before, 1);
  // …and the good data is still good.
  assert.equal(verifyRRset(owner, 'SRV', set, [sig], [key], zone, inside).ok, true);
});

test('a DNSKEY becomes one KeyObject, made once', () => {
  const a = dnskeyToKeyObject(key.algorithm, key.key);
  const b = dnskeyToKeyObject(key.algorithm, Buffer.from(key.key));
  assert.ok(a);
  assert.equal(a, b);
  assert.equal(dnskeyToKeyObject(13, Buffer.alloc(5)), null);
});
