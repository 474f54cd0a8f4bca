/**
 * Known answers and canonical form: the IANA root KSKs give the published key
 * tags and DS digests; RFC 5155 Appendix A gives NSEC3 hashes; signatures made
 * by the fixture verify over the same RRset in another order, with mixed-case
 * names and other TTLs, and fail when a byte changes; NSEC RDATA keeps its case
 * (RFC 6840 §5.1); names sort in RFC 4034 §6.1 order.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { parseTrustAnchors, rootAnchors } from '../../src/dnssec/anchors.js';
import { dsMatches, keyTag, makeDs } from '../../src/dnssec/keys.js';
import { base32hexDecode, base32hexEncode, nsec3Hash } from '../../src/dnssec/nsec3.js';
import { verifyRRset } from '../../src/dnssec/rrsig.js';
import { canonicalRdata, compareNames } from '../../src/dnssec/wire.js';
import type { RrsigData } from '../../src/dns/records.js';
import { generateZoneKey, rrsigFor, type LabAlgorithm } from '../../fixtures/dnssec/signer.js';

// The root KSKs as IANA publishes them (root-anchors.xml), to check our DS digest and key tag code.
const KSK2017 = 'AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=';
const KSK2024 = 'AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJNnOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5oUKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayffKC73PYc=';

describe('root trust anchors', () => {
  it('the built-in DS records are the digests of the published root KSKs', () => {
    const [root] = rootAnchors();
    assert.equal(root!.zone, '.');
    assert.equal(root!.ds.length, 2);
    for (const [b64, tag] of [
      [KSK2017, 20326],
      [KSK2024, 38696],
    ] as const) {
      const k = { flags: 257, algorithm: 8, key: Buffer.from(b64, 'base64') };
      assert.equal(keyTag(k), tag);
      const ds = root!.ds.find((d) => d.keyTag === tag)!;
      assert.ok(dsMatches('.', ds, k), `DS ${tag} matches its key`);
      assert.ok(makeDs('.', k, 2).digest.equals(ds.digest));
    }
    assert.equal(root!.ds[0]!.digest.toString('hex').toUpperCase(), 'E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D');
  });
});

describe('NSEC3 hashing (RFC 5155 Appendix A, salt aabbccdd, 12 iterations)', () => {
  const salt = Buffer.from('aabbccdd', 'hex');
  for (const [name, hash] of [
    ['example', '0p9mhaveqvm6t7vbl5lop2u3t2rp3tom'],
    ['a.example', '35mthgpgcu1qg68fab165klnsnk3dpvl'],
    ['ns1.example', '2t7b4g4vsa5smi47k61mv5bv1a22bojr'],
    ['x.w.example', 'b4um86eghhds6nea196smvmlo4ors995'],
    ['A.EXAMPLE', '35mthgpgcu1qg68fab165klnsnk3dpvl'],
  ]) {
    it(`${name} → ${hash}`, () => {
      const h = nsec3Hash(name!, salt, 12);
      assert.equal(base32hexEncode(h), hash);
      assert.ok(base32hexDecode(hash!)!.equals(h));
    });
  }
});

describe('canonical order and case', () => {
  it('orders names as RFC 4034 §6.1 shows', () => {
    const ordered = ['example', 'a.example', 'yljkjljk.a.example', 'Z.a.example', 'zABC.a.EXAMPLE', 'z.example', '*.z.example'];
    const shuffled = [...ordered].reverse();
    shuffled.sort(compareNames);
    // `*` (0x2a) sorts before letters; RFC 4034's list puts \001 before and \200 after it.
    assert.deepEqual(shuffled, ordered);
  });

  for (const alg of [13, 8, 15] as LabAlgorithm[]) {
    it(`a signature (algorithm ${alg}) verifies over the RRset in any order and case, and not over changed data`, () => {
      const key = generateZoneKey('example.test', alg, 257, 1024);
      const win = { inception: 1_700_000_000, expiration: 1_900_000_000 };
      const now = 1_800_000_000_000;
      const srv = (w: number, t: string, owner = '_xmpp-client._tcp.example.test', ttl = 300): Answer =>
        ({ name: owner, type: 'SRV', ttl, data: { priority: 0, weight: w, port: 5222, target: t } }) as Answer;
      const signedSet = [srv(10, 'a.example.test'), srv(20, 'b.example.test'), srv(5, 'c.example.test')];
      const rrsig = rrsigFor(signedSet, key, win, 'example.test');
      const sig = (rrsig as unknown as { data: RrsigData }).data;
      const received = [srv(5, 'C.Example.TEST', '_XMPP-Client._TCP.Example.Test', 17), srv(20, 'b.EXAMPLE.test', '_xmpp-client._tcp.EXAMPLE.test', 17), srv(10, 'A.example.test', '_Xmpp-client._tcp.example.TEST', 17)];
      const ok = verifyRRset('_XMPP-client._tcp.Example.test', 'SRV', received, [sig], [key], 'Example.Test', now);
      assert.equal(ok.ok, true, JSON.stringify(!ok.ok && ok.problems));
      // A duplicated record is dropped, not signed twice (RFC 4034 §6.3).
      assert.equal(verifyRRset('_xmpp-client._tcp.example.test', 'SRV', [...received, received[0]!], [sig], [key], 'example.test', now).ok, true);
      const changed = [srv(5, 'c.example.test'), srv(20, 'b.example.test'), srv(11, 'a.example.test')];
      const bad = verifyRRset('_xmpp-client._tcp.example.test', 'SRV', changed, [sig], [key], 'example.test', now);
      assert.equal(bad.ok, false);
      assert.equal(!bad.ok && bad.problems[0]!.failure, 'bad-signature');
      assert.equal(verifyRRset('_xmpp-client._tcp.example.test', 'SRV', signedSet.slice(0, 2), [sig], [key], 'example.test', now).ok, false);
    });
  }

  it('lowers names inside SRV, CNAME, MX, NS, SOA and RRSIG RDATA but not NSEC (RFC 6840 §5.1)', () => {
    const rd = (type: string, data: unknown): Buffer => canonicalRdata({ name: 'x', type, data } as Answer);
    assert.ok(rd('SRV', { priority: 1, weight: 2, port: 3, target: 'A.B' }).equals(rd('SRV', { priority: 1, weight: 2, port: 3, target: 'a.b' })));
    assert.ok(rd('CNAME', 'Www.X').equals(rd('CNAME', 'www.x')));
    assert.ok(rd('NS', 'NS1.X').equals(rd('NS', 'ns1.x')));
    assert.ok(rd('MX', { preference: 1, exchange: 'MX.X' }).equals(rd('MX', { preference: 1, exchange: 'mx.x' })));
    assert.ok(!rd('NSEC', { nextDomain: 'B.x', rrtypes: ['A'] }).equals(rd('NSEC', { nextDomain: 'b.x', rrtypes: ['A'] })));
    assert.ok(!rd('TXT', ['ABC']).equals(rd('TXT', ['abc'])), 'TXT data is not a name');
  });

  it('an NSEC signed with an upper-case next name only verifies with that case', () => {
    const key = generateZoneKey('example.test', 13);
    const win = { inception: 1_700_000_000, expiration: 1_900_000_000 };
    const nsec = (next: string): Answer => ({ name: 'a.example.test', type: 'NSEC', ttl: 300, data: { nextDomain: next, rrtypes: ['A', 'RRSIG', 'NSEC'] } }) as Answer;
    const sig = (rrsigFor([nsec('B.example.test')], key, win, 'example.test') as unknown as { data: RrsigData }).data;
    assert.equal(verifyRRset('a.example.test', 'NSEC', [nsec('B.example.test')], [sig], [key], 'example.test', 1_800_000_000_000).ok, true);
    assert.equal(verifyRRset('a.example.test', 'NSEC', [nsec('b.example.test')], [sig], [key], 'example.test', 1_800_000_000_000).ok, false);
  });

  it('a wildcard signature (labels field) verifies for any name the wildcard expands to', () => {
    const key = generateZoneKey('example.test', 13);
    const win = { inception: 1_700_000_000, expiration: 1_900_000_000 };
    const w = { name: '*.wild.example.test', type: 'A', ttl: 300, data: '192.0.2.1' } as Answer;
    const sig = (rrsigFor([w], key, win, 'example.test') as unknown as { data: RrsigData }).data;
    assert.equal(sig.labels, 3);
    const expanded = { ...w, name: 'deep.er.wild.example.test' } as Answer;
    const r = verifyRRset('deep.er.wild.example.test', 'A', [expanded], [sig], [key], 'example.test', 1_800_000_000_000);
    assert.equal(r.ok, true);
    assert.equal(r.ok && r.wildcard, '*.wild.example.test');
  });
});

describe('trust-anchor files', () => {
  it('reads dnssec-dsfromkey output, DNSKEYs across lines with comments, TTLs, $ORIGIN and relative names', () => {
    const text = `; anchors for a private zone
example.test. IN DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF 0123456789ABCDEF0123456789ABCDEF
$ORIGIN test.
other 3600 IN DNSKEY 257 3 13 ( mdsswUyr3DPW132mOi8V9xESWE8jTo0d
        xCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ== ) ; KSK
\tIN DS 1 8 2 ${'ab'.repeat(32)}
. DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
`;
    const r = parseTrustAnchors(text);
    assert.deepEqual(r.errors, []);
    const zones = r.anchors.map((a) => a.zone).sort();
    assert.deepEqual(zones, ['.', 'example.test', 'other.test']);
    const other = r.anchors.find((a) => a.zone === 'other.test')!;
    assert.equal(other.dnskeys.length, 1);
    assert.equal(other.dnskeys[0]!.key.length, 64);
    assert.equal(other.ds.length, 1);
    assert.equal(r.anchors.find((a) => a.zone === 'example.test')!.ds[0]!.digest.length, 32);
  });

  it('reports bad lines and never throws', () => {
    const r = parseTrustAnchors('example. IN DS 1 2\nexample. IN A 192.0.2.1\nexample. IN DNSKEY 257 2 8 AAAA\nx. IN DS 1 8 2 ZZ\nopen. IN DNSKEY 257 3 8 ( AAAA\n');
    assert.equal(r.anchors.length, 0);
    assert.equal(r.errors.length, 5);
    const garbage = parseTrustAnchors('\u0000\u0001(((;');
    assert.equal(garbage.anchors.length, 0);
    assert.deepEqual(garbage.errors, [{ line: 1, message: 'unclosed parenthesis' }]);
  });
});
