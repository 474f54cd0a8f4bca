/**
 * QUIC long-header packets (RFC 9000 §17.2): splitting a datagram into its
 * coalesced packets, packet protection and its removal (AEAD plus header
 * protection, RFC 9001 §5.3-5.4), packet number encoding, Version
 * Negotiation and Retry (with its integrity tag, RFC 9001 §5.8). Every parse
 * is bounds-checked; anything malformed throws WireError.
 */
import { createCipheriv, createDecipheriv, timingSafeEqual } from 'node:crypto';
import { Reader, WireError, u32, varint } from './bytes.js';
import type { PacketKeys } from './keys.js';

export const QUIC_V1 = 0x00000001;
export const QUIC_V2 = 0x6b3343cf;
/** Connection IDs are at most 20 bytes in QUIC v1 (RFC 9000 §17.2). */
export const MAX_CID_LEN = 20;

export type LongType = 'initial' | '0rtt' | 'handshake' | 'retry';
const TYPE_BITS: Record<LongType, number> = { initial: 0, '0rtt': 1, handshake: 2, retry: 3 };
const TYPES: LongType[] = ['initial', '0rtt', 'handshake', 'retry'];

export interface VersionNegotiationPacket {
  kind: 'version-negotiation';
  dcid: Buffer;
  scid: Buffer;
  versions: number[];
}

export interface RetryPacket {
  kind: 'retry';
  version: number;
  dcid: Buffer;
  scid: Buffer;
  token: Buffer;
  tag: Buffer;
  /** The whole packet, tag included. */
  raw: Buffer;
}

export interface LongPacket {
  kind: 'long';
  type: 'initial' | '0rtt' | 'handshake';
  version: number;
  dcid: Buffer;
  scid: Buffer;
  token: Buffer;
  /** The whole protected packet. */
  raw: Buffer;
  /** Offset of the (protected) packet number within `raw`. */
  pnOffset: number;
}

export interface OtherPacket {
  kind: 'short' | 'unknown-version';
  version: number | null;
  raw: Buffer;
}

export type Packet = VersionNegotiationPacket | RetryPacket | LongPacket | OtherPacket;

/** Splits one datagram into its packets; stops at the first that cannot be delimited. */
export function splitDatagram(d: Buffer): { packets: Packet[]; error: string | null } {
  const packets: Packet[] = [];
  let off = 0;
  try {
    while (off < d.length) {
      const start = off;
      const r = new Reader(d, off);
      const first = r.u8();
      if ((first & 0x80) === 0) {
        if (packets.length > 0 && first === 0) break; // trailing zero padding after coalesced packets
        packets.push({ kind: 'short', version: null, raw: d.subarray(start) });
        break;
      }
      const version = r.u32();
      if (version === 0) {
        const dcid = r.vec8();
        const scid = r.vec8();
        if (r.remaining === 0 || r.remaining % 4 !== 0) throw new WireError('version negotiation packet with a bad version list');
        const versions: number[] = [];
        while (!r.done) versions.push(r.u32());
        packets.push({ kind: 'version-negotiation', dcid, scid, versions });
        break;
      }
      if (version !== QUIC_V1) {
        packets.push({ kind: 'unknown-version', version, raw: d.subarray(start) });
        break;
      }
      if ((first & 0x40) === 0) throw new WireError('fixed bit is zero');
      const dcidLen = r.u8();
      if (dcidLen > MAX_CID_LEN) throw new WireError(`destination connection id of ${dcidLen} bytes`);
      const dcid = r.bytes(dcidLen, 'dcid');
      const scidLen = r.u8();
      if (scidLen > MAX_CID_LEN) throw new WireError(`source connection id of ${scidLen} bytes`);
      const scid = r.bytes(scidLen, 'scid');
      const type = TYPES[(first >> 4) & 3]!;
      if (type === 'retry') {
        if (r.remaining < 16 + 1) throw new WireError('retry packet too short');
        const token = r.bytes(r.remaining - 16);
        const tag = r.rest();
        packets.push({ kind: 'retry', version, dcid, scid, token, tag, raw: d.subarray(start) });
        break;
      }
      const token = type === 'initial' ? r.bytes(r.varint(), 'token') : Buffer.alloc(0);
      const length = r.varint();
      const pnOffset = r.pos - start;
      r.bytes(length, 'packet payload');
      off = r.pos;
      packets.push({ kind: 'long', type, version, dcid, scid, token, raw: d.subarray(start, off), pnOffset });
    }
  } catch (err) {
    if (err instanceof WireError) return { packets, error: err.message };
    throw err;
  }
  return { packets, error: null };
}

/** The 5-byte header protection mask from a 16-byte sample. */
export function headerMask(keys: PacketKeys, sample: Buffer): Buffer {
  if (keys.suite.hp === 'chacha20') {
    // counter (4 bytes, little endian) then nonce: exactly the sample (RFC 9001 §5.4.4).
    return createCipheriv('chacha20', keys.hp, sample).update(Buffer.alloc(5));
  }
  const c = createCipheriv(keys.suite.hp, keys.hp, null);
  c.setAutoPadding(false);
  return c.update(sample).subarray(0, 5);
}

function nonceFor(iv: Buffer, pn: number): Buffer {
  const nonce = Buffer.from(iv);
  let v = pn;
  for (let i = nonce.length - 1; i >= nonce.length - 8 && v > 0; i--) {
    nonce[i]! ^= v % 256;
    v = Math.floor(v / 256);
  }
  return nonce;
}

function seal(keys: PacketKeys, pn: number, aad: Buffer, plaintext: Buffer): Buffer {
  const c = createCipheriv(keys.suite.aead as 'aes-128-gcm', keys.key, nonceFor(keys.iv, pn), { authTagLength: 16 });
  c.setAAD(aad);
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

function open(keys: PacketKeys, pn: number, aad: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < 16) throw new WireError('ciphertext shorter than the tag');
  const d = createDecipheriv(keys.suite.aead as 'aes-128-gcm', keys.key, nonceFor(keys.iv, pn), { authTagLength: 16 });
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  try {
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()]);
  } catch {
    throw new WireError('packet authentication failed');
  }
}

/** Recovers a full packet number from its truncated form (RFC 9000 §A.3). */
export function decodePacketNumber(largest: number, truncated: number, pnLen: number): number {
  const expected = largest + 1;
  const win = 2 ** (pnLen * 8);
  const hwin = win / 2;
  let candidate = Math.floor(expected / win) * win + truncated;
  if (candidate <= expected - hwin && candidate < 2 ** 62 - win) candidate += win;
  else if (candidate > expected + hwin && candidate >= win) candidate -= win;
  return candidate;
}

export interface LongHeaderFields {
  type: 'initial' | '0rtt' | 'handshake';
  version?: number;
  dcid: Buffer;
  scid: Buffer;
  /** Initial only. */
  token?: Buffer;
  pn: number;
  /** Bytes of the packet number on the wire (default 4). */
  pnLen?: 1 | 2 | 3 | 4;
}

/** Builds and protects one long-header packet; pads the payload when too short to sample. */
export function protectLong(h: LongHeaderFields, payload: Buffer, keys: PacketKeys): Buffer {
  const pnLen = h.pnLen ?? 4;
  if (payload.length < 4) payload = Buffer.concat([payload, Buffer.alloc(4 - payload.length)]);
  const first = 0xc0 | (TYPE_BITS[h.type] << 4) | (pnLen - 1);
  const pnBytes = Buffer.alloc(pnLen);
  pnBytes.writeUIntBE(h.pn % 2 ** (pnLen * 8), 0, pnLen);
  const parts = [Buffer.from([first]), u32(h.version ?? QUIC_V1), Buffer.from([h.dcid.length]), h.dcid, Buffer.from([h.scid.length]), h.scid];
  if (h.type === 'initial') {
    const token = h.token ?? Buffer.alloc(0);
    parts.push(varint(token.length), token);
  }
  parts.push(varint(pnLen + payload.length + 16, 2));
  const pnOffset = parts.reduce((n, p) => n + p.length, 0);
  const header = Buffer.concat([...parts, pnBytes]);
  const sealed = seal(keys, h.pn, header, payload);
  const packet = Buffer.concat([header, sealed]);
  const mask = headerMask(keys, packet.subarray(pnOffset + 4, pnOffset + 20));
  packet[0]! ^= mask[0]! & 0x0f;
  for (let i = 0; i < pnLen; i++) packet[pnOffset + i]! ^= mask[1 + i]!;
  return packet;
}

export interface OpenedPacket {
  pn: number;
  /** The unprotected header. */
  header: Buffer;
  payload: Buffer;
}

/** Removes header and packet protection; throws WireError when the packet does not authenticate. */
export function openLong(p: LongPacket, keys: PacketKeys, largestPn: number): OpenedPacket {
  const raw = p.raw;
  if (raw.length < p.pnOffset + 4 + 16) throw new WireError('packet too short for a header protection sample');
  const mask = headerMask(keys, raw.subarray(p.pnOffset + 4, p.pnOffset + 20));
  const first = raw[0]! ^ (mask[0]! & 0x0f);
  const pnLen = (first & 3) + 1;
  const header = Buffer.from(raw.subarray(0, p.pnOffset + pnLen));
  header[0] = first;
  let truncated = 0;
  for (let i = 0; i < pnLen; i++) {
    header[p.pnOffset + i]! ^= mask[1 + i]!;
    truncated = truncated * 256 + header[p.pnOffset + i]!;
  }
  const pn = decodePacketNumber(largestPn, truncated, pnLen);
  const payload = open(keys, pn, header, raw.subarray(p.pnOffset + pnLen));
  if ((first & 0x0c) !== 0) throw new WireError('reserved header bits are not zero');
  return { pn, header, payload };
}

const RETRY_KEY = Buffer.from('be0c690b9f66575a1d766b54e368c84e', 'hex');
const RETRY_NONCE = Buffer.from('461599d35d632bf2239825bb', 'hex');

function retryTag(odcid: Buffer, retryWithoutTag: Buffer): Buffer {
  const c = createCipheriv('aes-128-gcm', RETRY_KEY, RETRY_NONCE, { authTagLength: 16 });
  c.setAAD(Buffer.concat([Buffer.from([odcid.length]), odcid, retryWithoutTag]));
  c.final();
  return c.getAuthTag();
}

/** True when the Retry packet's integrity tag is right for the client's original DCID. */
export function verifyRetry(p: RetryPacket, odcid: Buffer): boolean {
  const expected = retryTag(odcid, p.raw.subarray(0, p.raw.length - 16));
  return timingSafeEqual(expected, p.tag);
}

/** A Retry packet (server side, for the fixture). */
export function buildRetry(dcid: Buffer, scid: Buffer, token: Buffer, odcid: Buffer): Buffer {
  const head = Buffer.concat([Buffer.from([0xf0]), u32(QUIC_V1), Buffer.from([dcid.length]), dcid, Buffer.from([scid.length]), scid, token]);
  return Buffer.concat([head, retryTag(odcid, head)]);
}

/** A Version Negotiation packet (server side, for the fixture). */
export function buildVersionNegotiation(dcid: Buffer, scid: Buffer, versions: number[]): Buffer {
  return Buffer.concat([Buffer.from([0x80 | 0x4a]), u32(0), Buffer.from([dcid.length]), dcid, Buffer.from([scid.length]), scid, ...versions.map(u32)]);
}

export function versionName(v: number): string {
  if (v === QUIC_V1) return 'QUIC v1';
  if (v === QUIC_V2) return 'QUIC v2';
  if ((v & 0x0f0f0f0f) === 0x0a0a0a0a) return `0x${v.toString(16).padStart(8, '0')} (reserved, greasing)`;
  if (v >>> 8 === 0xff0000) return `draft-${v & 0xff}`;
  return `0x${v.toString(16).padStart(8, '0')}`;
}
