/** The small pieces the hostile corpus rests on, without sockets: unicast checks, DNS name lengths, finding escapes, JSON escapes, list caps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unicastProblem } from '../../src/dns/address.js';
import { dnsNameProblem } from '../../src/dns/client.js';
import { targetNameProblem } from '../../src/discovery/discover.js';
import { makeFinding } from '../../src/core/finding.js';
import { CATALOGUE } from '../../src/report/catalogue.js';
import { escapeJsonText, renderJson } from '../../src/report/render-json.js';
import { capList } from '../../src/report/render-table.js';

test('unicastProblem: broadcast, multicast, unspecified, reserved and unscoped link-local are refused; unicast passes', () => {
  for (const bad of ['255.255.255.255', '224.0.0.251', '239.1.2.3', '0.0.0.0', '0.1.2.3', '240.0.0.1', '::', 'ff02::1', 'ff05::fb', 'fe80::1', 'fe80::1%no-such-interface', '::ffff:255.255.255.255', 'not-an-ip']) {
    assert.ok(unicastProblem(bad), `${bad} refused`);
  }
  for (const good of ['127.0.0.1', '127.0.0.53', '10.1.2.3', '192.0.2.53', '8.8.8.8', '::1', '2001:db8::53', 'fd00::53']) {
    assert.equal(unicastProblem(good), null, `${good} accepted`);
  }
});

test('dnsNameProblem counts octets on the wire: 63 per label, 255 in all', () => {
  assert.equal(dnsNameProblem('example.com'), null);
  assert.equal(dnsNameProblem(`${'a'.repeat(63)}.example`), null);
  assert.match(dnsNameProblem(`${'a'.repeat(64)}.example`)!, /64 octets/);
  assert.equal(dnsNameProblem(`${'\ufffd'.repeat(21)}.example`), null, '21 × 3 octets fit');
  assert.match(dnsNameProblem(`${'\ufffd'.repeat(22)}.example`)!, /66 octets/);
  const name253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
  assert.equal(name253.length, 253);
  assert.equal(dnsNameProblem(name253), null);
  assert.match(dnsNameProblem(`_xmpp-client._tcp.${name253}`)!, /on the wire/);
  assert.match(dnsNameProblem('a..b')!, /empty label/);
});

test('targetNameProblem: control characters, non-ASCII and long labels are not host names', () => {
  assert.equal(targetNameProblem('xmpp.example.com'), null);
  assert.equal(targetNameProblem('_tolerated.example.com'), null);
  for (const bad of ['a\u001b.example', 'a\nb.example', 'a\u0000.example', 'a b.example', 'bücher.example', '\ufffd.example', `${'a'.repeat(64)}.example`]) {
    assert.ok(targetNameProblem(bad), JSON.stringify(bad));
  }
});

test('makeFinding escapes subject, message and fix once; our own lines stay lines; escaping twice changes nothing', () => {
  const def = CATALOGUE.get('STREAM_ERROR')!;
  const f = makeFinding(def, 'x\n:5222', 'text from the network: bye\nFORGED \u202e \u009b', { fix: ['first line', 'second \u001b[2J line'] });
  assert.equal(f.subject, 'x\\x0a:5222');
  assert.equal(f.message, 'text from the network: bye\\x0aFORGED \\u{202e} \\x9b');
  assert.equal(f.fix, 'first line\nsecond \\x1b[2J line');
  const again = makeFinding(def, f.subject, f.message);
  assert.equal(again.subject, f.subject);
  assert.equal(again.message, f.message);
});

test('escapeJsonText writes DEL, C1, bidi and other invisible characters as \\u escapes; the JSON reads back the same', () => {
  const raw = { s: 'a\u007fb\u009bc\u202ed\u2066e\u2028f\u200bg' };
  const text = escapeJsonText(JSON.stringify(raw));
  assert.doesNotMatch(text, /[\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u200b]/);
  assert.deepEqual(JSON.parse(text), raw);
  assert.ok(renderJson({ x: '\u202e' } as never).includes('\\u202e'));
});

test('capList keeps the first items and says how many more', () => {
  const more = (n: number): string => `… and ${n} more`;
  assert.deepEqual(capList(['a', 'b', 'c'], 6, more), ['a', 'b', 'c']);
  assert.deepEqual(capList(Array.from({ length: 10 }, (_, i) => String(i)), 3, more), ['0', '1', '2', '… and 7 more']);
});
