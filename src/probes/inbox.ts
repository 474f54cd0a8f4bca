/**
 * Reads one XMPP stream from a byte source (the plaintext tap, or a TLS
 * socket) and turns it into a queue of events the probe awaits with a
 * deadline: the stream header, each complete top-level element, the stream's
 * end, or what went wrong. The first bytes are sniffed first: a TLS record or
 * an HTTP status line is reported as such instead of as bad XML.
 */
import type { Readable } from 'node:stream';
import { XmlStream, type XmlElement, type XmlLimits, type XmlStreamError } from '../xmpp/xml-stream.js';

export type SniffKind = 'tls' | 'http';

export type InboxEvent =
  | { type: 'open'; root: XmlElement }
  | { type: 'element'; el: XmlElement }
  | { type: 'close' }
  /** The first bytes are not XML but a TLS record or an HTTP response; `head` is what came. */
  | { type: 'sniff'; kind: SniffKind; head: Buffer }
  | { type: 'xml-error'; error: XmlStreamError }
  /** The connection ended (cleanly or not); `error` when a socket error ended it. */
  | { type: 'eof'; error: Error | null }
  | { type: 'timeout' };

const HTTP = Buffer.from('HTTP/');

/** What the first bytes of a stream say, or null when more bytes are needed. */
export function sniff(head: Buffer): SniffKind | 'xml' | null {
  if (!head.length) return null;
  const b = head[0]!;
  // TLS record types: 0x15 alert, 0x16 handshake (RFC 8446 §5.1).
  if (b === 0x15 || b === 0x16) return 'tls';
  const n = Math.min(head.length, HTTP.length);
  if (head.subarray(0, n).equals(HTTP.subarray(0, n))) return n === HTTP.length ? 'http' : null;
  return 'xml';
}

export class Inbox {
  private readonly queue: InboxEvent[] = [];
  private wake: (() => void) | null = null;
  private readonly xml: XmlStream;
  private pending: Buffer | null = Buffer.alloc(0);
  private done = false;
  /** Bytes this inbox received. */
  bytes = 0;

  private readonly onData = (chunk: Buffer): void => this.take(chunk);
  private readonly onEnd = (): void => this.finish(null);
  private readonly onError = (err: Error): void => this.finish(err);

  constructor(
    private readonly src: Readable,
    limits: XmlLimits,
  ) {
    this.xml = new XmlStream(
      {
        onOpen: (root) => this.emit({ type: 'open', root }),
        onElement: (el) => this.emit({ type: 'element', el }),
        onClose: () => this.emit({ type: 'close' }),
        onError: (error) => this.emit({ type: 'xml-error', error }),
      },
      limits,
    );
    src.on('data', this.onData);
    src.on('end', this.onEnd);
    src.on('close', this.onEnd);
    src.on('error', this.onError);
  }

  /** Stops reading from the source (before handing it to TLS). */
  detach(): void {
    this.src.off('data', this.onData);
    this.src.off('end', this.onEnd);
    this.src.off('close', this.onEnd);
    this.src.off('error', this.onError);
    this.src.pause();
    this.done = true;
  }

  /** The next event, or `timeout` when none comes within `ms`. */
  async next(ms: number): Promise<InboxEvent> {
    if (this.queue.length) return this.queue.shift()!;
    if (ms <= 0) return { type: 'timeout' };
    return new Promise<InboxEvent>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve({ type: 'timeout' });
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve(this.queue.shift()!);
      };
    });
  }

  private emit(ev: InboxEvent): void {
    this.queue.push(ev);
    this.wake?.();
  }

  private take(chunk: Buffer): void {
    if (this.done) return;
    this.bytes += chunk.length;
    if (this.pending) {
      this.pending = Buffer.concat([this.pending, chunk]);
      const kind = sniff(this.pending);
      if (kind === null) return;
      const head = this.pending;
      this.pending = null;
      if (kind !== 'xml') {
        this.done = true;
        this.emit({ type: 'sniff', kind, head: head.subarray(0, 64) });
        return;
      }
      chunk = head;
    }
    if (!this.xml.write(chunk)) this.done = true;
  }

  private finish(err: Error | null): void {
    if (this.done) return;
    if (this.pending?.length) {
      // Too short to tell: let the XML reader judge it.
      const head = this.pending;
      this.pending = null;
      this.xml.write(head);
    }
    this.xml.end();
    this.done = true;
    this.emit({ type: 'eof', error: err });
  }
}
