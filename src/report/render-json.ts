/** The JSON rendering of a report: the report itself, as described by schema/report.schema.json. */
import type { Report } from './model.js';

export function renderJson(r: Report): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}
