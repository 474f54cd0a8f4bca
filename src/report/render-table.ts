/**
 * The terminal rendering of a report: one section per service (its candidates
 * in the order clients try them, with shares), the probes, the findings with
 * their fixes, and the verdict. Reads the report only. Every string that came
 * from the network goes through escapeTerminal.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { Candidate, Finding, HostAddresses, Report, ServiceReport, Severity } from './model.js';
import { escapeTerminal as esc } from './escape.js';

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
    lines.push(`            ${esc(f.message)}`);
    lines.push(`            ${c.dim('fix:')} ${esc(f.fix)} ${c.dim(`(${f.reference})`)}`);
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
      out.push(serviceSection(r, s, c), '');
    }
    out.push(findingsSection(r.findings, c), '');
  }
  out.push(verdictLine(r, c));
  return `${out.join('\n')}\n`;
}
