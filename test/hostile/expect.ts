/**
 * What every hostile case must hold, whatever it sends: the expected exit
 * code, within a generous deadline (not a benchmark), under a memory bound,
 * no stack trace, no raw control character in the table, and no line of the
 * table started by text from the network.
 */
import assert from 'node:assert/strict';
import { INJECTED } from '../../fixtures/hostile/lab.js';
import { RAW_CONTROL, STACK_TRACE, type MeasuredRun } from '../helpers/measured.js';

export interface Expect {
  exit: number | number[];
  /** Wall-time deadline, ms (generous: several times --timeout). */
  maxMs: number;
  /** Peak RSS bound, MB (default 300, the README's goal for any single domain). */
  maxMb?: number;
  /** stdout is JSON (one document, or NDJSON lines). */
  json?: boolean;
}

const C1_BIDI_DEL = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function assertHostile(r: MeasuredRun, e: Expect, what: string): void {
  const exits = Array.isArray(e.exit) ? e.exit : [e.exit];
  const info = `${what}: exit ${r.code}${r.signal ? ` (${r.signal})` : ''}, ${Math.round(r.ms)} ms, ${r.peakMb.toFixed(0)} MB\nstderr: ${r.stderr.slice(0, 800)}\nstdout: ${r.stdout.slice(0, 800)}`;
  assert.equal(r.signal, null, `killed: ${info}`);
  assert.ok(exits.includes(r.code ?? -1), `exit code: ${info}`);
  assert.ok(r.ms < e.maxMs, `deadline ${e.maxMs} ms: ${info}`);
  assert.ok(Number.isFinite(r.peakMb), `no peak RSS reported: ${info}`);
  assert.ok(r.peakMb < (e.maxMb ?? 300), `memory bound ${e.maxMb ?? 300} MB: ${info}`);
  assert.doesNotMatch(r.stderr, STACK_TRACE, `stack trace: ${info}`);
  assert.ok(r.stderr.split('\n').filter(Boolean).length <= 2, `at most one line (and the usage hint) on stderr: ${info}`);
  if (e.json) {
    assert.doesNotMatch(r.stdout, C1_BIDI_DEL, `raw C1/bidi/DEL in JSON: ${info}`);
    for (const line of r.stdout.trim() ? (r.stdout.trim().startsWith('{\n') ? [r.stdout] : r.stdout.trim().split('\n')) : []) JSON.parse(line);
  } else {
    const bad = RAW_CONTROL.exec(r.stdout);
    assert.equal(bad, null, `raw control U+${bad?.[0].codePointAt(0)!.toString(16).padStart(4, '0')} in the table: ${info}`);
    const forged = r.stdout.split('\n').find((l) => l.replace(/^[\s│┃|]+/, '').toUpperCase().startsWith(INJECTED));
    assert.equal(forged, undefined, `a line of the table starts with text from the network: ${info}`);
  }
}
