/**
 * Turns what the user typed into the domain to check: a bare domain, a JID
 * (`user@example.com/res` → `example.com`), an `xmpp:` URI, or an IDN in
 * U-labels (converted to A-labels; both kept); a pasted `host:port` is the
 * domain with a note that the port is ignored. Invalid names, empty JID parts
 * and web addresses are refused with one line that says why and what to type.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import type { ReportInput } from '../core/types.js';
import { ipVersion } from '../core/net.js';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

const LDH_LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Checks an A-label domain name; returns the reason it is invalid, or null. */
export function domainProblem(ascii: string): string | null {
  if (ascii.length === 0) return 'the domain is empty';
  if (ascii.length > 253) return `the name is ${ascii.length} octets long; at most 253 are allowed`;
  const labels = ascii.split('.');
  for (const label of labels) {
    if (label.length === 0) return 'the name has an empty label (two dots in a row, or a leading dot)';
    if (label.length > 63) return `the label "${label.slice(0, 20)}…" is ${label.length} octets long; at most 63 are allowed`;
    if (!LDH_LABEL.test(label)) return `the label "${label}" has characters a host name cannot have (letters, digits and inner hyphens only)`;
  }
  if (labels.length < 2 && ascii !== 'localhost') return 'a single label is not a domain an XMPP service can be found at';
  return null;
}

/** What to suggest instead of a URL: `xmpp-check <its host>` when that host is a domain. */
function suggestion(host: string): string {
  try {
    return `xmpp-check ${parseInput(host).domain}`;
  } catch {
    return 'xmpp-check DOMAIN (the part after @ in a JID)';
  }
}

/** Refuses URLs that are not xmpp: URIs of a JID, saying what to type instead. */
function refuseUrls(typed: string): void {
  const xmppSlashes = /^xmpp:\/\/(.*)$/i.exec(typed);
  if (xmppSlashes) {
    // RFC 5122 §2.3: xmpp://auth-account/target-JID; the target, when given, is the address meant.
    const rest = xmppSlashes[1]!;
    const slash = rest.indexOf('/');
    const target = slash >= 0 && rest.slice(slash + 1) ? rest.slice(slash + 1) : slash >= 0 ? rest.slice(0, slash) : rest;
    throw new InputError(`"${typed}": in an xmpp: URI, what follows "//" is the account to log in with (RFC 5122 §2.3), not the address to check; type: ${suggestion(target.replace(/\?.*$/, ''))}`);
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(typed);
  if (url) {
    const host = url[2]!.replace(/^[^@]*@/, '').replace(/:\d*$/, '');
    throw new InputError(`"${typed}" is a web address, not an XMPP domain; type: ${suggestion(host)}`);
  }
}

export function parseInput(raw: string): ReportInput {
  const typed = raw.trim();
  if (!typed) throw new InputError('no domain given');
  refuseUrls(typed);
  let s = typed.replace(/^xmpp:/i, '');
  // RFC 7622 §3.1: the resource starts at the first '/', the localpart ends at the first '@'.
  const slash = s.indexOf('/');
  if (slash >= 0 && !s.slice(slash + 1).replace(/\?.*$/, '')) throw new InputError(`"${typed}" is not a valid JID: the resourcepart after "/" is empty (RFC 7622 §3.4)`);
  if (slash >= 0) s = s.slice(0, slash);
  const at = s.indexOf('@');
  const isJid = at >= 0 || slash >= 0 || s !== typed;
  if (at === 0) throw new InputError(`"${typed}" is not a valid JID: the localpart before "@" is empty (RFC 7622 §3.3); give the domain alone, or a JID with a localpart`);
  if (at >= 0) s = s.slice(at + 1);
  if (s.includes('@')) throw new InputError(`"${typed}" is not a valid JID: it has more than one "@" before the resource (RFC 7622 §3.1: localpart@domainpart/resourcepart)`);
  s = s.replace(/\?.*$/, '');
  // host:port, as people paste it: the domain is checked, the port is not used (SRV records say where to connect).
  let note: string | undefined;
  const port = /^([^:[\]]+):(\d*)$/.exec(s);
  if (port) {
    const n = Number(port[2]);
    if (!port[2] || !Number.isInteger(n) || n < 1 || n > 65535) throw new InputError(`"${typed}": ":${port[2]}" is not a port; give the domain alone (the ports come from DNS)`);
    s = port[1]!;
    note = `the port ${n} in "${typed}" is ignored: the ports come from DNS (SRV records, else 5222/5269)`;
  }
  if (s.endsWith('.') && s.length > 1) s = s.slice(0, -1);
  if (!s) throw new InputError(`"${raw}" has no domain part`);
  if (ipVersion(s.replace(/^\[|\]$/g, ''))) throw new InputError(`"${s}" is an IP address; give the XMPP domain (the part after @ in a JID)`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(s)) throw new InputError('the domain contains spaces or control characters');
  const ascii = domainToASCII(s).toLowerCase();
  if (!ascii) throw new InputError(`"${s}" is not a valid domain name (IDNA conversion failed)`);
  const problem = domainProblem(ascii);
  if (problem) throw new InputError(`"${s}" is not a valid domain name: ${problem}`);
  return {
    raw: typed,
    domain: ascii,
    unicode: domainToUnicode(ascii) || ascii,
    jid: isJid ? typed : null,
    ...(note ? { note } : {}),
  };
}
