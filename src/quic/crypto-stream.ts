/**
 * Reassembly of one CRYPTO stream (one per encryption level): frames may
 * arrive out of order, overlap, repeat, or span packets. Data is delivered
 * in order, and split into TLS handshake messages. A byte cap bounds what a
 * flooding server can make us hold.
 */
import { WireError } from './bytes.js';

/** A TLS handshake message: its type and body, and the raw bytes (header included) for the transcript. */
export interface HandshakeMessage {
  type: number;
  body: Buffer;
  raw: Buffer;
}

export class CryptoStream {
  private contiguous = Buffer.alloc(0);
  private pending: { offset: number; data: Buffer }[] = [];
  private pendingBytes = 0;
  /** Offset of the first byte not yet returned as a message. */
  private consumed = 0;

  constructor(readonly maxBytes = 65_536) {}

  /** Bytes received in order from offset 0. */
  get length(): number {
    return this.contiguous.length;
  }

  /** Adds one CRYPTO frame's data; throws WireError past the cap. */
  insert(offset: number, data: Buffer): void {
    if (offset + data.length > this.maxBytes) throw new WireError(`CRYPTO data beyond ${this.maxBytes} bytes`);
    const end = this.contiguous.length;
    if (offset + data.length <= end) return;
    if (offset > end) {
      this.pendingBytes += data.length;
      if (this.pendingBytes > this.maxBytes) throw new WireError('too much out-of-order CRYPTO data');
      this.pending.push({ offset, data: Buffer.from(data) });
      return;
    }
    this.contiguous = Buffer.concat([this.contiguous, data.subarray(end - offset)]);
    this.drainPending();
  }

  private drainPending(): void {
    let progressed = true;
    while (progressed) {
      progressed = false;
      for (let i = 0; i < this.pending.length; i++) {
        const { offset, data } = this.pending[i]!;
        const end = this.contiguous.length;
        if (offset > end) continue;
        this.pending.splice(i, 1);
        this.pendingBytes -= data.length;
        if (offset + data.length > end) this.contiguous = Buffer.concat([this.contiguous, data.subarray(end - offset)]);
        progressed = true;
        break;
      }
    }
  }

  /** Complete handshake messages not yet returned. */
  messages(): HandshakeMessage[] {
    const out: HandshakeMessage[] = [];
    const buf = this.contiguous;
    while (buf.length - this.consumed >= 4) {
      const len = buf.readUIntBE(this.consumed + 1, 3);
      if (len > this.maxBytes) throw new WireError(`handshake message of ${len} bytes`);
      if (buf.length - this.consumed < 4 + len) break;
      const raw = buf.subarray(this.consumed, this.consumed + 4 + len);
      out.push({ type: raw[0]!, body: raw.subarray(4), raw });
      this.consumed += 4 + len;
    }
    return out;
  }
}
