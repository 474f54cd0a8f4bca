/**
 * The terminal rendering of a report: one section per service (its candidates
 * in the order clients try them, with shares), the probes, the findings with
 * their fixes, and the verdict. Reads the report only. Every string that came
 * from the network goes through escapeTerminal.
 */
import { codeSet } from '../core/finding.js';
import { POSH_FINDINGS } from '../posh/findings.js';
import { DANE_FINDINGS } from '../verify/dane/definitions.js';
import { CERT_FINDINGS } from '../verify/findings.js';
import { VERDICT_FINDINGS } from '../verify/verdict-findings.js';
import { tlsaOwner } from '../core/names.js';
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Candidate } from '../core/types.js';
import type { CheckedProbe } from '../verify/types.js';
import type { Finding, Severity } from '../core/finding.js';
import type { HostAddresses } from '../dns/lookup.js';
import type { Report, ServiceReport } from './model.js';
import { escapeTerminal as esc } from '../core/escape.js';
import { probeSummary } from '../probes/summary.js';
import { describeCertificateShort } from '../verify/certificate.js';
import { verdictShort } from '../verify/verdict.js';
import { summarizeEndpoint, summarizeWeb } from '../web/endpoint-findings.js';
import type { QuicProbeReport } from '../verify/quic.js';

export interface TableOptions {
  color: boolean;
}

const SERVICE_TITLE = { c2s: 'client-to-server (c2s)', s2s: 'server-to-server (s2s)' } as const;

function pct(share: number): string {
  if (share === 0) return '0 %';
  if (share < 0.001) return '<0.1 %';
  return `${(share * 100).toFixed(1)} %`;
}

function addressCell(h: HostAddresses | undefined, c: ChalkInstance): string {
  if (!h) return c.dim('(not looked up)');
  if (h.ipLiteral) return esc(h.name);
  const parts: string[] = [];
  for (const [type, l] of [['A', h.a], ['AAAA', h.aaaa]] as const) {
    if (l.addresses.length) parts.push(...l.addresses.map((x) => esc(x)));
    else if (l.status !== 'nodata') parts.push(c.red(`${type}: ${l.status}`));
  }
  if (!parts.length) return c.red('no address');
  return parts.join('\n');
}

function modeLabel(cand: Candidate): string {
  const m = cand.mode === 'directtls' ? 'direct TLS' : 'STARTTLS';
  return cand.source === 'fallback' ? `${m} (fallback)` : m;
}

function modeLine(s: ServiceReport): string {
  const n = s.srv.xmpp.records.length + s.srv.xmpps.records.length;
  switch (s.mode) {
    case 'srv':
      return `${n} SRV record${n === 1 ? '' : 's'} (${s.srv.xmpp.records.length} ${s.srv.xmpp.owner.split('.')[0]}, ${s.srv.xmpps.records.length} ${s.srv.xmpps.owner.split('.')[0]}), ordered as one RFC 2782 set`;
    case 'fallback':
      return 'no SRV records: fallback to the domain\'s A/AAAA';
    case 'unavailable':
      return 'SRV target "." — service decidedly not available';
    default:
      return 'unknown: the SRV lookups failed';
  }
}

function serviceSection(r: Report, s: ServiceReport, c: ChalkInstance): string {
  const lines: string[] = [];
  lines.push(c.bold(`${SERVICE_TITLE[s.service]}: `) + modeLine(s));
  if (!s.candidates.length) return lines.join('\n');
  const t = new Table({
    head: ['#', 'Mode', 'Target', 'Prio', 'Weight', 'First pick', 'Addresses'],
    style: { head: c.level ? ['cyan'] : [], border: c.level ? ['grey'] : [] },
  });
  let prevGroup = 0;
  for (const cand of s.candidates) {
    const groupStart = cand.group !== prevGroup;
    prevGroup = cand.group;
    t.push([
      groupStart ? String(cand.group) : '',
      modeLabel(cand),
      esc(`${cand.target}:${cand.port}`),
      cand.source === 'fallback' ? '-' : String(cand.priority),
      cand.source === 'fallback' ? '-' : String(cand.weight),
      pct(cand.share),
      addressCell(r.hosts[cand.target], c),
    ]);
  }
  lines.push(t.toString());
  if (s.draw && s.draw.order.length > 1) {
    const byId = new Map(s.candidates.map((x) => [x.id, x]));
    const order = s.draw.order.map((id) => {
      const x = byId.get(id);
      return x ? esc(`${x.target}:${x.port}${x.mode === 'directtls' ? ' (TLS)' : ''}`) : id;
    });
    lines.push(c.dim(`  one RFC 2782 draw (--seed ${s.draw.seed}): ${order.join(' → ')}`));
  }
  return lines.join('\n');
}

function certCell(p: CheckedProbe): string {
  const leaf = p.certificate?.leaf;
  if (!leaf) return p.tls ? 'none' : '-';
  const name = leaf.san?.dns?.[0] ?? leaf.san?.srv?.[0] ?? leaf.san?.xmppAddr?.[0] ?? leaf.subjectCn ?? '?';
  const extra = (leaf.san?.dns?.length ?? 0) + (leaf.san?.srv?.length ?? 0) + (leaf.san?.xmppAddr?.length ?? 0) - 1;
  const days = leaf.daysLeft < 0 ? `expired ${-leaf.daysLeft}d ago` : `${leaf.daysLeft}d left`;
  return `${esc(name, 40)}${extra > 0 ? ` +${extra}` : ''}\n${days}`;
}

function probesSection(s: ServiceReport, c: ChalkInstance): string {
  if (!s.probes.length) return '';
  const t = new Table({
    head: ['Target', 'Address', 'Result', 'TLS', 'Certificate', 'Authenticated', 'ms'],
    style: { head: c.level ? ['cyan'] : [], border: c.level ? ['grey'] : [] },
  });
  for (const p of s.probes) {
    const ok = p.outcome === 'ok';
    const tls = p.tls ? [p.tls.version ?? '', p.tls.alpn ? `ALPN ${p.tls.alpn}` : p.mode === 'directtls' ? 'no ALPN' : ''].filter(Boolean).map((x) => esc(x, 40)).join('\n') : '-';
    const v = p.verdict;
    const auth = v ? (v.authenticated ? c.green(verdictShort(v)) : c.red(verdictShort(v))) : '-';
    t.push([
      esc(`${p.target}:${p.port}`) + (p.mode === 'directtls' ? '\n(direct TLS)' : ''),
      esc(p.address),
      ok ? c.green(esc(probeSummary(p), 60)) : c.red(esc(probeSummary(p), 60)),
      tls,
      certCell(p),
      auth,
      String(p.timings.totalMs),
    ]);
  }
  return t.toString();
}

function securityLine(r: Report, s: ServiceReport, c: ChalkInstance): string {
  const parts: string[] = [];
  if (r.dnssec.mode === 'off') parts.push('DNSSEC not checked (--dnssec off)');
  else {
    const of = (pred: (e: Report['dnssec']['results'][number]) => boolean): string => {
      const st = [...new Set(r.dnssec.results.filter(pred).map((e) => e.status))];
      return st.length ? st.join('/') : 'n/a';
    };
    const owners = new Set([s.srv.xmpp.owner, s.srv.xmpps.owner]);
    const targets = new Set(s.candidates.map((x) => x.target));
    const tlsaOwners = new Set(s.candidates.map((x) => tlsaOwner(x)));
    const tlsa = r.dnssec.results.filter((e) => e.type === 'TLSA' && tlsaOwners.has(e.name) && e.outcome === 'answer').length;
    parts.push(`DNSSEC (${r.dnssec.mode}): SRV ${of((e) => e.type === 'SRV' && owners.has(e.name))}, addresses ${of((e) => (e.type === 'A' || e.type === 'AAAA') && targets.has(e.name))}, TLSA ${tlsa ? `${tlsa} RRset(s) ${of((e) => e.type === 'TLSA' && tlsaOwners.has(e.name))}` : 'none'}`);
  }
  const p = s.posh;
  if (p) {
    const words = { found: `found${p.delegatedTo ? ' (delegated)' : ''}${p.location === 'legacy' ? ' (legacy location)' : ''}`, none: 'none', invalid: 'unusable', error: 'not reachable' } as const;
    parts.push(`POSH: ${words[p.status]}`);
  }
  return c.dim(`  ${parts.join('; ')}`);
}

function publishSection(r: Report, c: ChalkInstance): string {
  const needs = codeSet(VERDICT_FINDINGS.AUTH_NONE, POSH_FINDINGS.POSH_MISMATCH, DANE_FINDINGS.DANE_TLSA_MISMATCH, CERT_FINDINGS.CERT_NAME_HOSTING_PROVIDER);
  const out: string[] = [];
  for (const s of r.services) {
    if (!r.findings.some((f) => needs.has(f.code) && (!f.service || f.service === s.service))) continue;
    if (!s.publish.posh && !s.publish.tlsa.length) continue;
    out.push(c.bold(`What to publish for ${s.service} (for the certificates the servers present now)`));
    if (s.publish.posh) out.push(`  POSH file at ${esc(s.publish.poshUrl)}:`, `    ${esc(s.publish.posh, 2000)}`);
    if (s.publish.tlsa.length) out.push('  TLSA records (the zone must be DNSSEC-signed, SRV records included):', ...s.publish.tlsa.map((l) => `    ${esc(l, 300)}`));
  }
  return out.join('\n');
}

function certificatesSection(r: Report, c: ChalkInstance): string {
  const seen = new Map<string, { text: string; where: Set<string> }>();
  for (const s of r.services) {
    for (const p of s.probes) {
      const leaf = p.certificate?.leaf;
      if (!leaf) continue;
      const e = seen.get(leaf.sha256) ?? { text: describeCertificateShort(leaf), where: new Set<string>() };
      e.where.add(`${s.service} ${p.target}:${p.port}`);
      seen.set(leaf.sha256, e);
    }
  }
  if (!seen.size) return '';
  const lines = [c.bold('Certificates')];
  for (const { text, where } of seen.values()) {
    const w = [...where];
    lines.push(`  ${text}`, c.dim(`    presented by ${esc(w.slice(0, 4).join(', '))}${w.length > 4 ? ` and ${w.length - 4} more` : ''}`));
  }
  return lines.join('\n');
}

function quicSummary(q: QuicProbeReport): string {
  if (q.outcome === 'handshake') return `ok: QUIC handshake, ALPN ${q.alpn ?? 'none'}${q.cipher ? `, ${q.cipher}` : ''}`;
  const close = q.closeError ? ` (${q.closeError.name ?? `0x${q.closeError.code.toString(16)}`})` : '';
  return `${q.outcome}${close}${q.error ? `: ${q.error}` : ''}`;
}

/** QUIC, WebSocket and BOSH in one table (transport column), after the TCP services. */
function alternativesSection(r: Report, c: ChalkInstance): string {
  const rows: string[][] = [];
  for (const s of r.services) {
    for (const q of s.quic?.probes ?? []) {
      const ok = q.outcome === 'handshake';
      const auth = q.verdict ? (q.verdict.authenticated ? c.green(verdictShort(q.verdict)) : c.red(verdictShort(q.verdict))) : '-';
      rows.push([`quic (${s.service})`, esc(`${q.host}:${q.port}`), esc(q.address), ok ? c.green(esc(quicSummary(q), 100)) : c.red(esc(quicSummary(q), 100)), auth, q.source, String(q.timings.totalMs)]);
    }
  }
  for (const e of r.web?.endpoints ?? []) {
    const ok = e.result.outcome === 'ok';
    const text = esc(summarizeEndpoint(e), 110);
    rows.push([e.transport, esc(e.url, 60), esc(e.result.address ?? '-'), ok ? c.green(text) : c.red(text), '-', e.sources.join(', '), String(e.result.timings.totalMs)]);
  }
  const lines: string[] = [];
  if (r.web) lines.push(c.dim(`  XEP-0156: ${esc(summarizeWeb({ ...r.web, findings: [] }), 200)}`));
  for (const s of r.services) {
    if (s.quic && s.quic.mode !== 'discovered' && s.quic.mode !== 'default') {
      const words = { none: 'none published (UDP 443 on the domain is probed only with --quic=on)', unavailable: 'SRV "." says no QUIC', off: 'not checked (--quic=off)' } as const;
      lines.push(c.dim(`  QUIC ${s.service}: ${words[s.quic.mode as keyof typeof words]}`));
    }
  }
  if (!rows.length && !lines.length) return '';
  const out = [c.bold('Other connection methods (XEP-0467 QUIC, XEP-0156 WebSocket and BOSH)')];
  if (rows.length) {
    const t = new Table({ head: ['Transport', 'Endpoint', 'Address', 'Result', 'Authenticated', 'Found via', 'ms'], style: { head: c.level ? ['cyan'] : [], border: c.level ? ['grey'] : [] } });
    for (const row of rows) t.push(row);
    out.push(t.toString());
  }
  out.push(...lines);
  return out.join('\n');
}

const ICON: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

function severityLabel(sev: Severity, c: ChalkInstance): string {
  const text = `${ICON[sev]} ${sev.padEnd(7)}`;
  return sev === 'error' ? c.red.bold(text) : sev === 'warning' ? c.yellow(text) : c.blue(text);
}

function findingsSection(findings: Finding[], c: ChalkInstance): string {
  if (!findings.length) return c.green('No findings.');
  const lines = [c.bold(`Findings (${findings.length})`)];
  for (const f of findings) {
    const svc = f.service ? ` [${f.service}]` : '';
    lines.push(`  ${severityLabel(f.severity, c)} ${c.bold(f.code)}${svc}  ${c.dim(esc(f.subject))}`);
    // Only our own line breaks break lines: each line is escaped on its own, so text from the network
    // (already escaped where it entered a message) can never start a line of its own.
    const block = (text: string): string => text.split('\n').map((l) => esc(l, 1200)).join('\n            ');
    lines.push(`            ${block(f.message)}`);
    lines.push(`            ${c.dim('fix:')} ${block(f.fix)} ${c.dim(`(${f.reference})`)}`);
  }
  return lines.join('\n');
}

function verdictLine(r: Report, c: ChalkInstance): string {
  const s = r.summary;
  const counts = `${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info`;
  switch (s.status) {
    case 'ok':
      return c.green.bold(`OK — ${counts} (exit 0)`);
    case 'warning':
      return c.yellow.bold(`WARNING — ${counts} (exit 1)`);
    case 'error':
      return c.red.bold(`ERROR — ${counts} (exit 2)`);
    default:
      return c.magenta.bold(`UNKNOWN — ${esc(s.reason ?? 'the check could not run')} (exit 3)`);
  }
}

export function renderTable(r: Report, opts: TableOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const out: string[] = [];
  const name = r.input.unicode !== r.input.domain ? `${esc(r.input.unicode)} (${r.input.domain})` : r.input.domain;
  out.push(c.bold(`xmpp-check ${name}`) + c.dim(`  resolver ${r.resolver.server}, ${r.dns.queries.length} DNS queries, ${r.durationMs} ms`));
  if (r.input.jid) out.push(c.dim(`  (domain part of ${esc(r.input.jid)})`));
  out.push('');
  if (r.summary.status !== 'unknown') {
    for (const s of r.services) {
      out.push(serviceSection(r, s, c));
      const probes = probesSection(s, c);
      if (probes) out.push(probes);
      if (s.candidates.length) out.push(securityLine(r, s, c));
      out.push('');
    }
    const alt = alternativesSection(r, c);
    if (alt) out.push(alt, '');
    const certs = certificatesSection(r, c);
    if (certs) out.push(certs, '');
    out.push(findingsSection(r.findings, c), '');
    const publish = publishSection(r, c);
    if (publish) out.push(publish, '');
  }
  out.push(verdictLine(r, c));
  return `${out.join('\n')}\n`;
}
