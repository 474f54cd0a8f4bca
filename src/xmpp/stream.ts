/**
 * XMPP stream vocabulary for the probe: the stream header we send, and the
 * reading of what comes back (header attributes, stream features, stream
 * errors, STARTTLS answers). Pure functions over XmlElement trees.
 */
import type { ServiceKind } from '../core/types.js';
import type { XmlElement } from './xml-stream.js';


export const NS_STREAMS = 'http://etherx.jabber.org/streams';
export const NS_CLIENT = 'jabber:client';
export const NS_SERVER = 'jabber:server';
export const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
export const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
export const NS_STREAM_ERRORS = 'urn:ietf:params:xml:ns:xmpp-streams';
export const NS_DIALBACK_FEATURE = 'urn:xmpp:features:dialback';
/** The dialback namespace older servers declare on the s2s stream header instead of the feature (XEP-0220 §2.4). */
export const NS_DIALBACK = 'jabber:server:dialback';
export const NS_SASL2 = 'urn:xmpp:sasl:2';
export const NS_IQ_AUTH_FEATURE = 'http://jabber.org/features/iq-auth';
const SM_PREFIX = 'urn:xmpp:sm:';

export const contentNamespace = (service: ServiceKind): string => (service === 's2s' ? NS_SERVER : NS_CLIENT);

function escAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;').replace(/"/g, '&quot;');
}

/**
 * The initial stream header: `to` is the domain, version 1.0; `from` only when
 * the caller gives one (s2s; RFC 6120 §4.7.1).
 */
export function streamHeader(opts: { to: string; service: ServiceKind; from?: string | undefined }): string {
  const from = opts.from ? ` from='${escAttr(opts.from)}'` : '';
  return (
    `<?xml version='1.0'?>` +
    `<stream:stream xmlns='${contentNamespace(opts.service)}' xmlns:stream='${NS_STREAMS}'` +
    ` to='${escAttr(opts.to)}'${from} version='1.0'>`
  );
}

export const STARTTLS_COMMAND = `<starttls xmlns='${NS_TLS}'/>`;
export const STREAM_CLOSE = '</stream:stream>';

/** True when the root element is <stream:stream> in the streams namespace. */
export function isStreamRoot(el: XmlElement): boolean {
  return el.name === 'stream' && el.ns === NS_STREAMS;
}

/** What a stream header says; the content namespace is its default namespace. */
export function streamInfoOf(root: XmlElement): StreamInfo {
  const contentNs = root.nsDecls[''] ?? null;
  return {
    from: root.attrs['from'] ?? null,
    to: root.attrs['to'] ?? null,
    id: root.attrs['id'] ?? null,
    version: root.attrs['version'] ?? null,
    contentNs,
    dialbackNs: Object.values(root.nsDecls).includes(NS_DIALBACK),
    features: null,
  };
}

/** True when `version` is 1.0 or higher (RFC 6120 §4.7.5). */
export function versionAtLeast1(version: string | null): boolean {
  const m = /^(\d+)\.(\d+)$/.exec(version ?? '');
  return !!m && Number(m[1]) >= 1;
}

export const isFeatures = (el: XmlElement): boolean => el.name === 'features' && el.ns === NS_STREAMS;
export const isStreamError = (el: XmlElement): boolean => el.name === 'error' && el.ns === NS_STREAMS;

export function parseFeatures(el: XmlElement): StreamFeatures {
  const f: StreamFeatures = { starttls: { offered: false, required: false }, mechanisms: [], sasl2: [], iqAuth: false, dialback: false, sm: false, all: [] };
  for (const c of el.children) {
    f.all.push({ name: c.name, ns: c.ns });
    if (c.name === 'starttls' && c.ns === NS_TLS) {
      f.starttls.offered = true;
      f.starttls.required = c.children.some((r) => r.name === 'required' && r.ns === NS_TLS);
    } else if (c.name === 'mechanisms' && c.ns === NS_SASL) {
      for (const m of c.children) if (m.name === 'mechanism' && m.ns === NS_SASL) f.mechanisms.push(m.text.trim());
    } else if (c.name === 'authentication' && c.ns === NS_SASL2) {
      for (const m of c.children) if (m.name === 'mechanism' && m.ns === NS_SASL2) f.sasl2.push(m.text.trim());
    } else if (c.name === 'auth' && c.ns === NS_IQ_AUTH_FEATURE) {
      f.iqAuth = true;
    } else if (c.name === 'dialback' && c.ns === NS_DIALBACK_FEATURE) {
      f.dialback = true;
    } else if (c.name === 'sm' && c.ns.startsWith(SM_PREFIX)) {
      f.sm = true;
    }
  }
  return f;
}

/**
 * The ways a peer could authenticate on a stream (over TLS), in words: c2s
 * SASL (RFC 6120 §6), SASL2 (XEP-0388) or legacy iq-auth (XEP-0078); s2s
 * dialback (XEP-0220, as the feature or the header's namespace) or SASL
 * EXTERNAL (RFC 6120 §6, XEP-0178). Empty: nobody can log in (c2s) or
 * federate (s2s) on this stream.
 */
export function authenticationMethods(service: ServiceKind, info: Pick<StreamInfo, 'dialbackNs'>, f: StreamFeatures): string[] {
  if (service === 'c2s') {
    return [...(f.mechanisms.length ? [`SASL ${f.mechanisms.join(' ')}`] : []), ...(f.sasl2.length ? [`SASL2 ${f.sasl2.join(' ')}`] : []), ...(f.iqAuth ? ['iq-auth'] : [])];
  }
  const external = f.mechanisms.includes('EXTERNAL') || f.sasl2.includes('EXTERNAL');
  return [...(f.dialback || info.dialbackNs ? ['dialback'] : []), ...(external ? ['SASL EXTERNAL'] : [])];
}

export function parseStreamError(el: XmlElement): StreamErrorInfo {
  let condition = 'undefined-condition';
  let text: string | null = null;
  for (const c of el.children) {
    if (c.ns !== NS_STREAM_ERRORS) continue;
    if (c.name === 'text') text = c.text;
    else condition = c.name;
  }
  return { condition, text };
}

/** <proceed/>, <failure/> or something else, in answer to <starttls/>. */
export function starttlsAnswer(el: XmlElement): 'proceed' | 'failure' | 'other' {
  if (el.ns === NS_TLS && el.name === 'proceed') return 'proceed';
  if (el.ns === NS_TLS && el.name === 'failure') return 'failure';
  return 'other';
}

export interface StreamErrorInfo {
  /** The defined condition, e.g. `host-unknown`. */
  condition: string;
  text: string | null;
}

export interface StreamFeatures {
  starttls: { offered: boolean; required: boolean };
  /** SASL mechanisms, as offered (EXTERNAL included). */
  mechanisms: string[];
  /** SASL2 (XEP-0388) mechanisms, as offered. */
  sasl2: string[];
  /** c2s: legacy non-SASL authentication offered (XEP-0078). */
  iqAuth: boolean;
  /** s2s: <dialback xmlns='urn:xmpp:features:dialback'/>. */
  dialback: boolean;
  /** Stream management (XEP-0198), any version. */
  sm: boolean;
  /** Every feature element, by local name and namespace, in order. */
  all: FeatureEntry[];
}

export interface StreamInfo {
  /** The stream header's attributes. */
  from: string | null;
  to: string | null;
  id: string | null;
  version: string | null;
  /** Default namespace of the stream: jabber:client or jabber:server. */
  contentNs: string | null;
  /** The header declares the dialback namespace (how servers older than the dialback feature announce it). */
  dialbackNs: boolean;
  /** Null when the features never arrived. */
  features: StreamFeatures | null;
}

export interface FeatureEntry {
  name: string;
  ns: string;
}
