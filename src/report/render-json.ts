/**
 * The JSON rendering of a report: the report itself, as described by
 * schema/report.schema.json; one compact line per report for NDJSON batches.
 * Certificate bodies (DER, PEM) only with --include-certs.
 */
import type { Report } from './model.js';

export interface JsonOptions {
  /** Keep the DER and PEM bodies of certificates (--include-certs); by default they are left out. */
  includeCerts?: boolean;
}

/** Leaves out certificate bodies: the `der`/`pem` of an object that describes a certificate (it has a `sha256`). */
function replacer(opts: JsonOptions): ((this: unknown, key: string, value: unknown) => unknown) | undefined {
  if (opts.includeCerts) return undefined;
  return function (this: unknown, key: string, value: unknown): unknown {
    if ((key === 'der' || key === 'pem') && typeof value === 'string' && typeof (this as { sha256?: unknown }).sha256 === 'string') return undefined;
    return value;
  };
}

export function renderJson(r: Report, opts: JsonOptions = {}): string {
  return `${JSON.stringify(r, replacer(opts), 2)}\n`;
}

/** One report on one line, for NDJSON (--domains-file --json). */
export function renderJsonLine(r: Report, opts: JsonOptions = {}): string {
  return `${JSON.stringify(r, replacer(opts))}\n`;
}
