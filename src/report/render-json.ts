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

/**
 * The report without certificate bodies: the `der`/`pem` of every object that
 * describes a certificate (it has a `sha256`) left out. A copy only of the
 * objects on the way to a body; the rest is shared. (A JSON.stringify
 * replacer does the same but is called for every value of the report, which
 * made it the costliest step of writing a batch.)
 */
function withoutBodies(v: unknown): unknown {
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const y = x !== null && typeof x === 'object' ? withoutBodies(x) : x;
      if (y !== x) (out ??= v.slice())[i] = y;
    }
    return out ?? v;
  }
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || v instanceof Date) return v;
  const o = v as Record<string, unknown>;
  const isCert = typeof o['sha256'] === 'string';
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (isCert && (k === 'der' || k === 'pem') && typeof x === 'string') {
      out ??= { ...o };
      delete out[k];
      continue;
    }
    const y = x !== null && typeof x === 'object' ? withoutBodies(x) : x;
    if (y !== x) (out ??= { ...o })[k] = y;
  }
  return out ?? o;
}

const bodies = (r: Report, opts: JsonOptions): unknown => (opts.includeCerts ? r : withoutBodies(r));

export function renderJson(r: Report, opts: JsonOptions = {}): string {
  return `${escapeJsonText(JSON.stringify(bodies(r, opts), null, 2))}\n`;
}

/** One report on one line, for NDJSON (--domains-file --json). */
export function renderJsonLine(r: Report, opts: JsonOptions = {}): string {
  return `${escapeJsonText(JSON.stringify(bodies(r, opts)))}\n`;
}
