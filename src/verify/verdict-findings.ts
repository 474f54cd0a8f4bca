/** Findings of the verdict: which prooftype (PKIX, DANE, POSH) authenticates each connection. */
import { defineFindings } from '../core/finding.js';

export const VERDICT_FINDINGS = defineFindings({
  AUTH_NONE: {
    severity: 'error',
    title: 'No prooftype authenticates this server for the domain: PKIX fails, and there is no usable DANE record and no matching POSH file.',
    fix: 'Any one of: a certificate that names the domain (DNS-ID, SRV-ID or XmppAddr) from a trusted CA; a POSH file listing the certificate\'s fingerprint (RFC 7711); or DANE: a TLSA record for the target in a DNSSEC-signed zone, with the SRV records signed too (RFC 7673).',
    reference: 'RFC 6120 §13.7.2; draft-ietf-xmpp-dna §4–§6',
  },
  AUTH_VIA_POSH: {
    severity: 'info',
    title: 'The certificate does not prove the domain by PKIX, but the domain\'s POSH file lists it: authenticated via POSH.',
    fix: 'Nothing to do. Keep the POSH file in step with certificate renewals.',
    reference: 'RFC 7711 §4; draft-ietf-xmpp-dna §6',
  },
  AUTH_VIA_DANE: {
    severity: 'info',
    title: 'The certificate does not prove the domain by PKIX, but a DNSSEC-secure TLSA record matches it: authenticated via DANE.',
    fix: 'Nothing to do for servers that do DANE; publish the next key\'s TLSA record before every rollover.',
    reference: 'RFC 7673 §3; RFC 7671',
  },
});
