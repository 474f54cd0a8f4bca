/**
 * Service identity: does the certificate name the XMPP domain? Our own
 * matcher for RFC 6125 / RFC 9525 as profiled by RFC 6120 §13.7. Reference
 * identifiers come from the domain the user typed, never from the SRV target
 * (unless the caller says the delegation is secure). Says what matched, and
 * when nothing did, what the certificate covers instead.
 */
import { srvId } from '../core/names.js';
import { domainToASCII } from 'node:url';
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import { makeFinding } from '../core/finding.js';
import { CERT_FINDINGS as F, DELEGATION_FIX, clip } from './findings.js';
import type { InvalidSan, SanSet } from './x509.js';

export type IdentityType = 'dns' | 'srv' | 'xmppaddr' | 'cn';

/** The reference identifiers checked, all in A-labels. */
export interface ReferenceIdentifiers {
  /** DNS-ID: the domain. */
  dns: string;
  /** SRV-ID: `_xmpp-client.<domain>` or `_xmpp-server.<domain>`. */
  srv: string;
  /** XmppAddr: the domain as a bare JID. */
  xmppAddr: string;
  /** The SRV target used as an extra DNS-ID (only when its delegation is secure). */
  srvTarget: string | null;
}

export interface IdentityMatch {
  type: IdentityType;
  /** The presented identifier as the certificate has it. */
  value: string;
  /** The reference identifier it matched. */
  reference: string;
  /** `domain` for the typed domain; `srvTarget` for the secure SRV target. */
  via: 'domain' | 'srvTarget';
  /** Matched through a `*.` wildcard. */
  wildcard: boolean;
}

/** What the certificate presents, by type (values as encoded). */
export interface PresentedIdentifiers {
  dns: string[];
  srv: string[];
  xmppAddr: string[];
  uri: string[];
  ip: string[];
  /** Subject CN-IDs (a CN sharing its RDN with other attributes is none). */
  cn: string[];
  /** True when CN is used for matching: no DNS, SRV, URI or XmppAddr SAN. */
  cnConsidered: boolean;
  invalid: InvalidSan[];
}

export interface IdentityResult {
  matched: boolean;
  /** The best match (DNS-ID, then SRV-ID, XmppAddr, CN); null when none. */
  by: IdentityMatch | null;
  /** Every match found, best first. */
  matches: IdentityMatch[];
  references: ReferenceIdentifiers;
  presented: PresentedIdentifiers;
  /** The first SRV target (hosting provider) the certificate covers, whether or not it matched. */
  coversSrvTarget: string | null;
  /** SRV-IDs that name the domain but for another service (e.g. `_xmpp-server` on c2s). */
  otherServiceSrvIds: string[];
}

export interface IdentityOptions {
  /** The domain the user typed (U-labels or A-labels, any case, trailing dot allowed). */
  domain: string;
  service: ServiceKind;
  /** SRV targets of this service, to explain a certificate made for the provider. */
  srvTargets?: string[];
  /** An extra reference identifier: the SRV target this connection went to. */
  srvTarget?: string;
  /** Only when true is `srvTarget` matched (DNSSEC-secured delegation, e.g. DANE-TA). Default false. */
  srvTargetSecure?: boolean;
}

/** What identity matching needs from a certificate. */
export interface IdentitySource {
  san: SanSet | null;
  subjectCn: string[];
  /** The CNs that are CN-IDs (alone in their RDN); `subjectCn` when not given. */
  subjectCnIds?: string[];
}

/** A typed domain in A-labels, lower case, no trailing dot; null when it is not a valid domain. */
export function normalizeReference(name: string): string | null {
  const trimmed = name.trim().replace(/\.$/, '');
  if (!trimmed || trimmed.includes('..')) return null;
  const ascii = domainToASCII(trimmed);
  return ascii ? ascii.toLowerCase() : null;
}

/**
 * A presented DNS name, lower case; null when not plain ASCII host syntax. A
 * trailing dot is kept, so it never matches: certificate names have no root
 * label (RFC 5280 §4.2.1.6), only the reference identifier is compared
 * without it (RFC 6125 §6.4.1), as OpenSSL and Prosody do.
 */
function normalizePresented(name: string): string | null {
  const s = name.toLowerCase();
  if (!s || !/^[a-z0-9_*.-]+$/.test(s) || s.split('.').some((l) => l === '')) return null;
  return s;
}

/**
 * Matches one presented DNS name (DNS-ID or CN) against a reference in A-labels.
 * A wildcard counts only as the whole left-most label, matches exactly one
 * label, and needs at least two labels after it; `f*.example.com` never matches.
 */
export function matchDnsName(presented: string, reference: string): { matched: boolean; wildcard: boolean } {
  const p = normalizePresented(presented);
  if (!p) return { matched: false, wildcard: false };
  const pl = p.split('.');
  const rl = reference.split('.');
  if (!p.includes('*')) return { matched: p === reference, wildcard: false };
  if (pl[0] !== '*' || pl.slice(1).some((l) => l.includes('*'))) return { matched: false, wildcard: false };
  if (pl.length < 3 || pl.length !== rl.length) return { matched: false, wildcard: false };
  const matched = pl.slice(1).join('.') === rl.slice(1).join('.') && rl[0]!.length > 0;
  return { matched, wildcard: matched };
}

/** Parses an SRVName (`_service.name`) into its service label and name; a name with a trailing dot is refused, as for DNS-IDs. */
function splitSrvName(v: string): { service: string; name: string } | null {
  const dot = v.indexOf('.');
  if (dot < 2 || !v.startsWith('_') || v.endsWith('.')) return null;
  const name = normalizeReference(v.slice(dot + 1));
  return name ? { service: v.slice(0, dot).toLowerCase(), name } : null;
}

/** An XmppAddr as a domain in A-labels; null when it is a full JID (has a localpart or resource). */
function xmppAddrDomain(v: string): string | null {
  if (v.includes('@') || v.includes('/')) return null;
  return normalizeReference(v);
}

export function referenceIdentifiers(domain: string, service: ServiceKind, srvTarget: string | null = null): ReferenceIdentifiers {
  const d = normalizeReference(domain) ?? domain.toLowerCase();
  return { dns: d, srv: srvId(d, service), xmppAddr: d, srvTarget: srvTarget === null ? null : normalizeReference(srvTarget) };
}

/** The presented identifiers of a certificate, and whether CN counts. */
export function presentedIdentifiers(src: IdentitySource): PresentedIdentifiers {
  const san = src.san;
  const p: PresentedIdentifiers = {
    dns: san?.dns ?? [],
    srv: san?.srv ?? [],
    xmppAddr: san?.xmppAddr ?? [],
    uri: san?.uri ?? [],
    ip: san?.ip ?? [],
    cn: src.subjectCnIds ?? src.subjectCn,
    cnConsidered: false,
    invalid: san?.invalid ?? [],
  };
  p.cnConsidered = p.dns.length + p.srv.length + p.xmppAddr.length + p.uri.length === 0;
  return p;
}

/** DNS-ID and (when considered) CN matches of one reference name. */
function dnsMatches(p: PresentedIdentifiers, reference: string, via: IdentityMatch['via']): IdentityMatch[] {
  const out: IdentityMatch[] = [];
  for (const v of p.dns) {
    const m = matchDnsName(v, reference);
    if (m.matched) out.push({ type: 'dns', value: v, reference, via, wildcard: m.wildcard });
  }
  if (p.cnConsidered) {
    for (const v of p.cn) {
      const m = matchDnsName(v, reference);
      if (m.matched) out.push({ type: 'cn', value: v, reference, via, wildcard: m.wildcard });
    }
  }
  return out;
}

/** Checks a certificate's names against the domain's reference identifiers. */
export function matchIdentity(src: IdentitySource, opts: IdentityOptions): IdentityResult {
  const secureTarget = opts.srvTargetSecure === true && opts.srvTarget ? opts.srvTarget : null;
  const refs = referenceIdentifiers(opts.domain, opts.service, secureTarget);
  const p = presentedIdentifiers(src);
  const matches: IdentityMatch[] = [];
  const otherServiceSrvIds: string[] = [];

  const fromDomain = dnsMatches(p, refs.dns, 'domain');
  matches.push(...fromDomain.filter((m) => m.type === 'dns'));
  const wantService = refs.srv.slice(0, refs.srv.indexOf('.'));
  for (const v of p.srv) {
    const s = splitSrvName(v);
    if (!s || s.name !== refs.dns) continue;
    if (s.service === wantService) matches.push({ type: 'srv', value: v, reference: refs.srv, via: 'domain', wildcard: false });
    else otherServiceSrvIds.push(v);
  }
  for (const v of p.xmppAddr) {
    if (xmppAddrDomain(v) === refs.xmppAddr) matches.push({ type: 'xmppaddr', value: v, reference: refs.xmppAddr, via: 'domain', wildcard: false });
  }
  matches.push(...fromDomain.filter((m) => m.type === 'cn'));
  if (refs.srvTarget && refs.srvTarget !== refs.dns) matches.push(...dnsMatches(p, refs.srvTarget, 'srvTarget'));

  let coversSrvTarget: string | null = null;
  for (const t of opts.srvTargets ?? []) {
    const ref = normalizeReference(t);
    if (ref && ref !== refs.dns && dnsMatches(p, ref, 'srvTarget').length) {
      coversSrvTarget = ref;
      break;
    }
  }
  return { matched: matches.length > 0, by: matches[0] ?? null, matches, references: refs, presented: p, coversSrvTarget, otherServiceSrvIds };
}

/** One line listing what the certificate names, for messages (raw values; escape before printing). */
export function describePresented(p: PresentedIdentifiers, limit = 8): string {
  const items = [
    ...p.dns.map((v) => `DNS:${v}`),
    ...p.srv.map((v) => `SRV:${v}`),
    ...p.xmppAddr.map((v) => `XmppAddr:${v}`),
    ...p.uri.map((v) => `URI:${v}`),
    ...p.ip.map((v) => `IP:${v}`),
    ...(p.cnConsidered ? p.cn.map((v) => `CN:${v}`) : []),
    ...p.invalid.map((b) => `${b.type === 'srv' ? 'SRV' : 'XmppAddr'}:${b.value} (mis-encoded, not counted)`),
  ];
  if (!items.length) return 'no names at all';
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown} (+${items.length - limit} more)` : shown;
}


/** Presented DNS-IDs, SRV-IDs and (when considered) CNs that would match the domain but for a trailing dot. */
function trailingDotNames(r: IdentityResult): string[] {
  const refs = r.references;
  const p = r.presented;
  const names = [...p.dns, ...(p.cnConsidered ? p.cn : [])].filter((v) => v.endsWith('.') && matchDnsName(v.slice(0, -1), refs.dns).matched);
  const wantService = refs.srv.slice(0, refs.srv.indexOf('.'));
  for (const v of p.srv) {
    const s = v.endsWith('.') ? splitSrvName(v.slice(0, -1)) : null;
    if (s && s.service === wantService && s.name === refs.dns) names.push(v);
  }
  return names;
}

const TYPE_NAMES: Record<IdentityType, string> = { dns: 'DNS-ID', srv: 'SRV-ID', xmppaddr: 'XmppAddr', cn: 'subject CN' };

/** The findings an identity result calls for, about `subject` (a probe id). */
export function identityFindings(r: IdentityResult, subject: string, service: ServiceKind): Finding[] {
  const out: Finding[] = [];
  const add = (def: Parameters<typeof makeFinding>[0], message: string, fix?: string): void => {
    out.push(makeFinding(def, subject, message, fix ? { fix, service } : { service }));
  };
  const refs = r.references;
  for (const bad of r.presented.invalid) add(F.CERT_SAN_BAD_ENCODING, `${bad.type === 'srv' ? 'SRVName' : 'XmppAddr'} "${clip(bad.value)}" is ${bad.reason}.`);
  if (r.by) {
    const m = r.by;
    const what = `${TYPE_NAMES[m.type]} "${clip(m.value)}"`;
    if (m.via === 'srvTarget') add(F.CERT_NAME_SRV_TARGET_SECURE, `Matched the SRV target ${m.reference} by ${what}, not the domain ${refs.dns}.`);
    else if (m.type === 'cn') add(F.CERT_NAME_CN_ONLY, `Matched ${refs.dns} only by the legacy ${what}; the certificate has no DNS, SRV, URI or XmppAddr subjectAltName.`);
    else if (m.type !== 'dns' && !r.matches.some((x) => x.type === 'dns')) add(F.CERT_NAME_NO_DNS_ID, `Matched ${refs.dns} by ${what} only; no DNS-ID names it.`);
    return out;
  }
  const covers = describePresented(r.presented);
  const wanted = `${refs.dns} (DNS-ID), ${refs.srv} (SRV-ID) or XmppAddr ${refs.xmppAddr}`;
  let extra = '';
  if (r.otherServiceSrvIds.length) extra += ` Its SRV-ID ${r.otherServiceSrvIds.map((v) => `"${clip(v)}"`).join(', ')} is for another service and does not count for ${service}.`;
  if (!r.presented.cnConsidered && r.presented.cn.length) extra += ` The subject CN is ignored because the certificate has subjectAltNames.`;
  const dotted = trailingDotNames(r);
  if (dotted.length) {
    extra += ` ${dotted.map((v) => `"${clip(v)}"`).join(', ')} ${dotted.length === 1 ? 'ends' : 'end'} with a dot, which names in a certificate must not have (RFC 5280 §4.2.1.6), so clients (OpenSSL, Prosody) do not match ${dotted.length === 1 ? 'it' : 'them'}.`;
  }
  if (r.coversSrvTarget) {
    add(
      F.CERT_NAME_HOSTING_PROVIDER,
      `The certificate covers the SRV target ${r.coversSrvTarget} (it names ${clip(covers, 200)}) but not ${wanted}.${extra} ` +
        `The SRV record delegates ${refs.dns} to ${r.coversSrvTarget}, but without DNSSEC nothing proves that delegation, so clients must check the certificate against ${refs.dns} itself.`,
      DELEGATION_FIX.replace(/<domain>/g, refs.dns),
    );
  } else {
    add(F.CERT_NAME_MISMATCH, `The certificate names ${clip(covers, 200)}; none matches ${wanted}.${extra}`);
  }
  return out;
}
