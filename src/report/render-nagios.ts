/**
 * `--format nagios`: the output of a monitoring plugin (Nagios, Icinga,
 * Naemon, Sensu): one status line with performance data, e.g.
 *   XMPP OK - example.test c2s 4/4, s2s 3/3, cert 364d | c2s_ok=4;;;0;4 s2s_ok=3;;;0;3 cert_days=364;14;7 time=0.42s
 * then one line per warning or error (the plugin's long output). The status
 * word follows the exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 */
import type { Report, ServiceReport } from './model.js';
import { escapeTerminal } from '../core/escape.js';

const WORD = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'] as const;

/** Plugin output must not hold `|` (it starts the performance data) nor line breaks. */
const clean = (s: string, max = 200): string => escapeTerminal(s.replace(/[|\r\n]+/g, ' / '), max);

function serviceText(s: ServiceReport): string {
  const st = s.status;
  switch (st.state) {
    case 'ok':
    case 'degraded':
    case 'down':
      return `${s.service} ${st.targetsUp}/${st.targetsTotal}${st.state === 'ok' ? '' : ` ${st.state}`}`;
    case 'unchecked':
      return `${s.service} ${st.targetsTotal} targets (DNS only)`;
    default:
      return `${s.service} ${st.state}`;
  }
}

/** The leaf certificate closest to expiry, in whole days; null when none was presented. */
export function earliestCertDays(r: Report): number | null {
  const days = r.certificates.filter((c) => c.role === 'leaf' && c.daysLeft !== null).map((c) => c.daysLeft!);
  return days.length ? Math.min(...days) : null;
}

export function renderNagios(r: Report, opts: { warnDays: number; critDays: number }): string {
  const code = r.summary.exitCode;
  const domain = clean(r.input.domain || r.input.raw || '(no domain)', 260);
  if (r.summary.status === 'unknown') return `XMPP UNKNOWN - ${domain}: ${clean(r.summary.reason ?? 'the check could not run', 400)}\n`;
  const parts = r.services.map(serviceText);
  const days = earliestCertDays(r);
  if (days !== null) parts.push(days < 0 ? `cert expired ${-days}d ago` : `cert ${days}d`);
  const problems = r.findings.filter((f) => !f.ignored && f.severity !== 'info');
  const codes = [...new Set(problems.map((f) => f.code))];
  const why = codes.length ? `: ${codes.slice(0, 3).join(', ')}${codes.length > 3 ? ` and ${codes.length - 3} more` : ''}` : '';
  const perf: string[] = [];
  for (const s of r.services) {
    if (s.status.targetsTotal && s.status.state !== 'unchecked') perf.push(`${s.service}_ok=${s.status.targetsUp};;;0;${s.status.targetsTotal}`);
  }
  if (days !== null) perf.push(`cert_days=${days};${opts.warnDays};${opts.critDays}`);
  perf.push(`time=${(r.durationMs / 1000).toFixed(2)}s`);
  const lines = [`XMPP ${WORD[code]} - ${domain} ${parts.join(', ')}${why} | ${perf.join(' ')}`];
  for (const f of problems.slice(0, 20)) lines.push(`[${f.severity === 'error' ? 'CRITICAL' : 'WARNING'}] ${f.code}${f.service ? ` [${f.service}]` : ''} ${clean(f.subject, 200)}: ${clean(f.message.split('\n')[0]!, 400)}`);
  if (problems.length > 20) lines.push(`… and ${problems.length - 20} more (see --json)`);
  return `${lines.join('\n')}\n`;
}
