/**
 * The streaming XML reader: UTF-8 across chunk boundaries, namespaces,
 * restricted XML (DOCTYPE, comments, PIs), and its size, depth and byte caps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XmlStream, type XmlElement, type XmlLimits, type XmlStreamError } from '../../src/xmpp/xml-stream.js';
import { sniff } from '../../src/probes/inbox.js';
import { authenticationMethods, parseFeatures, parseStreamError, streamHeader, streamInfoOf } from '../../src/xmpp/stream.js';

interface Seen {
  root: XmlElement | null;
  elements: XmlElement[];
  closed: boolean;
  errors: XmlStreamError[];
}

function reader(limits?: XmlLimits): { xml: XmlStream; seen: Seen } {
  const seen: Seen = { root: null, elements: [], closed: false, errors: [] };
  const xml = new XmlStream(
    {
      onOpen: (r) => (seen.root = r),
      onElement: (e) => seen.elements.push(e),
      onClose: () => (seen.closed = true),
      onError: (e) => seen.errors.push(e),
    },
    limits,
  );
  return { xml, seen };
}

const HEADER =
  "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.test' id='abc' version='1.0'>";

test('reads a stream header and features, namespaces resolved', () => {
  const { xml, seen } = reader();
  xml.write(Buffer.from(HEADER));
  xml.write(
    Buffer.from(
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>" +
        "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms>" +
        "<sm xmlns='urn:xmpp:sm:3'/><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>",
    ),
  );
  assert.equal(seen.errors.length, 0);
  assert.equal(seen.root?.name, 'stream');
  assert.equal(seen.root?.ns, 'http://etherx.jabber.org/streams');
  const info = streamInfoOf(seen.root!);
  assert.deepEqual([info.from, info.id, info.version, info.contentNs], ['example.test', 'abc', '1.0', 'jabber:client']);
  assert.equal(seen.elements.length, 1);
  const f = parseFeatures(seen.elements[0]!);
  assert.deepEqual(f.starttls, { offered: true, required: true });
  assert.deepEqual(f.mechanisms, ['EXTERNAL', 'SCRAM-SHA-1']);
  assert.equal(f.sm, true);
  assert.equal(f.dialback, true);
  assert.deepEqual(
    f.all.map((x) => x.ns),
    ['urn:ietf:params:xml:ns:xmpp-tls', 'urn:ietf:params:xml:ns:xmpp-sasl', 'urn:xmpp:sm:3', 'urn:xmpp:features:dialback'],
  );
  xml.write(Buffer.from('</stream:stream>'));
  assert.equal(seen.closed, true);
});

test('decodes UTF-8 split across chunks, one byte at a time', () => {
  const { xml, seen } = reader();
  const bytes = Buffer.from(`${HEADER}<stream:error><text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>Grüße 😀 日本</text><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>`);
  for (let i = 0; i < bytes.length; i++) xml.write(bytes.subarray(i, i + 1));
  assert.equal(seen.errors.length, 0);
  const err = parseStreamError(seen.elements[0]!);
  assert.equal(err.condition, 'host-unknown');
  assert.equal(err.text, 'Grüße 😀 日本');
});

test('invalid UTF-8 is an error, not replacement characters', () => {
  const { xml, seen } = reader();
  xml.write(Buffer.from(HEADER));
  xml.write(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]));
  assert.equal(seen.errors.length, 1);
  assert.equal(seen.errors[0]!.kind, 'not-xml');
  assert.equal(seen.elements.length, 0);
});

test('a UTF-8 character cut off at the end of input is reported', () => {
  const { xml, seen } = reader();
  xml.write(Buffer.from(HEADER));
  xml.write(Buffer.from('é').subarray(0, 1));
  assert.equal(seen.errors.length, 0);
  xml.end();
  assert.equal(seen.errors[0]?.kind, 'not-xml');
});

test('DOCTYPE is rejected outright and its entity never expanded', () => {
  const { xml, seen } = reader();
  xml.write(Buffer.from(`<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY lol "lollollol">]><stream:stream xmlns:stream='http://etherx.jabber.org/streams'><a>&lol;</a>`));
  assert.equal(seen.errors.length, 1);
  assert.equal(seen.errors[0]!.kind, 'restricted');
  assert.match(seen.errors[0]!.message, /DOCTYPE/);
  assert.equal(seen.root, null);
  // Nothing after the first error is read.
  assert.equal(xml.write(Buffer.from('<more/>')), false);
  assert.equal(seen.errors.length, 1);
});

test('comments and processing instructions are restricted XML; the XML declaration is not', () => {
  for (const bad of ['<!-- hi -->', "<?php echo 'x' ?>"]) {
    const { xml, seen } = reader();
    xml.write(Buffer.from(HEADER));
    assert.equal(seen.errors.length, 0, 'the XML declaration is allowed');
    xml.write(Buffer.from(`<stream:features>${bad}</stream:features>`));
    assert.equal(seen.errors[0]?.kind, 'restricted', bad);
    assert.equal(seen.elements.length, 0);
  }
});

test('undefined entities are errors; predefined ones and character references are decoded', () => {
  const ok = reader();
  ok.xml.write(Buffer.from(`${HEADER}<a xmlns='urn:x'>&lt;&amp;&#x263A;</a>`));
  assert.equal(ok.seen.elements[0]?.text, '<&\u263a');
  const bad = reader();
  bad.xml.write(Buffer.from(`${HEADER}<a xmlns='urn:x'>&xxe;</a>`));
  assert.equal(bad.seen.errors[0]?.kind, 'not-xml');
  assert.equal(bad.seen.elements.length, 0);
});

test('not XML at all: an SSH banner', () => {
  const { xml, seen } = reader();
  xml.write(Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'));
  assert.equal(seen.errors[0]?.kind, 'not-xml');
});

test('depth cap', () => {
  const { xml, seen } = reader({ maxDepth: 4 });
  xml.write(Buffer.from(`${HEADER}<a xmlns='urn:x'><b><c><d>ok</d></c></b></a>`));
  assert.equal(seen.errors.length, 0);
  assert.equal(seen.elements.length, 1);
  xml.write(Buffer.from(`<a xmlns='urn:x'><b><c><d><e>deep</e></d></c></b></a>`));
  assert.equal(seen.errors[0]?.kind, 'limit');
  assert.equal(seen.elements.length, 1);
});

test('element size cap: one large element, whether it arrives in one chunk or many', () => {
  const big = `<a xmlns='urn:x'>${'x'.repeat(5000)}</a>`;
  const one = reader({ maxElementChars: 1000 });
  one.xml.write(Buffer.from(HEADER + big));
  assert.equal(one.seen.errors[0]?.kind, 'limit');
  assert.equal(one.seen.elements.length, 0);

  const many = reader({ maxElementChars: 1000 });
  many.xml.write(Buffer.from(HEADER));
  const bytes = Buffer.from(`<a xmlns='urn:x'>${'x'.repeat(50_000)}`);
  for (let i = 0; i < bytes.length && !many.seen.errors.length; i += 100) many.xml.write(bytes.subarray(i, i + 100));
  assert.equal(many.seen.errors[0]?.kind, 'limit');
  // It stopped soon after the cap, not at the end of the data.
  assert.ok(many.xml.bytes < HEADER.length + 1200, `read ${many.xml.bytes} bytes`);

  // Many small elements in a row are fine: the cap is per element.
  const small = reader({ maxElementChars: 1000 });
  small.xml.write(Buffer.from(HEADER + `<a xmlns='urn:x'>${'y'.repeat(500)}</a>`.repeat(20)));
  assert.equal(small.seen.errors.length, 0);
  assert.equal(small.seen.elements.length, 20);
});

test('a stream header that never ends hits the size cap', () => {
  const { xml, seen } = reader({ maxElementChars: 2000 });
  xml.write(Buffer.from(`<stream:stream xmlns:stream='http://etherx.jabber.org/streams' `));
  for (let i = 0; i < 100 && !seen.errors.length; i++) xml.write(Buffer.from(`a${i}='${'z'.repeat(50)}' `));
  assert.equal(seen.errors[0]?.kind, 'limit');
  assert.equal(seen.root, null);
});

test('total byte cap', () => {
  const { xml, seen } = reader({ maxBytes: 4096 });
  xml.write(Buffer.from(HEADER));
  let accepted = 0;
  for (let i = 0; i < 1000; i++) {
    if (!xml.write(Buffer.from("<message xmlns='jabber:client'/>"))) break;
    accepted++;
  }
  assert.equal(seen.errors[0]?.kind, 'limit');
  assert.ok(accepted < 1000);
  assert.ok(xml.bytes <= 4096 + 40);
});

test('sniffing the first bytes: TLS records, HTTP, XML, and when more bytes are needed', () => {
  assert.equal(sniff(Buffer.from([0x15, 0x03, 0x01])), 'tls');
  assert.equal(sniff(Buffer.from([0x16, 0x03, 0x03])), 'tls');
  assert.equal(sniff(Buffer.from('HTTP/1.1 400 Bad Request')), 'http');
  assert.equal(sniff(Buffer.from('HT')), null);
  assert.equal(sniff(Buffer.from('HX')), 'xml');
  assert.equal(sniff(Buffer.from("<?xml version='1.0'?>")), 'xml');
  assert.equal(sniff(Buffer.alloc(0)), null);
});

test('the stream header we send: to, version, namespace, and from only when given', () => {
  const c = streamHeader({ to: 'example.test', service: 'c2s' });
  assert.match(c, /xmlns='jabber:client'/);
  assert.match(c, /to='example.test'/);
  assert.match(c, /version='1.0'/);
  assert.doesNotMatch(c, /from=/);
  const s = streamHeader({ to: 'example.test', service: 's2s', from: "a'b.test" });
  assert.match(s, /xmlns='jabber:server'/);
  assert.match(s, /from='a&apos;b.test'/);
  // What we send is itself a well-formed stream start.
  const { xml, seen } = reader();
  xml.write(Buffer.from(s));
  assert.equal(seen.errors.length, 0);
  assert.equal(streamInfoOf(seen.root!).from, "a'b.test");
});

test('ways to authenticate: SASL, SASL2 and iq-auth for c2s; dialback (feature or header namespace) and EXTERNAL for s2s', () => {
  const read = (header: string, features: string): { info: ReturnType<typeof streamInfoOf>; f: ReturnType<typeof parseFeatures> } => {
    const { xml, seen } = reader();
    xml.write(Buffer.from(header + features));
    assert.equal(seen.errors.length, 0);
    return { info: streamInfoOf(seen.root!), f: parseFeatures(seen.elements[0]!) };
  };
  const c2s = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.test' version='1.0'>";
  const s2s = "<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' from='example.test' version='1.0'>";
  const s2sDb = "<stream:stream xmlns='jabber:server' xmlns:db='jabber:server:dialback' xmlns:stream='http://etherx.jabber.org/streams' from='example.test' version='1.0'>";
  const ways = (h: string, f: string, service: 'c2s' | 's2s'): string[] => {
    const r = read(h, f);
    return authenticationMethods(service, r.info, r.f);
  };
  assert.deepEqual(ways(c2s, "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>", 'c2s'), ['SASL PLAIN']);
  assert.deepEqual(ways(c2s, "<stream:features><authentication xmlns='urn:xmpp:sasl:2'><mechanism>SCRAM-SHA-256</mechanism></authentication></stream:features>", 'c2s'), ['SASL2 SCRAM-SHA-256']);
  assert.deepEqual(ways(c2s, "<stream:features><auth xmlns='http://jabber.org/features/iq-auth'/></stream:features>", 'c2s'), ['iq-auth']);
  assert.deepEqual(ways(c2s, "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/><register xmlns='http://jabber.org/features/iq-register'/></stream:features>", 'c2s'), []);
  assert.deepEqual(ways(s2s, "<stream:features><dialback xmlns='urn:xmpp:features:dialback'/></stream:features>", 's2s'), ['dialback']);
  assert.deepEqual(ways(s2sDb, '<stream:features/>', 's2s'), ['dialback'], 'an older server announces dialback by the namespace on its header');
  assert.equal(read(s2sDb, '<stream:features/>').info.dialbackNs, true);
  assert.deepEqual(ways(s2s, "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>EXTERNAL</mechanism></mechanisms></stream:features>", 's2s'), ['SASL EXTERNAL']);
  assert.deepEqual(ways(s2s, "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>", 's2s'), [], 'PLAIN does not authenticate a server');
  assert.deepEqual(ways(s2s, '<stream:features/>', 's2s'), []);
});
