/**
 * End-to-end probes against the fixture XMPP server on loopback, one scenario
 * per test: outcome, recorded details, finding codes, and what the client
 * sent on the wire (as the fixture logged it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { probeOne, type ProbeOptions } from '../../src/probes/probe.js';
import { probeSummary } from '../../src/probes/summary.js';
import type { ProbeTarget } from '../../src/probes/types.js';
import type { Candidate, ConnectMode, ServiceKind } from '../../src/core/types.js';
import { labTls, startXmppServer, type FixtureTls, type RunningXmppServer, type XmppScenario, type XmppServerOptions } from '../../fixtures/xmpp/server.js';

const DOMAIN = 'example.test';
let tlsMat: FixtureTls;
const servers: RunningXmppServer[] = [];

before(async () => {
  tlsMat = await labTls(DOMAIN);
});

after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(scenario: XmppScenario, extra: Partial<XmppServerOptions> = {}): Promise<RunningXmppServer> {
  const s = await startXmppServer({ scenario, domain: DOMAIN, tls: tlsMat, ...extra });
  servers.push(s);
  return s;
}

export function candidate(service: ServiceKind, mode: ConnectMode, port: number, target = 'xmpp.example.test'): Candidate {
  const family = mode === 'starttls' ? 'xmpp' : 'xmpps';
  return { id: `${service}:${family}:${target}:${port}`, service, family, mode, source: 'srv', priority: 0, weight: 0, port, target, ttl: 300, share: 1, group: 1 };
}

function targetOf(s: { host: string; port: number }, service: ServiceKind, mode: ConnectMode): ProbeTarget {
  return { candidate: candidate(service, mode, s.port), address: s.host, ipFamily: s.host.includes(':') ? 6 : 4 };
}

const OPTS: ProbeOptions = { domain: DOMAIN, timeoutMs: 400, concurrency: 4 };
const codes = (fs: { code: string }[]): string[] => fs.map((f) => f.code).sort();

test('STARTTLS required: the whole exchange, recorded', async () => {
  const s = await serve('starttls-required');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'ok', p.detail ?? '');
  assert.equal(p.failedPhase, null);
  assert.deepEqual(p.plainStream?.features?.starttls, { offered: true, required: true });
  assert.equal(p.plainStream?.from, DOMAIN);
  assert.equal(p.plainStream?.contentNs, 'jabber:client');
  assert.match(p.plainStream?.id ?? '', /^[0-9a-f]{16}$/);
  assert.equal(p.tlsStream?.version, '1.0');
  assert.deepEqual(p.tlsStream?.features?.mechanisms, ['SCRAM-SHA-1-PLUS', 'SCRAM-SHA-1', 'PLAIN']);
  assert.equal(p.tlsStream?.features?.sm, true);
  assert.ok(p.tlsStream?.features?.all.some((f) => f.ns === 'http://jabber.org/protocol/caps'));
  assert.equal(p.tls?.version, 'TLSv1.3');
  assert.equal(p.tls?.sni, DOMAIN);
  assert.equal(p.tls?.alpn, null);
  assert.deepEqual(p.tls?.alpnOffered, []);
  assert.ok(p.tls?.cipher);
  // The chain as sent: just the leaf, byte for byte.
  assert.equal(p.tls?.chain.length, 1);
  assert.equal(p.tls?.chain[0]!.der, new X509Certificate(tlsMat.cert).raw.toString('base64'));
  assert.equal(p.tls?.chain[0]!.fromTrustStore, false);
  for (const k of ['tcpMs', 'streamMs', 'starttlsMs', 'tlsMs', 'featuresMs'] as const) assert.equal(typeof p.timings[k], 'number', k);
  assert.ok(p.bytesRead > 0 && p.bytesWritten > 0);
  assert.deepEqual(codes(findings), []);
  assert.equal(probeSummary(p), 'ok: STARTTLS required, TLSv1.3');
  // What went on the wire: two headers to the domain, no from, SNI = domain, no ALPN.
  const log = s.connections[0]!;
  assert.equal(log.headers.length, 2);
  for (const h of log.headers) {
    assert.match(h, /to='example\.test'/);
    assert.match(h, /version='1\.0'/);
    assert.match(h, /xmlns='jabber:client'/);
    assert.doesNotMatch(h, /from=/);
  }
  assert.equal(log.starttls, 1);
  assert.equal(log.sni, DOMAIN);
  assert.equal(log.secured, true);
});

test('STARTTLS optional: works, with a warning', async () => {
  const s = await serve('starttls-optional');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'ok');
  assert.deepEqual(p.plainStream?.features?.starttls, { offered: true, required: false });
  assert.deepEqual(codes(findings), ['STREAM_STARTTLS_OPTIONAL']);
  assert.equal(findings[0]!.severity, 'warning');
  assert.equal(probeSummary(p), 'ok: STARTTLS optional, TLSv1.3');
});

test('STARTTLS absent: an error, and no <starttls/> is sent', async () => {
  const s = await serve('starttls-absent');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'no-starttls');
  assert.equal(p.failedPhase, 'stream');
  assert.deepEqual(p.plainStream?.features?.mechanisms, ['SCRAM-SHA-1']);
  assert.equal(p.tls, null);
  assert.deepEqual(codes(findings), ['STREAM_STARTTLS_MISSING']);
  assert.equal(s.connections[0]!.starttls, 0);
});

test('STARTTLS answered with <failure/>', async () => {
  const s = await serve('starttls-failure');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'starttls-failed');
  assert.equal(p.failedPhase, 'starttls');
  assert.deepEqual(codes(findings), ['STREAM_STARTTLS_FAILURE']);
});

test('TLS below 1.2 is reported', async () => {
  const s = await serve('old-tls');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'ok', p.detail ?? '');
  assert.equal(p.tls?.version, 'TLSv1.1');
  assert.deepEqual(codes(findings), ['TLS_VERSION_OLD']);
});

test('direct TLS with ALPN: xmpp-client for c2s, xmpp-server for s2s; never STARTTLS inside', async () => {
  const s = await serve('directtls');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
  assert.equal(p.outcome, 'ok', p.detail ?? '');
  assert.equal(p.tls?.alpn, 'xmpp-client');
  assert.deepEqual(p.tls?.alpnOffered, ['xmpp-client']);
  assert.equal(p.plainStream, null);
  assert.equal(p.timings.streamMs, null);
  assert.equal(p.timings.starttlsMs, null);
  assert.deepEqual(codes(findings), []);
  assert.equal(probeSummary(p), 'ok: direct TLS, TLSv1.3, ALPN xmpp-client');
  const log = s.connections[0]!;
  assert.deepEqual(log.alpnOffered, ['xmpp-client']);
  assert.equal(log.sni, DOMAIN);
  assert.equal(log.starttls, 0);
  assert.equal(log.headers.length, 1);

  const s2 = await serve('directtls', { service: 's2s' });
  const r2 = await probeOne(targetOf(s2, 's2s', 'directtls'), OPTS);
  assert.equal(r2.report.outcome, 'ok', r2.report.detail ?? '');
  assert.equal(r2.report.tls?.alpn, 'xmpp-server');
  assert.deepEqual(s2.connections[0]!.alpnOffered, ['xmpp-server']);
});

test('direct TLS without ALPN is fine (info)', async () => {
  const s = await serve('directtls-no-alpn');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
  assert.equal(p.outcome, 'ok');
  assert.equal(p.tls?.alpn, null);
  assert.deepEqual(codes(findings), ['TLS_ALPN_NONE']);
  assert.equal(findings[0]!.severity, 'info');
  assert.equal(probeSummary(p), 'ok: direct TLS, TLSv1.3, no ALPN');
});

test('direct TLS refusing the XMPP ALPN value', async () => {
  const s = await serve('directtls-wrong-alpn');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
  assert.equal(p.outcome, 'wrong-alpn');
  assert.equal(p.failedPhase, 'tls');
  assert.deepEqual(codes(findings), ['TLS_ALPN_WRONG']);
  assert.equal(findings[0]!.severity, 'error');
});

test('plaintext XMPP on a direct-TLS port', async () => {
  const s = await serve('plaintext-on-directtls');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
  assert.equal(p.outcome, 'plaintext-on-direct-tls');
  assert.deepEqual(codes(findings), ['PROBE_PLAINTEXT_ON_DIRECT_TLS']);
});

test('TLS at once on a STARTTLS port', async () => {
  const s = await serve('tls-on-starttls');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'tls-on-starttls-port');
  assert.equal(p.failedPhase, 'stream');
  assert.deepEqual(codes(findings), ['PROBE_TLS_ON_STARTTLS_PORT']);
  // The same port probed as direct TLS works.
  const direct = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
  assert.equal(direct.report.outcome, 'ok', direct.report.detail ?? '');
});

test('an HTTP server behind the port, in either mode', async () => {
  const s = await serve('http');
  for (const mode of ['starttls', 'directtls'] as const) {
    const { report: p, findings } = await probeOne(targetOf(s, 'c2s', mode), OPTS);
    assert.equal(p.outcome, 'http', mode);
    assert.deepEqual(codes(findings), ['PROBE_HTTP']);
    assert.match(findings[0]!.message, /HTTP\/1\.1 400/);
  }
});

test('a silent server, in either mode', async () => {
  const s = await serve('silent');
  for (const mode of ['starttls', 'directtls'] as const) {
    const { report: p, findings } = await probeOne(targetOf(s, 'c2s', mode), { ...OPTS, timeoutMs: 300 });
    assert.equal(p.outcome, 'silent', mode);
    assert.equal(p.failedPhase, mode === 'starttls' ? 'stream' : 'tls');
    assert.equal(p.bytesRead, 0);
    assert.deepEqual(codes(findings), ['PROBE_SILENT']);
  }
});

test('a server that hangs up at once, in either mode', async () => {
  const s = await serve('hangup');
  for (const mode of ['starttls', 'directtls'] as const) {
    const { report: p, findings } = await probeOne(targetOf(s, 'c2s', mode), OPTS);
    assert.equal(p.outcome, 'closed', mode);
    assert.equal(p.bytesRead, 0);
    assert.deepEqual(codes(findings), ['PROBE_CLOSED']);
  }
});

test('garbage: not XML', async () => {
  const s = await serve('garbage');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'garbage');
  assert.deepEqual(codes(findings), ['PROBE_GARBAGE']);
  const d = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
  assert.equal(d.report.outcome, 'garbage');
});

test('a server that sends endlessly stops at the byte cap', async () => {
  const s = await serve('endless');
  const maxBytes = 32_768;
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), { ...OPTS, maxBytes });
  assert.equal(p.outcome, 'byte-cap');
  assert.equal(p.failedPhase, 'stream');
  assert.ok(p.bytesRead <= maxBytes, `read ${p.bytesRead}`);
  assert.ok(p.bytesRead > maxBytes / 2, `read ${p.bytesRead}`);
  assert.deepEqual(codes(findings), ['PROBE_BYTE_CAP']);
});

test('the byte cap counts TLS bytes too: an endless stream inside direct TLS', async () => {
  const s = await serve('directtls-endless');
  const maxBytes = 40_000;
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'directtls'), { ...OPTS, maxBytes });
  assert.equal(p.outcome, 'byte-cap');
  assert.equal(p.failedPhase, 'features');
  assert.equal(p.tls?.alpn, 'xmpp-client');
  assert.ok(p.bytesRead <= maxBytes, `read ${p.bytesRead}`);
  assert.deepEqual(codes(findings), ['PROBE_BYTE_CAP']);
});

test('a server that stalls after its stream header runs into the deadline', async () => {
  const s = await serve('stall-after-header');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), { ...OPTS, timeoutMs: 300 });
  assert.equal(p.outcome, 'stalled');
  assert.equal(p.failedPhase, 'stream');
  assert.equal(p.plainStream?.from, DOMAIN);
  assert.equal(p.plainStream?.features, null);
  assert.deepEqual(codes(findings), ['PROBE_STALLED']);
});

test('host-unknown: the server does not serve this domain', async () => {
  const s = await serve('host-unknown');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'stream-error');
  assert.equal(p.streamError?.condition, 'host-unknown');
  assert.match(p.streamError?.text ?? '', /example\.test/);
  assert.deepEqual(codes(findings), ['STREAM_HOST_UNKNOWN']);
  assert.match(findings[0]!.message, /does not serve example\.test/);
  assert.equal(probeSummary(p), 'stream error: host-unknown');
});

test('a server asked for a domain it does not serve answers host-unknown too', async () => {
  const s = await serve('starttls-required');
  const { report: p } = await probeOne(targetOf(s, 'c2s', 'starttls'), { ...OPTS, domain: 'other.test' });
  assert.equal(p.outcome, 'stream-error');
  assert.equal(p.streamError?.condition, 'host-unknown');
});

test('restricted XML: a DOCTYPE, a comment', async () => {
  for (const scenario of ['doctype', 'xml-comment'] as const) {
    const s = await serve(scenario);
    const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
    assert.equal(p.outcome, 'restricted-xml', scenario);
    assert.deepEqual(codes(findings), ['STREAM_RESTRICTED_XML']);
  }
});

test('s2s: jabber:server, dialback and SASL EXTERNAL; from only when given', async () => {
  const s = await serve('s2s');
  const { report: p, findings } = await probeOne(targetOf(s, 's2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'ok', p.detail ?? '');
  assert.equal(p.tlsStream?.contentNs, 'jabber:server');
  assert.equal(p.tlsStream?.features?.dialback, true);
  assert.deepEqual(p.tlsStream?.features?.mechanisms, ['EXTERNAL']);
  assert.deepEqual(codes(findings), []);
  assert.match(s.connections[0]!.headers[0]!, /xmlns='jabber:server'/);
  assert.doesNotMatch(s.connections[0]!.headers[0]!, /from=/);

  const r = await probeOne(targetOf(s, 's2s', 'starttls'), { ...OPTS, from: 'checker.test' });
  assert.equal(r.report.outcome, 'ok');
  for (const h of s.connections[1]!.headers) assert.match(h, /from='checker\.test'/);
  // A c2s probe never sends from, even when one is given.
  const c = await serve('starttls-required');
  await probeOne(targetOf(c, 'c2s', 'starttls'), { ...OPTS, from: 'checker.test' });
  assert.doesNotMatch(c.connections[0]!.headers[0]!, /from=/);
});

test('direct TLS whose server then requires or offers STARTTLS (a TLS-terminating proxy): a broken endpoint, and no STARTTLS is sent inside TLS', async () => {
  for (const [scenario, word] of [['directtls-starttls-required', 'require'], ['directtls-starttls-optional', 'offer']] as const) {
    const s = await serve(scenario);
    const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
    assert.equal(p.outcome, 'starttls-in-direct-tls', scenario);
    assert.equal(p.failedPhase, 'features');
    assert.equal(p.tls?.alpn, 'xmpp-client', 'TLS itself worked');
    assert.ok(p.tls?.chain.length, 'the chain is kept for verification');
    assert.deepEqual(codes(findings), ['STREAM_STARTTLS_IN_DIRECT_TLS']);
    assert.match(findings[0]!.message, new RegExp(`features over TLS ${word} <starttls/>`));
    assert.equal(s.connections[0]!.starttls, 0, 'XEP-0368 rule 5: never STARTTLS over direct TLS');
    assert.match(probeSummary(p), /STARTTLS offered inside direct TLS/);
  }
});

test('c2s without any way to log in after TLS: no-authentication', async () => {
  const s = await serve('no-sasl');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'no-authentication');
  assert.deepEqual(p.tlsStream?.features?.mechanisms, []);
  assert.deepEqual(codes(findings), ['STREAM_NO_AUTH_C2S']);
  assert.match(findings[0]!.message, /features offered after TLS: mechanisms, register, sm/);
});

test('s2s offering neither dialback nor SASL EXTERNAL after TLS: no-authentication (federation impossible)', async () => {
  const s = await serve('s2s-no-auth');
  const { report: p, findings } = await probeOne(targetOf(s, 's2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'no-authentication');
  assert.deepEqual(codes(findings), ['STREAM_NO_AUTH_S2S']);
  assert.match(findings[0]!.message, /federation with this target is impossible: features offered after TLS: none/);
});

test('a c2s probe at an s2s port: namespace mismatch and the server\'s stream error', async () => {
  const s = await serve('s2s');
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'stream-error');
  assert.equal(p.streamError?.condition, 'invalid-namespace');
  assert.deepEqual(codes(findings), ['STREAM_ERROR', 'STREAM_NAMESPACE_MISMATCH']);
});

test('a stream from another name than the domain', async () => {
  const s = await serve('starttls-required', { streamFrom: 'Other.Example' });
  const { report: p, findings } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'ok');
  assert.equal(p.plainStream?.from, 'Other.Example');
  assert.deepEqual(codes(findings), ['STREAM_FROM_MISMATCH']);
  assert.match(findings[0]!.message, /Other\.Example/);
  // Case alone is no mismatch.
  const t = await serve('starttls-required', { streamFrom: 'EXAMPLE.test' });
  assert.deepEqual(codes((await probeOne(targetOf(t, 'c2s', 'starttls'), OPTS)).findings), []);
});

test('the chain as the server sent it: leaf then intermediate, leaf first', async () => {
  const mat = await labTls(DOMAIN);
  const inter = await mat.labCa.intermediate();
  const leaf = await inter.issue({ dnsNames: [DOMAIN] });
  const s = await serve('directtls', { tls: { key: leaf.keyPem, cert: leaf.certPem, chain: [inter.certPem] } });
  const { report: p } = await probeOne(targetOf(s, 'c2s', 'directtls'), OPTS);
  assert.equal(p.outcome, 'ok', p.detail ?? '');
  assert.deepEqual(
    p.tls?.chain.map((c) => c.der),
    [leaf.der.toString('base64'), inter.der.toString('base64')],
  );
  assert.match(p.tls!.chain[0]!.subject, /CN=example\.test/);
  assert.equal(p.tls!.chain[0]!.issuer, p.tls!.chain[1]!.subject);
  assert.ok(p.tls!.chain.every((c) => !c.fromTrustStore && !c.selfIssued));
});

test('connection refused', async () => {
  const s = await serve('silent');
  const port = s.port;
  await s.close();
  const { report: p, findings } = await probeOne(targetOf({ host: '127.0.0.1', port }, 'c2s', 'starttls'), OPTS);
  assert.equal(p.outcome, 'refused');
  assert.equal(p.failedPhase, 'tcp');
  assert.deepEqual(codes(findings), ['PROBE_REFUSED']);
  assert.equal(probeSummary(p), 'refused');
});

test('IPv6 loopback works like IPv4', async () => {
  const s = await serve('starttls-required', { host: '::1' });
  const { report: p } = await probeOne(targetOf(s, 'c2s', 'starttls'), OPTS);
  assert.equal(p.ipFamily, 6);
  assert.equal(p.address, '::1');
  assert.equal(p.outcome, 'ok', p.detail ?? '');
});

test('the connect seam is used, and a name instead of an address is never resolved', async () => {
  const s = await serve('starttls-required');
  const { default: net } = await import('node:net');
  const seen: string[] = [];
  const opts: ProbeOptions = {
    ...OPTS,
    connect: ({ host, port, family }) => {
      seen.push(`${host}|${port}|${family}`);
      return net.connect({ host, port });
    },
  };
  const ok = await probeOne(targetOf(s, 'c2s', 'starttls'), opts);
  assert.equal(ok.report.outcome, 'ok');
  assert.deepEqual(seen, [`127.0.0.1|${s.port}|4`]);
  const bad = await probeOne({ ...targetOf(s, 'c2s', 'starttls'), address: 'localhost' }, opts);
  assert.equal(bad.report.outcome, 'bad-address');
  assert.equal(seen.length, 1);
});
