/**
 * The verdict of a run: status and exit code from the findings, as monitoring
 * plugins use them: 0 OK, 1 warnings, 2 errors, 3 unknown (the check could not run).
 */
import type { Finding } from '../core/finding.js';
import type { ReportSummary } from './model.js';

export interface SummaryOptions {
  /** error: warnings alone exit 0 (the status still says warning), for CI jobs that fail only on errors. */
  failOn?: 'warning' | 'error';
}

/** Findings marked ignored (--ignore) count in nothing. */
export function summarize(findings: Finding[], unknownReason: string | null = null, opts: SummaryOptions = {}): ReportSummary {
  const counted = findings.filter((f) => !f.ignored);
  const errors = counted.filter((f) => f.severity === 'error').length;
  const warnings = counted.filter((f) => f.severity === 'warning').length;
  const infos = counted.filter((f) => f.severity === 'info').length;
  if (unknownReason) return { status: 'unknown', exitCode: 3, errors, warnings, infos, reason: unknownReason };
  if (errors) return { status: 'error', exitCode: 2, errors, warnings, infos, reason: null };
  if (warnings) return { status: 'warning', exitCode: opts.failOn === 'error' ? 0 : 1, errors, warnings, infos, reason: null };
  return { status: 'ok', exitCode: 0, errors, warnings, infos, reason: null };
}

/** Marks the findings --ignore names: they stay in the report, flagged. */
export function markIgnored<F extends Finding>(findings: F[], codes: readonly string[]): F[] {
  if (!codes.length) return findings;
  const set = new Set(codes);
  return findings.map((f) => (set.has(f.code) ? { ...f, ignored: true } : f));
}
