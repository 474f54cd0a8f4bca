/**
 * The JSON rendering of a report: the report itself, as described by
 * schema/report.schema.json; one compact line per report for NDJSON batches.
 * Certificate bodies (DER, PEM) only with --include-certs. Beyond what
 * JSON.stringify escapes (C0 controls, quotes, lone surrogates), DEL, C1
 * controls, bidi overrides and isolates and other invisible format characters
 * are written as \u escapes, so JSON piped to a terminal is safe too; a JSON
 * parser reads back the same strings.
 */
import type { Report } from './model.js';

// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u007f-\u009f\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]/g;

/** JSON text with the characters above as \u escapes (they can only occur inside strings). */
export function escapeJsonText(json: string): string {
  return json.replace(INVISIBLE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

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
  return `${escapeJsonText(JSON.stringify(r, replacer(opts), 2))}\n`;
}

/** One report on one line, for NDJSON (--domains-file --json). */
export function renderJsonLine(r: Report, opts: JsonOptions = {}): string {
  return `${escapeJsonText(JSON.stringify(r, replacer(opts)))}\n`;
}
