/**
 * runProbes over several targets against fixture servers: order of results,
 * bounded concurrency, and the service-level findings (down, degraded, IPv6
 * dead while IPv4 works).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { runProbes, serviceFindings } from '../../src/probes/run.js';
import { targetsFor } from '../../src/probes/targets.js';
import type { ProbeOptions } from '../../src/probes/probe.js';
import type { ProbeReport, ProbeTarget } from '../../src/probes/types.js';
import type { Candidate, ConnectMode, ServiceKind } from '../../src/core/types.js';
import type { HostAddresses } from '../../src/dns/lookup.js';
import { labTls, startXmppServer, type FixtureTls, type RunningXmppServer, type XmppScenario } from '../../fixtures/xmpp/server.js';

const DOMAIN = 'example.test';
let tlsMat: FixtureTls;
const servers: RunningXmppServer[] = [];

before(async () => {
  tlsMat = await labTls(DOMAIN);
});
after(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function serve(scenario: XmppScenario, host = '127.0.0.1'): Promise<RunningXmppServer> {
  const s = await startXmppServer({ scenario, domain: DOMAIN, tls: tlsMat, host });
  servers.push(s);
  return s;
}

/** A port on which nothing listens (bound, then closed). */
async function deadPort(host: string): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, host, () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function cand(service: ServiceKind, mode: ConnectMode, port: number, target: string): Candidate {
  const family = mode === 'starttls' ? 'xmpp' : 'xmpps';
  return { id: `${service}:${family}:${target}:${port}`, service, family, mode, source: 'srv', priority: 0, weight: 0, port, target, ttl: 300, share: 1, group: 1 };
}

const t = (c: Candidate, address: string): ProbeTarget => ({ candidate: c, address, ipFamily: address.includes(':') ? 6 : 4 });
const OPTS: ProbeOptions = { domain: DOMAIN, timeoutMs: 400, concurrency: 4 };
const codes = (fs: { code: string }[]): string[] => fs.map((f) => f.code).sort();

test('AAAA published, nothing listening on IPv6: IPv6 broken and the service degraded', async () => {
  // The fixture listens on 127.0.0.1 only: the same port on ::1 refuses, as when a
  // server binds IPv4 only while the host has an AAAA record.
  const good = await serve('starttls-required', '127.0.0.1');
  const host = 'xmpp.example.test';
  const c = cand('c2s', 'starttls', good.port, host);
  const { probes, findings } = await runProbes([t(c, '127.0.0.1'), t(c, '::1')], OPTS);
  assert.deepEqual(probes.map((p) => p.outcome), ['ok', 'refused']);
  assert.deepEqual(codes(findings), ['PROBE_IPV6_BROKEN', 'PROBE_REFUSED', 'PROBE_SERVICE_DEGRADED']);
  const v6 = findings.find((f) => f.code === 'PROBE_IPV6_BROKEN')!;
  assert.equal(v6.subject, host);
  assert.equal(v6.service, 'c2s');
  assert.match(v6.message, /::1/);
  assert.equal(findings.find((f) => f.code === 'PROBE_SERVICE_DEGRADED')!.severity, 'warning');
  assert.equal(findings.find((f) => f.code === 'PROBE_REFUSED')!.severity, 'warning', 'IPv4 works: the dead IPv6 address is not an outage');
});

test('a dead or broken backup target is a warning while another target works; the same failures alone are errors', async () => {
  const good = await serve('starttls-required');
  const http = await serve('http');
  const dead = await deadPort('127.0.0.1');
  const broken = [t(cand('c2s', 'starttls', dead, 'dead.example.test'), '127.0.0.1'), t(cand('c2s', 'starttls', http.port, 'web.example.test'), '127.0.0.1')];
  const withGood = await runProbes([t(cand('c2s', 'starttls', good.port, 'xmpp.example.test'), '127.0.0.1'), ...broken], OPTS);
  assert.deepEqual(withGood.probes.map((p) => p.outcome), ['ok', 'refused', 'http']);
  assert.deepEqual(withGood.findings.map((f) => `${f.code}/${f.severity}`).sort(), ['PROBE_HTTP/warning', 'PROBE_REFUSED/warning', 'PROBE_SERVICE_DEGRADED/warning']);
  const alone = await runProbes(broken, OPTS);
  assert.deepEqual(alone.findings.map((f) => `${f.code}/${f.severity}`).sort(), ['PROBE_HTTP/error', 'PROBE_REFUSED/error', 'PROBE_SERVICE_DOWN/error']);
});

test('no target works: the service is down (error); results keep the order of the targets', async () => {
  const silent = await serve('silent');
  const http = await serve('http');
  const dead = await deadPort('127.0.0.1');
  const targets = [
    t(cand('s2s', 'starttls', dead, 'a.example.test'), '127.0.0.1'),
    t(cand('s2s', 'starttls', http.port, 'b.example.test'), '127.0.0.1'),
    t(cand('s2s', 'directtls', silent.port, 'c.example.test'), '127.0.0.1'),
  ];
  const { probes, findings } = await runProbes(targets, { ...OPTS, timeoutMs: 300 });
  assert.deepEqual(probes.map((p) => p.outcome), ['refused', 'http', 'silent']);
  assert.deepEqual(probes.map((p) => p.target), ['a.example.test', 'b.example.test', 'c.example.test']);
  const down = findings.filter((f) => f.code === 'PROBE_SERVICE_DOWN');
  assert.equal(down.length, 1);
  assert.equal(down[0]!.severity, 'error');
  assert.equal(down[0]!.service, 's2s');
  assert.ok(!findings.some((f) => f.code === 'PROBE_SERVICE_DEGRADED' || f.code === 'PROBE_IPV6_BROKEN'));
  assert.ok(findings.every((f) => f.severity === 'error'), 'nothing works: every failure is an error');
});

test('IPv6 failing while IPv4 fails too is no IPv6 finding; all working gives no service finding', () => {
  const base = (over: Partial<ProbeReport>): ProbeReport => ({
    id: 'x', candidateId: 'c', service: 'c2s', family: 'xmpp', mode: 'starttls', target: 'h.example.test', port: 5222,
    address: '192.0.2.1', ipFamily: 4, outcome: 'ok', detail: null, failedPhase: null,
    timings: { tcpMs: 1, streamMs: 1, starttlsMs: 1, tlsMs: 1, featuresMs: 1, totalMs: 5 },
    bytesRead: 1, bytesWritten: 1, tls: null, plainStream: null, tlsStream: null, streamError: null, ...over,
  });
  const bothDown = serviceFindings([
    base({ outcome: 'refused' }),
    base({ address: '2001:db8::1', ipFamily: 6, outcome: 'connect-timeout' }),
  ]);
  assert.deepEqual(codes(bothDown), ['PROBE_SERVICE_DOWN']);
  assert.deepEqual(serviceFindings([base({}), base({ address: '2001:db8::1', ipFamily: 6 })]), []);
  // Per service: a dead s2s does not make c2s degraded.
  const mixed = serviceFindings([base({}), base({ service: 's2s', outcome: 'refused' })]);
  assert.deepEqual(mixed.map((f) => `${f.code}/${f.service}`), ['PROBE_SERVICE_DOWN/s2s']);
});

test('concurrency is bounded', async () => {
  const silent = await serve('silent');
  const sockets: net.Socket[] = [];
  let most = 0;
  const opts: ProbeOptions = {
    ...OPTS,
    timeoutMs: 250,
    concurrency: 2,
    connect: ({ host, port }) => {
      // Probes in flight: sockets not yet destroyed by their probe.
      const open = sockets.filter((x) => !x.destroyed).length + 1;
      most = Math.max(most, open);
      const s = net.connect({ host, port });
      sockets.push(s);
      return s;
    },
  };
  const targets = Array.from({ length: 5 }, (_, i) => t(cand('c2s', 'starttls', silent.port, `h${i}.example.test`), '127.0.0.1'));
  const { probes } = await runProbes(targets, opts);
  assert.equal(probes.length, 5);
  assert.ok(probes.every((p) => p.outcome === 'silent'));
  assert.equal(most, 2);
  assert.equal(silent.connections.length, 5);
});

test('targetsFor: every candidate at every address of the families asked for', () => {
  const lookup = (addresses: string[]): HostAddresses['a'] => ({ status: addresses.length ? 'ok' : 'nodata', error: null, addresses, ttl: 300 });
  const hosts: Record<string, HostAddresses> = {
    'xmpp.example.test': { name: 'xmpp.example.test', cnames: [], ipLiteral: false, a: lookup(['192.0.2.1', '192.0.2.2']), aaaa: lookup(['2001:db8::1']) },
    'v4only.example.test': { name: 'v4only.example.test', cnames: [], ipLiteral: false, a: lookup(['192.0.2.9']), aaaa: lookup([]) },
  };
  const a = cand('c2s', 'starttls', 5222, 'xmpp.example.test.');
  const b = cand('c2s', 'directtls', 5223, 'V4ONLY.example.test');
  const missing = cand('c2s', 'starttls', 5222, 'nowhere.example.test');
  const all = targetsFor([a, b, missing], hosts);
  assert.deepEqual(
    all.map((x) => `${x.candidate.port} ${x.address} ${x.ipFamily}`),
    ['5222 192.0.2.1 4', '5222 192.0.2.2 4', '5222 2001:db8::1 6', '5223 192.0.2.9 4'],
  );
  assert.deepEqual(targetsFor([a], hosts, [6]).map((x) => x.address), ['2001:db8::1']);
});
