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

test('host:port is checked as the domain, with a note that the port is ignored', () => {
  const i = parseInput('example.test:5222');
  assert.equal(i.domain, 'example.test');
  assert.equal(i.jid, null);
  assert.match(i.note ?? '', /^the port 5222 in "example\.test:5222" is ignored: the ports come from DNS \(SRV records, else 5222\/5269\)$/);
  assert.equal(parseInput('juliet@example.test:5223/balcony').domain, 'example.test');
  assert.equal(parseInput('example.test').note, undefined);
  assert.throws(() => parseInput('example.test:99999'), (e: unknown) => e instanceof InputError && /port/.test(e.message));
});

test('web addresses and xmpp:// are refused with one line that says what to type', () => {
  const cases: [string, RegExp][] = [
    ['https://example.test/', /^"https:\/\/example\.test\/" is a web address, not an XMPP domain; type: xmpp-check example\.test$/],
    ['http://chat.example.test:5280/http-bind', /type: xmpp-check chat\.example\.test$/],
    ['xmpp://example.test', /^"xmpp:\/\/example\.test": in an xmpp: URI, what follows "\/\/" is the account to log in with \(RFC 5122 §2\.3\), not the address to check; type: xmpp-check example\.test$/],
    ['xmpp://guest@example.test/support@chat.example.test', /type: xmpp-check chat\.example\.test$/],
    ['xmpp://', /type: xmpp-check DOMAIN/],
  ];
  for (const [input, want] of cases) {
    assert.throws(() => parseInput(input), (e: unknown) => e instanceof InputError && want.test(e.message) && !e.message.includes('\n'), `input ${input}`);
  }
});

test('a JID with an empty localpart or an empty resourcepart is not a JID (RFC 7622)', () => {
  assert.throws(() => parseInput('@lab.test'), (e: unknown) => e instanceof InputError && /^"@lab\.test" is not a valid JID: the localpart before "@" is empty \(RFC 7622 §3\.3\)/.test(e.message));
  assert.throws(() => parseInput('juliet@lab.test/'), (e: unknown) => e instanceof InputError && /the resourcepart after "\/" is empty \(RFC 7622 §3\.4\)/.test(e.message));
  assert.throws(() => parseInput('xmpp:@lab.test'), (e: unknown) => e instanceof InputError && /localpart before "@" is empty/.test(e.message));
  assert.throws(() => parseInput('a@b@lab.test'), (e: unknown) => e instanceof InputError && /^"a@b@lab\.test" is not a valid JID: it has more than one "@"/.test(e.message));
  // An "@" in the resourcepart is allowed (RFC 7622 §3.4).
  assert.equal(parseInput('juliet@lab.test/phone@home').domain, 'lab.test');
});
