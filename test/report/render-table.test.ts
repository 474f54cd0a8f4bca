/** The table renderer on hand-made reports: network text never starts a line of its own; many addresses stay bounded. */
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

test('a target with many addresses shows the first six and how many more; the draw line the first twelve', () => {
  const r = unknownReport('many.example', 'n/a', { resolver: { host: '127.0.0.1', port: 53 }, resolverSource: 'option', services: ['c2s'], seed: 1, timeoutMs: 1000, ipFamilies: [4] });
  const addrs = Array.from({ length: 150 }, (_, i) => `192.0.2.${i}`);
  const cands = Array.from({ length: 20 }, (_, i) => ({ id: `c2s:xmpp:n${i}.many.example:5222`, service: 'c2s' as const, family: 'xmpp' as const, mode: 'starttls' as const, source: 'srv' as const, priority: 0, weight: 1, port: 5222, target: `n${i}.many.example`, ttl: 300, share: 0.05, group: 1 }));
  r.input = { raw: 'many.example', domain: 'many.example', unicode: 'many.example', jid: null };
  r.hosts = Object.fromEntries(cands.map((c) => [c.target, { name: c.target, cnames: [], ipLiteral: false, a: { status: 'ok' as const, error: null, addresses: addrs, ttl: 300 }, aaaa: { status: 'nodata' as const, error: null, addresses: [], ttl: null } }]));
  const lookup = { owner: '_xmpp-client._tcp.many.example', status: 'ok' as const, rcode: 'NOERROR', error: null, cnames: [], records: [], noService: false };
  r.services = [{
    service: 'c2s', srv: { xmpp: lookup, xmpps: { ...lookup, owner: '_xmpps-client._tcp.many.example' }, jabber: null }, mode: 'srv', candidates: cands,
    draw: { seed: 1, order: cands.map((c) => c.id) }, probes: [], posh: null, publish: { posh: null, poshUrl: '', tlsa: [], advice: { decision: 'none', reason: '' } }, quic: null,
    status: { state: 'unchecked', targetsUp: 0, targetsTotal: 20, addressesUp: 0, addressesTotal: 0, authenticatedBy: [], summary: '20 targets found, not probed (--dns-only)' },
  }];
  r.summary = summarize([]);
  const started = Date.now();
  const out = renderTable(r, { color: false, width: 80 });
  assert.ok(Date.now() - started < 5000, 'bounded work (not a benchmark: a generous bound)');
  assert.equal(out.split('\n').filter((l) => /192\.0\.2\.\d+/.test(l)).length, 20 * 6, 'six addresses per target');
  assert.equal(out.match(/… and 144 more/g)!.length, 20);
  assert.match(out, /n11\.many\.example:5222 → … and 8 more/);
});
