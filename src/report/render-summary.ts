/**
 * The summary table of a batch run: one small row per domain (its verdict,
 * counts, each service's state and its worst finding, which after root-cause
 * grouping is the cause rather than a symptom), kept instead of the whole
 * reports so that memory stays small. Laid out to fit the terminal's width.
 */
import { Chalk } from 'chalk';
import type { Report } from './model.js';
import { escapeTerminal as esc } from '../core/escape.js';
import { renderTable, span, wrap, type Column } from './layout.js';

interface Row {
  domain: string;
  status: Report['summary']['status'];
  exit: number;
  errors: number;
  warnings: number;
  services: string;
  worst: string;
}

export class BatchSummary {
  private readonly rows: Row[] = [];

  add(r: Report): void {
    const top = r.findings.find((f) => !f.ignored);
    this.rows.push({
      domain: r.input.domain || r.input.raw,
      status: r.summary.status,
      exit: r.summary.exitCode,
      errors: r.summary.errors,
      warnings: r.summary.warnings,
      // One service per line: "c2s 1/3" (targets that work, of all), or the state when there is no such count.
      services: r.services.map((s) => `${s.service} ${['ok', 'degraded', 'down'].includes(s.status.state) ? `${s.status.targetsUp}/${s.status.targetsTotal}` : s.status.state === 'unchecked' ? 'dns-only' : s.status.state}`).join('\n'),
      worst: r.summary.status === 'unknown' ? (r.summary.reason ?? '') : top && top.severity !== 'info' ? top.code : '',
    });
  }

  render(opts: { color: boolean; width?: number }): string {
    const c = new Chalk({ level: opts.color ? 1 : 0 });
    const width = Math.max(20, opts.width ?? 80);
    const paint = { ok: c.green, warning: c.yellow, error: c.red, unknown: c.magenta } as const;
    const rows = [...this.rows].sort((a, b) => a.domain.localeCompare(b.domain));
    const columns: Column[] = [{ header: 'Domain' }, { header: 'Status' }, { header: 'Err', align: 'right' }, { header: 'Warn', align: 'right' }, { header: 'Services' }, { header: 'Worst finding' }];
    const lines = renderTable({
      columns,
      rows: rows.map((r) => [esc(r.domain), span(r.status, paint[r.status]), String(r.errors), String(r.warnings), r.services, esc(r.worst, 200)]),
      width,
      indent: 0,
      headStyle: c.cyan,
      labelStyle: c.dim,
    });
    const n = (s: Row['status']): number => rows.filter((r) => r.status === s).length;
    lines.push(...wrap(`${rows.length} domains: ${n('ok')} ok, ${n('warning')} warning, ${n('error')} error, ${n('unknown')} unknown`, width));
    return `${lines.join('\n')}\n`;
  }
}
