/**
 * XEP-0467 as the XEP says (issue 14), against the loopback QUIC fixture and
 * the fixture DNS server: the server's transport parameters (migration), ECH
 * learned by GREASE, a port where nothing listens answered at once, the
 * default UDP port probed while host-meta is still on its way, host-meta
 * links for c2s only, and QUIC verified against its own endpoint.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import type { Answer } from 'dns-packet';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { startQuicServer, type QuicServer, type QuicServerOptions } from '../../fixtures/quic/server.js';
import { startDnsServer, type RunningDnsServer } from '../../fixtures/lab/dns-server.js';
import { probeQuic, type QuicTarget } from '../../src/quic/index.js';
import { runQuicStage } from '../../src/quic/stage.js';
import { verifyQuic } from '../../src/verify/quic.js';
import { buildTrustStore } from '../../src/verify/pkix.js';
import { DnsClient } from '../../src/dns/client.js';
import { systemClock } from '../../src/core/clock.js';
import type { OrderedService } from '../../src/ordering/order.js';

const root = await LabCa.create('QUIC Lab Root');
const leaf = await root.issue({ dnsNames: ['example.test'] });
const servers: QuicServer[] = [];
let dns: RunningDnsServer;

async function serve(o: Partial<QuicServerOptions>): Promise<QuicServer> {
  const s = await startQuicServer({ chain: [leaf.der], keyPem: leaf.keyPem, alpn: ['xmpp-client', 'xmpp-server'], ...o });
  servers.push(s);
  return s;
}

const a = (name: string, ip = '127.0.0.1'): Answer => ({ name, type: 'A', ttl: 300, data: ip }) as Answer;
before(async () => {
  dns = await startDnsServer({ records: [a('example.test'), a('q.example.test')] });
});
after(async () => {
  await Promise.all([...servers.map((s) => s.close()), dns.close()]);
});

const target = (port: number): QuicTarget => ({ host: '127.0.0.1', port, domain: 'example.test', service: 'c2s', source: 'test' });
const client = (): DnsClient => new DnsClient({ server: { host: dns.host, port: dns.port }, timeoutMs: 500, attempts: 1 });
const service = (s: 'c2s' | 's2s'): OrderedService => ({
  service: s,
  srv: {
    xmpp: { owner: `_xmpp-${s === 'c2s' ? 'client' : 'server'}._tcp.example.test`, status: 'ok', rcode: 'NOERROR', error: null, cnames: [], records: [], noService: false },
    xmpps: { owner: `_xmpps-${s === 'c2s' ? 'client' : 'server'}._tcp.example.test`, status: 'nodata', rcode: 'NOERROR', error: null, cnames: [], records: [], noService: false },
    jabber: null,
  },
  mode: 'srv',
  candidates: [{ id: `${s}:xmpp:tcp.example.test:5222`, service: s, family: 'xmpp', mode: 'starttls', source: 'srv', priority: 0, weight: 0, port: 5222, target: 'tcp.example.test', ttl: 300, share: 1, group: 1 }],
  draw: null,
  legacyFallback: null,
  considered: 1,
});

test('the server\'s transport parameters are read: migration allowed, or disabled with a warning (XEP-0467 rule 8)', async () => {
  const open = await serve({});
  const r1 = await probeQuic(target(open.port), { timeoutMs: 2000 });
  assert.equal(r1.outcome, 'handshake', r1.error);
  assert.equal(r1.migration, 'allowed');
  assert.equal(r1.transportParameters?.disableActiveMigration, false);
  assert.equal(r1.transportParameters?.maxIdleTimeoutMs, 5000);
  assert.ok(!r1.findings.some((f) => f.code === 'QUIC_MIGRATION_DISABLED'));
  const closed = await serve({ disableActiveMigration: true });
  const r2 = await probeQuic(target(closed.port), { timeoutMs: 2000 });
  assert.equal(r2.migration, 'disabled');
  assert.ok(r2.transportParameters?.ids.includes(0x0c));
  const f = r2.findings.find((x) => x.code === 'QUIC_MIGRATION_DISABLED');
  assert.equal(f?.severity, 'warning');
  assert.match(f?.message ?? '', /disable_active_migration/);
});

test('ECH: the probe sends a GREASE encrypted_client_hello, so a server that offers ECH says so, and one that does not is reported as not offering it', async () => {
  const withEch = await serve({ ech: true });
  const r1 = await probeQuic(target(withEch.port), { timeoutMs: 2000 });
  assert.equal(withEch.stats.hellos[0]?.ech, true, 'the ClientHello carries encrypted_client_hello');
  assert.equal(r1.outcome, 'handshake', r1.error);
  assert.equal(r1.ech, true);
  assert.ok(r1.findings.some((f) => f.code === 'QUIC_ECH_OFFERED'));
  const without = await serve({});
  const r2 = await probeQuic(target(without.port), { timeoutMs: 2000 });
  assert.equal(r2.outcome, 'handshake');
  assert.equal(r2.ech, false);
});

test('a UDP port where nothing listens is answered at once (ICMP port unreachable), not after the whole deadline', async () => {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
  const port = (sock.address() as { port: number }).port;
  await new Promise<void>((res) => sock.close(() => res()));
  const r = await probeQuic(target(port), { timeoutMs: 5000 });
  assert.equal(r.outcome, 'no-answer');
  assert.match(r.error ?? '', /nothing listens on this UDP port/);
  assert.ok(r.timings.totalMs < 2500, `took ${r.timings.totalMs} ms`);
});

test('the default port is probed in parallel, before host-meta is in; silence there is one info fact; --quic=off skips it', async () => {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((res) => sock.bind(0, '127.0.0.1', () => res()));
  const silent = (sock.address() as { port: number }).port;
  let seen = false;
  sock.on('message', () => (seen = true));
  try {
    // host-meta "arrives" only once the default probe has sent its Initial (or after 3 s, which fails the test).
    const hostMeta = new Promise<never[]>((res) => {
      const t0 = Date.now();
      const tick = setInterval(() => {
        if (seen || Date.now() - t0 > 3000) {
          clearInterval(tick);
          res([]);
        }
      }, 10);
    });
    const t0 = Date.now();
    const run = await runQuicStage('example.test', [service('c2s')], { dns: client(), setting: 'auto', timeoutMs: 5000, ipFamilies: [4], hostMetaLinks: hostMeta, concurrency: 4, defaultPort: silent });
    const elapsed = Date.now() - t0;
    assert.ok(seen, 'the default port got an Initial');
    const s = run.services[0]!;
    assert.equal(s.mode, 'default');
    assert.equal(s.probes.length, 1);
    assert.equal(s.probes[0]!.report.outcome, 'no-answer');
    assert.ok(elapsed < 2500, `the default probe has its own short deadline (took ${elapsed} ms with --timeout 5000)`);
    assert.deepEqual(s.probes[0]!.findings.map((f) => [f.code, f.severity]), [['QUIC_DEFAULT_NONE', 'info']]);
    assert.match(s.probes[0]!.findings[0]!.message, new RegExp(`No XMPP over QUIC on UDP ${silent} of example\\.test`));
  } finally {
    sock.close();
  }
  const off = await runQuicStage('example.test', [service('c2s')], { dns: client(), setting: 'off', timeoutMs: 5000, ipFamilies: [4], hostMetaLinks: [], concurrency: 4 });
  assert.deepEqual(off.services.map((x) => [x.mode, x.probes.length]), [['off', 0]]);
});

test('an HTTP/3 server on the default port is not XMPP over QUIC: an info fact, not QUIC_ALPN_REFUSED', async () => {
  const h3 = await serve({ alpn: ['h3'] });
  const run = await runQuicStage('example.test', [service('s2s')], { dns: client(), setting: 'auto', timeoutMs: 3000, ipFamilies: [4], hostMetaLinks: [], concurrency: 4, defaultPort: h3.port });
  const p = run.services[0]!.probes[0]!;
  assert.equal(p.report.outcome, 'wrong-alpn');
  assert.deepEqual(p.findings.map((f) => f.code), ['QUIC_DEFAULT_NONE']);
  assert.match(p.findings[0]!.message, /speaks QUIC but refuses xmpp-server .*HTTP\/3/);
});

test('host-meta QUIC links are for c2s only: s2s probes its own default instead', async () => {
  const q = await serve({});
  const links = [{ host: '127.0.0.1', port: q.port, url: `https://example.test/quic` }];
  const run = await runQuicStage('example.test', [service('c2s'), service('s2s')], { dns: client(), setting: 'auto', timeoutMs: 2000, ipFamilies: [4], hostMetaLinks: Promise.resolve(links), concurrency: 4, defaultPort: 9 });
  const [c2s, s2s] = run.services;
  assert.equal(c2s!.mode, 'discovered');
  assert.equal(c2s!.candidates[0]!.source, 'host-meta');
  assert.equal(s2s!.mode, 'default');
  assert.ok(s2s!.candidates.every((c) => c.source === 'default-port'));
});

test('QUIC is verified against its own endpoint: the _xmppq SRV target, and TLSA at _port._udp of it, never the TCP SRV targets', async () => {
  // A provider's certificate for the QUIC host q.example.test, reached by an _xmppq SRV record.
  const provider = await root.issue({ dnsNames: ['q.example.test'] });
  const q = await startQuicServer({ chain: [provider.der], keyPem: provider.keyPem, alpn: ['xmpp-client'] });
  servers.push(q);
  const c2s = service('c2s');
  const run = await runQuicStage('example.test', [c2s], { dns: client(), setting: 'auto', timeoutMs: 2000, ipFamilies: [4], hostMetaLinks: [], concurrency: 4 });
  assert.equal(run.services[0]!.mode, 'default', 'no _xmppq record in this zone');
  // The same probe as if an _xmppq SRV record named q.example.test:port.
  const probes = await runQuicStage('example.test', [c2s], { dns: client(), setting: 'auto', timeoutMs: 2000, ipFamilies: [4], hostMetaLinks: [{ host: 'q.example.test', port: q.port }], concurrency: 4 });
  const p = probes.services[0]!.probes[0]!;
  const srvRun = { ...probes, services: [{ ...probes.services[0]!, probes: [{ ...p, candidate: { ...p.candidate, source: 'srv' as const }, report: { ...p.report, source: 'srv' as const } }] }] };
  const v = verifyQuic('example.test', [c2s], srvRun, { domain: 'example.test', clock: systemClock, trustStore: buildTrustStore([root.certPem]), warnDays: 14, security: null, srvStatus: {}, posh: {} });
  const codes = v.findings.map((f) => f.code);
  assert.ok(codes.includes('CERT_NAME_HOSTING_PROVIDER'), `the certificate covers the QUIC SRV target: ${codes.join(', ')}`);
  assert.match(v.findings.find((f) => f.code === 'CERT_NAME_HOSTING_PROVIDER')!.message, /q\.example\.test/);
  assert.doesNotMatch(v.findings.map((f) => f.message).join('\n'), /tcp\.example\.test/, 'the TCP SRV target plays no part');
  assert.equal(probes.dnssecAsks.find((x) => x.type === 'TLSA')?.name, `_${q.port}._udp.q.example.test`);
});
