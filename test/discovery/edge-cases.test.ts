/**
 * Discovery edge cases (issue 14), each from real DNS answers of the fixture
 * server through the real discovery, ordering and lint code: records that
 * share a target and port, `_xmpps-` records without `_xmpp-` records, a
 * domain that does not exist.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { DnsClient } from '../../src/dns/client.js';
import { discover } from '../../src/discovery/discover.js';
import { lintDiscovery } from '../../src/discovery/lint.js';
import { order } from '../../src/ordering/order.js';
import { targetsFor } from '../../src/probes/targets.js';
import { serviceStatus } from '../../src/report/service-status.js';
import type { CheckedProbe } from '../../src/verify/types.js';
import { startDnsServer, type RunningDnsServer } from '../../fixtures/lab/dns-server.js';

const srv = (name: string, priority: number, weight: number, port: number, target: string): Answer =>
  ({ name, type: 'SRV', ttl: 300, data: { priority, weight, port, target } }) as Answer;
const a = (name: string, ip = '127.0.0.1'): Answer => ({ name, type: 'A', ttl: 300, data: ip }) as Answer;

const records: Answer[] = [
  // Same target:port at two priorities, beside another target.
  srv('_xmpp-client._tcp.samehost.test', 0, 10, 5222, 'h1.samehost.test'),
  srv('_xmpp-client._tcp.samehost.test', 5, 0, 5222, 'h1.samehost.test'),
  srv('_xmpp-client._tcp.samehost.test', 0, 30, 5222, 'h2.samehost.test'),
  a('h1.samehost.test'),
  a('h2.samehost.test', '127.0.0.2'),
  // A byte-identical duplicate (DNS removes these; a broken server may not).
  srv('_xmpp-client._tcp.twice.test', 0, 10, 5222, 'h1.twice.test'),
  srv('_xmpp-client._tcp.twice.test', 0, 10, 5222, 'h1.twice.test'),
  srv('_xmpp-client._tcp.twice.test', 0, 10, 5222, 'h2.twice.test'),
  a('h1.twice.test'),
  a('h2.twice.test'),
];

let server: RunningDnsServer;
before(async () => {
  server = await startDnsServer({ records });
});
after(() => server.close());

async function run(domain: string) {
  const dns = new DnsClient({ server: { host: server.host, port: server.port }, timeoutMs: 500, attempts: 1 });
  const d = await discover(dns, domain, { services: ['c2s'] });
  return { d, ordered: order(d, 1).services[0]!, findings: lintDiscovery(d) };
}

test('records with the same target:port but different priorities stay separate records in the ordering', async () => {
  const { ordered, findings } = await run('samehost.test');
  const rows = ordered.candidates.map((c) => [c.target, c.priority, c.weight, c.group, Number(c.share.toFixed(4))]);
  // Priority 0: weights 10 and 30 (RFC 2782: a draw from 0..40, no weight-0 record, so the 0 goes to either).
  assert.deepEqual(rows, [
    ['h2.samehost.test', 0, 30, 1, Number((30.5 / 41).toFixed(4))],
    ['h1.samehost.test', 0, 10, 1, Number((10.5 / 41).toFixed(4))],
    ['h1.samehost.test', 5, 0, 2, 1],
  ]);
  assert.equal(new Set(ordered.candidates.map((c) => c.id)).size, 3, 'every record has its own id');
  assert.equal(ordered.draw!.order.length, 3, 'the draw orders all three records');
  assert.equal(ordered.draw!.order[2], ordered.candidates[2]!.id, 'the priority-5 record comes last');
  assert.ok(findings.some((f) => f.code === 'SRV_DUPLICATE' && /h1\.samehost\.test:5222 2 times \(0\/10, 5\/0\)/.test(f.message)), 'still reported as a duplicate');
  const { d } = await run('samehost.test');
  assert.deepEqual(targetsFor(ordered.candidates, d.hosts).map((t) => `${t.candidate.target}:${t.candidate.port}@${t.address}`).sort(), ['h1.samehost.test:5222@127.0.0.1', 'h2.samehost.test:5222@127.0.0.2'], 'one endpoint is probed once');
});

test('a byte-identical duplicate counts once in the ordering, and is still reported', async () => {
  const { ordered, findings } = await run('twice.test');
  assert.deepEqual(ordered.candidates.map((c) => [c.target, c.share]), [
    ['h1.twice.test', 0.5],
    ['h2.twice.test', 0.5],
  ]);
  assert.ok(findings.some((f) => f.code === 'SRV_DUPLICATE'));
});

test('the service status counts a record that shares its endpoint with another as up when that endpoint works', async () => {
  const { d, ordered } = await run('samehost.test');
  const probes = targetsFor(ordered.candidates, d.hosts).map((t) => ({ candidateId: t.candidate.id, service: 'c2s', address: t.address, outcome: 'ok', verdict: null }) as unknown as CheckedProbe);
  const st = serviceStatus({ ...ordered, probes, posh: null, publish: { posh: null, poshUrl: '', tlsa: [] }, quic: null } as never, { probed: true });
  assert.equal(st.state, 'ok', st.summary);
  assert.equal(st.targetsUp, 3);
  assert.equal(st.addressesTotal, 2);
});
