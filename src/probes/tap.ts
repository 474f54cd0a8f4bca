/**
 * A byte-counting pass-through over one TCP socket. Every byte of a probe, in
 * plaintext or TLS, goes through it, so the probe can enforce one byte cap,
 * count bytes both ways, and look at the first raw bytes the server sent
 * (which tell plaintext XML or HTTP from TLS when a handshake fails).
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** How many of the first raw bytes are kept for diagnosis. */
const HEAD_BYTES = 64;

export class ByteCapError extends Error {
  constructor(readonly cap: number) {
    super(`the server sent more than ${cap} bytes`);
    this.name = 'ByteCapError';
  }
}

export class Tap extends Duplex {
  bytesIn = 0;
  bytesOut = 0;
  /** The first bytes received since the last resetHead(): raw, before any TLS. */
  head: Buffer = Buffer.alloc(0);
  capHit = false;

  constructor(
    private readonly sock: Socket,
    private readonly cap: number,
  ) {
    super({ allowHalfOpen: false });
    sock.on('data', (chunk: Buffer) => this.receive(chunk));
    sock.on('end', () => this.push(null));
    sock.on('error', (err) => this.destroy(err));
    sock.on('close', () => {
      if (!this.readableEnded) this.push(null);
    });
  }

  /** Starts keeping the head afresh (before a TLS handshake, to see what answers it). */
  resetHead(): void {
    this.head = Buffer.alloc(0);
  }

  private receive(chunk: Buffer): void {
    if (this.capHit || this.destroyed) return;
    const room = this.cap - this.bytesIn;
    let part = chunk;
    if (chunk.length > room) {
      part = chunk.subarray(0, Math.max(room, 0));
      this.capHit = true;
    }
    this.bytesIn += part.length;
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, part.subarray(0, HEAD_BYTES - this.head.length)]);
    if (this.capHit) {
      // Whatever follows is never read: stop at once.
      this.sock.destroy();
      this.destroy(new ByteCapError(this.cap));
      return;
    }
    if (part.length && !this.push(part)) this.sock.pause();
  }

  override _read(): void {
    this.sock.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.bytesOut += chunk.length;
    this.sock.write(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.sock.end();
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.sock.destroy();
    cb(err);
  }
}
