/**
 * Findings of the DNSSEC and DANE stage: the status of the answers that
 * matter (SRV, A/AAAA, TLSA) and what the TLSA records say about the
 * certificates the servers present.
 */
import { defineFindings } from '../report/finding.js';

export const DNSSEC_FINDINGS = defineFindings({
  DNSSEC_BOGUS: {
    severity: 'error',
    title: 'DNSSEC validation fails (bogus): validating resolvers answer SERVFAIL, so clients and servers behind them cannot find this service.',
    fix: 'Repair the broken link of the chain named in the message (expired signatures, a DS that matches no key, a missing key), then re-check.',
    reference: 'RFC 4035 §5; RFC 4033 §5',
  },
  DNSSEC_INDETERMINATE: {
    severity: 'warning',
    title: 'The DNSSEC status could not be determined (no answer, or the resolver failed even with checking disabled).',
    fix: 'Check that the zone\'s name servers answer DNSKEY and DS queries over UDP and TCP, then re-check.',
    reference: 'RFC 4035 §4.3',
  },
  DNSSEC_EDE: {
    severity: 'info',
    title: 'The resolver sent an Extended DNS Error explaining its answer.',
    fix: 'Read the error text; for DNSSEC errors fix the zone as the DNSSEC findings say.',
    reference: 'RFC 8914',
  },
  DNSSEC_RESOLVER_MODE: {
    severity: 'info',
    title: 'DNSSEC status taken from the resolver\'s AD bit: it is only as trustworthy as the path to that resolver.',
    fix: 'Use the default validate mode for an independent check, or a resolver on a trusted path (localhost).',
    reference: 'RFC 6840 §5.8; RFC 4035 §4.9.3',
  },
  DNSSEC_TRUST_ANCHOR_ERROR: {
    severity: 'error',
    title: 'The trust-anchor file has lines that could not be read.',
    fix: 'Use DS or DNSKEY records in zone-file format, as `dnssec-dsfromkey` prints them.',
    reference: 'RFC 4034 §2.2, §5.3',
  },
  DANE_TLSA_NOT_SECURE: {
    severity: 'info',
    title: 'TLSA records are published, but DANE does not apply because not all of the SRV, address and TLSA records are DNSSEC-secure; they are ignored.',
    fix: 'Sign the zones (with a DS at each parent) if you want DANE; otherwise remove the TLSA records.',
    reference: 'RFC 7673 §3; RFC 6698 §4.1',
  },
  DANE_TLSA_BOGUS: {
    severity: 'error',
    title: 'The TLSA records fail DNSSEC validation: DANE clients cannot connect.',
    fix: 'Repair the DNSSEC chain of the TLSA name (see the DNSSEC finding).',
    reference: 'RFC 6698 §4.1; RFC 7671 §4',
  },
  DANE_TLSA_MISMATCH: {
    severity: 'error',
    title: 'No usable TLSA record matches the certificate the server presents: DANE clients refuse the connection.',
    fix: 'Usually the certificate was renewed with a new key. Publish a record that matches (suggested in the message); prefer `3 1 1` with key reuse at renewal, and publish the next key\'s TLSA before switching.',
    reference: 'RFC 7671 §8.1; RFC 6698 §2.1',
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
