/**
 * End to end: the built CLI binary against the offline lab on loopback. Checks
 * the table, the JSON (valid against the shipped schema) and the exit codes.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../../fixtures/lab/lab.js';
import { runCli } from '../helpers/cli.js';
import { labJson } from '../helpers/lab-json.js';
import { schemaErrors } from '../helpers/schema.js';
import type { Report } from '../../src/report/model.js';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

const json = (domain: string, ...args: string[]): ReturnType<typeof labJson> => labJson(lab.args, domain, ...args);

test('every lab scenario: schema-valid JSON, exactly the expected warnings and errors, the expected info, and its exit code', async () => {
  for (const s of lab.scenarios) {
    const { code, report } = await json(s.domain, ...(s.dnsOnly ? ['--dns-only'] : []), ...(s.c2sOnly ? ['--c2s'] : []), ...(s.args ?? []));
    const serious = [...new Set(report.findings.filter((f) => f.severity !== 'info').map((f) => f.code))].sort();
    assert.deepEqual(serious, [...new Set(s.expect)].sort(), `${s.domain}: warnings and errors`);
    assert.equal(s.expect.length, new Set(s.expect).size, `${s.domain}: each code once in the expectation`);
    const infos = new Set(report.findings.filter((f) => f.severity === 'info').map((f) => f.code));
    for (const want of s.info ?? []) assert.ok(infos.has(want), `${s.domain}: expected info ${want}, got ${[...infos].join(', ')}`);
    assert.equal(code, s.exit, `${s.domain}: exit code`);
    assert.equal(report.summary.exitCode, s.exit, `${s.domain}: summary.exitCode`);
  }
});

test('the healthy domain: both families in one set, shares, addresses, exit 0', async () => {
  const { code, report } = await json('good.lab.test', '--seed', '7');
  assert.equal(code, 0);
  const c2s = report.services.find((s) => s.service === 'c2s')!;
  assert.equal(c2s.mode, 'srv');
  assert.deepEqual(
    c2s.candidates.map((c) => [c.target, c.mode, c.group]),
    [
      ['xmpp1.good.lab.test', 'starttls', 1],
      ['xmpp1.good.lab.test', 'directtls', 1],
      ['xmpp2.good.lab.test', 'starttls', 1],
      ['backup.good.lab.test', 'starttls', 2],
    ],
  );
  const group1 = c2s.candidates.filter((c) => c.group === 1).reduce((s, c) => s + c.share, 0);
  assert.ok(Math.abs(group1 - 1) < 1e-9);
  assert.equal(c2s.draw!.seed, 7);
  assert.equal(c2s.draw!.order.length, 4);
  assert.equal(c2s.draw!.order[3], c2s.candidates[3]!.id, 'the priority-10 record always comes last');
  assert.deepEqual(report.hosts['xmpp1.good.lab.test']!.aaaa.addresses, ['::1']);
  // Every query is in the log with its rcode and time.
  assert.ok(report.dns.queries.some((q) => q.name === '_xmpps-client._tcp.good.lab.test' && q.type === 'SRV' && q.rcode === 'NOERROR'));
  assert.ok(report.dns.queries.every((q) => q.timeMs >= 0 && q.flags !== null));
});

test('the same seed gives the same draw', async () => {
  const one = await json('good.lab.test', '--seed', '42');
  const two = await json('good.lab.test', '--seed', '42');
  assert.deepEqual(one.report.services.map((s) => s.draw), two.report.services.map((s) => s.draw));
});

test('a truncated answer is fetched over TCP', async () => {
  const { report } = await json('big.lab.test', '--c2s', '--dns-only');
  const q = report.dns.queries.find((x) => x.name === '_xmpp-client._tcp.big.lab.test');
  assert.equal(q?.transport, 'tcp');
  assert.equal(report.services[0]!.candidates.length, 40);
  assert.deepEqual(report.services.map((s) => s.service), ['c2s']);
});

test('fallback: one candidate, the domain on 5222/5269', async () => {
  const { report } = await json('fallback.lab.test', '--dns-only');
  assert.deepEqual(
    report.services.map((s) => [s.service, s.mode, s.candidates.map((c) => `${c.target}:${c.port}:${c.source}`)]),
    [
      ['c2s', 'fallback', ['fallback.lab.test:5222:fallback']],
      ['s2s', 'fallback', ['fallback.lab.test:5269:fallback']],
    ],
  );
});

test('"." target: no candidates at all, never the A record', async () => {
  const { report } = await json('dot.lab.test', '--dns-only');
  for (const s of report.services) {
    assert.equal(s.mode, 'unavailable');
    assert.equal(s.candidates.length, 0);
  }
});

test('the table shows the services, targets, shares, findings and verdict', async () => {
  const r = await runCli([...lab.args, '--dns-only', '--seed', '3', 'messy.lab.test']);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /client-to-server \(c2s\)/);
  assert.match(r.stdout, /server-to-server \(s2s\)/);
  assert.match(r.stdout, /xmpp\.messy\.lab\.test:5222/);
  assert.match(r.stdout, /47\.6 %/);
  assert.match(r.stdout, /SRV_BOTH_MODES_SAME_PORT/);
  assert.match(r.stdout, /fix: /);
  assert.match(r.stdout, /ERROR — 3 errors, 5 warnings/, 's2s has no usable record (errors); the broken c2s records are backups (warnings)');
  assert.match(r.stdout, /SRV_TARGET_NXDOMAIN \[s2s\]  localhost/, 'localhost is not in DNS');
  assert.match(r.stdout, /one RFC 2782 draw \(--seed 3\)/);
  assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when stdout is not a TTY');
});

test('a JID and an IDN in U-labels are accepted; both forms are shown', async () => {
  const { report } = await json('juliet@bücher.lab.test/balcony', '--dns-only');
  assert.equal(report.input.domain, 'xn--bcher-kva.lab.test');
  assert.equal(report.input.unicode, 'bücher.lab.test');
  assert.equal(report.input.jid, 'juliet@bücher.lab.test/balcony');
  const t = await runCli([...lab.args, '--dns-only', 'bücher.lab.test']);
  assert.match(t.stdout, /bücher\.lab\.test \(xn--bcher-kva\.lab\.test\)/);
  assert.equal(t.code, 0, 'only info findings (no direct TLS)');
});

test('an unreachable resolver: exit 3 and one clear line, within the timeout', async () => {
  const r = await runCli(['--resolver', '127.0.0.1:9', '--timeout', '500', 'good.lab.test']);
  assert.equal(r.code, 3);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /resolver 127\.0\.0\.1:9 did not answer/);
  assert.equal(r.stdout, '');
  const j = await runCli(['--json', '--resolver', '127.0.0.1:9', '--timeout', '500', 'good.lab.test']);
  assert.equal(j.code, 3);
  const report = JSON.parse(j.stdout) as Report;
  assert.equal(schemaErrors(report), null);
  assert.equal(report.summary.status, 'unknown');
});

test('a resolver that swallows queries: exit 3 after the deadline, not a hang', async () => {
  const silent = await import('node:dgram').then((d) => d.createSocket('udp4'));
  await new Promise<void>((res) => silent.bind(0, '127.0.0.1', () => res()));
  try {
    const port = (silent.address() as { port: number }).port;
    const r = await runCli(['--resolver', `127.0.0.1:${port}`, '--timeout', '300', 'good.lab.test'], {}, 20_000);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /did not answer \(timeout/);
  } finally {
    silent.close();
  }
});

test('usage errors: exit 3, the gist of the help on stderr, no stack trace', async () => {
  for (const args of [[], ['--bogus', 'x.example'], ['a..b'], ['--resolver', 'not-an-ip', 'x.example'], ['--seed', 'abc', 'x.example'], ['one.example', 'two.example']]) {
    const r = await runCli(args);
    assert.equal(r.code, 3, `args ${args.join(' ')}`);
    assert.match(r.stderr, /^xmpp-check: .+\nUsage: xmpp-check/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('--help and --version exit 0', async () => {
  const h = await runCli(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /--resolver/);
  assert.match(h.stdout, /Exit codes: 0 OK, 1 warnings, 2 errors, 3 unknown/);
  const v = await runCli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('a hosted tenant proven by POSH exits 0 and says so', async () => {
  const { code, report } = await json('direct.posh.lab.test', '--c2s');
  assert.equal(code, 0);
  const p = report.services[0]!.probes[0]!;
  assert.equal(p.verdict!.authenticated, true);
  assert.equal(p.verdict!.by, 'posh');
  assert.equal(p.verdict!.pkix.status, 'fail');
  assert.ok(!report.findings.some((f) => f.code === 'CERT_NAME_HOSTING_PROVIDER'), 'the PKIX complaint gives way to the POSH proof');
  const t = await runCli([...lab.args, '--c2s', 'direct.posh.lab.test']);
  assert.match(t.stdout, /via POSH/);
});

test('a hosted tenant without POSH or DANE exits 2 and explains the three fixes, with what to publish', async () => {
  const t = await runCli([...lab.args, '--c2s', 'none.posh.lab.test']);
  assert.equal(t.code, 2);
  assert.match(t.stdout, /^c2s  DOWN — 1 of 1 target not authenticated/m);
  assert.match(t.stdout, /✗ none/);
  assert.match(t.stdout, /CERT_NAME_HOSTING_PROVIDER/);
  assert.match(t.stdout, /\(1\)[^]*\(2\)[^]*POSH[^]*\(3\)[^]*DANE/);
  assert.match(t.stdout, /What to publish for c2s/);
  assert.match(t.stdout, /\{ "fingerprints": \[ \{ "sha-256":\s+"[A-Za-z0-9+/]+=*" \} \], "expires": 86400 \}/);
  // A zone-file line too long for 80 columns is continued in parentheses, so it stays valid when pasted.
  assert.match(t.stdout, /IN TLSA 3 1 1 (\(\n\s+[0-9A-F]{64} \)|[0-9A-F]{64})/);
});

test('probes, certificates and verdicts are in the JSON of the healthy domain', async () => {
  const { report } = await json('good.lab.test');
  const probes = report.services.flatMap((s) => s.probes);
  assert.equal(probes.length, 10, 'every target at every address, both services');
  for (const p of probes) {
    assert.equal(p.outcome, 'ok', `${p.id}: ${p.detail}`);
    assert.equal(p.verdict!.by, 'pkix');
    assert.equal(p.certificate!.identity!.by!.type, 'dns');
    assert.equal(p.tls!.sni, 'good.lab.test');
    if (p.mode === 'directtls') assert.equal(p.tls!.alpn, p.service === 'c2s' ? 'xmpp-client' : 'xmpp-server');
  }
  assert.ok(probes.some((p) => p.ipFamily === 6));
  assert.ok(report.dnssec.results.length > 0);
  assert.ok(report.dnssec.results.every((e) => e.status === 'secure'), 'the lab zone is signed and validates from the lab anchor');
});

test('a self-signed leaf without keyCertSign is CERT_SELF_SIGNED, never "chain incomplete — serve fullchain.pem"', async () => {
  for (const d of ['self-signed.cert.lab.test', 'self-signed-no-certsign.cert.lab.test']) {
    const { code, report } = await json(d, '--c2s');
    const serious = report.findings.filter((f) => f.severity !== 'info').map((f) => f.code).sort();
    assert.deepEqual(serious, ['AUTH_NONE', 'CERT_SELF_SIGNED'], d);
    assert.equal(code, 2, d);
    const probe = report.services[0]!.probes[0]!;
    assert.equal(probe.certificate!.pkix!.status, 'self-signed', d);
    assert.ok(!report.findings.some((f) => /fullchain/.test(f.fix)), `${d}: no fullchain advice`);
  }
});

test('certificate names: a trailing-dot DNS-ID does not match; an IA5String XmppAddr is non-conforming and not counted', async () => {
  const cases: [string, string[], RegExp][] = [
    ['trailing-dot.cert.lab.test', ['AUTH_NONE', 'CERT_NAME_MISMATCH'], /"trailing-dot\.cert\.lab\.test\." ends with a dot/],
    ['xmppaddr-ia5.cert.lab.test', ['AUTH_NONE', 'CERT_NAME_MISMATCH', 'CERT_SAN_BAD_ENCODING'], /not conforming, RFC 6120 §13\.7\.1\.4 requires UTF8String\. Some servers accept it \(Prosody\), others ignore it/],
  ];
  for (const [d, want, says] of cases) {
    const { code, report } = await json(d, '--c2s');
    assert.deepEqual(report.findings.filter((f) => f.severity !== 'info').map((f) => f.code).sort(), want, d);
    assert.equal(code, 2, d);
    assert.equal(report.services[0]!.probes[0]!.certificate!.identity!.matched, false, d);
    assert.ok(report.findings.some((f) => says.test(f.message)), `${d}: ${says}`);
  }
});

test('hostile strings in a certificate never reach the terminal raw', async () => {
  const t = await runCli([...lab.args, '--c2s', 'hostile.cert.lab.test']);
  assert.equal(t.code, 0);
  assert.doesNotMatch(t.stdout, /\u001b|\u202e/);
  assert.match(t.stdout, /evil\\x1b\[2J\\x1b\[31mRED\\u\{202e\}LTR/);
  assert.ok(t.stdout.split('\n').every((l) => l.length < 400), 'long names are cut');
});

test('a secure TLSA record matching nothing: NOT authenticated in the JSON, the table and the exit code, though PKIX passes', async () => {
  const { code, report } = await json('dane-stale.secure.test', '--c2s');
  assert.equal(code, 2);
  const v = report.services[0]!.probes[0]!.verdict!;
  assert.deepEqual([v.authenticated, v.by, v.decidedBy, v.pkix.status, v.dane.status], [false, null, 'dane', 'pass', 'fail']);
  assert.match(v.note ?? '', /a PKIX-only client \(no DANE\) would still accept it/);
  assert.ok(!report.findings.some((f) => f.code === 'AUTH_NONE'), 'DANE_TLSA_MISMATCH is the verdict\'s error');
  const t = await runCli([...lab.args, '--wide', '--c2s', 'dane-stale.secure.test']);
  assert.match(t.stdout, /✗ DANE fails \(PKIX ✓\)/);
  assert.match(t.stdout, /not authenticated \(DANE fails: no secure TLSA record matches\)/);
  assert.doesNotMatch(t.stdout, /no PKIX, DANE or POSH proof/, 'PKIX passes: the status line must not say it does not');
});

test('the provider\'s certificate behind a DNSSEC-signed SRV record is a secure delegation: authenticated, with a warning', async () => {
  const { code, report } = await json('hosted.cert.lab.test', '--c2s');
  assert.equal(code, 1);
  const p = report.services[0]!.probes[0]!;
  assert.deepEqual([p.verdict!.authenticated, p.verdict!.by], [true, 'pkix']);
  assert.equal(p.certificate!.identity!.by!.via, 'srvTarget');
  assert.equal(report.dnssec.results.find((e) => e.name === '_xmpp-client._tcp.hosted.cert.lab.test' && e.type === 'SRV')?.status, 'secure');
  // The same certificate for a tenant whose zone is unsigned: not authenticated.
  const none = await json('none.posh.lab.test', '--c2s');
  assert.equal(none.report.dnssec.results.find((e) => e.name === '_xmpp-client._tcp.none.posh.lab.test' && e.type === 'SRV')?.status, 'insecure');
  assert.equal(none.report.services[0]!.probes[0]!.verdict!.authenticated, false);
});

test('one dead target, one without an address, one working: degraded (exit 1); only dead targets: down (exit 2)', async () => {
  const t = await runCli([...lab.args, '--c2s', 'degraded.lab.test']);
  assert.equal(t.code, 1);
  assert.match(t.stdout, /warning\s+PROBE_REFUSED/);
  assert.match(t.stdout, /warning\s+SRV_TARGET_NO_ADDRESS/);
  assert.match(t.stdout, /0 errors, 3 warnings/);
  const d = await runCli([...lab.args, '--c2s', 'dead.lab.test']);
  assert.equal(d.code, 2);
  assert.match(d.stdout, /error\s+PROBE_REFUSED/);
  assert.match(d.stdout, /error\s+PROBE_SERVICE_DOWN/);
});

test('an unsigned TLSA that matches nothing is ignored, never a DANE failure', async () => {
  const { code, report } = await json('unsigned-tlsa.insecure.test', '--c2s');
  assert.equal(code, 0);
  assert.ok(!report.findings.some((f) => f.code === 'DANE_TLSA_MISMATCH'));
  assert.equal(report.services[0]!.probes[0]!.dane!.outcome, 'not-applicable');
});

test('a bogus zone: SERVFAIL from the resolver, and the broken link from our own validation', async () => {
  const { report } = await json('svc.expired.test', '--c2s');
  const bogus = report.findings.find((f) => f.code === 'DNSSEC_BOGUS');
  assert.ok(bogus);
  assert.match(bogus.message, /signature-expired/);
});

test('one root cause, one finding: a bogus zone is one DNSSEC_BOGUS naming what it breaks, not four SERVFAILs', async () => {
  const { report } = await json('svc.expired.test');
  const errors = report.findings.filter((f) => f.severity !== 'info');
  assert.deepEqual(errors.map((f) => f.code), ['DNSSEC_BOGUS'], 'the SERVFAILs are symptoms of the bogus zone');
  const bogus = errors[0]!;
  assert.equal(bogus.subject, 'zone expired.test (expired.test/DNSKEY)');
  assert.deepEqual(
    [...bogus.affected!].sort(),
    ['_xmpp-client._tcp.svc.expired.test SRV', '_xmpp-server._tcp.svc.expired.test SRV', '_xmpps-client._tcp.svc.expired.test SRV', '_xmpps-server._tcp.svc.expired.test SRV'],
  );
  assert.equal(bogus.related!.filter((r) => r.code === 'DNS_SERVFAIL').length, 4, 'the symptoms it absorbed are kept in JSON');
  assert.equal(bogus.service, undefined, 'it breaks both services');
  assert.equal(report.summary.errors, 1);
  // A SERVFAIL that DNSSEC does not explain: one finding for the domain, with its indeterminate DNSSEC status folded in.
  const sf = await json('servfail.lab.test', '--dns-only');
  assert.deepEqual(sf.report.findings.filter((f) => f.severity !== 'info').map((f) => [f.code, f.subject]), [['DNS_SERVFAIL', 'servfail.lab.test']]);
  assert.equal(sf.report.findings[0]!.affected!.length, 4);
  assert.ok(sf.report.findings[0]!.related!.some((r) => r.code === 'DNSSEC_INDETERMINATE'));
});

test('--dnssec=validate and --dnssec=resolver agree on every lab zone (the lab resolver validates)', async () => {
  // A domain in every zone of the signed lab: secure (NSEC and NSEC3), insecure, and each kind of bogus.
  const domains = ['good.lab.test', 'dane-ee.secure.test', 'nsec3.test', 'unsigned-tlsa.insecure.test', 'svc.expired.test', 'badsig.test', 'notyet.test', 'dsmismatch.test', 'nokey.test'];
  const statuses = new Set<string>();
  for (const d of domains) {
    const v = await json(d, '--c2s', '--no-web', '--dns-only', '--dnssec', 'validate');
    const r = await json(d, '--c2s', '--no-web', '--dns-only', '--dnssec', 'resolver');
    for (const e of v.report.dnssec.results) statuses.add(e.status);
    const key = (e: Report['dnssec']['results'][number]): string => `${e.name}/${e.type}`;
    const ours = new Map(v.report.dnssec.results.map((e) => [key(e), e.status]));
    const theirs = new Map(r.report.dnssec.results.map((e) => [key(e), e.status]));
    assert.ok(ours.size > 0, `${d}: no DNSSEC results`);
    let compared = 0;
    for (const [k, status] of ours) {
      if (!theirs.has(k)) continue;
      compared++;
      assert.equal(theirs.get(k), status, `${d} ${k}: validate says ${status}, the resolver's AD bit says ${theirs.get(k)}`);
    }
    assert.ok(compared >= 1 && compared === ours.size, `${d}: both modes judge the same answers (${compared} of ${ours.size})`);
    assert.equal(r.report.dnssec.mode, 'resolver');
    assert.match(r.report.dnssec.caveat ?? '', /only as trustworthy as the path/);
  }
  assert.deepEqual([...statuses].sort(), ['bogus', 'insecure', 'secure']);
});

test('each probe scenario ends with the outcome it was built for', async () => {
  const want: Record<string, string> = {
    'starttls-absent': 'no-starttls',
    'wrong-alpn': 'wrong-alpn',
    'plaintext-on-tls': 'plaintext-on-direct-tls',
    'tls-on-starttls': 'tls-on-starttls-port',
    http: 'http',
    silent: 'silent',
    garbage: 'garbage',
    endless: 'xml-limit',
    'host-unknown': 'stream-error',
    refused: 'refused',
    'starttls-optional': 'ok',
    'direct-no-alpn': 'ok',
  };
  for (const [name, outcome] of Object.entries(want)) {
    const { report } = await json(`${name}.probe.lab.test`, '--c2s', '--timeout', '1500');
    const probes = report.services[0]!.probes;
    assert.equal(probes.length, 1, name);
    assert.equal(probes[0]!.outcome, outcome, `${name}: ${probes[0]!.detail}`);
  }
});

test('--authoritative: a stale resolver answer and an agreeing domain', async () => {
  const stale = await json('stale.lab.test', '--dns-only', '--authoritative');
  assert.equal(stale.report.authoritative!.zone, 'test');
  assert.deepEqual(stale.report.authoritative!.servers.map((s) => [s.name, s.address, s.authoritative]), [['ns.test', '127.0.0.53', true]]);
  const f = stale.report.findings.find((x) => x.code === 'DNS_STALE_ANSWER');
  assert.ok(f);
  assert.equal(f.subject, '_xmpp-client._tcp.stale.lab.test');
  const fresh = await json('nodirect.lab.test', '--dns-only', '--authoritative');
  assert.ok(!fresh.report.findings.some((x) => x.code.startsWith('DNS_STALE') || x.code.startsWith('DNS_AUTH')));
  assert.equal(fresh.report.authoritative!.servers.length, 1);
});

test('per-service status in the JSON: ok, degraded, down, off, unknown, unchecked', async () => {
  const state = async (domain: string, ...args: string[]): Promise<string[]> => (await json(domain, ...args)).report.services.map((s) => `${s.service} ${s.status.state} ${s.status.targetsUp}/${s.status.targetsTotal}`);
  assert.deepEqual(await state('good.lab.test'), ['c2s ok 4/4', 's2s ok 2/2']);
  const good = (await json('good.lab.test')).report.services[0]!.status;
  assert.deepEqual(good.authenticatedBy, ['pkix']);
  assert.equal(good.summary, 'reachable via 4 of 4 targets, authenticated via PKIX');
  assert.deepEqual(await state('broken.lab.test'), ['c2s degraded 1/3', 's2s off 0/0']);
  assert.deepEqual(await state('refused.probe.lab.test', '--c2s'), ['c2s down 0/1']);
  assert.deepEqual(await state('svc.expired.test', '--c2s'), ['c2s unknown 0/0']);
  assert.deepEqual(await state('ipv6.lab.test', '--dns-only'), ['c2s unchecked 0/2', 's2s unchecked 0/1']);
  const t = await runCli([...lab.args, 'broken.lab.test']);
  assert.equal(
    (await json('broken.lab.test')).report.services[0]!.status.summary,
    '2 of 3 targets fail (1 speaks plaintext, not TLS, 1 speaks HTTP); 1 of 2 addresses of the working target refused; reachable via 1 of 3 targets, authenticated via PKIX',
  );
  assert.match(t.stdout, /^c2s  DEGRADED — 2 of 3 targets fail /m);
  assert.match(t.stdout, /^s2s  OFF — the domain says it offers no s2s service/m);
  // The verb agrees with the count of targets it is about.
  const summaries = async (d: string): Promise<string[]> => (await json(d)).report.services.map((s) => s.status.summary);
  assert.deepEqual(await summaries('noaddr.lab.test'), ['3 of 3 targets fail (2 have no address, 1 refused)', '1 of 1 target has no address']);
  assert.equal((await summaries('wrong-alpn.probe.lab.test'))[0], '1 of 1 target refuses the ALPN');
});

test('what to publish: pins for a hosted certificate, "fix the certificate first" for an expired, self-signed or wrongly named one', async () => {
  const hosted = (await json('none.posh.lab.test', '--c2s')).report.services[0]!.publish;
  assert.equal(hosted.advice.decision, 'publish');
  assert.ok(hosted.posh && hosted.tlsa.length === 1);
  for (const d of ['expired.cert.lab.test', 'self-signed.cert.lab.test', 'wrong-name.cert.lab.test']) {
    const { report } = await json(d, '--c2s');
    const p = report.services[0]!.publish;
    assert.equal(p.advice.decision, 'fix-certificate', d);
    assert.equal(p.posh, null, `${d}: no POSH pin`);
    assert.deepEqual(p.tlsa, [], `${d}: no TLSA pin`);
    assert.match(p.advice.reason, /presents a certificate that (expired on|is self-signed|names neither the domain nor the SRV target)/);
    const t = await runCli([...lab.args, '--c2s', d]);
    assert.match(t.stdout, /What to publish for c2s: fix the certificate first/);
    assert.doesNotMatch(t.stdout, /IN TLSA|"fingerprints"/, `${d}: no pin in the table`);
  }
  const good = (await json('good.lab.test')).report.services[0]!.publish.advice;
  assert.equal(good.decision, 'none');
});

test('certificates[]: each distinct certificate once, with days left and where it was presented; DER and PEM only with --include-certs', async () => {
  const { report } = await json('good.lab.test');
  const leaves = report.certificates.filter((c) => c.role === 'leaf');
  assert.equal(leaves.length, 1, 'one certificate on all ten connections');
  const c = leaves[0]!;
  assert.deepEqual(c.names, ['good.lab.test', '*.good.lab.test']);
  assert.ok(c.daysLeft! > 30);
  assert.equal(c.presentedBy.length, 10);
  assert.ok(c.presentedBy.some((w) => w.service === 's2s' && w.address === '::1' && w.transport === 'tcp'));
  assert.equal(c.pem, undefined);
  const plain = (await runCli(['--json', ...lab.args, 'good.lab.test'])).stdout;
  assert.doesNotMatch(plain, /"der":|"pem":|BEGIN CERTIFICATE/);
  const withCerts = await runCli(['--json', '--include-certs', ...lab.args, 'good.lab.test']);
  const full = JSON.parse(withCerts.stdout) as Report;
  assert.equal(schemaErrors(full), null);
  assert.match(full.certificates[0]!.pem!, /^-----BEGIN CERTIFICATE-----/);
  assert.ok(full.services[0]!.probes[0]!.tls!.chain[0]!.der!.length > 100);
  // An intermediate sent by the server is listed too.
  const chain = (await json('valid-chain.cert.lab.test', '--c2s')).report.certificates;
  assert.deepEqual(chain.map((x) => x.role), ['leaf', 'intermediate']);
});

test('--json on an invalid input or command line still prints one JSON object: status unknown, with the reason', async () => {
  for (const [args, reason] of [
    [['--json', 'a..b'], /empty label/],
    [['--json', '--jsno', 'x.example'], /unknown option --jsno; did you mean --json\?/],
    [['--json', '--resolver', '127.0.0.1:53', '--ca-file', '/nonexistent/ca.pem', 'x.example'], /--ca-file: cannot read \/nonexistent\/ca\.pem: there is no such file\. Give a PEM file/],
  ] as [string[], RegExp][]) {
    const r = await runCli(args);
    assert.equal(r.code, 3, args.join(' '));
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(schemaErrors(report), null);
    assert.equal(report.summary.status, 'unknown');
    assert.match(report.summary.reason!, reason);
    assert.match(r.stderr, reason, 'and the one line on stderr');
  }
});

test('--ignore keeps the finding in the JSON, marked, and out of the status; --fail-on error lets warnings pass', async () => {
  const plain = await json('starttls-optional.probe.lab.test', '--c2s');
  assert.equal(plain.code, 1);
  const ignored = await json('starttls-optional.probe.lab.test', '--c2s', '--ignore', 'STREAM_STARTTLS_OPTIONAL');
  assert.equal(ignored.code, 0);
  const f = ignored.report.findings.find((x) => x.code === 'STREAM_STARTTLS_OPTIONAL')!;
  assert.equal(f.ignored, true);
  assert.equal(ignored.report.summary.status, 'ok');
  assert.equal(ignored.report.summary.warnings, 0);
  const t = await runCli([...lab.args, '--c2s', '--ignore', 'STREAM_STARTTLS_OPTIONAL', 'starttls-optional.probe.lab.test']);
  assert.doesNotMatch(t.stdout, /▲ warning +STREAM_STARTTLS_OPTIONAL/);
  assert.match(t.stdout, /1 finding ignored \(--ignore STREAM_STARTTLS_OPTIONAL\)/);
  const lenient = await json('starttls-optional.probe.lab.test', '--c2s', '--fail-on', 'error');
  assert.equal(lenient.code, 0, 'warnings alone pass');
  assert.equal(lenient.report.summary.status, 'warning', 'the status still says warning');
  assert.equal((await json('refused.probe.lab.test', '--c2s', '--fail-on', 'error')).code, 2, 'errors still fail');
});

test('--crit-days: a certificate expiring within it is an error', async () => {
  const warn = await json('expiring.cert.lab.test', '--c2s');
  assert.equal(warn.code, 1);
  const crit = await json('expiring.cert.lab.test', '--c2s', '--crit-days', '12');
  assert.equal(crit.code, 2);
  assert.ok(crit.report.findings.some((f) => f.code === 'CERT_EXPIRING_CRITICAL'));
});
