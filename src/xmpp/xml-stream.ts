/**
 * A streaming, namespace-aware XML reader for one XMPP stream, on saxes.
 *
 * Bytes go in as they arrive; UTF-8 is decoded with a streaming TextDecoder,
 * so a character split across packets comes out whole and invalid UTF-8 is an
 * error. Out come the root element's start tag (the stream header), every
 * complete child of the root (features, errors, stanzas) as a small tree, and
 * the root's end. Limits: element size, nesting depth and total bytes. No DTD
 * is read and no entity beyond the five predefined ones is expanded: a DOCTYPE
 * is rejected outright, and so are comments and processing instructions
 * (restricted XML, RFC 6120 §11.1). After the first error the reader ignores
 * all further input.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';

export interface XmlElement {
  /** Local name. */
  name: string;
  /** Namespace URI ('' when none). */
  ns: string;
  prefix: string;
  /** Attributes by qualified name as written (e.g. `version`, `xml:lang`). */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
  /** Namespace declarations made on this element, by prefix ('' = default namespace). */
  nsDecls: Record<string, string>;
}

export type XmlErrorKind =
  /** Not well-formed XML, or not UTF-8. */
  | 'not-xml'
  /** DOCTYPE, comment or processing instruction. */
  | 'restricted'
  /** An element too large or too deep, or too many bytes in all. */
  | 'limit';

export class XmlStreamError extends Error {
  constructor(
    readonly kind: XmlErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'XmlStreamError';
  }
}

export interface XmlLimits {
  /** Most characters in one child of the root, or in the stream header. Default 65536. */
  maxElementChars?: number;
  /** Deepest nesting below the root (a child of the root is depth 1). Default 16. */
  maxDepth?: number;
  /** Most bytes this reader accepts in all. Default 1 MiB. */
  maxBytes?: number;
}

export interface XmlStreamHandlers {
  /** The root's start tag is complete (for XMPP: the stream header). */
  onOpen(root: XmlElement): void;
  /** A child of the root is complete. */
  onElement(el: XmlElement): void;
  /** The root element was closed. */
  onClose(): void;
  /** The first error; nothing follows it. */
  onError(err: XmlStreamError): void;
}

/** Thrown inside saxes handlers to stop parsing at once. */
class Stop extends Error {}

function toElement(tag: SaxesTagNS): XmlElement {
  const attrs: Record<string, string> = {};
  for (const a of Object.values(tag.attributes)) {
    // Namespace declarations are not attributes of the element.
    if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
    attrs[a.name] = a.value;
  }
  return { name: tag.local, ns: tag.uri, prefix: tag.prefix, attrs, children: [], text: '', nsDecls: { ...(tag.ns ?? {}) } };
}

export class XmlStream {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly maxElementChars: number;
  private readonly maxDepth: number;
  private readonly maxBytes: number;
  private readonly stack: XmlElement[] = [];
  private rootOpen = false;
  private rootClosed = false;
  /** Parser position where the current child of the root began. */
  private childStart = -1;
  /** Parser position after the last complete unit (header or child). */
  private mark = 0;
  private failed: XmlStreamError | null = null;
  /** Bytes accepted so far. */
  bytes = 0;

  constructor(
    private readonly handlers: XmlStreamHandlers,
    limits: XmlLimits = {},
  ) {
    this.maxElementChars = limits.maxElementChars ?? 65_536;
    this.maxDepth = limits.maxDepth ?? 16;
    this.maxBytes = limits.maxBytes ?? 1_048_576;
    const p = this.parser;
    p.on('doctype', () => this.fail('restricted', 'DOCTYPE declaration (a DTD is never read)'));
    p.on('comment', () => this.fail('restricted', 'XML comment'));
    p.on('processinginstruction', (pi) => this.fail('restricted', `processing instruction <?${pi.target}?>`));
    p.on('cdata', (text) => this.addText(text));
    p.on('text', (text) => this.addText(text));
    p.on('opentagstart', () => {
      if (this.stack.length === 1) this.childStart = p.position;
    });
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', () => this.close());
    p.on('error', (err) => this.fail('not-xml', err.message));
  }

  /** The first error, if any. */
  get error(): XmlStreamError | null {
    return this.failed;
  }

  /** True once the root element has been closed. */
  get closed(): boolean {
    return this.rootClosed;
  }

  /** Feeds bytes; returns false once the reader has failed. */
  write(chunk: Uint8Array): boolean {
    if (this.failed) return false;
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      this.report('limit', `more than ${this.maxBytes} bytes of XML`);
      return false;
    }
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      this.report('not-xml', 'bytes that are not UTF-8');
      return false;
    }
    if (!text) return true;
    try {
      this.parser.write(text);
      this.checkSize();
    } catch (err) {
      if (!(err instanceof Stop)) this.report('not-xml', err instanceof Error ? err.message : String(err));
    }
    return !this.failed;
  }

  /** The input ended: reports a truncated character, if any. */
  end(): void {
    if (this.failed) return;
    try {
      this.decoder.decode();
    } catch {
      this.report('not-xml', 'the input ended inside a UTF-8 character');
    }
  }

  private addText(text: string): void {
    const top = this.stack[this.stack.length - 1];
    // Text directly inside the root (whitespace keepalives) is dropped.
    if (top && this.stack.length > 1) top.text += text;
  }

  private open(tag: SaxesTagNS): void {
    const el = toElement(tag);
    if (!this.rootOpen) {
      this.rootOpen = true;
      this.stack.push(el);
      if (this.parser.position > this.maxElementChars) this.fail('limit', `stream header longer than ${this.maxElementChars} characters`);
      this.mark = this.parser.position;
      this.handlers.onOpen(el);
      return;
    }
    const depth = this.stack.length;
    if (depth > this.maxDepth) this.fail('limit', `elements nested deeper than ${this.maxDepth}`);
    // The root keeps no children: each child is handed out whole and forgotten.
    if (depth > 1) this.stack[depth - 1]!.children.push(el);
    this.stack.push(el); // saxes emits closetag for self-closing tags too
  }

  private close(): void {
    const el = this.stack.pop();
    if (!el) return;
    if (this.stack.length === 0) {
      this.rootClosed = true;
      this.handlers.onClose();
      return;
    }
    if (this.stack.length === 1) {
      if (this.parser.position - this.childStart > this.maxElementChars) {
        this.fail('limit', `<${el.name}> element larger than ${this.maxElementChars} characters`);
      }
      this.mark = this.parser.position;
      this.childStart = -1;
      this.handlers.onElement(el);
    }
  }

  /** Checks the unit being read against the element size cap, after each chunk. */
  private checkSize(): void {
    const pos = this.parser.position;
    if (!this.rootOpen) {
      if (pos > this.maxElementChars) this.fail('limit', `stream header longer than ${this.maxElementChars} characters`);
      return;
    }
    if (this.stack.length > 1 || this.childStart >= 0) {
      const start = this.childStart >= 0 ? this.childStart : this.mark;
      if (pos - start > this.maxElementChars) this.fail('limit', `an element larger than ${this.maxElementChars} characters`);
    } else {
      this.mark = pos;
    }
  }

  private report(kind: XmlErrorKind, message: string): void {
    if (this.failed) return;
    this.failed = new XmlStreamError(kind, message);
    this.handlers.onError(this.failed);
  }

  /** Records the error and unwinds out of saxes. */
  private fail(kind: XmlErrorKind, message: string): never {
    this.report(kind, message);
    throw new Stop();
  }
}
