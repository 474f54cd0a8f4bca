/**
 * End to end, issue 14: discovery and input edge cases through the real CLI
 * binary against the offline lab (and small fixture resolvers of their own),
 * each asserted on the JSON (valid against the schema), the table or stderr,
 * and the exit code.
 */
import { test, after, before } from 'node:test';
import tls from 'node:tls';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../../fixtures/lab/lab.js';
import { runCli } from '../helpers/cli.js';
import { labJson } from '../helpers/lab-json.js';
import { schemaErrors } from '../helpers/schema.js';
import { startDnsServer } from '../../fixtures/lab/dns-server.js';
import type { Packet } from 'dns-packet';
import type { Report } from '../../src/report/model.js';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

const json = (domain: string, ...args: string[]): ReturnType<typeof labJson> => labJson(lab.args, domain, ...args);

test('only _xmpps- records: a warning that says clients without XEP-0368 fall back to the domain on 5222, and that it works', async () => {
  const { code, report } = await json('xmpps-only.lab.test', '--c2s');
  const s = report.services[0]!;
  assert.equal(s.mode, 'srv');
  assert.equal(s.legacyFallback?.target, 'xmpps-only.lab.test');
  assert.equal(s.legacyFallback?.port, 5222);
  assert.deepEqual(s.candidates.map((c) => c.mode), ['directtls'], 'the fallback is not part of the RFC 2782 set');
  const fb = s.probes.filter((p) => p.candidateId === s.legacyFallback!.id);
  assert.equal(fb.length, 1, 'the fallback is probed');
  assert.equal(fb[0]!.outcome, 'ok');
  const f = report.findings.filter((x) => x.code === 'SRV_XMPPS_ONLY');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /no _xmpp-client\._tcp\.xmpps-only\.lab\.test records/);
  assert.match(f[0]!.message, /That fallback works \(127\.\d+\.\d+\.\d+: ok: STARTTLS required/);
  assert.equal(code, 1);
  const t = await runCli([...lab.args, '--c2s', 'xmpps-only.lab.test']);
  assert.match(t.stdout, /clients without XEP-0368\s+fall\s+back\s+to\s+xmpps-only\.lab\.test:5222/);
});

test('only _xmpps- records and nothing on the fallback: the warning says those clients cannot connect; the service itself stays fine', async () => {
  const { code, report } = await json('xmpps-only-dead.lab.test', '--c2s');
  const f = report.findings.find((x) => x.code === 'SRV_XMPPS_ONLY');
  assert.ok(f, report.findings.map((x) => x.code).join(', '));
  assert.match(f.message, /does not work \(127\.\d+\.\d+\.\d+: refused\): those clients cannot connect/);
  const codes: string[] = report.findings.map((x) => x.code);
  for (const no of ['PROBE_REFUSED', 'PROBE_SERVICE_DOWN', 'PROBE_SERVICE_DEGRADED']) assert.ok(!codes.includes(no), `${no} must not blame the direct-TLS service: ${codes.join(', ')}`);
  const st = report.services[0]!.status;
  assert.equal(st.state, 'ok', st.summary);
  assert.equal(st.addressesTotal, 1, 'the fallback is no address of the service itself');
  assert.equal(code, 1);
});

test('only _xmpps- records with --dns-only: the warning, without a probe', async () => {
  const { report } = await json('xmpps-only.lab.test', '--c2s', '--dns-only');
  const f = report.findings.find((x) => x.code === 'SRV_XMPPS_ONLY');
  assert.match(f?.message ?? '', /Not probed \(DNS only\)/);
});

test('a service with nothing to try is an error that says why: -6 where the target has only IPv4', async () => {
  const { code, report } = await json('valid-chain.cert.lab.test', '--c2s', '-6');
  assert.equal(report.services[0]!.probes.length, 0);
  const f = report.findings.find((x) => x.code === 'PROBE_NOTHING_TO_TRY');
  assert.ok(f, report.findings.map((x) => x.code).join(', '));
  assert.equal(f.severity, 'error');
  assert.match(f.message, /xmpp\.valid-chain\.cert\.lab\.test:\d+ has only IPv4 addresses, and only IPv6 was asked for \(-6\)/);
  assert.equal(code, 2);
});

test('a service with nothing to try: every target failed to resolve', async () => {
  const { code, report } = await json('unresolved.lab.test', '--c2s');
  const f = report.findings.find((x) => x.code === 'PROBE_NOTHING_TO_TRY');
  assert.match(f?.message ?? '', /t\.unresolved\.lab\.test:\d+: the address lookups failed \(A SERVFAIL, AAAA SERVFAIL\)/);
  assert.equal(code, 2);
});

test('a domain that does not exist: mode unavailable, one clear finding, no POSH or host-meta fetch', async () => {
  const { code, report } = await json('missing.lab.test');
  assert.deepEqual(report.services.map((s) => [s.service, s.mode, s.candidates.length]), [
    ['c2s', 'unavailable', 0],
    ['s2s', 'unavailable', 0],
  ]);
  assert.deepEqual(report.findings.map((f) => f.code), ['DNS_DOMAIN_NXDOMAIN']);
  assert.equal(report.web, null, 'no host-meta fetch');
  assert.ok(report.services.every((s) => s.status.summary === 'the domain does not exist (NXDOMAIN)'));
  assert.ok(report.services.every((s) => s.posh === null && s.quic === null), 'no POSH fetch, no QUIC probe');
  assert.equal(code, 2);
  const t = await runCli([...lab.args, 'missing.lab.test']);
  assert.match(t.stdout, /client-to-server \(c2s\): the domain does not exist \(NXDOMAIN\)/);
  assert.doesNotMatch(t.stdout, /XEP-0156|host-meta|POSH/);
});

for (const rcode of ['REFUSED', 'FORMERR'] as const) {
  test(`a resolver that answers ${rcode} to everything: "the check could not run", exit 3, one line naming the resolver`, async () => {
    const dns = await startDnsServer({ records: [], answer: (q, query) => ({ type: 'response', id: query.id, flags: 0, questions: [q], rcode } as unknown as Packet) });
    try {
      const r = await runCli(['--resolver', dns.address, '--timeout', '1000', 'good.lab.test']);
      assert.equal(r.code, 3);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, new RegExp(`^xmpp-check: the resolver ${dns.address.replace(/[.[\]]/g, '\\$&')} answered ${rcode} to every query`));
      assert.doesNotMatch(r.stderr, /null/);
      const j = await runCli(['--json', '--resolver', dns.address, '--timeout', '1000', 'good.lab.test']);
      assert.equal(j.code, 3);
      const report = JSON.parse(j.stdout) as Report;
      assert.equal(schemaErrors(report), null);
      assert.equal(report.summary.status, 'unknown');
      assert.match(report.summary.reason ?? '', new RegExp(rcode));
    } finally {
      await dns.close();
    }
  });
}

test('an SRV target that is a CNAME: TLSA at the CNAME-expanded name first (RFC 7671 §7), and the report says which was used', async () => {
  const { report } = await json('cname-dane.secure.test', '--c2s');
  const p = report.services[0]!.probes[0]!;
  assert.equal(p.target, 'alias.cname-dane.secure.test');
  assert.equal(p.dane?.owner, `_${p.port}._tcp.xmpp.cname-dane.secure.test`);
  assert.equal(p.dane?.base, 'cname-expanded');
  assert.deepEqual(p.dane?.tried, [`_${p.port}._tcp.xmpp.cname-dane.secure.test`, `_${p.port}._tcp.alias.cname-dane.secure.test`]);
  assert.equal(p.dane?.outcome, 'pass');
  assert.equal(p.verdict?.by, 'dane');
  const f = report.findings.find((x) => x.code === 'DANE_TLSA_CNAME_BASE');
  assert.match(f?.message ?? '', /alias\.cname-dane\.secure\.test is an alias \(CNAME\); the TLSA records used are those of _\d+\._tcp\.xmpp\.cname-dane\.secure\.test, at the CNAME-expanded name/);
});

test('an SRV target that is a CNAME with TLSA only at the name in the SRV record: that name is used, and said', async () => {
  const { report } = await json('cname-dane-alias.secure.test', '--c2s');
  const p = report.services[0]!.probes[0]!;
  assert.equal(p.dane?.owner, `_${p.port}._tcp.alias.cname-dane-alias.secure.test`);
  assert.equal(p.dane?.base, 'original-name');
  assert.equal(p.verdict?.by, 'dane');
  const f = report.findings.find((x) => x.code === 'DANE_TLSA_CNAME_BASE');
  assert.match(f?.message ?? '', /at the name in the SRV record: _\d+\._tcp\.xmpp\.cname-dane-alias\.secure\.test has no TLSA records/);
});

test('host:port is checked as the domain, and the report says the port is ignored', async () => {
  const { code, report } = await json('good.lab.test:5222', '--dns-only', '--c2s');
  assert.equal(report.input.domain, 'good.lab.test');
  assert.match(report.input.note ?? '', /the port 5222 in "good\.lab\.test:5222" is ignored/);
  assert.equal(code, 0);
  const t = await runCli([...lab.args, '--dns-only', '--c2s', 'good.lab.test:5222']);
  assert.match(t.stdout, /note: the port 5222 in\s+"good\.lab\.test:5222"\s+is\s+ignored/);
});

test('input typos get one line that says what to type, exit 3', async () => {
  for (const [input, want] of [
    ['https://good.lab.test/', /type: xmpp-check good\.lab\.test/],
    ['xmpp://good.lab.test', /type: xmpp-check good\.lab\.test/],
    ['@good.lab.test', /localpart before "@" is empty/],
  ] as const) {
    const r = await runCli([...lab.args, input]);
    assert.equal(r.code, 3, input);
    const [first, usage, ...rest] = r.stderr.trim().split('\n');
    assert.match(first!, want);
    assert.match(usage!, /^Usage: xmpp-check/);
    assert.deepEqual(rest, []);
    assert.equal(r.stdout, '');
  }
});

test('options given twice: a clear usage line, never internal error text', async () => {
  for (const args of [['--resolver', '127.0.0.1:53', '--resolver', '127.0.0.2:53'], ['--from', 'a.example', '--from', 'b.example']]) {
    const r = await runCli([...args, 'good.lab.test']);
    assert.equal(r.code, 3, args.join(' '));
    assert.match(r.stderr, new RegExp(`^xmpp-check: ${args[0]} is given more than once\\nUsage:`));
    assert.doesNotMatch(r.stderr, /internal error|TypeError|ERR_|\n\s+at /);
    assert.equal(r.stdout, '');
  }
});

test('--ca-file and --trust-anchor given several times: every file counts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-ca-'));
  // Another real root (one of Node's), so that only the lab's CA, in the second file, can verify the lab.
  const other = join(dir, 'other.pem');
  writeFileSync(other, tls.rootCertificates[0]!);
  const base = lab.args.filter((a, i, all) => a !== '--ca-file' && all[i - 1] !== '--ca-file');
  const run = async (...extra: string[]): Promise<Report> => {
    const r = await runCli(['--json', '--c2s', '--no-web', '--quic', 'off', ...base, ...extra, 'good.lab.test']);
    assert.equal(r.stderr, '');
    return JSON.parse(r.stdout) as Report;
  };
  const pkix = (rep: Report): boolean[] => rep.services[0]!.probes.map((p) => p.certificate?.pkix.trusted ?? false);
  const only = await run('--ca-file', other);
  assert.ok(pkix(only).length > 0 && pkix(only).every((ok) => !ok), 'without the lab CA no probe is PKIX-authenticated');
  const both = await run('--ca-file', other, '--ca-file', lab.xmpp!.caFile, '--trust-anchor', lab.trustAnchorFile!);
  assert.ok(pkix(both).length > 0 && pkix(both).every((ok) => ok), 'the lab CA from the second file authenticates every probe');
  // The same anchor file twice: its anchors count once each in the answer, and the source names both.
  assert.equal(both.dnssec.anchors.split(lab.trustAnchorFile!).length, 3);
});

test('usage errors of the option parser are one line, without escaped control sequences', async () => {
  const r = await runCli(['--dnssec', 'bogus', 'good.lab.test']);
  assert.equal(r.code, 3);
  assert.doesNotMatch(r.stderr, /\\x[0-9a-f]{2}/);
  const [first, usage, ...rest] = r.stderr.trim().split('\n');
  assert.match(first!, /^xmpp-check: --dnssec takes validate, resolver, off \(got "bogus"\)$/);
  assert.match(usage!, /^Usage:/);
  assert.deepEqual(rest, []);
});

test('XEP-0467 default: nothing published, XMPP over QUIC on the domain\'s own UDP port is found and verified', async () => {
  const { code, report } = await json('quic-default.lab.test', '--c2s');
  const q = report.services[0]!.quic!;
  assert.equal(q.mode, 'default');
  const p = q.probes[0]!;
  assert.equal(p.source, 'default-port');
  assert.equal(p.address, '127.0.0.9');
  assert.equal(p.outcome, 'handshake');
  assert.equal(p.verdict?.by, 'pkix');
  assert.equal(p.migration, 'allowed');
  assert.equal(p.ech, false);
  assert.equal(code, 0);
  const t = await runCli([...lab.args, '--wide', '--c2s', 'quic-default.lab.test']);
  assert.match(t.stdout, /QUIC c2s[^]*quic-default\.lab\.test:\d+[^]*XEP-0467\s+default/);
  assert.match(t.stdout, /no\s+ECH,\s+migration\s+allowed/);
});

test('XEP-0467 default where nothing answers: one info fact, never a warning, exit 0; --quic=off skips it', async () => {
  const { code, report } = await json('web.lab.test', '--c2s');
  const q = report.services[0]!.quic!;
  assert.equal(q.mode, 'default');
  assert.equal(q.probes[0]?.outcome, 'no-answer');
  const f = report.findings.filter((x) => x.code.startsWith('QUIC_'));
  assert.deepEqual(f.map((x) => [x.code, x.severity]), [['QUIC_DEFAULT_NONE', 'info']]);
  assert.equal(code, 0);
  const t = await runCli([...lab.args, '--wide', '--c2s', 'web.lab.test']);
  assert.match(t.stdout, /QUIC\s+c2s:\s+no\s+XMPP\s+over\s+QUIC\s+on\s+UDP\s+\d+\s+\(XEP-0467's\s+default\)/);
  const off = await json('web.lab.test', '--c2s', '--quic', 'off');
  assert.equal(off.report.services[0]!.quic?.mode, 'off');
  assert.ok(!off.report.findings.some((x) => x.code.startsWith('QUIC_')));
});

test('QUIC: ECH offered and migration disabled are reported; _xmppq SRV records are labelled as xmpp-proxy\'s convention', async () => {
  const { code, report } = await json('quic-nomigrate.lab.test', '--c2s');
  const p = report.services[0]!.quic!.probes[0]!;
  assert.equal(p.ech, true);
  assert.equal(p.migration, 'disabled');
  const f = report.findings.find((x) => x.code === 'QUIC_MIGRATION_DISABLED');
  assert.equal(f?.severity, 'warning');
  assert.equal(code, 1);
  const t = await runCli([...lab.args, '--wide', '--c2s', 'quic-nomigrate.lab.test']);
  assert.match(t.stdout, /ECH\s+offered,\s+migration\s+disabled/);
  assert.match(t.stdout, /_xmppq SRV\s+\(xmpp-proxy\)/);
});

test('--deadline: a check that has not finished by then is unknown (exit 3), says so, and the process ends, in every format and per domain of a batch', async () => {
  // The silent server never sends a stream header: with --timeout 6000 the probe alone would wait 6 s.
  const slow = ['--c2s', '--timeout', '6000', '--deadline', '700', 'silent.probe.lab.test'];
  const t0 = performance.now();
  const table = await runCli([...lab.args, ...slow]);
  const tableMs = performance.now() - t0;
  assert.equal(table.code, 3);
  assert.equal(table.stdout, '');
  assert.match(table.stderr, /^xmpp-check: the check did not finish within 700 ms \(--deadline\)/);
  assert.ok(tableMs < 5000, `ended after ${Math.round(tableMs)} ms, not when the 6 s step timed out`);
  const { code, report } = await json(slow[slow.length - 1]!, ...slow.slice(0, -1));
  assert.equal(code, 3);
  assert.equal(report.summary.status, 'unknown');
  assert.match(report.summary.reason ?? '', /did not finish within 700 ms/);
  assert.equal(report.input.domain, 'silent.probe.lab.test');
  const nagios = await runCli([...lab.args, ...slow, '--format', 'nagios']);
  assert.equal(nagios.code, 3);
  assert.match(nagios.stdout, /^XMPP UNKNOWN/);
  // A deadline the check meets changes nothing.
  const met = await runCli(['--json', ...lab.args, '--c2s', '--deadline', '30000', 'good.lab.test']);
  assert.equal(met.code, 0);
  // A batch: the slow domain is unknown, the others are checked as usual; the exit code is the worst.
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-deadline-'));
  const list = join(dir, 'domains.txt');
  writeFileSync(list, 'good.lab.test\nsilent.probe.lab.test\n');
  const batch = await runCli(['--json', ...lab.args, '--c2s', '--timeout', '3000', '--deadline', '1500', '--domains-file', list]);
  const lines = batch.stdout.trim().split('\n').map((l) => JSON.parse(l) as Report);
  assert.deepEqual(lines.map((r) => `${r.input.domain} ${r.summary.status}`).sort(), ['good.lab.test ok', 'silent.probe.lab.test unknown']);
  assert.equal(batch.code, 3);
});
