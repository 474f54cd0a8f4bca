/**
 * probeQuic end to end against the loopback QUIC fixture: the right ALPN
 * (handshake, chain captured, parsed and verified like any TLS chain), a
 * server without XMPP ALPN (no_application_protocol), no ALPN, another ALPN,
 * Version Negotiation, Retry, silence, garbage, a flood, reordered packets,
 * the AES-256/SHA-384 suite, a bad CertificateVerify.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { startQuicServer, type QuicServerOptions } from '../../fixtures/quic/server.js';
import { probeQuic, quicAvailable, quicResultToJson, type QuicTarget } from '../../src/quic/index.js';
import { parseCertificate } from '../../src/verify/x509.js';
import { buildTrustStore, verifyCertificate } from '../../src/verify/certificate.js';
import { fixedClock } from '../../src/core/clock.js';

const root = await LabCa.create('QUIC Lab Root');
const inter = await root.intermediate('QUIC Lab Intermediate');
const leaf = await inter.issue({ dnsNames: ['example.com', 'xmpp.example.com'] });
const chain = [leaf.der, inter.der];
const servers: { close(): Promise<void> }[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(o: Partial<QuicServerOptions>) {
  const s = await startQuicServer({ chain, keyPem: leaf.keyPem, alpn: ['xmpp-client', 'xmpp-server'], ...o });
  servers.push(s);
  return s;
}

const target = (port: number, more: Partial<QuicTarget> = {}): QuicTarget => ({ host: '127.0.0.1', port, domain: 'example.com', service: 'c2s', source: 'test', ...more });
const codes = (r: { findings: { code: string }[] }): string[] => r.findings.map((f) => f.code);

test('quicAvailable says yes on this Node', () => {
  assert.deepEqual(quicAvailable(), { available: true });
});

test('right ALPN: handshake reaches the certificate; chain is DER leaf first and verifies like a TLS chain', async () => {
  const s = await serve({});
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'handshake', r.error);
  assert.equal(r.alpn, 'xmpp-client');
  assert.equal(r.tlsVersion, 'TLSv1.3');
  assert.equal(r.cipher, 'TLS_AES_128_GCM_SHA256');
  assert.equal(r.reached, 'server-finished');
  assert.equal(r.certificateVerify, true);
  assert.equal(r.finished, true);
  assert.equal(r.ech, false);
  assert.equal(r.chainDer.length, 2);
  assert.ok(r.chainDer[0]!.equals(leaf.der));
  const parsed = parseCertificate(r.chainDer[0]!);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.cert.san?.dns, ['example.com', 'xmpp.example.com']);
  const v = verifyCertificate(r.chainDer, { domain: 'example.com', service: 'c2s', srvTargets: [], trustStore: buildTrustStore([root.certPem]), clock: fixedClock(Date.now()), subject: 'quic' });
  assert.equal(v.report.pkix.status, 'trusted');
  assert.deepEqual(codes(r), ['QUIC_HANDSHAKE_OK']);
  assert.ok(typeof r.timings.handshakeMs === 'number');
  // What the server saw: SNI = the domain, our ALPN, TLS 1.3, and our polite close.
  const hello = s.stats.hellos[0]!;
  assert.equal(hello.sni, 'example.com');
  assert.deepEqual(hello.alpn, ['xmpp-client']);
  assert.ok(hello.versions.includes(0x0304));
  assert.ok(hello.transportParams?.has(0x0f), 'initial_source_connection_id');
  await waitFor(() => s.stats.clientCloses > 0);
  // JSON form: base64 chain.
  const json = quicResultToJson(r);
  assert.equal(json.chainDer[0], leaf.der.toString('base64'));
  assert.doesNotThrow(() => JSON.stringify(json));
});

test('s2s offers xmpp-server', async () => {
  const s = await serve({ alpn: ['xmpp-server'] });
  const r = await probeQuic(target(s.port, { service: 's2s' }), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'handshake', r.error);
  assert.equal(r.alpn, 'xmpp-server');
  assert.deepEqual(s.stats.hellos[0]!.alpn, ['xmpp-server']);
});

test('a server without XMPP ALPN (HTTP/3 only) closes with CRYPTO_ERROR 0x0178: wrong-alpn and the no_application_protocol explanation', async () => {
  const s = await serve({ alpn: ['h3'] });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'wrong-alpn');
  assert.equal(r.closeError?.code, 0x0178);
  assert.equal(r.closeError?.tlsAlert, 120);
  assert.equal(r.closeError?.frameType, 0x06);
  assert.match(r.closeError!.name, /no_application_protocol/);
  assert.equal(r.closeError?.level, 'initial');
  assert.deepEqual(codes(r), ['QUIC_ALPN_REFUSED']);
  assert.match(r.findings[0]!.fix, /HTTP\/3/);
  assert.equal(r.chainDer.length, 0);
});

test('a server that goes on without ALPN: no-alpn (mandatory in XEP-0467)', async () => {
  const s = await serve({ alpn: ['h3'], onNoAlpnMatch: 'proceed' });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'no-alpn');
  assert.equal(r.alpn, null);
  assert.equal(r.chainDer.length, 2, 'the chain is still captured');
  assert.deepEqual(codes(r), ['QUIC_NO_ALPN']);
});

test('a server that picks a protocol we did not offer: wrong-alpn, chain still captured', async () => {
  const s = await serve({ forceAlpn: 'h3' });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'wrong-alpn');
  assert.equal(r.alpn, 'h3');
  assert.equal(r.closeError, undefined);
  assert.equal(r.chainDer.length, 2);
  assert.deepEqual(codes(r), ['QUIC_WRONG_ALPN']);
});

test('s2s to a c2s-only server: refused with no_application_protocol', async () => {
  const s = await serve({ alpn: ['xmpp-client'] });
  const r = await probeQuic(target(s.port, { service: 's2s' }), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'wrong-alpn');
  assert.equal(r.closeError?.tlsAlert, 120);
  assert.match(r.findings[0]!.message, /xmpp-server/);
});

test('Version Negotiation without v1: the versions are listed', async () => {
  const s = await serve({ mode: 'version-negotiation' });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'version-negotiation');
  assert.deepEqual(r.versions, [0x6b3343cf, 0xff00001d, 0x1a2a3a4a]);
  assert.deepEqual(codes(r), ['QUIC_VERSION_NO_V1']);
  assert.match(r.findings[0]!.message, /QUIC v2/);
});

test('Retry: followed once with its token, then the handshake completes', async () => {
  const s = await serve({ mode: 'retry' });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'handshake', r.error);
  assert.equal(r.retry, true);
  assert.deepEqual(codes(r), ['QUIC_RETRY', 'QUIC_HANDSHAKE_OK']);
  const r2 = await probeQuic(target(s.port), { timeoutMs: 3000, followRetry: false });
  assert.equal(r2.outcome, 'retry');
  assert.equal(r2.chainDer.length, 0);
});

test('a Retry whose integrity tag is wrong is discarded and reported', async () => {
  const s = await serve({ mode: 'bad-retry' });
  const r = await probeQuic(target(s.port), { timeoutMs: 600 });
  assert.equal(r.outcome, 'retry');
  assert.deepEqual(codes(r), ['QUIC_RETRY_INVALID']);
  assert.match(r.error ?? '', /integrity tag/);
});

test('silence: no-answer at the deadline, with the ClientHello retransmitted', async () => {
  const s = await serve({ mode: 'silent' });
  const r = await probeQuic(target(s.port), { timeoutMs: 600 });
  assert.equal(r.outcome, 'no-answer');
  assert.deepEqual(codes(r), ['QUIC_NO_ANSWER']);
  assert.equal(r.findings[0]!.severity, 'info');
  assert.ok(r.datagramsSent >= 2, `sent ${r.datagramsSent}`);
  assert.equal(r.datagramsReceived, 0);
});

test('garbage datagrams: no crash, a protocol error', async () => {
  const s = await serve({ mode: 'garbage' });
  const r = await probeQuic(target(s.port), { timeoutMs: 800 });
  assert.equal(r.outcome, 'error');
  assert.ok(r.datagramsReceived > 5);
  assert.deepEqual(codes(r), ['QUIC_PROTOCOL_ERROR']);
});

test('a flood is capped', async () => {
  const s = await serve({ mode: 'flood' });
  const r = await probeQuic(target(s.port), { timeoutMs: 2000, maxDatagrams: 20 });
  assert.equal(r.datagramsReceived, 20);
  assert.ok(codes(r).includes('QUIC_FLOOD'));
});

test('Handshake packets before the Initial, CRYPTO in small reversed pieces: reassembled', async () => {
  const s = await serve({ reverse: true, chunk: 97 });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'handshake', r.error);
  assert.ok(r.chainDer[1]!.equals(inter.der));
  assert.equal(r.finished, true);
});

test('TLS_AES_256_GCM_SHA384 when the server picks it; ECH retry configs reported', async () => {
  const s = await serve({ cipherSuite: 0x1302, ech: true });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'handshake', r.error);
  assert.equal(r.cipher, 'TLS_AES_256_GCM_SHA384');
  assert.equal(r.ech, true);
  assert.ok(codes(r).includes('QUIC_ECH_OFFERED'));
  const c = await serve({ cipherSuite: 0x1303 });
  const rc = await probeQuic(target(c.port), { timeoutMs: 3000 });
  assert.equal(rc.cipher, 'TLS_CHACHA20_POLY1305_SHA256');
  assert.equal(rc.outcome, 'handshake', rc.error);
});

test('a CertificateVerify that does not verify is an error', async () => {
  const s = await serve({ badSignature: true });
  const r = await probeQuic(target(s.port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'error');
  assert.equal(r.certificateVerify, false);
  assert.deepEqual(codes(r), ['QUIC_HANDSHAKE_SIGNATURE']);
});

test('a host that is not an IP address is refused without sending', async () => {
  const r = await probeQuic(target(443, { host: 'example.com' }), { timeoutMs: 500 });
  assert.equal(r.outcome, 'error');
  assert.equal(r.datagramsSent, 0);
});

async function waitFor(cond: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
