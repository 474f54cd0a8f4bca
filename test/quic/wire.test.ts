/**
 * QUIC wire parsing under bad input: varints, frames, CRYPTO reassembly
 * (out of order, overlapping, capped), datagram splitting, TLS messages,
 * and the client state machine fed random and truncated datagrams.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Reader, WireError, varint } from '../../src/quic/bytes.js';
import { CryptoStream } from '../../src/quic/crypto-stream.js';
import { ackFrame, closeFrame, cryptoFrame, errorName, parseFrames } from '../../src/quic/frames.js';
import { initialKeys } from '../../src/quic/keys.js';
import { protectLong, splitDatagram } from '../../src/quic/packet.js';
import { ClientConnection } from '../../src/quic/client.js';
import { parseCertificateMessage, parseEncryptedExtensions, parseServerHello } from '../../src/quic/tls.js';

test('varints round-trip at every length and the RFC 9000 §A.1 examples decode', () => {
  for (const n of [0, 63, 64, 16383, 16384, 1073741823, 1073741824, 2 ** 50]) assert.equal(new Reader(varint(n)).varint(), n);
  // 151288809941952652 is above 2^53: refused rather than rounded.
  assert.throws(() => new Reader(Buffer.from('c2197c5eff14e88c', 'hex')).varint(), /too large/);
  assert.equal(new Reader(Buffer.from('9d7f3e7d', 'hex')).varint(), 494878333);
  assert.equal(new Reader(Buffer.from('7bbd', 'hex')).varint(), 15293);
  assert.throws(() => new Reader(Buffer.from([0x80, 1])).varint(), WireError);
});

test('frames parse, and a truncated or forbidden frame throws WireError', () => {
  const payload = Buffer.concat([ackFrame(5, 2), cryptoFrame(10, Buffer.from('abc')), closeFrame(0x178, 6, 'no'), Buffer.alloc(3)]);
  const f = parseFrames(payload);
  assert.deepEqual(f.map((x) => x.type), ['ack', 'crypto', 'close', 'padding']);
  assert.equal((f[2] as { code: number }).code, 0x178);
  for (let cut = 1; cut < payload.length - 3; cut++) {
    try {
      parseFrames(payload.subarray(0, cut));
    } catch (err) {
      assert.ok(err instanceof WireError, `cut ${cut}: ${String(err)}`);
    }
  }
  assert.throws(() => parseFrames(Buffer.from([0x08, 0, 0])), /not allowed/);
  assert.throws(() => parseFrames(Buffer.concat([varint(2), varint(1), varint(0), varint(100000)])), /ranges/);
  assert.match(errorName(0x178), /TLS alert 120 no_application_protocol/);
  assert.match(errorName(0x0a), /PROTOCOL_VIOLATION/);
});

test('CRYPTO reassembly: out of order, overlapping, duplicated, then split into messages', () => {
  const msg1 = Buffer.concat([Buffer.from([8, 0, 0, 5]), Buffer.from('hello')]);
  const msg2 = Buffer.concat([Buffer.from([11, 0, 0, 3]), Buffer.from('abc')]);
  const all = Buffer.concat([msg1, msg2]);
  const s = new CryptoStream(1000);
  s.insert(12, all.subarray(12));
  s.insert(4, all.subarray(4, 10));
  assert.deepEqual(s.messages(), []);
  s.insert(0, all.subarray(0, 6));
  s.insert(8, all.subarray(8, 13));
  s.insert(0, all.subarray(0, 3));
  const m = s.messages();
  assert.deepEqual(m.map((x) => [x.type, x.body.toString()]), [[8, 'hello'], [11, 'abc']]);
  assert.deepEqual(s.messages(), []);
  assert.throws(() => new CryptoStream(100).insert(90, Buffer.alloc(20)), WireError);
});

test('datagram splitting: coalesced packets, truncation, oversized connection ids', () => {
  const k = initialKeys(Buffer.alloc(8, 1));
  const a = protectLong({ type: 'initial', dcid: Buffer.alloc(8, 1), scid: Buffer.alloc(4), pn: 0 }, Buffer.alloc(30), k.server);
  const b = protectLong({ type: 'handshake', dcid: Buffer.alloc(8, 1), scid: Buffer.alloc(4), pn: 0 }, Buffer.alloc(30), k.server);
  const both = splitDatagram(Buffer.concat([a, b]));
  assert.equal(both.error, null);
  assert.deepEqual(both.packets.map((p) => (p.kind === 'long' ? p.type : p.kind)), ['initial', 'handshake']);
  const cut = splitDatagram(Buffer.concat([a, b.subarray(0, b.length - 1)]));
  assert.equal(cut.packets.length, 1);
  assert.match(cut.error ?? '', /truncated/);
  assert.match(splitDatagram(Buffer.from([0xc0, 0, 0, 0, 1, 21, ...Buffer.alloc(30)])).error ?? '', /21 bytes/);
});

test('TLS parsers reject truncated messages with WireError', () => {
  const sh = Buffer.from('0303' + 'ee'.repeat(32) + '00' + '1301' + '00' + '002e' + '0033002400' + '1d0020' + '9d'.repeat(32) + '002b00020304', 'hex');
  assert.equal(parseServerHello(sh).keyShare?.key?.length, 32);
  for (const fn of [parseServerHello, parseEncryptedExtensions, parseCertificateMessage]) {
    for (let n = 0; n < 40; n++) {
      try {
        fn(sh.subarray(0, n));
      } catch (err) {
        assert.ok(err instanceof WireError, `${fn.name} at ${n}: ${String(err)}`);
      }
    }
  }
});

test('the client state machine never throws on random or mangled datagrams', () => {
  const c = new ClientConnection({ domain: 'example.com', alpn: 'xmpp-client' });
  const first = c.initialDatagram();
  assert.equal(first.length, 1200);
  for (let i = 0; i < 500; i++) {
    const d = i % 2 ? randomBytes(i % 1300) : Buffer.from(first);
    if (i % 2 === 0) {
      const at = i % d.length;
      d[at] = (d[at] ?? 0) ^ 0xff;
    }
    assert.doesNotThrow(() => c.handleDatagram(d));
  }
  assert.equal(c.answered, false);
  assert.ok(c.errors.length > 0 && c.errors.length <= 8);
});
