/**
 * QUIC v1 Initial key derivation and packet protection against RFC 9001
 * Appendix A: secrets, keys, IVs, header protection keys, the mask from the
 * sample, and the whole protected client and server Initial packets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hkdfExpandLabel, initialKeys, initialSecrets } from '../../src/quic/keys.js';
import { headerMask, openLong, protectLong, splitDatagram, decodePacketNumber, type LongPacket } from '../../src/quic/packet.js';
import { parseFrames } from '../../src/quic/frames.js';
import { parseServerHello } from '../../src/quic/tls.js';
import * as V from '../../fixtures/quic/rfc9001-vectors.js';

test('A.1: initial secrets and client/server keys, IVs and hp keys', () => {
  const s = initialSecrets(V.DCID);
  assert.equal(s.initial.toString('hex'), V.KEYS.initialSecret.toString('hex'));
  assert.equal(s.client.toString('hex'), V.KEYS.clientInitialSecret.toString('hex'));
  assert.equal(s.server.toString('hex'), V.KEYS.serverInitialSecret.toString('hex'));
  const k = initialKeys(V.DCID);
  assert.equal(k.client.key.toString('hex'), V.KEYS.clientKey.toString('hex'));
  assert.equal(k.client.iv.toString('hex'), V.KEYS.clientIv.toString('hex'));
  assert.equal(k.client.hp.toString('hex'), V.KEYS.clientHp.toString('hex'));
  assert.equal(k.server.key.toString('hex'), V.KEYS.serverKey.toString('hex'));
  assert.equal(k.server.iv.toString('hex'), V.KEYS.serverIv.toString('hex'));
  assert.equal(k.server.hp.toString('hex'), V.KEYS.serverHp.toString('hex'));
});

test('HKDF-Expand-Label carries length, tls13 label and context', () => {
  const a = hkdfExpandLabel('sha256', V.KEYS.clientInitialSecret, 'quic key', Buffer.alloc(0), 16);
  const b = hkdfExpandLabel('sha256', V.KEYS.clientInitialSecret, 'quic key', Buffer.from([1]), 16);
  const c = hkdfExpandLabel('sha256', V.KEYS.clientInitialSecret, 'quic key', Buffer.alloc(0), 32);
  assert.notEqual(a.toString('hex'), b.toString('hex'));
  assert.equal(c.length, 32);
  assert.notEqual(c.subarray(0, 16).toString('hex'), a.toString('hex'), 'the length is part of the info');
});

test('A.2: header protection mask from the sample', () => {
  const k = initialKeys(V.DCID);
  assert.equal(headerMask(k.client, V.CLIENT_SAMPLE).toString('hex'), V.CLIENT_MASK.toString('hex'));
});

test('A.2: the protected client Initial packet', () => {
  const k = initialKeys(V.DCID);
  const payload = Buffer.concat([V.CLIENT_CRYPTO_FRAME, Buffer.alloc(V.CLIENT_PAYLOAD_LENGTH - V.CLIENT_CRYPTO_FRAME.length)]);
  const packet = protectLong({ type: 'initial', dcid: V.DCID, scid: Buffer.alloc(0), pn: V.CLIENT_PN, pnLen: 4 }, payload, k.client);
  assert.equal(packet.length, 1200);
  assert.equal(packet.subarray(0, V.CLIENT_PROTECTED_HEADER.length).toString('hex'), V.CLIENT_PROTECTED_HEADER.toString('hex'));
  assert.equal(packet.subarray(0, V.CLIENT_PACKET_HEAD.length).toString('hex'), V.CLIENT_PACKET_HEAD.toString('hex'));
  assert.equal(packet.subarray(packet.length - 16).toString('hex'), V.CLIENT_PACKET_TAIL.toString('hex'));

  // And back: the server side opens it to the same header and payload.
  const { packets, error } = splitDatagram(packet);
  assert.equal(error, null);
  const opened = openLong(packets[0] as LongPacket, k.client, -1);
  assert.equal(opened.pn, V.CLIENT_PN);
  assert.equal(opened.header.toString('hex'), V.CLIENT_UNPROTECTED_HEADER.toString('hex'));
  assert.ok(opened.payload.equals(payload));
});

test('A.3: the protected server Initial packet, both ways', () => {
  const k = initialKeys(V.DCID);
  const packet = protectLong({ type: 'initial', dcid: Buffer.alloc(0), scid: V.SERVER_SCID, pn: V.SERVER_PN, pnLen: 2 }, V.SERVER_PAYLOAD, k.server);
  assert.equal(packet.toString('hex'), V.SERVER_PROTECTED_PACKET.toString('hex'));

  const { packets } = splitDatagram(V.SERVER_PROTECTED_PACKET);
  assert.equal(packets.length, 1);
  const p = packets[0] as LongPacket;
  assert.equal(p.kind, 'long');
  assert.equal(p.scid.toString('hex'), V.SERVER_SCID.toString('hex'));
  const opened = openLong(p, k.server, -1);
  assert.equal(opened.pn, 1);
  const frames = parseFrames(opened.payload);
  assert.deepEqual(frames.map((f) => f.type), ['ack', 'crypto']);
  const crypto = frames[1] as Extract<(typeof frames)[number], { type: 'crypto' }>;
  const sh = parseServerHello(crypto.data.subarray(4));
  assert.equal(sh.cipherSuite, 0x1301);
  assert.equal(sh.version, 0x0304);
  assert.equal(sh.keyShare?.group, 0x1d);
});

test('a flipped bit anywhere in the protected packet fails authentication', () => {
  const k = initialKeys(V.DCID);
  for (const at of [0, 20, 60, V.SERVER_PROTECTED_PACKET.length - 1]) {
    const bad = Buffer.from(V.SERVER_PROTECTED_PACKET);
    bad[at]! ^= 0x01;
    const { packets } = splitDatagram(bad);
    assert.throws(() => openLong(packets[0] as LongPacket, k.server, -1), /authentication|reserved|packet/, `bit at ${at}`);
  }
});

test('packet number decoding follows RFC 9000 Appendix A.3', () => {
  assert.equal(decodePacketNumber(0xa82f30ea, 0x9b32, 2), 0xa82f9b32);
  assert.equal(decodePacketNumber(-1, 0, 1), 0);
  assert.equal(decodePacketNumber(254, 0x01, 1), 257);
});
