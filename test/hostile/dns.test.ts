/** Hostile DNS, through the real binary: truncation, wrong IDs, pointer loops, TCP that hangs, drips or sends garbage, CNAME loops, huge answers. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTILE, INJECTED, LONG_DOMAIN, MANY_A, MANY_SRV, startHostileLab, type HostileLab } from '../../fixtures/hostile/lab.js';
import type { Report } from '../../src/report/model.js';
import { runMeasured } from '../helpers/measured.js';
import { assertHostile } from './expect.js';

const D = HOSTILE.dns;
let lab: HostileLab;
const base = (dnssec = 'off'): string[] => [...lab.args, '--dnssec', dnssec, '--no-web', '--c2s', '--timeout', '1000'];

describe('hostile DNS', { concurrency: 4 }, () => {
  before(async () => {
    lab = await startHostileLab();
  });
  after(() => lab.close());

  const cases: { name: string; domain: string; args?: string[]; exit: number | number[]; maxMs?: number; json?: boolean }[] = [
    { name: 'a UDP answer cut short', domain: D.trunc, args: ['--dns-only'], exit: 1 },
    { name: 'forty wrong IDs before the right answer', domain: D.wrongIdThenRight, args: ['--dns-only'], exit: 0 },
    { name: 'only wrong IDs (the resolver never answered: unknown)', domain: D.wrongIdOnly, args: ['--dns-only'], exit: 3 },
    { name: 'a compression-pointer loop', domain: D.pointerLoop, args: ['--dns-only'], exit: 1 },
    { name: 'TC, and a TCP side that hangs', domain: D.tcHang, args: ['--dns-only'], exit: 1 },
    { name: 'TC, and garbage over TCP', domain: D.tcGarbage, args: ['--dns-only'], exit: 1 },
    { name: 'TC over TCP too', domain: D.tcForever, args: ['--dns-only'], exit: 1 },
    { name: 'TC, and a TCP answer that drips', domain: D.drip, args: ['--dns-only'], exit: 1 },
    { name: 'CNAME loops and a 40-long chain for SRV targets', domain: D.cnameLoop, args: ['--dns-only'], exit: 2 },
    { name: '1,500 A records for one target (table)', domain: D.manyA, args: ['--dns-only'], exit: [0, 1, 2], maxMs: 15_000 },
    { name: '1,500 A records for one target (probed)', domain: D.manyA, exit: [1, 2], maxMs: 30_000 },
    { name: '2,400 SRV records in one TCP answer', domain: D.manySrv, exit: [1, 2], maxMs: 40_000 },
    { name: '2,400 SRV records in one TCP answer (JSON)', domain: D.manySrv, args: ['--json'], exit: [1, 2], maxMs: 40_000, json: true },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runMeasured([...base(), ...(c.args ?? []), c.domain]);
      assertHostile(r, { exit: c.exit, maxMs: c.maxMs ?? 12_000, json: c.json }, c.name);
    });
  }

  const findings = (r: { stdout: string }): Report['findings'] => (JSON.parse(r.stdout) as Report).findings;

  it('a truncated answer over TCP is a failed query, not "no records"', async () => {
    const r = await runMeasured([...base(), '--dns-only', '--json', D.tcForever]);
    assertHostile(r, { exit: 1, maxMs: 12_000, json: true }, 'TC over TCP');
    const codes = findings(r).map((f) => f.code);
    assert.ok(codes.includes('DNS_QUERY_FAILED'), codes.join());
    assert.ok(!codes.includes('SRV_NONE_FALLBACK'), codes.join());
  });

  it('an EDE text with a newline and C1 controls cannot forge a line (DNSSEC_EDE)', async () => {
    const r = await runMeasured([...base('resolver'), '--dns-only', D.edeNewline]);
    assertHostile(r, { exit: [0, 1, 2], maxMs: 12_000 }, 'EDE');
    assert.match(r.stdout, /DNSSEC_EDE/);
    assert.match(r.stdout, new RegExp(`bad signature\\\\x0a${INJECTED}-EDE`));
    // --verbose lists the DNS queries, with their Extended DNS Errors.
    const v = await runMeasured([...base('resolver'), '--dns-only', '--verbose', D.edeNewline]);
    assertHostile(v, { exit: [0, 1, 2], maxMs: 12_000 }, 'EDE --verbose');
  });

  it('--authoritative: SRV targets with a newline from name servers cannot forge a line (DNS_AUTH_DISAGREE); name servers at fe80::1 and 255.255.255.255 are unreachable, not a crash', async () => {
    const r = await runMeasured([...base(), '--dns-only', '--authoritative', D.authoritative]);
    assertHostile(r, { exit: 1, maxMs: 12_000 }, '--authoritative');
    assert.match(r.stdout, /DNS_AUTH_DISAGREE/);
    assert.match(r.stdout, new RegExp(`a\\\\x0a${INJECTED}-AUTH`, "i"));
    const j = await runMeasured([...base(), '--dns-only', '--authoritative', '--json', D.authoritative]);
    assertHostile(j, { exit: 1, maxMs: 12_000, json: true }, '--authoritative --json');
    const report = JSON.parse(j.stdout) as Report;
    const servers = report.authoritative!.servers;
    assert.deepEqual(servers.map((s) => s.address).sort(), ['127.0.0.54', '127.0.0.55', '255.255.255.255', 'fe80::1']);
    for (const s of servers.filter((x) => !x.address.startsWith('127.'))) assert.match(s.error ?? '', /not a unicast address|link-local|broadcast/, `${s.address}: ${s.error}`);
    const unreachable = report.findings.filter((f) => f.code === 'DNS_AUTH_UNREACHABLE').map((f) => f.subject);
    assert.equal(unreachable.length, 2, unreachable.join());
  });

  it('SRV targets with ESC, newline, NUL, C1, bidi and DEL are invalid host names: an error, not probed, escaped in JSON', async () => {
    const r = await runMeasured([...base(), D.controlTargets]);
    assertHostile(r, { exit: 2, maxMs: 15_000 }, 'control targets');
    assert.match(r.stdout, /SRV_TARGET_INVALID_NAME/);
    const j = await runMeasured([...base(), '--json', D.controlTargets]);
    assertHostile(j, { exit: 2, maxMs: 15_000, json: true }, 'control targets --json');
    const report = JSON.parse(j.stdout) as Report;
    assert.equal(report.findings.filter((f) => f.code === 'SRV_TARGET_INVALID_NAME').length, 6);
    assert.deepEqual([...new Set(report.services[0]!.probes.map((p) => p.target))], [`ok.${D.controlTargets}`], 'only the valid target is probed');
    // The raw JSON text carries the targets as \u escapes, so piping it to a terminal is safe.
    for (const esc of ['\\u001b', '\\n', '\\u0000', '\\u009b', '\\u202e', '\\u007f']) assert.ok(j.stdout.includes(esc), `${esc} in the JSON text`);
  });

  it('an SRV target label of 63 bytes that are not UTF-8 is never re-encoded into a longer label', async () => {
    const before = lab.dns.queries.length;
    const r = await runMeasured([...base(), '--dns-only', '--json', D.badUtf8]);
    assertHostile(r, { exit: 2, maxMs: 12_000, json: true }, 'bad UTF-8 target');
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.findings.some((f) => f.code === 'SRV_TARGET_INVALID_NAME'), report.findings.map((f) => f.code).join());
    assert.ok(!report.findings.some((f) => f.code === 'DNS_QUERY_FAILED'), 'no query failed: none was sent');
    const sent = lab.dns.queries.slice(before).filter((q) => q.name.endsWith(D.badUtf8));
    for (const q of sent) for (const label of q.name.split('.')) assert.ok(Buffer.byteLength(label) <= 63, `a label of ${Buffer.byteLength(label)} octets was sent`);
  });

  it('a 253-octet domain: SRV owner names over 255 octets are named, never sent, never blamed on the resolver', async () => {
    const before = lab.dns.queries.length;
    const r = await runMeasured([...base(), '--dns-only', '--json', LONG_DOMAIN]);
    assertHostile(r, { exit: [1, 2], maxMs: 12_000, json: true }, 'long domain');
    const report = JSON.parse(r.stdout) as Report;
    const codes = report.findings.map((f) => f.code);
    assert.ok(!codes.includes('DNS_QUERY_FAILED'), codes.join());
    const tooLong = report.findings.filter((f) => f.code === 'DNS_NAME_TOO_LONG');
    assert.ok(tooLong.length >= 1, codes.join());
    assert.ok(tooLong.some((f) => f.subject.startsWith('_xmpp-client._tcp.') || f.message.includes('_xmpp-client._tcp.')), tooLong.map((f) => f.message).join('\n'));
    const sent = lab.dns.queries.slice(before).filter((q) => q.name.endsWith(LONG_DOMAIN));
    assert.ok(sent.some((q) => q.name === LONG_DOMAIN), 'the domain itself is asked');
    assert.ok(sent.every((q) => q.name === LONG_DOMAIN), `only the domain itself: ${sent.map((q) => q.name.slice(0, 30)).join(', ')}`);
  });

  it('1,500 addresses: the table shows the first few and "… and N more"; the JSON has them all', async () => {
    const r = await runMeasured([...base(), '--dns-only', D.manyA]);
    assertHostile(r, { exit: [0, 1, 2], maxMs: 15_000 }, 'many addresses table');
    assert.match(r.stdout, /… and\s+14\d\d\s+more/);
    assert.ok(r.stdout.length < 50_000, `table of ${r.stdout.length} characters`);
    const j = await runMeasured([...base(), '--dns-only', '--json', D.manyA]);
    const report = JSON.parse(j.stdout) as Report;
    assert.equal(report.hosts[`big.${D.manyA}`]!.a.addresses.length, MANY_A);
  });

  it('2,400 SRV records: a capped number of targets and probes, with a finding that says how many were skipped', async () => {
    const r = await runMeasured([...base(), '--json', D.manySrv]);
    assertHostile(r, { exit: [1, 2], maxMs: 40_000, json: true }, 'many SRV');
    const report = JSON.parse(r.stdout) as Report;
    const s = report.services[0]!;
    assert.equal(s.srv.xmpp.records.length, MANY_SRV, 'every record in the JSON');
    assert.ok(s.candidates.length <= 64, `${s.candidates.length} candidates`);
    assert.ok(s.probes.length <= 32, `${s.probes.length} probes`);
    assert.ok(report.dns.queries.length < 200, `${report.dns.queries.length} DNS queries`);
    const capped = report.findings.find((f) => f.code === 'PROBE_CAPPED');
    assert.ok(capped, report.findings.map((f) => f.code).join());
    assert.match(capped.message, /2336 of 2400 SRV records/);
  });

  it('the worst a zone can do within the caps (64 records per service, every target silent, every DNS answer late) still ends within a small multiple of --timeout', async () => {
    const r = await runMeasured([...lab.args, '--dnssec', 'off', '--timeout', '1000', '--json', D.slow]);
    assertHostile(r, { exit: 2, maxMs: 20_000, json: true }, 'slow');
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(report.services.map((s) => s.probes.length), [32, 32]);
    assert.ok(report.durationMs < 10 * 1000, `${report.durationMs} ms for --timeout 1000`);
  });

  it('2,400 QUIC SRV records: a capped number of QUIC endpoints and probes, with a finding that says how many were skipped', async () => {
    const r = await runMeasured([...base(), '--json', D.manyQuic]);
    assertHostile(r, { exit: [1, 2], maxMs: 20_000, json: true }, 'many QUIC SRV');
    const report = JSON.parse(r.stdout) as Report;
    const q = report.services[0]!.quic!;
    assert.ok(q.candidates.length <= 8, `${q.candidates.length} QUIC candidates`);
    assert.ok(q.probes.length <= 16, `${q.probes.length} QUIC probes`);
    assert.ok(report.dns.queries.length < 200, `${report.dns.queries.length} DNS queries`);
    const capped = report.findings.find((f) => f.code === 'PROBE_CAPPED' && /QUIC/.test(f.message));
    assert.ok(capped, report.findings.map((f) => f.code).join());
    assert.match(capped.message, /2392 of 2400 QUIC endpoints/);
  });

  it('--authoritative with 300 name servers: a bounded number of them is looked up and asked', async () => {
    const r = await runMeasured([...base(), '--dns-only', '--authoritative', '--json', D.manyNs]);
    assertHostile(r, { exit: [0, 1, 2], maxMs: 15_000, json: true }, 'many NS');
    const report = JSON.parse(r.stdout) as Report;
    assert.ok(report.authoritative!.servers.length <= 6, `${report.authoritative!.servers.length} servers asked`);
    assert.ok(report.dns.queries.length < 60, `${report.dns.queries.length} DNS queries`);
  });
});
