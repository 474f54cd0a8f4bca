/**
 * The outputs monitoring systems read, end to end against the lab: the
 * Nagios plugin line (--format nagios), the Prometheus text format
 * (--format prometheus), the exporter (`serve`, scraped over loopback with
 * its resolver on loopback), and --probe, which checks one node without SRV.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '../../fixtures/lab/lab.js';
import { BIN, runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';
import type { Report } from '../../src/report/model.js';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

const report = async (...args: string[]): Promise<Report> => {
  const r = JSON.parse((await runCli(['--json', ...lab.args, ...args])).stdout) as Report;
  assert.equal(schemaErrors(r), null);
  return r;
};

/** The text exposition format, read strictly: HELP and TYPE before each family's samples, valid names, labels and values, no series twice. */
function parseExposition(text: string): Map<string, number> {
  const series = new Map<string, number>();
  const typed = new Set<string>();
  assert.ok(text.endsWith('\n'), 'ends with a line feed');
  for (const line of text.trimEnd().split('\n')) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') {
        assert.match(meta[3]!, /^(gauge|counter)$/);
        typed.add(meta[2]!);
      }
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.]+(?:e[+-]?\d+)?|NaN|[+-]Inf)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    assert.ok(typed.has(m[1]!), `${m[1]} has no TYPE before its samples`);
    const key = `${m[1]}${m[2] ?? ''}`;
    assert.ok(!series.has(key), `series twice: ${key}`);
    series.set(key, Number(m[3]));
  }
  return series;
}

const value = (series: Map<string, number>, name: string, labels: Record<string, string>): number | undefined => {
  for (const [k, v] of series) {
    if (!k.startsWith(`${name}{`) && k !== name) continue;
    if (Object.entries(labels).every(([l, x]) => k.includes(`${l}="${x}"`))) return v;
  }
  return undefined;
};

test('--format nagios: one status line with perfdata, exit 0-3, the problems below', async () => {
  const ok = await runCli([...lab.args, '--format', 'nagios', 'good.lab.test']);
  assert.equal(ok.code, 0);
  assert.match(ok.stdout, /^XMPP OK - good\.lab\.test c2s 4\/4, s2s 2\/2, cert \d+d \| c2s_ok=4;;;0;4 s2s_ok=2;;;0;2 cert_days=\d+;14;7 time=\d+\.\d\ds\n$/);
  const warn = await runCli([...lab.args, '--format', 'nagios', '--c2s', 'expiring.cert.lab.test']);
  assert.equal(warn.code, 1);
  assert.match(warn.stdout, /^XMPP WARNING - expiring\.cert\.lab\.test c2s 1\/1, cert 10d: CERT_EXPIRING_SOON \| c2s_ok=1;;;0;1 cert_days=10;14;7 time=/);
  assert.match(warn.stdout, /\n\[WARNING\] CERT_EXPIRING_SOON \[c2s\] xmpp\.expiring\.cert\.lab\.test:\d+ via 127\.0\.0\.1: .*10 days left/);
  const crit = await runCli([...lab.args, '--format', 'nagios', '--c2s', '--warn-days', '30', '--crit-days', '20', 'expiring.cert.lab.test']);
  assert.equal(crit.code, 2);
  assert.match(crit.stdout, /^XMPP CRITICAL - .*CERT_EXPIRING_CRITICAL \| .*cert_days=10;30;20 /);
  const down = await runCli([...lab.args, '--format', 'nagios', '--c2s', 'refused.probe.lab.test']);
  assert.equal(down.code, 2);
  assert.match(down.stdout, /^XMPP CRITICAL - refused\.probe\.lab\.test c2s 0\/1 down: /);
  const unknown = await runCli(['--resolver', '127.0.0.1:9', '--timeout', '300', '--format', 'nagios', 'good.lab.test']);
  assert.equal(unknown.code, 3);
  assert.match(unknown.stdout, /^XMPP UNKNOWN - good\.lab\.test: the resolver 127\.0\.0\.1:9 did not answer/);
  const invalid = await runCli(['--format', 'nagios', 'a..b']);
  assert.equal(invalid.code, 3);
  assert.match(invalid.stdout, /^XMPP UNKNOWN - a\.\.b: .*empty label/);
  // No `|` from the network or a message may end the status text early.
  for (const r of [ok, warn, crit, down]) assert.equal(r.stdout.split('\n')[0]!.split('|').length, 2);
});

test('--format prometheus: the text exposition format, with the per-service, per-connection, certificate and DNSSEC metrics', async () => {
  const r = await runCli([...lab.args, '--format', 'prometheus', 'good.lab.test']);
  assert.equal(r.code, 0);
  const s = parseExposition(r.stdout);
  const d = { domain: 'good.lab.test' };
  assert.equal(value(s, 'xmpp_probe_success', d), 1);
  assert.equal(value(s, 'xmpp_check_status', d), 0);
  assert.equal(value(s, 'xmpp_service_targets_up', { ...d, service: 'c2s' }), 4);
  assert.equal(value(s, 'xmpp_service_targets_total', { ...d, service: 's2s' }), 2);
  assert.equal(value(s, 'xmpp_service_state', { service: 'c2s', state: 'ok' }), 1);
  assert.equal(value(s, 'xmpp_tls_version_info', { address: '::1', version: 'TLSv1.3' }), 1);
  assert.ok(value(s, 'xmpp_connection_phase_duration_seconds', { phase: 'tls' })! >= 0);
  const expiry = value(s, 'xmpp_cert_earliest_expiry_timestamp_seconds', d)!;
  const json = await report('good.lab.test');
  assert.equal(expiry, Math.floor(Date.parse(json.certificates[0]!.notAfter!) / 1000));
  assert.equal(value(s, 'xmpp_dnssec_srv_secure', d), 1);
  assert.equal(value(s, 'xmpp_auth_verdicts', { service: 'c2s', prooftype: 'pkix', result: 'pass' }), 6);
  assert.equal(value(s, 'xmpp_auth_verdicts', { service: 'c2s', prooftype: 'dane', result: 'pass' }), 0);
  // Many domains in one exposition (node_exporter's textfile collector), each family once.
  const list = join(mkdtempSync(join(tmpdir(), 'xmpp-check-')), 'list.txt');
  writeFileSync(list, 'good.lab.test\nrefused.probe.lab.test\n');
  const batch = await runCli([...lab.args, '--c2s', '--format', 'prometheus', '--domains-file', list]);
  const b = parseExposition(batch.stdout);
  assert.equal(value(b, 'xmpp_probe_success', { domain: 'good.lab.test' }), 1);
  assert.equal(value(b, 'xmpp_probe_success', { domain: 'refused.probe.lab.test' }), 0);
  assert.equal(batch.stdout.match(/^# TYPE xmpp_probe_success /gm)!.length, 1);
});

interface Exporter {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `xmpp-check serve` on a free loopback port, with the lab's resolver (loopback) and trust. */
async function startExporter(...extra: string[]): Promise<Exporter> {
  const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', ...lab.args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0' } });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 15_000);
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const get = async (url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; ms: number }> => {
  const t = Date.now();
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.text(), ms: Date.now() - t };
};

test('serve: /probe like blackbox_exporter, a 400 for a bad target or module, /metrics with its own counters, garbage never crashes it', async () => {
  const ex = await startExporter();
  try {
    const ok = await get(`${ex.url}/probe?target=good.lab.test&module=c2s`);
    assert.equal(ok.status, 200);
    const s = parseExposition(ok.body);
    assert.equal(value(s, 'xmpp_probe_success', { domain: 'good.lab.test' }), 1);
    assert.equal(value(s, 'xmpp_service_targets_up', { service: 'c2s' }), 4);
    assert.equal(value(s, 'xmpp_service_targets_total', { service: 's2s' }), undefined, 'module=c2s checks c2s only');
    assert.equal(value(s, 'xmpp_probe_timed_out', {}), 0);
    const s2s = parseExposition((await get(`${ex.url}/probe?target=good.lab.test&module=s2s`)).body);
    assert.equal(value(s2s, 'xmpp_service_targets_up', { service: 's2s' }), 2);
    const down = parseExposition((await get(`${ex.url}/probe?target=refused.probe.lab.test&module=c2s`)).body);
    assert.equal(value(down, 'xmpp_probe_success', {}), 0);
    for (const [path, why] of [
      ['/probe?target=a..b&module=c2s', /^invalid target: .*empty label/],
      ['/probe?module=c2s', /^no target/],
      ['/probe?target=good.lab.test&module=xmpp', /^unknown module "xmpp"/],
      ['/probe?target=%00%1b%5b31m.example', /^invalid target: /],
    ] as [string, RegExp][]) {
      const r = await get(`${ex.url}${path}`);
      assert.equal(r.status, 400, path);
      assert.match(r.body, why);
      assert.doesNotMatch(r.body, /\u001b/, 'no raw control characters in the answer');
    }
    assert.equal((await get(`${ex.url}/nope`)).status, 404);
    // Garbage on the socket: the connection is closed, the server goes on.
    await new Promise<void>((resolve) => {
      const sock = connect(Number(new URL(ex.url).port), '127.0.0.1', () => sock.end('\u0000\u0001GARBAGE / HTTP/9\r\n\r\n'));
      sock.on('close', () => resolve());
      sock.on('error', () => resolve());
      sock.resume();
    });
    const m = parseExposition((await get(`${ex.url}/metrics`)).body);
    assert.equal(value(m, 'xmpp_exporter_probes_total', { module: 'c2s', result: 'success' }), 1);
    assert.equal(value(m, 'xmpp_exporter_probes_total', { module: 'c2s', result: 'failure' }), 1);
    assert.equal(value(m, 'xmpp_exporter_probes_total', { module: 'c2s', result: 'bad_request' }), 2, 'a..b and the missing target');
    assert.equal(value(m, 'xmpp_exporter_probes_total', { module: 'xmpp', result: 'bad_request' }), 1);
    assert.equal(value(m, 'xmpp_exporter_probes_running', {}), 0);
    assert.equal(ex.child.exitCode, null, 'still running');
  } finally {
    await ex.stop();
  }
});

test('serve: at most --concurrency checks at once, as many waiting, the rest 503; a probe past its deadline answers probe_success 0', async () => {
  const ex = await startExporter('--concurrency', '1', '--timeout', '3000', '--deadline', '1000');
  try {
    // silent.probe.lab.test accepts TCP and says nothing: each check takes its timeout.
    const probe = `${ex.url}/probe?target=silent.probe.lab.test&module=c2s`;
    const [a, b, c] = await Promise.all([get(probe), get(probe), new Promise((r) => setTimeout(r, 200)).then(() => get(probe))]);
    const statuses = [a.status, b.status, c.status].sort();
    assert.deepEqual(statuses, [200, 200, 503], 'one running, one waiting, one turned away');
    const timedOut = [a, b].find((r) => r.status === 200 && r.body.includes('xmpp_probe_timed_out{domain="silent.probe.lab.test"} 1'));
    assert.ok(timedOut, 'the running probe answers at its deadline');
    assert.ok(timedOut.ms < 2900, `answered at the deadline, not after the check (${timedOut.ms} ms)`);
    assert.match(timedOut.body, /xmpp_probe_success\{domain="silent\.probe\.lab\.test"\} 0/);
    // Once the slot is free again: the scraper's own timeout is a deadline too (1.2 s less half a second).
    await new Promise((r) => setTimeout(r, 3500));
    const short = await get(probe, { 'X-Prometheus-Scrape-Timeout-Seconds': '1.2' });
    assert.equal(short.status, 200);
    assert.match(short.body, /xmpp_probe_timed_out\{domain="silent\.probe\.lab\.test"\} 1/);
    assert.ok(short.ms < 1000, `the scrape timeout shortened the deadline (${short.ms} ms)`);
    await new Promise((r) => setTimeout(r, 3000));
    const m = parseExposition((await get(`${ex.url}/metrics`)).body);
    assert.equal(value(m, 'xmpp_exporter_probes_running_max', {}), 1, 'never more than --concurrency at once');
    assert.equal(value(m, 'xmpp_exporter_probes_total', { module: 'c2s', result: 'rejected' }), 1);
    assert.ok(value(m, 'xmpp_exporter_probes_total', { module: 'c2s', result: 'timeout' })! >= 2);
    assert.equal(value(m, 'xmpp_exporter_probes_running', {}), 0, 'every check ended');
  } finally {
    await ex.stop();
  }
});

test('--probe HOST:PORT checks one node directly, without SRV: STARTTLS, --direct-tls, an IP address, s2s', async () => {
  const good = await report('good.lab.test');
  const port = (service: string, mode: string, target = 'xmpp1.good.lab.test'): number => good.services.find((s) => s.service === service)!.candidates.find((c) => c.mode === mode && c.target === target)!.port;
  const st = await report('--probe', `xmpp1.good.lab.test:${port('c2s', 'starttls')}`, 'good.lab.test');
  assert.equal(st.summary.exitCode, 0);
  const s = st.services[0]!;
  assert.deepEqual(st.services.map((x) => x.service), ['c2s'], 'c2s unless --s2s');
  assert.equal(s.mode, 'probe');
  assert.deepEqual(s.candidates.map((c) => [c.source, c.mode, c.target]), [['probe', 'starttls', 'xmpp1.good.lab.test']]);
  assert.equal(s.srv.xmpp.status, 'skipped');
  assert.ok(!st.dns.queries.some((q) => q.type === 'SRV'), 'no SRV lookup at all');
  assert.deepEqual(s.probes.map((p) => [p.address, p.outcome, p.verdict!.by]), [['127.0.0.1', 'ok', 'pkix'], ['::1', 'ok', 'pkix']]);
  assert.equal(s.status.state, 'ok');
  const dt = await report('--probe', `xmpp1.good.lab.test:${port('c2s', 'directtls')}`, '--direct-tls', 'good.lab.test');
  assert.equal(dt.services[0]!.probes[0]!.tls!.alpn, 'xmpp-client');
  const ip = await report('--probe', `[::1]:${port('s2s', 'starttls')}`, '--s2s', 'good.lab.test');
  assert.deepEqual(ip.services[0]!.probes.map((p) => [p.service, p.address, p.outcome]), [['s2s', '::1', 'ok']]);
  // STARTTLS against a direct-TLS port fails (this server just hangs up on the plaintext header), and the service is down.
  const wrong = await report('--probe', `xmpp1.good.lab.test:${port('c2s', 'directtls')}`, 'good.lab.test');
  assert.ok(wrong.services[0]!.probes.every((p) => p.outcome !== 'ok'));
  assert.equal(wrong.services[0]!.status.state, 'down');
  assert.equal(wrong.summary.exitCode, 2);
  const t = await runCli([...lab.args, '--probe', `xmpp1.good.lab.test:${port('c2s', 'starttls')}`, 'good.lab.test']);
  assert.match(t.stdout, /--probe: the one node xmpp1\.good\.lab\.test:\d+ by\s+STARTTLS, no SRV lookup/);
  assert.match(t.stdout, /DNSSEC \(validate\): addresses secure, TLSA none/);
  assert.match(t.stdout, /^c2s  OK — reachable via 1 of 1 target, authenticated via PKIX/m);
  assert.doesNotMatch(t.stdout, /First pick|SRV_NO_DIRECT_TLS/);
});
