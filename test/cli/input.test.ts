import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, parseInput } from '../../src/cli/input.js';
import { escapeTerminal } from '../../src/core/escape.js';

test('a bare domain, with or without trailing dot and in any case', () => {
  assert.equal(parseInput('Example.COM.').domain, 'example.com');
  assert.equal(parseInput('example.com').jid, null);
});

test('a JID gives its domain part', () => {
  const i = parseInput('juliet@capulet.example/balcony@night');
  assert.equal(i.domain, 'capulet.example');
  assert.equal(i.jid, 'juliet@capulet.example/balcony@night');
  assert.equal(parseInput('xmpp:romeo@montague.example').domain, 'montague.example');
  assert.equal(parseInput('montague.example/resource').domain, 'montague.example');
});

test('an IDN is converted to A-labels and both are kept', () => {
  const i = parseInput('bücher.example');
  assert.equal(i.domain, 'xn--bcher-kva.example');
  assert.equal(i.unicode, 'bücher.example');
  assert.equal(parseInput('user@BÜCHER.example').domain, 'xn--bcher-kva.example');
});

test('invalid names are refused with a reason', () => {
  const bad: [string, RegExp][] = [
    ['', /no domain/],
    ['a..b.example', /empty label/],
    [`${'x'.repeat(64)}.example`, /at most 63/],
    [`${'abcdefghi.'.repeat(26)}example`, /at most 253/],
    ['under_score.example', /characters/],
    ['-lead.example', /characters/],
    ['sp ace.example', /spaces or control/],
    ['tab\t.example', /spaces or control/],
    ['user@', /no domain part/],
    ['192.0.2.1', /IP address/],
    ['localdomain', /single label/],
  ];
  for (const [input, why] of bad) {
    assert.throws(() => parseInput(input), (e: unknown) => e instanceof InputError && why.test(e.message), `input ${JSON.stringify(input)}`);
  }
});

test('escapeTerminal neutralises control characters, escapes and bidi overrides', () => {
  assert.equal(escapeTerminal('ok.example'), 'ok.example');
  assert.equal(escapeTerminal('\u001b[31mred'), '\\x1b[31mred');
  assert.equal(escapeTerminal('a\u202eb'), 'a\\u{202e}b');
  assert.equal(escapeTerminal('line\nbreak\r'), 'line\\x0abreak\\x0d');
  const long = escapeTerminal('x'.repeat(1000));
  assert.ok(long.length < 400);
  assert.match(long, /700 more characters/);
});
