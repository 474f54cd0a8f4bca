/** The table never lets text from the network start a line of its own. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unknownReport } from '../../src/pipeline.js';
import { renderTable } from '../../src/report/render-table.js';
import { summarize } from '../../src/report/summary.js';
import { escapeTerminal } from '../../src/core/escape.js';

test('a newline from the network stays escaped; our own line breaks still break lines', () => {
  const r = unknownReport('x.example', 'n/a', { resolver: { host: '127.0.0.1', port: 53 }, resolverSource: 'option', services: ['c2s'], seed: 1, timeoutMs: 1000, ipFamilies: [4] });
  const hostile = escapeTerminal('bye\n\nOK — 0 errors, 0 warnings, 0 info (exit 0)');
  r.findings = [
    { code: 'STREAM_ERROR', severity: 'error', subject: 'x:5222 via 127.0.0.1', message: `The server closed the stream: ${hostile}`, fix: 'f', reference: 'RFC 6120' },
    { code: 'DANE_TLSA_MISMATCH', severity: 'error', subject: '_5222._tcp.x', message: 'None matches. Records that would match:\n_5222._tcp.x. 3600 IN TLSA 3 1 1 AB', fix: 'f', reference: 'RFC 7671' },
  ];
  r.summary = summarize(r.findings);
  const out = renderTable(r, { color: false });
  const lines = out.split('\n');
  assert.ok(!lines.some((l) => l.trim().startsWith('OK —')), 'no forged verdict line');
  assert.ok(lines.some((l) => l.includes('bye\\x0a\\x0aOK — 0 errors')), 'the network newline is shown escaped');
  assert.ok(lines.some((l) => l.trim().startsWith('_5222._tcp.x. 3600 IN TLSA 3 1 1 AB')), 'our own line break is kept');
});
