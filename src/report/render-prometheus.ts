/**
 * `--format prometheus` and the /probe answer of `xmpp-check serve`: a report
 * as metrics in the Prometheus text exposition format (version 0.0.4), as
 * blackbox_exporter gives them for its probes: overall success and status,
 * per service the targets up and total, per connection whether it works, its
 * TLS version and the time of each phase, the certificates' expiry
 * timestamps, the DNSSEC status of the answers, the PKIX/DANE/POSH verdicts
 * and the findings. Every sample carries the domain, so that one file for
 * node_exporter's textfile collector can hold many (--domains-file).
 */
import type { Report } from './model.js';

type Labels = Record<string, string | number | null | undefined>;

/** Label values: backslash, double quote and line feed escaped (the format's rule); cut at 200 characters. */
export function labelValue(v: string): string {
  return v.slice(0, 200).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels): string {
  const parts = Object.entries(labels)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${k}="${labelValue(String(v))}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** Metric families in the order first seen; each family's HELP and TYPE once, then its samples. */
export class Exposition {
  private readonly families = new Map<string, { help: string; type: 'gauge' | 'counter'; samples: string[] }>();
  private readonly seen = new Set<string>();

  /** A series already added (the same name and labels) keeps its first value: a series appears once. */
  add(name: string, type: 'gauge' | 'counter', help: string, labels: Labels, value: number): void {
    let f = this.families.get(name);
    if (!f) {
      f = { help, type, samples: [] };
      this.families.set(name, f);
    }
    const series = `${name}${labelText(labels)}`;
    if (this.seen.has(series)) return;
    this.seen.add(series);
    f.samples.push(`${series} ${num(value)}`);
  }

  render(): string {
    const out: string[] = [];
    for (const [name, f] of this.families) out.push(`# HELP ${name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${f.type}`, ...f.samples);
    return out.length ? `${out.join('\n')}\n` : '';
  }
}

const STATES = ['ok', 'degraded', 'down', 'off', 'unknown', 'unchecked'] as const;
const PHASES = ['tcp', 'stream', 'starttls', 'tls', 'features'] as const;

/** Adds one report's metrics. */
export function reportMetrics(e: Exposition, r: Report): void {
  const domain = r.input.domain || r.input.raw;
  const d = { domain };
  const g = (name: string, help: string, labels: Labels, value: number): void => e.add(`xmpp_${name}`, 'gauge', help, { ...d, ...labels }, value);
  const s = r.summary;
  g('probe_success', '1 when the check ran and found no error (warnings allowed), else 0.', {}, s.status === 'ok' || s.status === 'warning' ? 1 : 0);
  g('check_status', 'Exit code of the check: 0 OK, 1 warnings, 2 errors, 3 unknown.', {}, s.exitCode);
  g('probe_duration_seconds', 'How long the whole check took.', {}, r.durationMs / 1000);
  g('dns_queries', 'DNS queries the check sent.', {}, r.dns.queries.length);
  for (const sev of ['error', 'warning', 'info'] as const) g('findings', 'Findings by severity (ignored ones not counted).', { severity: sev }, r.findings.filter((f) => !f.ignored && f.severity === sev).length);
  const byCode = new Map<string, { severity: string; n: number }>();
  for (const f of r.findings) if (!f.ignored) byCode.set(f.code, { severity: f.severity, n: (byCode.get(f.code)?.n ?? 0) + 1 });
  for (const [code, { severity, n }] of byCode) g('finding', 'One sample per finding code present (value: how many).', { code, severity }, n);
  for (const svc of r.services) {
    const st = svc.status;
    const sl = { service: svc.service };
    g('service_up', '1 when the service works on at least one target (state ok or degraded).', sl, st.state === 'ok' || st.state === 'degraded' ? 1 : 0);
    for (const state of STATES) g('service_state', 'The state of the service (1 for the current one).', { ...sl, state }, st.state === state ? 1 : 0);
    g('service_targets_up', 'Targets of the service that work (reachable and authenticated) on at least one address.', sl, st.targetsUp);
    g('service_targets_total', 'Targets (SRV records or the fallback) of the service.', sl, st.targetsTotal);
    g('service_addresses_up', 'Connections (target × address) of the service that work.', sl, st.addressesUp);
    g('service_addresses_total', 'Connections (target × address) tried.', sl, st.addressesTotal);
    for (const p of svc.probes) {
      const pl = { ...sl, target: p.target, port: p.port, address: p.address, mode: p.mode };
      g('connection_up', '1 when the connection reached TLS and read the stream features.', pl, p.outcome === 'ok' ? 1 : 0);
      g('connection_authenticated', '1 when PKIX, DANE or POSH authenticates the connection.', pl, p.verdict?.authenticated ? 1 : 0);
      if (p.tls?.version) g('tls_version_info', 'The TLS version of the connection (value 1).', { ...pl, version: p.tls.version }, 1);
      for (const ph of PHASES) {
        const ms = p.timings[`${ph}Ms`];
        if (ms !== null) g('connection_phase_duration_seconds', 'Time of each phase of a connection.', { ...pl, phase: ph }, ms / 1000);
      }
      g('connection_duration_seconds', 'Time of the whole connection attempt.', pl, p.timings.totalMs / 1000);
      const leaf = p.certificate?.leaf;
      if (leaf) g('connection_cert_expiry_timestamp_seconds', 'notAfter of the certificate the connection presented.', pl, Math.floor(Date.parse(leaf.notAfter) / 1000));
    }
    for (const proof of ['pkix', 'dane', 'posh'] as const) {
      for (const result of ['pass', 'fail', 'not-applicable'] as const) {
        g('auth_verdicts', 'Connections by prooftype and result (pass, fail, not-applicable).', { ...sl, prooftype: proof, result }, svc.probes.filter((p) => p.verdict?.[proof].status === result).length);
      }
    }
  }
  const leaves = r.certificates.filter((c) => c.role === 'leaf' && c.notAfter);
  for (const c of r.certificates) {
    if (c.notAfter) g('cert_expiry_timestamp_seconds', 'notAfter of each distinct certificate presented.', { sha256: c.sha256.slice(0, 16), role: c.role, name: c.names[0] ?? c.subject }, Math.floor(Date.parse(c.notAfter) / 1000));
  }
  if (leaves.length) g('cert_earliest_expiry_timestamp_seconds', 'The earliest notAfter of the leaf certificates presented.', {}, Math.min(...leaves.map((c) => Math.floor(Date.parse(c.notAfter!) / 1000))));
  if (r.dnssec.mode !== 'off') {
    for (const st of ['secure', 'insecure', 'bogus', 'indeterminate'] as const) g('dnssec_answers', 'DNSSEC status of the answers that matter (SRV, A/AAAA, TLSA), counted.', { status: st }, r.dnssec.results.filter((x) => x.status === st).length);
    const srv = r.dnssec.results.filter((x) => x.type === 'SRV');
    if (srv.length) g('dnssec_srv_secure', '1 when every SRV answer is DNSSEC-secure.', {}, srv.every((x) => x.status === 'secure') ? 1 : 0);
  }
}

export function renderPrometheus(r: Report): string {
  const e = new Exposition();
  reportMetrics(e, r);
  return e.render();
}

/** --domains-file --format prometheus: the metrics of every report, in one exposition. */
export class PrometheusBatch {
  private readonly e = new Exposition();
  add(r: Report): void {
    reportMetrics(this.e, r);
  }
  render(): string {
    return this.e.render();
  }
}
