/**
 * The validator against the signed lab on loopback: secure, insecure, bogus
 * (bad signature, expired, not yet valid, DS mismatch, missing DNSKEY), NSEC
 * and NSEC3 denial, wildcards, CNAMEs, and the zone-key cache.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DnsClient, parseResolver } from '../../src/dns/client.js';
import { parseTrustAnchors } from '../../src/dnssec/anchors.js';
import { DnssecValidator } from '../../src/dnssec/validator.js';
import { fixedClock } from '../../src/core/clock.js';
import { startSignedLab, tlsaRecord, type SignedLab } from '../../fixtures/dnssec/lab.js';

let lab: SignedLab;
const NOW = Date.UTC(2031, 4, 17, 12, 0, 0);

function validator(nowMs = NOW): { v: DnssecValidator; client: DnsClient } {
  const client = new DnsClient({ server: parseResolver(lab.address)!, timeoutMs: 2000 });
  const anchors = parseTrustAnchors(lab.trustAnchorText);
  assert.equal(anchors.errors.length, 0);
  return { v: new DnssecValidator({ client, anchors: anchors.anchors, clock: fixedClock(nowMs) }), client };
}

before(async () => {
  lab = await startSignedLab({
    nowMs: NOW,
    records: { 'secure.test': [tlsaRecord(5222, 'xmpp.secure.test', 3, 1, 1, Buffer.alloc(32, 7))] },
  });
});
after(async () => {
  await lab.close();
});

describe('secure answers', () => {
  it('validates SRV, A, AAAA and TLSA in an ECDSA P-256 zone under an RSA/SHA-256 parent', async () => {
    const { v } = validator();
    for (const [name, type] of [
      ['_xmpp-client._tcp.secure.test', 'SRV'],
      ['xmpp.secure.test', 'A'],
      ['xmpp.secure.test', 'AAAA'],
      ['_5222._tcp.xmpp.secure.test', 'TLSA'],
    ] as const) {
      const r = await v.validate(name, type);
      assert.equal(r.status, 'secure', `${name}/${type}: ${r.reason}`);
      assert.equal(r.outcome, 'answer');
      assert.equal(r.zone, 'secure.test');
      assert.ok(r.records.length > 0);
      assert.deepEqual(r.chain.map((c) => c.zone), ['.', 'test', 'secure.test']);
    }
  });

  it('validates an RSA/SHA-256 zone with NSEC3', async () => {
    const { v } = validator();
    const r = await v.validate('www.nsec3.test', 'A');
    assert.equal(r.status, 'secure', r.reason);
    assert.equal(r.zone, 'nsec3.test');
  });

  it('follows a signed CNAME to a signed target', async () => {
    const { v } = validator();
    const r = await v.validate('alias.secure.test', 'A');
    assert.equal(r.status, 'secure', r.reason);
    assert.equal(r.records[0]!.name, 'www.secure.test');
  });

  it('accepts a wildcard answer with its NSEC proof, and an NSEC3 one', async () => {
    const { v } = validator();
    const r = await v.validate('anything.wild.secure.test', 'A');
    assert.equal(r.status, 'secure', r.reason);
    assert.equal(r.wildcard, '*.wild.secure.test');
    const r3 = await v.validate('anything.wild.nsec3.test', 'A');
    assert.equal(r3.status, 'secure', r3.reason);
    assert.equal(r3.wildcard, '*.wild.nsec3.test');
  });
});

describe('authenticated denial', () => {
  it('proves NXDOMAIN and NODATA with NSEC', async () => {
    const { v } = validator();
    const nx = await v.validate('nothing.secure.test', 'A');
    assert.equal(nx.outcome, 'nxdomain');
    assert.equal(nx.status, 'secure', nx.reason);
    const nd = await v.validate('_5269._tcp.xmpp.secure.test', 'TLSA');
    assert.equal(nd.status, 'secure', nd.reason);
    assert.equal(nd.outcome, 'nxdomain');
    const nodata = await v.validate('www.secure.test', 'TLSA');
    assert.equal(nodata.outcome, 'nodata');
    assert.equal(nodata.status, 'secure', nodata.reason);
    const ent = await v.validate('_tcp.xmpp.secure.test', 'TXT');
    assert.equal(ent.outcome, 'nodata');
    assert.equal(ent.status, 'secure', ent.reason);
  });

  it('proves NXDOMAIN and NODATA with NSEC3', async () => {
    const { v } = validator();
    const nx = await v.validate('_5222._tcp.xmpp.nsec3.test', 'TLSA');
    assert.equal(nx.outcome, 'nxdomain');
    assert.equal(nx.status, 'secure', nx.reason);
    assert.match(nx.reason, /NSEC3/);
    const nd = await v.validate('xmpp.nsec3.test', 'AAAA');
    assert.equal(nd.outcome, 'nodata');
    assert.equal(nd.status, 'secure', nd.reason);
  });

  it('rejects a denial whose NSEC records were stripped (missing proof)', async () => {
    const { v, client } = validator();
    // Wrap the real client so the authority section loses its NSEC records.
    const orig = client.query.bind(client);
    (client as any).query = async (n: string, t: any, o: any) => {
      const r = await orig(n, t, o);
      if (n === 'nothing.secure.test') return { ...r, authorities: r.authorities.filter((x) => x.type !== 'NSEC') };
      return r;
    };
    const r = await v.validate('nothing.secure.test', 'A');
    assert.equal(r.status, 'bogus');
    assert.equal(r.brokenLink?.kind, 'missing-denial');
  });
});

describe('insecure', () => {
  it('an unsigned delegation is insecure, and its TLSA is reported as such', async () => {
    const { v } = validator();
    const r = await v.validate('_5222._tcp.xmpp.insecure.test', 'TLSA');
    assert.equal(r.status, 'insecure', r.reason);
    assert.equal(r.zone, 'insecure.test');
    assert.equal(r.outcome, 'answer');
    assert.match(r.reason, /unsigned delegation/);
    assert.equal(r.chain.at(-1)?.via, 'insecure-delegation');
  });

  it('a name no trust anchor covers is insecure', async () => {
    const { client } = validator();
    const v = new DnssecValidator({ client, anchors: parseTrustAnchors('example. IN DS 1 13 2 ' + '00'.repeat(32)).anchors, clock: fixedClock(NOW) });
    const r = await v.validate('www.secure.test', 'A');
    assert.equal(r.status, 'insecure');
    assert.match(r.reason, /no trust anchor/);
  });
});

describe('bogus, with the broken link named', () => {
  const cases: [string, string, RegExp][] = [
    ['www.badsig.test', 'bad-signature', /does not verify/],
    ['www.expired.test', 'signature-expired', /expired/],
    ['www.notyet.test', 'signature-not-yet-valid', /not valid before/],
    ['www.dsmismatch.test', 'ds-matches-no-dnskey', /matches no DNSKEY/],
    ['www.nokey.test', 'no-dnskey-for-keytag', /no DNSKEY with key tag/],
  ];
  for (const [name, kind, re] of cases) {
    it(`${name}: ${kind}`, async () => {
      const { v } = validator();
      const r = await v.validate(name, 'A');
      assert.equal(r.status, 'bogus', r.reason);
      assert.equal(r.brokenLink?.kind, kind, r.reason);
      assert.match(r.reason, re);
    });
  }

  it('the same zone is secure before it expires and bogus after', async () => {
    const early = validator(NOW).v;
    assert.equal((await early.validate('www.secure.test', 'A')).status, 'secure');
    const late = validator(NOW + 40 * 86_400_000).v;
    const r = await late.validate('www.secure.test', 'A');
    assert.equal(r.status, 'bogus');
    assert.equal(r.brokenLink?.kind, 'signature-expired');
  });

  it('the wrong trust anchor makes everything bogus at the root', async () => {
    const { client } = validator();
    const v = new DnssecValidator({ client, clock: fixedClock(NOW) }); // the real root anchors
    const r = await v.validate('www.secure.test', 'A');
    assert.equal(r.status, 'bogus');
    assert.equal(r.brokenLink?.zone, '.');
    assert.equal(r.brokenLink?.kind, 'ds-matches-no-dnskey');
  });
});

describe('caching and bounds', () => {
  it('validates each zone key set once per run and shares it', async () => {
    const { v, client } = validator();
    await Promise.all([v.validate('www.secure.test', 'A'), v.validate('xmpp.secure.test', 'A'), v.validate('_xmpp-client._tcp.secure.test', 'SRV'), v.validate('www.secure.test', 'AAAA')]);
    const dnskey = client.log.filter((q) => q.type === 'DNSKEY').map((q) => q.name || '.').sort();
    assert.deepEqual(dnskey, ['.', 'secure.test', 'test']);
    assert.ok(client.log.every((q) => q.flags?.cd === true), 'every query has CD set');
  });

  it('a silent resolver gives indeterminate, not a crash or a hang', async () => {
    const client = new DnsClient({ server: { host: '127.0.0.1', port: 9 }, timeoutMs: 200, attempts: 1 });
    const v = new DnssecValidator({ client, anchors: parseTrustAnchors(lab.trustAnchorText).anchors, clock: fixedClock(NOW) });
    const r = await v.validate('www.secure.test', 'A');
    assert.equal(r.status, 'indeterminate');
    assert.equal(r.outcome, 'error');
  });
});
