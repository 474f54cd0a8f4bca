/**
 * The verdict of a run: status and exit code from the findings, as monitoring
 * plugins use them: 0 OK, 1 warnings, 2 errors, 3 unknown (the check could not run).
 */
import type { Finding } from '../core/finding.js';
import type { ReportSummary } from './model.js';

export function summarize(findings: Finding[], unknownReason: string | null = null): ReportSummary {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const infos = findings.filter((f) => f.severity === 'info').length;
  if (unknownReason) return { status: 'unknown', exitCode: 3, errors, warnings, infos, reason: unknownReason };
  if (errors) return { status: 'error', exitCode: 2, errors, warnings, infos, reason: null };
  if (warnings) return { status: 'warning', exitCode: 1, errors, warnings, infos, reason: null };
  return { status: 'ok', exitCode: 0, errors, warnings, infos, reason: null };
}
