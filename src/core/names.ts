/**
 * Protocol names written out in one place: the SRV service labels, the POSH
 * URLs (RFC 7711/7712) and TLSA owner names (RFC 6698 §3, RFC 7673).
 */
import type { Candidate, Family, ServiceKind } from './types.js';

export const tlsaOwner = (c: Pick<Candidate, 'port' | 'target'>): string => `_${c.port}._tcp.${c.target}`;

/** The SRV service label of a service family: `xmpp-client`, `xmpps-server`, … (XEP-0368). */
export const serviceLabel = (service: ServiceKind, family: Family = 'xmpp'): string => `${family}-${service === 'c2s' ? 'client' : 'server'}`;

/** The domain's POSH URL for a service (RFC 7711 §3, with RFC 7712's service names). */
export const poshUrl = (domain: string, service: ServiceKind): string => `https://${domain}/.well-known/posh/${serviceLabel(service)}.json`;
