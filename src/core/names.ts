/**
 * Protocol names written out in one place: the SRV service labels, the POSH
 * URLs (RFC 7711/7712) and TLSA owner names (RFC 6698 §3, RFC 7673).
 */
import type { Candidate, Family, ServiceKind } from './types.js';

/** The TLSA owner of an endpoint: `_port._tcp.host` (RFC 6698 §3), `_port._udp.host` for QUIC (XEP-0467 §4). */
export const tlsaOwner = (c: Pick<Candidate, 'port' | 'target'>, transport: 'tcp' | 'udp' = 'tcp'): string => `_${c.port}._${transport}.${c.target.replace(/\.$/, '')}`;

/** The ALPN protocol of a service (XEP-0368 §4): `xmpp-client` or `xmpp-server`. */
export const alpnOf = (service: ServiceKind): string => serviceLabel(service);

/** The SRV owner label pair of a service family, e.g. `_xmpps-client._tcp` (RFC 6120 §3.2.1, XEP-0368). */
export const srvName = (service: ServiceKind, family: Family): string => `_${serviceLabel(service, family)}._tcp`;

/** The SRV-ID of a domain for a service (RFC 4985, RFC 6120 §13.7.1.2.1): `_xmpp-client.example.com`. */
export const srvId = (domain: string, service: ServiceKind): string => `_${serviceLabel(service)}.${domain}`;

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

/** Where the POSH draft put the file before RFC 7711: `/.well-known/posh._xmpp-client._tcp.json`. */
export const legacyPoshUrl = (domain: string, service: ServiceKind): string => `https://${domain}/.well-known/posh._${serviceLabel(service)}._tcp.json`;

/**
 * Orders DNS names by code point: the same on every machine (localeCompare
 * depends on the locale, and its first call builds an ICU collator, a few ms
 * of every check).
 */
export const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
