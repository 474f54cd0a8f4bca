/** The layout of the terminal report: wrapping and tables that fit any width without losing a word. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayWidth, renderTable, span, wrap } from '../../src/report/layout.js';

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

test('displayWidth counts columns: colour codes take none, wide characters two, combining marks none', () => {
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('\u001b[31mabc\u001b[39m'), 3);
  assert.equal(displayWidth('日本'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(displayWidth('✓ — ▲'), 5);
});

test('wrap breaks at spaces within the width, keeps every word, and indents', () => {
  const text = 'The certificate covers the SRV target xmpp.hosting.example (it names DNS:xmpp.hosting.example) but not the domain.';
  for (const width of [20, 33, 60, 200]) {
    const lines = wrap(text, width, { indent: 2, hanging: 6 });
    for (const l of lines) assert.ok(displayWidth(l) <= width, `${width}: "${l}"`);
    // At 20 columns, 14 are left after the indent: longer words are cut, nothing is lost.
    if (width >= 33) assert.deepEqual(words(lines.join(' ')), words(text), `${width}: every word, in order`);
    else assert.equal(lines.join('').replace(/ /g, ''), text.replace(/ /g, ''));
    assert.ok(lines[0]!.startsWith('  The'));
    if (lines.length > 1) assert.ok(lines[1]!.startsWith('      ') && !lines[1]!.startsWith('       '));
  }
});

test('a word wider than the line is cut, preferably after punctuation, and nothing is lost', () => {
  const url = 'https://very-long-host-name.example.org/.well-known/posh/xmpp-client.json';
  const lines = wrap(url, 30, { indent: 4 });
  for (const l of lines) assert.ok(displayWidth(l) <= 30);
  assert.equal(lines.map((l) => l.trim()).join(''), url);
  assert.ok(lines.slice(0, -1).every((l) => /[/.\-_:=?&,;]$/.test(l)), `cut after punctuation: ${JSON.stringify(lines)}`);
});

test('styles apply after layout: widths ignore them, and a hard line break starts a new line', () => {
  const red = (s: string): string => `\u001b[31m${s}\u001b[39m`;
  const lines = wrap([span('error', red), span(' two words\nnext line')], 12);
  assert.deepEqual(lines.map((l) => l.replace(/\u001b\[\d+m/g, '')), ['error two', 'words', 'next line']);
  assert.ok(lines[0]!.startsWith('\u001b[31merror\u001b[39m'));
  // Padding from several spans in a row is kept together.
  assert.deepEqual(wrap([span('✖ error  '), span(' CODE')], 40), ['✖ error   CODE']);
});

const spec = (width: number) => ({
  columns: [{ header: 'Target' }, { header: 'Address' }, { header: 'Result' }, { header: 'Auth' }, { header: 'ms', align: 'right' as const }],
  rows: [
    ['xmpp1.example.org:5222', '192.0.2.1', 'STARTTLS TLSv1.3', '✓ PKIX', '114'],
    ['', '2001:db8:1234:5678:9abc:def0:1234:5678', 'TLSv1.3, ALPN xmpp-client', '✓ PKIX+DANE', '5'],
    ['a-rather-long-node-name-of-a-cluster-for-the-layout-tests-0123.xmpp-cluster.example.org:5223', '::1', 'refused', '-', '1'],
  ],
  width,
});

test('a table fits every width from 24 to 200 columns and keeps every word of every cell whole', () => {
  for (let width = 24; width <= 200; width++) {
    const lines = renderTable(spec(width));
    for (const l of lines) assert.ok(displayWidth(l) <= width, `width ${width}: "${l}" is ${displayWidth(l)} wide`);
    const all = lines.join('\n');
    for (const row of spec(width).rows) {
      for (const cell of row) {
        for (const w of words(cell)) {
          // A word longer than the whole line can only be cut; every other word is on one line.
          if (w.length + 6 <= width) assert.ok(lines.some((l) => l.includes(w)), `width ${width}: "${w}" is whole:\n${all}`);
          else assert.ok(lines.map((l) => l.trim()).join('').includes(w), `width ${width}: "${w}" is all there:\n${all}`);
        }
      }
    }
  }
});

test('wide enough, a table is one line per row, numbers aligned right', () => {
  const lines = renderTable(spec(200));
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^ {2}Target +Address +Result +Auth +ms$/);
  assert.match(lines[1]!, / 114$/);
  assert.match(lines[2]!, / {2}5$/);
});

test('a cell whose word does not fit its column goes to an indented detail line under its row', () => {
  const lines = renderTable(spec(80));
  const i = lines.findIndex((l) => l.includes('Address: 2001:db8:1234:5678:9abc:def0:1234:5678'));
  assert.ok(i > 0, lines.join('\n'));
  assert.match(lines[i]!, /^ {6}Address: /);
  assert.match(lines[i - 1]!, /↓/, 'the row marks the cell that moved');
  // The long first cell heads its row on a line of its own.
  const head = lines.findIndex((l) => l.trim().startsWith('a-rather-long-node-name'));
  assert.ok(head > 0 && lines.slice(head + 1, head + 3).some((l) => /^ +::1 +refused/.test(l)), lines.join('\n'));
});

test('too narrow for any table: each row becomes a block of Header: value lines', () => {
  const lines = renderTable(spec(22));
  assert.ok(lines.some((l) => /^ {6}Result:/.test(l)));
  for (const l of lines) assert.ok(displayWidth(l) <= 22);
});
