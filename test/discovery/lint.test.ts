/**
 * Record lint: every finding of the discovery stage, each from real DNS
 * answers of the fixture server, through the real discovery code.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { DnsClient } from '../../src/dns/client.js';
import { discover } from '../../src/discovery/discover.js';
import { lintDiscovery, type WorkingTargets } from '../../src/discovery/lint.js';
import type { Finding } from '../../src/core/finding.js';
import { startDnsServer, type RunningDnsServer } from '../../fixtures/lab/dns-server.js';
import { LAB_MISBEHAVIOUR, labRecords } from '../../fixtures/lab/zone.js';

const srv = (name: string, priority: number, weight: number, port: number, target: string): Answer =>
  ({ name, type: 'SRV', ttl: 300, data: { priority, weight, port, target } }) as Answer;
const a = (name: string, ip: string): Answer => ({ name, type: 'A', ttl: 300, data: ip }) as Answer;

// Names under a public-looking suffix, served only by the loopback fixture: the
// address lint applies to public names, not to special-use ones like .test.
const extra: Answer[] = [
  srv('_xmpp-client._tcp.pub.example-isp.net', 0, 0, 5222, 'lo.pub.example-isp.net'),
  srv('_xmpp-client._tcp.pub.example-isp.net', 0, 0, 5222, 'lan.pub.example-isp.net'),
  a('lo.pub.example-isp.net', '127.0.0.1'),
  a('lan.pub.example-isp.net', '192.168.1.10'),
  srv('_xmpp-client._tcp.owneralias.example-isp.net', 0, 0, 5222, 'x.owneralias.example-isp.net'),
  { name: '_xmpp-client._tcp.alias.example-isp.net', type: 'CNAME', ttl: 300, data: '_xmpp-client._tcp.owneralias.example-isp.net' } as Answer,
  a('x.owneralias.example-isp.net', '192.0.2.1'),
  a('alias.example-isp.net', '192.0.2.1'),
  srv('_xmpp-client._tcp.ok.example-isp.net', 0, 1, 5222, 'xmpp.ok.example-isp.net'),
  srv('_xmpps-client._tcp.ok.example-isp.net', 0, 1, 5223, 'xmpp.ok.example-isp.net'),
  // A global address, so that the address lint has nothing to say; lint never connects to it.
  a('xmpp.ok.example-isp.net', '2.0.0.1'),
  srv('_xmpp-client._tcp.dotmix.example-isp.net', 0, 0, 0, '.'),
  srv('_xmpp-client._tcp.dotmix.example-isp.net', 0, 0, 5222, 'x.owneralias.example-isp.net'),
  srv('_jabber._tcp.legacy.example-isp.net', 0, 0, 5222, 'x.owneralias.example-isp.net'),
  srv('_xmpp-client._tcp.legacy.example-isp.net', 0, 0, 5222, 'x.owneralias.example-isp.net'),
];

let server: RunningDnsServer;
before(async () => {
  server = await startDnsServer({ records: [...labRecords(), ...extra], misbehave: { ...LAB_MISBEHAVIOUR, 'slow.example-isp.net': 'drop', '_xmpp-client._tcp.slow.example-isp.net': 'drop' } });
});
after(() => server.close());

async function lint(domain: string, services: ('c2s' | 's2s')[] = ['c2s', 's2s'], working?: WorkingTargets): Promise<Finding[]> {
  const dns = new DnsClient({ server: { host: server.host, port: server.port }, timeoutMs: 300, attempts: 1 });
  return lintDiscovery(await discover(dns, domain, { services }), working);
}
const severityOf = (fs: Finding[], code: string): string[] => fs.filter((f) => f.code === code).map((f) => f.severity);
const codes = (fs: Finding[]): string[] => [...new Set(fs.map((f) => f.code))].sort();

test('a healthy domain has no findings', async () => {
  assert.deepEqual(await lint('ok.example-isp.net', ['c2s']), []);
});

test('no SRV at all: fallback advice (info) per service', async () => {
  const fs = await lint('fallback.lab.test');
  assert.deepEqual(codes(fs), ['SRV_NONE_FALLBACK']);
  assert.equal(fs.length, 2);
  assert.deepEqual(fs.map((f) => f.service).sort(), ['c2s', 's2s']);
  assert.deepEqual(fs.map((f) => f.severity), ['info', 'info']);
});

test('"." target alone: the service is unavailable, and no fallback', async () => {
  const fs = await lint('dot.lab.test');
  assert.deepEqual(codes(fs), ['SRV_SERVICE_UNAVAILABLE']);
});

test('"." at _xmpps- only: no direct TLS, STARTTLS records still count', async () => {
  const fs = await lint('nodirect.lab.test');
  assert.deepEqual(codes(fs), ['SRV_NO_SERVICE']);
  assert.match(fs[0]!.message, /direct TLS is decidedly not offered/);
});

test('"." next to other records', async () => {
  assert.ok(codes(await lint('dotmix.example-isp.net', ['c2s'])).includes('SRV_DOT_MIXED'));
});

test('CNAME target', async () => {
  const fs = await lint('cname.lab.test');
  const f = fs.find((x) => x.code === 'SRV_TARGET_CNAME');
  assert.ok(f);
  assert.equal(f.subject, 'alias.cname.lab.test');
  assert.match(f.fix, /real\.cname\.lab\.test/);
  assert.equal(fs.filter((x) => x.code === 'SRV_TARGET_CNAME').length, 1, 'the s2s target is not an alias');
  assert.equal(f.severity, 'warning', 'RFC 2782 forbids it, but most clients follow it');
});

test('CNAME at the SRV owner', async () => {
  assert.ok(codes(await lint('alias.example-isp.net', ['c2s'])).includes('SRV_OWNER_CNAME'));
});

test('targets without addresses: NXDOMAIN and NODATA told apart', async () => {
  const fs = await lint('noaddr.lab.test', ['c2s']);
  assert.equal(fs.find((f) => f.code === 'SRV_TARGET_NXDOMAIN')?.subject, 'gone.noaddr.lab.test');
  assert.equal(fs.find((f) => f.code === 'SRV_TARGET_NO_ADDRESS')?.subject, 'empty.noaddr.lab.test');
  assert.ok(!fs.some((f) => f.subject === 'ok.noaddr.lab.test'));
});

test('a target without an address: a warning when another target of the service can work, an error when none can', async () => {
  // DNS only: ok.noaddr.lab.test has an address, so the broken targets are backups.
  const dnsOnly = await lint('noaddr.lab.test', ['c2s']);
  assert.deepEqual([...severityOf(dnsOnly, 'SRV_TARGET_NXDOMAIN'), ...severityOf(dnsOnly, 'SRV_TARGET_NO_ADDRESS')], ['warning', 'warning']);
  // Probed: the target with an address works → warnings; it does not → errors (nothing works).
  const works = await lint('noaddr.lab.test', ['c2s'], { c2s: ['ok.noaddr.lab.test:5222'] });
  assert.deepEqual([...severityOf(works, 'SRV_TARGET_NXDOMAIN'), ...severityOf(works, 'SRV_TARGET_NO_ADDRESS')], ['warning', 'warning']);
  const dead = await lint('noaddr.lab.test', ['c2s'], { c2s: [] });
  assert.deepEqual([...severityOf(dead, 'SRV_TARGET_NXDOMAIN'), ...severityOf(dead, 'SRV_TARGET_NO_ADDRESS')], ['error', 'error']);
  // The only target has no address.
  assert.deepEqual(severityOf(await lint('noaddr-only.lab.test', ['c2s']), 'SRV_TARGET_NO_ADDRESS'), ['error']);
  // The fallback to a domain without addresses: nothing else to try.
  assert.deepEqual(severityOf(await lint('noaddr.lab.test', ['s2s']), 'SRV_TARGET_NO_ADDRESS'), ['error']);
});

test('every record-level mistake in one zone', async () => {
  const fs = await lint('messy.lab.test');
  for (const code of ['SRV_PORT_ZERO', 'SRV_DUPLICATE', 'SRV_BOTH_MODES_SAME_PORT', 'SRV_XMPPS_ON_STARTTLS_PORT', 'SRV_XMPP_ON_TLS_PORT', 'SRV_WEIGHT_ZERO_MIXED', 'SRV_TARGET_IP_LITERAL', 'SRV_TARGET_LOCALHOST']) {
    assert.ok(fs.some((f) => f.code === code), `missing ${code}`);
  }
  assert.equal(fs.find((f) => f.code === 'SRV_BOTH_MODES_SAME_PORT')!.subject, 'xmpp.messy.lab.test:5222');
  assert.equal(fs.filter((f) => f.code === 'SRV_WEIGHT_ZERO_MIXED').length, 1, 'only the priority-0 record of weight 0 sits beside weighted ones');
  // c2s keeps usable records, so its port-0 record is a backup (warning); s2s has only an IP literal and localhost: errors.
  assert.deepEqual(severityOf(fs, 'SRV_PORT_ZERO'), ['warning']);
  assert.deepEqual(severityOf(fs, 'SRV_TARGET_IP_LITERAL'), ['error']);
  assert.deepEqual(severityOf(fs, 'SRV_TARGET_LOCALHOST'), ['error']);
  assert.deepEqual(severityOf(fs, 'SRV_BOTH_MODES_SAME_PORT'), ['warning'], 'one of the two records works');
});

test('no _xmpps- records: info that direct TLS is not offered', async () => {
  const fs = await lint('cname.lab.test');
  assert.equal(fs.filter((f) => f.code === 'SRV_NO_DIRECT_TLS').length, 2);
  assert.ok(fs.every((f) => f.code !== 'SRV_NO_DIRECT_TLS' || f.severity === 'info'));
});

test('loopback and private addresses of a public name', async () => {
  const fs = await lint('pub.example-isp.net', ['c2s']);
  assert.equal(fs.find((f) => f.code === 'ADDR_LOOPBACK')?.subject, 'lo.pub.example-isp.net 127.0.0.1');
  assert.equal(fs.find((f) => f.code === 'ADDR_PRIVATE')?.subject, 'lan.pub.example-isp.net 192.168.1.10');
});

test('the same loopback addresses under a special-use name (.test) are not flagged', async () => {
  const fs = await lint('nodirect.lab.test');
  assert.ok(!fs.some((f) => f.code === 'ADDR_LOOPBACK'));
});

test('legacy _jabber._tcp is reported', async () => {
  assert.ok(codes(await lint('legacy.example-isp.net', ['c2s'])).includes('SRV_LEGACY_JABBER'));
});

test('NXDOMAIN for the domain itself: one finding, nothing else', async () => {
  const fs = await lint('missing.lab.test');
  assert.deepEqual(fs.map((f) => f.code), ['DNS_DOMAIN_NXDOMAIN']);
});

test('SERVFAIL says DNSSEC is a common cause', async () => {
  const fs = await lint('servfail.lab.test');
  const f = fs.find((x) => x.code === 'DNS_SERVFAIL');
  assert.ok(f);
  assert.match(f.message + f.fix, /DNSSEC/);
});

test('a lookup that times out is a finding, not a crash', async () => {
  const fs = await lint('slow.example-isp.net', ['c2s']);
  assert.ok(fs.some((f) => f.code === 'DNS_QUERY_FAILED'));
});
