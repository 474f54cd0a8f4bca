/**
 * Findings of certificate verification: the PKIX chain, the identity checks
 * (RFC 6125 / RFC 9525 as profiled by RFC 6120 §13.7) and the consistency of
 * certificates across targets, address families and TLS modes.
 */
import { defineFindings } from '../core/finding.js';

const DELEGATION_FIX =
  'Three proper fixes: (1) a certificate that names the domain itself (DNS-ID, or SRV-ID/XmppAddr), which the provider installs for you; ' +
  '(2) POSH (RFC 7711): publish the provider\'s certificate fingerprints at https://<domain>/.well-known/posh/xmpp-client.json (and xmpp-server.json); ' +
  '(3) DANE: sign the domain\'s zone with DNSSEC so the SRV delegation is secure, and publish TLSA records for the target (RFC 7673).';

export { DELEGATION_FIX };

/** Cuts a network string for use inside a message (renderers escape it; JSON keeps it readable). */
export function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export const CERT_FINDINGS = defineFindings({
  CERT_NONE: {
    severity: 'error',
    title: 'The server sent no certificate.',
    fix: 'Configure a certificate and its private key for this service.',
    reference: 'RFC 6120 §13.7.2',
  },
  CERT_UNPARSEABLE: {
    severity: 'error',
    title: 'A certificate the server sent could not be parsed.',
    fix: 'Check the certificate file the server uses: it should hold PEM certificates, leaf first, then intermediates.',
    reference: 'RFC 5280 §4.1',
  },
  CERT_CHAIN_INCOMPLETE: {
    severity: 'error',
    title: 'The chain as sent is incomplete: an intermediate certificate is missing, and clients cannot build a path to a trusted root.',
    fix: 'Serve the full chain (leaf, then every intermediate); with Let\'s Encrypt use fullchain.pem, not cert.pem. XMPP clients do not fetch missing intermediates.',
    reference: 'RFC 8446 §4.4.2; RFC 5280 §6',
  },
  CERT_SELF_SIGNED: {
    severity: 'error',
    title: 'The certificate is self-signed: no client or server trusts it unless told to.',
    fix: 'Get a certificate from a public CA (e.g. Let\'s Encrypt), or use DANE (TLSA 3 1 1) or POSH so peers can pin it.',
    reference: 'RFC 6120 §13.7.2; RFC 5280 §6',
  },
  CERT_UNTRUSTED_ROOT: {
    severity: 'error',
    title: 'The chain ends at a root certificate that is not trusted.',
    fix: 'Use a certificate from a publicly trusted CA; if this is a private CA, pass its root with --ca-file.',
    reference: 'RFC 5280 §6.1',
  },
  CERT_BAD_SIGNATURE: {
    severity: 'error',
    title: 'A signature in the chain does not verify: the issuer named is not the one that signed it.',
    fix: 'Serve the intermediate that really issued the certificate (the chain file probably holds an old or wrong intermediate).',
    reference: 'RFC 5280 §6.1.3',
  },
  CERT_ISSUER_NOT_CA: {
    severity: 'error',
    title: 'A certificate used as an issuer in the chain is not a CA certificate.',
    fix: 'Serve the real intermediate CA certificate; the chain file probably holds a leaf certificate in its place.',
    reference: 'RFC 5280 §4.2.1.9, §6.1.4',
  },
  CERT_EXPIRED: {
    severity: 'error',
    title: 'A certificate in the chain has expired.',
    fix: 'Renew the certificate and reload (or restart) the server on every host.',
    reference: 'RFC 5280 §4.1.2.5, §6.1.3',
  },
  CERT_NOT_YET_VALID: {
    severity: 'error',
    title: 'A certificate in the chain is not valid yet.',
    fix: 'Check the clock of the machine that issued it (and of this one); wait or reissue it.',
    reference: 'RFC 5280 §4.1.2.5, §6.1.3',
  },
  CERT_EXPIRING_CRITICAL: {
    severity: 'error',
    title: 'The certificate expires within the critical threshold (--crit-days, default 7 days).',
    fix: 'Renew it today, reload the server on every host, and find out why automatic renewal did not run.',
    reference: 'RFC 5280 §4.1.2.5',
  },
  CERT_EXPIRING_SOON: {
    severity: 'warning',
    title: 'The certificate expires soon.',
    fix: 'Renew it now, and check that automatic renewal runs and reloads the server.',
    reference: 'RFC 5280 §4.1.2.5',
  },
  CERT_WEAK_RSA_KEY: {
    severity: 'error',
    title: 'A certificate in the chain has an RSA key shorter than 2048 bits; current TLS libraries reject it.',
    fix: 'Issue a new certificate with an RSA key of at least 2048 bits, or an ECDSA P-256 key.',
    reference: 'NIST SP 800-131A; CA/Browser Forum Baseline Requirements §6.1.5',
  },
  CERT_SHA1_SIGNATURE: {
    severity: 'error',
    title: 'A certificate in the chain is signed with SHA-1; current TLS libraries reject it.',
    fix: 'Reissue the certificate (or get a current intermediate) signed with SHA-256 or better.',
    reference: 'RFC 9155; CA/Browser Forum Baseline Requirements §7.1.3',
  },
  CERT_MD5_SIGNATURE: {
    severity: 'error',
    title: 'A certificate in the chain is signed with MD5 or MD2, which are broken.',
    fix: 'Reissue the certificate signed with SHA-256 or better.',
    reference: 'RFC 6151; RFC 5280 §4.1.1.2',
  },
  CERT_NO_SERVER_AUTH_EKU: {
    severity: 'error',
    title: 'The certificate\'s extended key usage does not allow TLS server authentication (serverAuth).',
    fix: 'Issue a certificate whose extended key usage includes serverAuth (id-kp-serverAuth).',
    reference: 'RFC 5280 §4.2.1.12',
  },
  CERT_NO_CLIENT_AUTH_EKU: {
    severity: 'warning',
    title: 'The s2s certificate lacks the clientAuth extended key usage, and the server offers SASL EXTERNAL without dialback: peers that check EKU cannot authenticate it.',
    fix: 'Enable server dialback (XEP-0220) as a fallback, or use a certificate with clientAuth in its extended key usage (many public CAs no longer issue those).',
    reference: 'RFC 6120 §13.7.1.1; RFC 5280 §4.2.1.12; XEP-0178',
  },
  CERT_CHAIN_EXTRA: {
    severity: 'info',
    title: 'The server sent certificates that are not part of the path to a trusted root (unrelated, duplicate or out of order).',
    fix: 'Serve exactly the leaf and its intermediates, in order; remove stray certificates from the chain file.',
    reference: 'RFC 8446 §4.4.2',
  },
  CERT_NAME_MISMATCH: {
    severity: 'error',
    title: 'The certificate does not name the XMPP domain (no DNS-ID, SRV-ID, XmppAddr or CN matches it).',
    fix: 'Get a certificate that names the domain as a DNS name (subjectAltName), e.g. with certbot -d <domain>.',
    reference: 'RFC 6120 §13.7.2.1; RFC 6125 §6; RFC 9525 §6',
  },
  CERT_NAME_HOSTING_PROVIDER: {
    severity: 'error',
    title: 'The certificate names the SRV target (the hosting provider), not the XMPP domain: SRV delegation without DNSSEC does not prove the target may serve the domain.',
    fix: DELEGATION_FIX,
    reference: 'RFC 6125 §6.1 (reference identifiers from the source domain); draft-ietf-xmpp-dna §6; RFC 7711; RFC 7673',
  },
  CERT_NAME_CN_ONLY: {
    severity: 'warning',
    title: 'The certificate names the domain only in the subject Common Name, without subjectAltName; RFC 9525 no longer allows CN matching and many clients refuse it.',
    fix: 'Reissue the certificate with the domain as a DNS name in subjectAltName.',
    reference: 'RFC 9525 §6.3; RFC 6125 §6.4.4',
  },
  CERT_NAME_NO_DNS_ID: {
    severity: 'info',
    title: 'The certificate matches only by SRV-ID or XmppAddr, not by DNS-ID. That is valid XMPP, but some clients and checkers look only at DNS names.',
    fix: 'Nothing required; to please DNS-ID-only clients, add the domain as a DNS name too.',
    reference: 'RFC 6120 §13.7.1.2; RFC 6125 §6.1',
  },
  CERT_NAME_SRV_TARGET_SECURE: {
    severity: 'warning',
    title: 'The certificate names the SRV target, not the domain; the SRV answer is DNSSEC-secure, so this is a valid delegation, but only clients that validate DNSSEC and accept the target as reference identifier take it: the many that check only the domain refuse it.',
    fix: 'Nothing is wrong for DNSSEC-aware peers; for the others, also get a certificate that names the domain, or publish POSH (RFC 7711) or TLSA records (RFC 7673).',
    reference: 'draft-ietf-xmpp-dna §6; RFC 6125 §6.2.1 (derived domains); RFC 7673 §4',
  },
  CERT_SAN_BAD_ENCODING: {
    severity: 'warning',
    title: 'A subjectAltName entry (XmppAddr or SRVName) is encoded with a non-conforming string type: some implementations accept it, others ignore it.',
    fix: 'Reissue the certificate with XmppAddr as UTF8String and SRVName as IA5String.',
    reference: 'RFC 6120 §13.7.1.4; RFC 4985 §2',
  },
  CERT_DIFFERS_ACROSS_TARGETS: {
    severity: 'info',
    title: 'The targets of one service serve different certificates (with the same expiry).',
    fix: 'Nothing required if intended; check that every one names the domain.',
    reference: 'RFC 6120 §13.7',
  },
  CERT_EXPIRY_DIFFERS_ACROSS_TARGETS: {
    severity: 'warning',
    title: 'The targets of one service serve certificates with different expiry dates: a renewed certificate was probably not installed or reloaded everywhere.',
    fix: 'Deploy the renewed certificate to every target and reload the servers.',
    reference: 'RFC 6120 §13.7',
  },
  CERT_DIFFERS_BY_IP_FAMILY: {
    severity: 'warning',
    title: 'IPv4 and IPv6 of the same target serve different certificates: one of them is probably a different or stale server.',
    fix: 'Make both addresses reach the same server (or deploy the same certificate to both) and reload.',
    reference: 'RFC 6120 §13.7',
  },
  CERT_DIFFERS_BY_ADDRESS: {
    severity: 'warning',
    title: 'Different addresses of the same target serve different certificates.',
    fix: 'Deploy the current certificate to every server behind the name and reload them.',
    reference: 'RFC 6120 §13.7',
  },
  CERT_DIFFERS_BY_MODE: {
    severity: 'warning',
    title: 'STARTTLS and direct TLS on the same host serve different certificates: one listener was probably not reloaded after renewal.',
    fix: 'Configure both listeners with the same certificate file and reload the server.',
    reference: 'XEP-0368 §3; RFC 6120 §13.7',
  },
});
