/**
 * Bounds-checked reading and small writing helpers for QUIC and TLS wire
 * formats: fixed-width integers, QUIC variable-length integers (RFC 9000
 * §16) and TLS length-prefixed vectors. A read past the end throws
 * WireError, which every parser turns into a finding instead of a crash.
 */

export class WireError extends Error {
  override readonly name = 'WireError';
}

/** A cursor over `buf[start, end)`; every read checks the bounds. */
export class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start = 0,
    readonly end = buf.length,
  ) {
    if (start < 0 || end > buf.length || start > end) throw new WireError('reader bounds outside the buffer');
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) throw new WireError(`truncated ${what}: need ${n} bytes, ${this.remaining} left`);
  }

  u8(): number {
    this.need(1, 'u8');
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2, 'u16');
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3, 'u24');
    const v = this.buf.readUIntBE(this.pos, 3);
    this.pos += 3;
    return v;
  }

  u32(): number {
    this.need(4, 'u32');
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  bytes(n: number, what = 'bytes'): Buffer {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  rest(): Buffer {
    return this.bytes(this.remaining);
  }

  /** QUIC variable-length integer; values above 2^53 are refused (never needed here). */
  varint(): number {
    this.need(1, 'varint');
    const first = this.buf[this.pos]!;
    const len = 1 << (first >> 6);
    this.need(len, 'varint');
    let v = first & 0x3f;
    for (let i = 1; i < len; i++) v = v * 256 + this.buf[this.pos + i]!;
    if (!Number.isSafeInteger(v)) throw new WireError('varint too large');
    this.pos += len;
    return v;
  }

  vec8(): Buffer {
    return this.bytes(this.u8(), 'vector<1>');
  }

  vec16(): Buffer {
    return this.bytes(this.u16(), 'vector<2>');
  }

  vec24(): Buffer {
    return this.bytes(this.u24(), 'vector<3>');
  }
}

/** Encodes a QUIC variable-length integer in the shortest form (or `minLen` bytes). */
export function varint(n: number, minLen: 1 | 2 | 4 | 8 = 1): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`varint out of range: ${n}`);
  let len: 1 | 2 | 4 | 8 = n < 64 ? 1 : n < 16384 ? 2 : n < 1073741824 ? 4 : 8;
  if (minLen > len) len = minLen;
  const out = Buffer.alloc(len);
  let v = n;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  out[0]! |= { 1: 0x00, 2: 0x40, 4: 0x80, 8: 0xc0 }[len];
  return out;
}

export function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}

export function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

export function u24(n: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeUIntBE(n, 0, 3);
  return b;
}

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function vec8(b: Buffer): Buffer {
  if (b.length > 0xff) throw new RangeError('vector<1> too long');
  return Buffer.concat([u8(b.length), b]);
}

export function vec16(b: Buffer): Buffer {
  if (b.length > 0xffff) throw new RangeError('vector<2> too long');
  return Buffer.concat([u16(b.length), b]);
}

export function vec24(b: Buffer): Buffer {
  if (b.length > 0xffffff) throw new RangeError('vector<3> too long');
  return Buffer.concat([u24(b.length), b]);
}
