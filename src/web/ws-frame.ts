/**
 * WebSocket framing (RFC 6455 §5), the little our client and the lab's fixture
 * server need: encoding a frame (masked from a client, unmasked from a
 * server), and a frame reader that takes bytes as they arrive, reassembles
 * fragmented messages, and enforces a size cap. Protocol violations are
 * reported, never thrown past the reader.
 */
import { createHash, randomBytes } from 'node:crypto';

export const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The Sec-WebSocket-Accept value for a Sec-WebSocket-Key (RFC 6455 §4.2.2). */
export function acceptFor(key: string): string {
  return createHash('sha1').update(`${key}${WS_GUID}`).digest('base64');
}

export function newKey(): string {
  return randomBytes(16).toString('base64');
}

/** One whole frame; `mask` is true for frames a client sends. */
export function encodeFrame(opcode: number, payload: Buffer, mask: boolean, fin = true): Buffer {
  const len = payload.length;
  const extra = len < 126 ? 0 : len < 65536 ? 2 : 8;
  const head = Buffer.alloc(2 + extra + (mask ? 4 : 0));
  head[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
  head[1] = (mask ? 0x80 : 0) | (len < 126 ? len : len < 65536 ? 126 : 127);
  if (extra === 2) head.writeUInt16BE(len, 2);
  if (extra === 8) head.writeBigUInt64BE(BigInt(len), 2);
  if (!mask) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  key.copy(head, 2 + extra);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i]! ^ key[i & 3]!;
  return Buffer.concat([head, body]);
}

/** A close frame's payload: status code and reason. */
export function closePayload(code: number, reason = ''): Buffer {
  const b = Buffer.alloc(2 + Buffer.byteLength(reason));
  b.writeUInt16BE(code, 0);
  b.write(reason, 2);
  return b;
}

export type WsEvent =
  | { type: 'message'; opcode: number; data: Buffer }
  | { type: 'ping'; data: Buffer }
  | { type: 'pong'; data: Buffer }
  | { type: 'close'; code: number | null; reason: string }
  | { type: 'error'; message: string };

/**
 * Reads frames from a byte stream. `expectMasked`: a server reads masked
 * frames, a client unmasked ones (RFC 6455 §5.1). After an error or a close
 * frame it ignores further input.
 */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentOpcode = -1;
  private fragmentBytes = 0;
  private done = false;

  constructor(
    private readonly expectMasked: boolean,
    private readonly maxMessageBytes = 65_536,
  ) {}

  push(chunk: Buffer): WsEvent[] {
    if (this.done) return [];
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: WsEvent[] = [];
    for (;;) {
      const ev = this.next();
      if (!ev) break;
      out.push(ev);
      if (ev.type === 'error' || ev.type === 'close') {
        this.done = true;
        break;
      }
    }
    return out;
  }

  private error(message: string): WsEvent {
    return { type: 'error', message };
  }

  private next(): WsEvent | null {
    const b = this.buf;
    if (b.length < 2) return null;
    const fin = (b[0]! & 0x80) !== 0;
    if (b[0]! & 0x70) return this.error('reserved bits set in a frame (no extension was negotiated)');
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    if (masked !== this.expectMasked) return this.error(masked ? 'the server masked a frame' : 'the client sent an unmasked frame');
    let len = b[1]! & 0x7f;
    let off = 2;
    if (len === 126) {
      if (b.length < 4) return null;
      len = b.readUInt16BE(2);
      off = 4;
    } else if (len === 127) {
      if (b.length < 10) return null;
      const big = b.readBigUInt64BE(2);
      if (big > BigInt(this.maxMessageBytes)) return this.error(`a frame of ${big} bytes (limit ${this.maxMessageBytes})`);
      len = Number(big);
      off = 10;
    }
    if (len > this.maxMessageBytes) return this.error(`a frame of ${len} bytes (limit ${this.maxMessageBytes})`);
    const isControl = opcode >= 0x8;
    if (isControl && (len > 125 || !fin)) return this.error('a fragmented or oversized control frame');
    const keyLen = masked ? 4 : 0;
    if (b.length < off + keyLen + len) return null;
    let payload = Buffer.from(b.subarray(off + keyLen, off + keyLen + len));
    if (masked) {
      const key = b.subarray(off, off + 4);
      for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ key[i & 3]!;
    }
    this.buf = b.subarray(off + keyLen + len);
    if (opcode === OP.close) {
      const code = payload.length >= 2 ? payload.readUInt16BE(0) : null;
      return { type: 'close', code, reason: payload.subarray(2).toString('utf8') };
    }
    if (opcode === OP.ping) return { type: 'ping', data: payload };
    if (opcode === OP.pong) return { type: 'pong', data: payload };
    if (opcode === OP.continuation) {
      if (this.fragmentOpcode < 0) return this.error('a continuation frame with no message to continue');
    } else if (opcode === OP.text || opcode === OP.binary) {
      if (this.fragmentOpcode >= 0) return this.error('a new message began inside a fragmented one');
      this.fragmentOpcode = opcode;
    } else {
      return this.error(`unknown opcode ${opcode}`);
    }
    this.fragmentBytes += payload.length;
    if (this.fragmentBytes > this.maxMessageBytes) return this.error(`a message of more than ${this.maxMessageBytes} bytes`);
    this.fragments.push(payload);
    if (!fin) return this.next();
    const data = Buffer.concat(this.fragments);
    const op = this.fragmentOpcode;
    this.fragments = [];
    this.fragmentOpcode = -1;
    this.fragmentBytes = 0;
    return { type: 'message', opcode: op, data };
  }
}
