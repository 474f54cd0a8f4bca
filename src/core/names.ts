/**
 * Protocol names written out in one place: the SRV service labels, the POSH
 * URLs (RFC 7711/7712) and TLSA owner names (RFC 6698 §3, RFC 7673).
 */
import type { Candidate, Family, ServiceKind } from './types.js';

export const tlsaOwner = (c: Pick<Candidate, 'port' | 'target'>): string => `_${c.port}._tcp.${c.target}`;

/**
 * Where an SRV target that is an alias (CNAME) has its TLSA records tried
 * first: the fully CNAME-expanded name (RFC 7671 §7); null when the target
 * owns its addresses. `cnames` is the chain discovery followed.
 */
export const tlsaCanonicalOwner = (c: Pick<Candidate, 'port' | 'target'>, cnames: readonly string[] | undefined): string | null =>
  cnames?.length ? `_${c.port}._tcp.${cnames[cnames.length - 1]}` : null;

/** The SRV service label of a service family: `xmpp-client`, `xmpps-server`, … (XEP-0368). */
export const serviceLabel = (service: ServiceKind, family: Family = 'xmpp'): string => `${family}-${service === 'c2s' ? 'client' : 'server'}`;

/** The domain's POSH URL for a service (RFC 7711 §3, with RFC 7712's service names). */
export const poshUrl = (domain: string, service: ServiceKind): string => `https://${domain}/.well-known/posh/${serviceLabel(service)}.json`;
