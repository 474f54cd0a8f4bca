/**
 * The pure parts of the XEP-0156 check: WebSocket framing (RFC 6455 §5), the
 * XRD/JRD parsers, the XML document parser's limits, QUIC link extraction, and
 * the BOSH/RFC 7395 elements we send.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptFor, closePayload, encodeFrame, FrameReader, OP } from '../../src/web/ws-frame.js';
import { parseJrd, parseXrd } from '../../src/web/host-meta.js';
import { parseXmlDocument, attrNs } from '../../src/web/xml.js';
import { quicLinksOf } from '../../src/web/check.js';
import { sessionRequest } from '../../src/web/bosh.js';
import { openElement } from '../../src/web/websocket.js';

test('Sec-WebSocket-Accept: the RFC 6455 §1.3 example', () => {
  assert.equal(acceptFor('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
});

test('frames round-trip, masked and not, across lengths and arbitrary chunking', () => {
  for (const len of [0, 5, 125, 126, 300, 65_535, 65_536, 70_000]) {
    const payload = Buffer.alloc(len, 0x61);
    for (const masked of [true, false]) {
      const bytes = encodeFrame(OP.text, payload, masked);
      const reader = new FrameReader(masked, 100_000);
      const events = [];
      for (let i = 0; i < bytes.length; i += 7) events.push(...reader.push(bytes.subarray(i, i + 7)));
      assert.equal(events.length, 1, `len ${len}`);
      assert.equal(events[0]!.type, 'message');
      assert.ok(events[0]!.type === 'message' && events[0]!.data.equals(payload));
    }
  }
});

test('fragments are reassembled; control frames may come between them', () => {
  const r = new FrameReader(false);
  const ev = r.push(Buffer.concat([
    encodeFrame(OP.text, Buffer.from('<a/'), false, false),
    encodeFrame(OP.ping, Buffer.from('p'), false),
    encodeFrame(OP.continuation, Buffer.from('>'), false, true),
  ]));
  assert.deepEqual(ev.map((e) => e.type), ['ping', 'message']);
  assert.equal(ev[1]!.type === 'message' && ev[1]!.data.toString(), '<a/>');
});

test('protocol violations: mask direction, oversize, reserved bits, stray continuation; nothing after an error', () => {
  assert.equal(new FrameReader(false).push(encodeFrame(OP.text, Buffer.from('x'), true))[0]!.type, 'error');
  assert.equal(new FrameReader(true).push(encodeFrame(OP.text, Buffer.from('x'), false))[0]!.type, 'error');
  const big = new FrameReader(false, 100).push(encodeFrame(OP.text, Buffer.alloc(101), false));
  assert.equal(big[0]!.type, 'error');
  const rsv = encodeFrame(OP.text, Buffer.from('x'), false);
  rsv[0] = rsv[0]! | 0x40;
  const r = new FrameReader(false);
  assert.equal(r.push(rsv)[0]!.type, 'error');
  assert.deepEqual(r.push(encodeFrame(OP.text, Buffer.from('x'), false)), []);
  assert.equal(new FrameReader(false).push(encodeFrame(OP.continuation, Buffer.from('x'), false))[0]!.type, 'error');
  // A 64-bit length beyond the cap is refused from the header alone, before any payload.
  const hdr = Buffer.from([0x81, 127, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.equal(new FrameReader(false).push(hdr)[0]!.type, 'error');
});

test('close frames carry code and reason', () => {
  const ev = new FrameReader(false).push(encodeFrame(OP.close, closePayload(1001, 'bye'), false));
  assert.deepEqual(ev, [{ type: 'close', code: 1001, reason: 'bye' }]);
});

test('XRD: links in the XRD namespace only, with rel and href; prefixes do not matter', () => {
  const r = parseXrd(
    `<x:XRD xmlns:x="http://docs.oasis-open.org/ns/xri/xrd-1.0" xmlns:o="urn:other"><x:Link rel=" urn:a " href="wss://h/ws" type="t"/>` +
      `<o:Link rel="urn:b" href="https://h/b"/><x:Link rel="urn:c" template="https://h/{uri}"/></x:XRD>`,
  );
  assert.deepEqual(r, { links: [{ rel: 'urn:a', href: 'wss://h/ws', type: 't' }] });
  assert.ok('error' in parseXrd('<XRD><Link rel="a" href="b"/></XRD>'), 'no namespace');
  assert.ok('error' in parseXrd(''), 'empty');
});

test('JRD: links array; template links skipped; wrong types refused', () => {
  assert.deepEqual(parseJrd('{"links":[{"rel":"a","href":"b"},{"rel":"c","template":"x"}]}'), { links: [{ rel: 'a', href: 'b', type: null }] });
  assert.deepEqual(parseJrd('{"subject":"x"}'), { links: [] });
  for (const bad of ['[]', 'null', '{"links":{}}', '{"links":[1]}', '{"links":[{"href":"x"}]}', '{"links":[{"rel":"a","href":3}]}', '{']) {
    assert.ok('error' in parseJrd(bad), bad);
  }
});

test('the XML document parser: DOCTYPE refused, depth and size capped, restricted mode, namespaced attributes', () => {
  assert.equal(parseXmlDocument('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>').ok, false);
  assert.equal(parseXmlDocument(`${'<a>'.repeat(40)}${'</a>'.repeat(40)}`).ok, false);
  assert.equal(parseXmlDocument(`<a>${'x'.repeat(300)}</a>`, { maxChars: 100 }).ok, false);
  assert.equal(parseXmlDocument('<a><!-- c --></a>').ok, true);
  assert.equal(parseXmlDocument('<a><!-- c --></a>', { restricted: true }).ok, false);
  assert.equal(parseXmlDocument('<a/><b/>').ok, false);
  const d = parseXmlDocument(`<body xmlns='http://jabber.org/protocol/httpbind' xmlns:q='urn:xmpp:xbosh' q:version='1.0' sid='s'/>`);
  assert.ok(d.ok);
  assert.equal(attrNs(d.root, 'urn:xmpp:xbosh', 'version'), '1.0');
  assert.equal(attrNs(d.root, '', 'sid'), 's');
});

test('QUIC links: any rel mentioning quic, port defaulting to 443, bad URLs skipped, repeats once', () => {
  const q = quicLinksOf([
    { rel: 'urn:xmpp:alt-connections:quic', href: 'quic://a.test:5443', source: 'host-meta' },
    { rel: 'urn:xmpp:alt-connections:quic', href: 'quic://a.test:5443', source: 'host-meta.json' },
    { rel: 'urn:xmpp:alt-connections:xep-0467-QUIC', href: 'https://b.test/', source: 'host-meta.json' },
    { rel: 'urn:xmpp:alt-connections:quic', href: 'not a url', source: 'host-meta' },
    { rel: 'urn:xmpp:alt-connections:websocket', href: 'wss://c.test/', source: 'host-meta' },
  ]);
  assert.deepEqual(q, [
    { rel: 'urn:xmpp:alt-connections:quic', url: 'quic://a.test:5443', host: 'a.test', port: 5443, source: 'host-meta' },
    { rel: 'urn:xmpp:alt-connections:xep-0467-QUIC', url: 'https://b.test/', host: 'b.test', port: 443, source: 'host-meta.json' },
  ]);
});

test('what we send: the XEP-0206 session request and the RFC 7395 <open/>, with the domain escaped', () => {
  const s = parseXmlDocument(sessionRequest("a'b.test", 42, 5));
  assert.ok(s.ok);
  assert.equal(s.root.ns, 'http://jabber.org/protocol/httpbind');
  assert.equal(s.root.attrs['to'], "a'b.test");
  assert.equal(attrNs(s.root, 'urn:xmpp:xbosh', 'version'), '1.0');
  assert.equal(attrNs(s.root, 'http://www.w3.org/XML/1998/namespace', 'lang'), 'en');
  assert.equal(s.root.attrs['wait'], '5');
  const o = parseXmlDocument(openElement('x"<.test'));
  assert.ok(o.ok);
  assert.equal(o.root.ns, 'urn:ietf:params:xml:ns:xmpp-framing');
  assert.equal(o.root.attrs['to'], 'x"<.test');
});
