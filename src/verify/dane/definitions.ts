/**
 * The DANE finding codes: what the TLSA records (RFC 6698, RFC 7673) say about
 * the certificates the servers present.
 */
import { defineFindings } from '../../core/finding.js';

export const DANE_FINDINGS = defineFindings({
  DANE_TLSA_NOT_SECURE: {
    severity: 'info',
    title: 'TLSA records are published, but DANE does not apply because not all of the SRV, address and TLSA records are DNSSEC-secure; they are ignored.',
    fix: 'Sign the zones (with a DS at each parent) if you want DANE; otherwise remove the TLSA records.',
    reference: 'RFC 7673 §3; RFC 6698 §4.1',
  },
  DANE_TLSA_CNAME_BASE: {
    severity: 'info',
    title: 'The SRV target is an alias (CNAME): its TLSA records are looked up at the CNAME-expanded name first, when that expansion is DNSSEC-secure, and otherwise (or when none are there) at the name in the SRV record.',
    fix: 'Better: point the SRV record at the canonical name. Until then publish the TLSA records at the name shown, or at both names.',
    reference: 'RFC 7671 §7; RFC 7673 §3; RFC 6698 §3',
  },
  DANE_TLSA_BOGUS: {
    severity: 'error',
    title: 'The TLSA records fail DNSSEC validation: DANE clients cannot connect.',
    fix: 'Repair the DNSSEC chain of the TLSA name (see the DNSSEC finding).',
    reference: 'RFC 6698 §4.1; RFC 7671 §4',
  },
  DANE_TLSA_MISMATCH: {
    severity: 'error',
    title: 'A DNSSEC-secure, usable TLSA record set matches nothing the server presents: the connection is not authenticated, DANE-aware clients refuse it even when the certificate passes PKIX.',
    fix: 'Usually the certificate was renewed with a new key. Publish a record that matches (suggested in the message); prefer `3 1 1` with key reuse at renewal, and publish the next key\'s TLSA before switching.',
    reference: 'RFC 7673 §3; RFC 6698 §2.1; RFC 7671 §8.1',
  },
  DANE_TLSA_UNUSABLE: {
    severity: 'warning',
    title: 'Some TLSA records have parameters no client can use (undefined usage, selector or matching type, or a digest of the wrong length); clients ignore them.',
    fix: 'Replace them with `3 1 1` (or `2 1 1`) records; if none is usable, DANE clients fall back to plain PKIX.',
    reference: 'RFC 7671 §4.1; RFC 6698 §2.1',
  },
  DANE_PKIX_FAIL_C2S: {
    severity: 'warning',
    title: 'DANE authenticates this client service, but the certificate fails PKIX validation: few XMPP clients do DANE, so most will refuse it.',
    fix: 'Also serve a certificate that passes PKIX for the domain (e.g. from an ACME CA), keeping the TLSA records in step.',
    reference: 'RFC 7673 §3; RFC 6120 §13.7.2',
  },
  DANE_PKIX_FAIL_S2S: {
    severity: 'info',
    title: 'DANE authenticates this server-to-server service although the certificate fails PKIX validation; that is acceptable under RFC 7673 for DANE-aware peers.',
    fix: 'Nothing required; a PKIX-valid certificate reaches peers that do not do DANE.',
    reference: 'RFC 7673 §3',
  },
});
