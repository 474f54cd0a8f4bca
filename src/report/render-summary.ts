/**
 * The summary table of a batch run: one small row per domain (its verdict,
 * counts, the services' modes and its worst finding), kept instead of the
 * whole reports so that memory stays small.
 */
import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { Report } from './model.js';
import { escapeTerminal as esc } from '../core/escape.js';

interface Row {
  domain: string;
  status: Report['summary']['status'];
  exit: number;
  errors: number;
  warnings: number;
  modes: string;
  worst: string;
}

export class BatchSummary {
  private readonly rows: Row[] = [];

  add(r: Report): void {
    const top = r.findings[0];
    this.rows.push({
      domain: r.input.domain || r.input.raw,
      status: r.summary.status,
      exit: r.summary.exitCode,
      errors: r.summary.errors,
      warnings: r.summary.warnings,
      modes: r.services.map((s) => `${s.service}:${s.mode}`).join(' '),
      worst: r.summary.status === 'unknown' ? (r.summary.reason ?? '') : top && top.severity !== 'info' ? top.code : '',
    });
  }

  render(opts: { color: boolean }): string {
    const c = new Chalk({ level: opts.color ? 1 : 0 });
    const t = new Table({ head: ['Domain', 'Status', 'Errors', 'Warnings', 'Services', 'Worst finding'], style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [] } });
    const paint = { ok: c.green, warning: c.yellow, error: c.red, unknown: c.magenta } as const;
    const rows = [...this.rows].sort((a, b) => a.domain.localeCompare(b.domain));
    for (const r of rows) t.push([esc(r.domain), paint[r.status](r.status), String(r.errors), String(r.warnings), r.modes, esc(r.worst, 80)]);
    const n = (s: Row['status']): number => rows.filter((r) => r.status === s).length;
    return `${t.toString()}\n${rows.length} domains: ${n('ok')} ok, ${n('warning')} warning, ${n('error')} error, ${n('unknown')} unknown\n`;
  }
}
