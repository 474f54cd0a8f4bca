/**
 * Benchmarks (not tests) of how close a check comes to the round trips it
 * cannot avoid.
 *
 * latency: one lab domain, every DNS answer and every XMPP round trip
 * delayed by D ms. The unavoidable sequence is: SRV (1) → the target's A/AAAA
 * (1) → TCP (1) → stream header and features (1) → <starttls/> and
 * <proceed/> (1) → TLS 1.3 handshake (1) → stream header and features over
 * TLS (1): 7 × D. Everything else (DNSSEC chain, POSH, host-meta, the direct
 * TLS and s2s probes) is meant to fit inside that.
 *
 * targets: ten SRV targets of one service, each behind its own 100 ms round
 * trip, DNS undelayed: the wall time should be one target's critical path
 * (5 round trips = 500 ms), not ten of them.
 */
import type { Answer } from 'dns-packet';
import { DnsClient } from '../src/dns/client.js';
import { parseInput } from '../src/cli/input.js';
import { runCheck } from '../src/pipeline.js';
import { parseTrustAnchors } from '../src/dnssec/anchors.js';
import { buildTrustStore } from '../src/verify/pkix.js';
import { startDnsServer } from '../fixtures/lab/dns-server.js';
import { startDelayProxy, type DelayProxy } from '../fixtures/lab/delay-proxy.js';
import { buildSignedLab } from '../fixtures/dnssec/lab.js';
import { startXmppServer, type RunningXmppServer } from '../fixtures/xmpp/server.js';
import { LabCa } from '../fixtures/pki/lab-ca.js';

const srv = (name: string, port: number, target: string, weight = 0): Answer => ({ name, type: 'SRV', ttl: 300, data: { priority: 0, weight, port, target } }) as Answer;
const a = (name: string): Answer => ({ name, type: 'A', ttl: 300, data: '127.0.0.1' }) as Answer;

async function timeCheck(domain: string, resolver: { host: string; port: number }, anchorsText: string, caPem: string, runs: number, services: ('c2s' | 's2s')[]): Promise<number[]> {
  const anchors = parseTrustAnchors(anchorsText).anchors;
  const trustStore = buildTrustStore([caPem]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dns = new DnsClient({ server: resolver, timeoutMs: 3000, attempts: 2 });
    const t0 = performance.now();
    const r = await runCheck({
      input: parseInput(domain),
      resolver,
      resolverSource: 'option',
      services,
      seed: 1,
      timeoutMs: 5000,
      ipFamilies: [4],
      dns,
      extraRoots: [caPem],
      trustStore,
      trustAnchors: anchors,
      httpsPort: 9,
    });
    times.push(performance.now() - t0);
    if (r.summary.status === 'unknown' || r.services.some((s) => s.probes.some((p) => p.outcome !== 'ok'))) throw new Error(`the benchmark domain did not check cleanly: ${JSON.stringify(r.findings.slice(0, 3))}`);
  }
  return times.sort((x, y) => x - y);
}

const median = (xs: number[]): number => xs[Math.floor(xs.length / 2)]!;

export async function benchLatency(d = 50, runs = 5): Promise<void> {
  const ca = await LabCa.create();
  const domain = 'lat.lab.test';
  const cert = await ca.issue({ dnsNames: [domain] });
  const tls = { key: cert.keyPem, cert: cert.certPem };
  const servers: RunningXmppServer[] = [];
  const proxies: DelayProxy[] = [];
  const behind = async (scenario: 'starttls-required' | 'directtls' | 's2s', service: 'c2s' | 's2s'): Promise<number> => {
    const s = await startXmppServer({ scenario, domain, tls, service });
    servers.push(s);
    const p = await startDelayProxy({ host: s.host, port: s.port }, d);
    proxies.push(p);
    return p.port;
  };
  const records = [
    srv(`_xmpp-client._tcp.${domain}`, await behind('starttls-required', 'c2s'), `xmpp.${domain}`),
    srv(`_xmpps-client._tcp.${domain}`, await behind('directtls', 'c2s'), `xmpp.${domain}`),
    srv(`_xmpp-server._tcp.${domain}`, await behind('s2s', 's2s'), `xmpp.${domain}`),
    a(`xmpp.${domain}`),
  ];
  const lab = buildSignedLab({ records: { test: records } });
  const dns = await startDnsServer({ records: [], answer: (q, query) => lab.resolver.answer(q, query), delayMs: d });
  try {
    const times = await timeCheck(domain, { host: dns.host, port: dns.port }, lab.trustAnchorText, ca.certPem, runs, ['c2s', 's2s']);
    const bound = 7 * d;
    console.log(`latency: full check of ${domain} (c2s STARTTLS + direct TLS, s2s, DNSSEC validation, POSH, host-meta), ${d} ms per DNS answer and per XMPP round trip, ${runs} runs`);
    console.log(`  median wall time     ${median(times).toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[times.length - 1]!.toFixed(0)})`);
    console.log(`  lower bound          ${bound} ms = 7 sequential round trips × ${d} ms: SRV, A/AAAA, TCP, stream, STARTTLS, TLS 1.3, stream over TLS`);
    console.log(`  ratio to lower bound ${(median(times) / bound).toFixed(2)} (goal: at most 1.2)`);
  } finally {
    await Promise.all([dns.close(), ...proxies.map((p) => p.close()), ...servers.map((s) => s.close())]);
  }
}

export async function benchTargets(rtt = 100, n = 10, runs = 3): Promise<void> {
  const ca = await LabCa.create();
  const domain = 'many.lab.test';
  const cert = await ca.issue({ dnsNames: [domain] });
  const tls = { key: cert.keyPem, cert: cert.certPem };
  const servers: RunningXmppServer[] = [];
  const proxies: DelayProxy[] = [];
  const records: Answer[] = [];
  for (let i = 0; i < n; i++) {
    const s = await startXmppServer({ scenario: 'starttls-required', domain, tls });
    servers.push(s);
    const p = await startDelayProxy({ host: s.host, port: s.port }, rtt);
    proxies.push(p);
    records.push(srv(`_xmpp-client._tcp.${domain}`, p.port, `node${i}.${domain}`, 10), a(`node${i}.${domain}`));
  }
  const lab = buildSignedLab({ records: { test: records } });
  const dns = await startDnsServer({ records: [], answer: (q, query) => lab.resolver.answer(q, query) });
  try {
    const times = await timeCheck(domain, { host: dns.host, port: dns.port }, lab.trustAnchorText, ca.certPem, runs, ['c2s']);
    const bound = 5 * rtt;
    console.log(`targets: ${n} SRV targets, each ${rtt} ms per round trip, DNS undelayed, ${runs} runs`);
    console.log(`  median wall time     ${median(times).toFixed(0)} ms`);
    console.log(`  lower bound          ${bound} ms = one target's 5 round trips (TCP, stream, STARTTLS, TLS 1.3, stream over TLS) × ${rtt} ms`);
    console.log(`  if one after another ${n * bound} ms`);
    console.log(`  ratio to lower bound ${(median(times) / bound).toFixed(2)}`);
  } finally {
    await Promise.all([dns.close(), ...proxies.map((p) => p.close()), ...servers.map((s) => s.close())]);
  }
}
