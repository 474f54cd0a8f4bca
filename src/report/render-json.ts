/**
 * The JSON rendering of a report: the report itself, as described by
 * schema/report.schema.json; one compact line per report for NDJSON batches.
 */
import type { Report } from './model.js';

export function renderJson(r: Report): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

/** One report on one line, for NDJSON (--domains-file --json). */
export function renderJsonLine(r: Report): string {
  return `${JSON.stringify(r)}\n`;
}
