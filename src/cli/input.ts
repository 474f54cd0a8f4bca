/**
 * Turns what the user typed into the domain to check: a bare domain, a JID
 * (`user@example.com/res` → `example.com`), an `xmpp:` URI, or an IDN in
 * U-labels (converted to A-labels; both kept). Invalid names are refused with
 * one line that says why.
 */
import net from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import type { ReportInput } from '../core/types.js';

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

export function parseInput(raw: string): ReportInput {
  const typed = raw.trim();
  if (!typed) throw new InputError('no domain given');
  let s = typed.replace(/^xmpp:(\/\/)?/i, '');
  // RFC 7622 §3.1: the resource starts at the first '/', the localpart ends at the first '@'.
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(0, slash);
  const at = s.indexOf('@');
  const isJid = at >= 0 || slash >= 0 || s !== typed;
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/\?.*$/, '');
  if (s.endsWith('.') && s.length > 1) s = s.slice(0, -1);
  if (!s) throw new InputError(`"${raw}" has no domain part`);
  if (net.isIP(s.replace(/^\[|\]$/g, ''))) throw new InputError(`"${s}" is an IP address; give the XMPP domain (the part after @ in a JID)`);
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
  };
}
