/**
 * Parses one small, whole XML document (a host-meta XRD, a BOSH <body/>, one
 * RFC 7395 WebSocket message) into an element tree, namespace-aware, on saxes.
 * No DTD is read and no entity beyond the predefined ones is expanded: a
 * DOCTYPE is an error. Limits on characters and depth; never throws.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlElement } from '../xmpp/xml-stream.js';

export type { XmlElement } from '../xmpp/xml-stream.js';

/** An element, with its attributes also keyed by `{namespace}local` (prefix-independent). */
export interface WebXmlElement extends XmlElement {
  children: WebXmlElement[];
  attrsNs: Record<string, string>;
}

export interface XmlDocLimits {
  maxChars?: number;
  maxDepth?: number;
  /** Reject comments and processing instructions (restricted XML, RFC 7395 §3.3.3). */
  restricted?: boolean;
}

export type XmlDocResult = { ok: true; root: WebXmlElement } | { ok: false; error: string };

class Stop extends Error {}

function toElement(tag: SaxesTagNS): WebXmlElement {
  const attrs: Record<string, string> = {};
  const attrsNs: Record<string, string> = {};
  for (const a of Object.values(tag.attributes)) {
    if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
    attrs[a.name] = a.value;
    attrsNs[`{${a.uri}}${a.local}`] = a.value;
  }
  return { name: tag.local, ns: tag.uri, prefix: tag.prefix, attrs, attrsNs, children: [], text: '', nsDecls: { ...(tag.ns ?? {}) } };
}

/** Attribute by namespace and local name ('' for unqualified attributes). */
export function attrNs(el: WebXmlElement, ns: string, local: string): string | null {
  return el.attrsNs[`{${ns}}${local}`] ?? null;
}

export function parseXmlDocument(text: string, limits: XmlDocLimits = {}): XmlDocResult {
  const maxChars = limits.maxChars ?? 262_144;
  const maxDepth = limits.maxDepth ?? 32;
  if (text.length > maxChars) return { ok: false, error: `more than ${maxChars} characters of XML` };
  const parser = new SaxesParser({ xmlns: true });
  const stack: WebXmlElement[] = [];
  let root: WebXmlElement | null = null;
  let error: string | null = null;
  const fail = (why: string): never => {
    error ??= why;
    throw new Stop();
  };
  parser.on('doctype', () => fail('DOCTYPE declaration (a DTD is never read)'));
  if (limits.restricted) {
    parser.on('comment', () => fail('XML comment'));
    parser.on('processinginstruction', (pi) => fail(`processing instruction <?${pi.target}?>`));
  }
  const addText = (t: string): void => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('opentag', (tag) => {
    const el = toElement(tag);
    if (stack.length >= maxDepth) fail(`elements nested deeper than ${maxDepth}`);
    if (stack.length) stack[stack.length - 1]!.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (err) => fail(err.message));
  try {
    parser.write(text).close();
  } catch (err) {
    if (!(err instanceof Stop)) error ??= err instanceof Error ? err.message : String(err);
  }
  if (error !== null) return { ok: false, error };
  if (!root) return { ok: false, error: 'no root element' };
  return { ok: true, root };
}
