/**
 * Identity rules (RFC 6125 / RFC 9525 as profiled by RFC 6120 §13.7), checked
 * against certificates made by the lab CA and parsed from their DER.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LabCa, type LeafOptions } from '../../fixtures/pki/lab-ca.js';
import { parseCertificate, type ParsedCertificate } from '../../src/verify/x509.js';
import { identityFindings, matchDnsName, matchIdentity, type IdentityOptions } from '../../src/verify/identity.js';
import { CERT_FINDINGS } from '../../src/verify/findings.js';

const ca = await LabCa.create();

async function leaf(opts: LeafOptions): Promise<ParsedCertificate> {
  const issued = await ca.issue(opts);
  const r = parseCertificate(issued.der);
  assert.ok(r.ok, 'lab certificate parses');
  return r.cert;
}

const c2s = (domain: string, more: Partial<IdentityOptions> = {}): IdentityOptions => ({ domain, service: 'c2s', srvTargets: [], ...more });
const codes = (c: ParsedCertificate, o: IdentityOptions): string[] => identityFindings(matchIdentity(c, o), 'probe', o.service).map((f) => f.code);

test('DNS-ID matches exactly, case-insensitively, ignoring a trailing dot of the typed domain', async () => {
  const c = await leaf({ dnsNames: ['Example.COM'] });
  for (const d of ['example.com', 'EXAMPLE.com', 'example.com.']) {
    const r = matchIdentity(c, c2s(d));
    assert.equal(r.matched, true, d);
    assert.deepEqual(r.by && { type: r.by.type, value: r.by.value, wildcard: r.by.wildcard }, { type: 'dns', value: 'Example.COM', wildcard: false });
  }
  assert.equal(matchIdentity(c, c2s('example.org')).matched, false);
  assert.equal(matchIdentity(c, c2s('xexample.com')).matched, false);
  assert.deepEqual(codes(c, c2s('example.com')), []);
});

test('a presented name with a trailing dot never matches (only the reference identifier loses its root label)', async () => {
  // RFC 5280 §4.2.1.6: a dNSName is in preferred name syntax, without the root
  // label; RFC 6125 §6.4.1 compares label by label. Prosody and OpenSSL reject it too.
  const c = await leaf({ dnsNames: ['Example.COM.'] });
  for (const d of ['example.com', 'example.com.']) {
    const r = matchIdentity(c, c2s(d));
    assert.equal(r.matched, false, d);
    const [f] = identityFindings(r, 'probe', 'c2s');
    assert.equal(f?.code, 'CERT_NAME_MISMATCH');
    assert.match(f!.message, /"Example\.COM\." ends with a dot/);
  }
  assert.equal(matchDnsName('example.com.', 'example.com').matched, false);
  assert.equal(matchDnsName('*.example.com.', 'muc.example.com').matched, false);
  const cn = await leaf({ commonName: 'example.com.' });
  assert.equal(matchIdentity(cn, c2s('example.com')).matched, false, 'a CN with a trailing dot');
  const srv = await leaf({ san: [{ type: 'srvName', value: '_xmpp-client.example.com.' }] });
  assert.equal(matchIdentity(srv, c2s('example.com')).matched, false, 'an SRV-ID whose name has a trailing dot');
  // A hosting provider's name with a trailing dot does not cover the SRV target either.
  const hosted = await leaf({ dnsNames: ['xmpp.provider.net.'] });
  assert.equal(matchIdentity(hosted, c2s('example.com', { srvTargets: ['xmpp.provider.net'] })).coversSrvTarget, null);
});

test('wildcard: whole left-most label only, exactly one label', async () => {
  const c = await leaf({ dnsNames: ['*.example.com'] });
  const conf = matchIdentity(c, c2s('conference.example.com'));
  assert.equal(conf.matched, true);
  assert.equal(conf.by?.wildcard, true);
  assert.equal(matchIdentity(c, c2s('example.com')).matched, false, '*.example.com must not match example.com');
  assert.equal(matchIdentity(c, c2s('a.b.example.com')).matched, false, '*.example.com must not match a.b.example.com');

  const partial = await leaf({ dnsNames: ['f*.example.com', 'x*y.example.org', '*o.example.net'] });
  for (const d of ['foo.example.com', 'f.example.com', 'xay.example.org', 'foo.example.net']) {
    assert.equal(matchIdentity(partial, c2s(d)).matched, false, `partial-label wildcard matched ${d}`);
  }
  assert.deepEqual(matchDnsName('*.com', 'example.com'), { matched: false, wildcard: false }, 'no wildcard over a TLD');
  assert.equal(matchDnsName('a.*.example.com', 'a.b.example.com').matched, false, 'wildcard not left-most');
  assert.equal(matchDnsName('*.*.example.com', 'a.b.example.com').matched, false);
  assert.equal(matchDnsName('*.Example.Com', 'muc.example.com').matched, true);
});

test('IDN: U-label typed domain matches the A-label SAN, and the other way round', async () => {
  const c = await leaf({ dnsNames: ['xn--bcher-kva.example'] });
  const r = matchIdentity(c, c2s('bücher.example'));
  assert.equal(r.matched, true);
  assert.equal(r.references.dns, 'xn--bcher-kva.example');
  assert.equal(matchIdentity(c, c2s('BÜCHER.example.')).matched, true);
  assert.equal(matchIdentity(c, c2s('xn--bcher-kva.example')).matched, true);
  assert.equal(matchIdentity(c, c2s('bucher.example')).matched, false);
  const wild = await leaf({ dnsNames: ['*.xn--bcher-kva.example'] });
  assert.equal(matchIdentity(wild, c2s('muc.bücher.example')).matched, true);
});

test('XmppAddr as UTF8String matches (U-labels compared as A-labels); other string types and full JIDs do not', async () => {
  const c = await leaf({ commonName: 'host.provider.net', san: [{ type: 'xmppAddr', value: 'bücher.example' }] });
  const r = matchIdentity(c, c2s('xn--bcher-kva.example'));
  assert.equal(r.matched, true);
  assert.equal(r.by?.type, 'xmppaddr');
  assert.equal(r.by?.value, 'bücher.example');
  assert.deepEqual(codes(c, c2s('bücher.example')), ['CERT_NAME_NO_DNS_ID']);

  const ia5 = await leaf({ san: [{ type: 'xmppAddr', value: 'example.com', stringType: 'ia5' }] });
  const ri = matchIdentity(ia5, c2s('example.com'));
  assert.equal(ri.matched, false, 'XmppAddr in IA5String is ignored');
  assert.equal(ri.presented.invalid.length, 1);
  assert.ok(codes(ia5, c2s('example.com')).includes('CERT_SAN_BAD_ENCODING'));
  // What is true of it: a non-conforming encoding that some servers accept and others reject.
  const [bad, mismatch] = identityFindings(ri, 'probe', 'c2s');
  assert.equal(bad?.code, 'CERT_SAN_BAD_ENCODING');
  assert.match(bad!.message, /^XmppAddr "example\.com" is encoded as IA5String: not conforming, RFC 6120 §13\.7\.1\.4 requires UTF8String\. Some servers accept it \(Prosody\), others ignore it \(ejabberd\); xmpp-check does not count it\.$/);
  assert.doesNotMatch(bad!.message + CERT_FINDINGS.CERT_SAN_BAD_ENCODING.title, /clients ignore it/);
  assert.equal(mismatch?.code, 'CERT_NAME_MISMATCH');
  assert.match(mismatch!.message, /XmppAddr:example\.com \(mis-encoded, not counted\)/, 'the mis-encoded name is listed, not "no names at all"');

  const jid = await leaf({ san: [{ type: 'xmppAddr', value: 'admin@example.com' }] });
  assert.equal(matchIdentity(jid, c2s('example.com')).matched, false);
});

test('SRV-ID: right service matches, the other service does not (and is named)', async () => {
  const c = await leaf({ san: [{ type: 'srvName', value: '_xmpp-client.example.com' }] });
  const r = matchIdentity(c, c2s('example.com'));
  assert.equal(r.matched, true);
  assert.deepEqual([r.by?.type, r.by?.value, r.by?.reference], ['srv', '_xmpp-client.example.com', '_xmpp-client.example.com']);

  const s2s = matchIdentity(c, { domain: 'example.com', service: 's2s', srvTargets: [] });
  assert.equal(s2s.matched, false, '_xmpp-client SRV-ID is not valid for s2s');
  assert.deepEqual(s2s.otherServiceSrvIds, ['_xmpp-client.example.com']);

  const server = await leaf({ san: [{ type: 'srvName', value: '_xmpp-server.example.com' }] });
  const wrong = matchIdentity(server, c2s('example.com'));
  assert.equal(wrong.matched, false, '_xmpp-server SRV-ID is not valid for c2s');
  const f = identityFindings(wrong, 'probe', 'c2s');
  assert.equal(f[0]?.code, 'CERT_NAME_MISMATCH');
  assert.match(f[0]!.message, /_xmpp-server\.example\.com.*another service/);

  const other = await leaf({ san: [{ type: 'srvName', value: '_xmpp-client.example.org' }] });
  assert.equal(matchIdentity(other, c2s('example.com')).matched, false);
  const utf8 = await leaf({ san: [{ type: 'srvName', value: '_xmpp-client.example.com', stringType: 'utf8' }] });
  assert.equal(matchIdentity(utf8, c2s('example.com')).matched, false, 'SRVName must be IA5String');
  const [badSrv] = identityFindings(matchIdentity(utf8, c2s('example.com')), 'probe', 'c2s');
  assert.match(badSrv!.message, /^SRVName "_xmpp-client\.example\.com" is encoded as UTF8String: not conforming, RFC 4985 §2 requires IA5String\. Some implementations accept it \(Prosody\), others ignore it; xmpp-check does not count it\.$/);
});

test('CN counts only without DNS/SRV/URI/XmppAddr SANs, and is flagged as legacy', async () => {
  const cnOnly = await leaf({ commonName: 'example.com' });
  assert.equal(cnOnly.san, null);
  const r = matchIdentity(cnOnly, c2s('example.com'));
  assert.equal(r.matched, true);
  assert.equal(r.by?.type, 'cn');
  assert.deepEqual(codes(cnOnly, c2s('example.com')), ['CERT_NAME_CN_ONLY']);

  const withSan = await leaf({ commonName: 'example.com', dnsNames: ['other.example.net'] });
  const r2 = matchIdentity(withSan, c2s('example.com'));
  assert.equal(r2.matched, false, 'CN is ignored when a DNS SAN exists');
  assert.equal(r2.presented.cnConsidered, false);
  assert.match(identityFindings(r2, 'p', 'c2s')[0]!.message, /CN is ignored/);

  const withUri = await leaf({ commonName: 'example.com', san: [{ type: 'uri', value: 'xmpp:example.com' }] });
  assert.equal(matchIdentity(withUri, c2s('example.com')).matched, false, 'a URI SAN also disables CN');
});

test('a SAN with only an IP address: never matches a name; CN still considered', async () => {
  const ipOnly = await leaf({ commonName: 'example.com', san: [{ type: 'ip', value: '192.0.2.7' }] });
  const r = matchIdentity(ipOnly, c2s('example.com'));
  assert.deepEqual(r.presented.ip, ['192.0.2.7']);
  assert.equal(r.presented.cnConsidered, true);
  assert.equal(r.by?.type, 'cn');

  const bare = await leaf({ commonName: 'unrelated.test', san: [{ type: 'ip', value: '2001:db8::1' }] });
  const r2 = matchIdentity(bare, c2s('example.com'));
  assert.equal(r2.matched, false);
  assert.equal(matchIdentity(bare, c2s('2001:db8::1')).matched, false, 'an IP SAN is not a DNS-ID');
  assert.match(identityFindings(r2, 'p', 'c2s')[0]!.message, /IP:2001:db8::1/);
});

test('certificate for the hosting provider: explains delegation and its three fixes', async () => {
  const c = await leaf({ dnsNames: ['xmpp.provider.net', 'provider.net'] });
  const opts = c2s('example.com', { srvTargets: ['xmpp.provider.net.'] });
  const r = matchIdentity(c, opts);
  assert.equal(r.matched, false);
  assert.equal(r.coversSrvTarget, 'xmpp.provider.net');
  const [f] = identityFindings(r, 'c2s:xmpp:xmpp.provider.net:5222', 'c2s');
  assert.equal(f?.code, 'CERT_NAME_HOSTING_PROVIDER');
  assert.match(f!.message, /xmpp\.provider\.net/);
  assert.match(f!.fix, /POSH/);
  assert.match(f!.fix, /DANE/);
  assert.match(f!.fix, /names the domain/);

  // Not a provider case when the certificate names none of the targets.
  const r2 = matchIdentity(c, c2s('example.com', { srvTargets: ['xmpp.elsewhere.org'] }));
  assert.equal(r2.coversSrvTarget, null);
  assert.equal(identityFindings(r2, 'p', 'c2s')[0]?.code, 'CERT_NAME_MISMATCH');
});

test('srvTarget is a reference identifier only when the caller says it is secure', async () => {
  const c = await leaf({ dnsNames: ['xmpp.provider.net'] });
  const insecure = matchIdentity(c, c2s('example.com', { srvTarget: 'xmpp.provider.net' }));
  assert.equal(insecure.matched, false);
  const secure = matchIdentity(c, c2s('example.com', { srvTarget: 'xmpp.provider.net', srvTargetSecure: true }));
  assert.equal(secure.matched, true);
  assert.equal(secure.by?.via, 'srvTarget');
  assert.deepEqual(identityFindings(secure, 'p', 'c2s').map((f) => f.code), ['CERT_NAME_SRV_TARGET_SECURE']);
  // The domain itself still wins when both match.
  const both = await leaf({ dnsNames: ['xmpp.provider.net', 'example.com'] });
  const rb = matchIdentity(both, c2s('example.com', { srvTarget: 'xmpp.provider.net', srvTargetSecure: true }));
  assert.equal(rb.by?.via, 'domain');
  assert.equal(rb.matches.length, 2);
});

test('preference order: DNS-ID reported before SRV-ID and XmppAddr', async () => {
  const c = await leaf({
    san: [
      { type: 'xmppAddr', value: 'example.com' },
      { type: 'srvName', value: '_xmpp-client.example.com' },
      { type: 'dns', value: 'example.com' },
    ],
  });
  const r = matchIdentity(c, c2s('example.com'));
  assert.deepEqual(r.matches.map((m) => m.type), ['dns', 'srv', 'xmppaddr']);
  assert.deepEqual(codes(c, c2s('example.com')), []);
});
