/**
 * Findings of the DNSSEC stage: the status of the answers that matter (SRV,
 * A/AAAA, TLSA), the resolver mode and the trust anchors. What the TLSA records
 * say about the certificates is verification's (src/verify/dane/definitions.ts).
 */
import { defineFindings } from '../core/finding.js';

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
    severity: 'warning',
    title: 'The trust-anchor file has lines that could not be read.',
    fix: 'Use DS or DNSKEY records in zone-file format, as `dnssec-dsfromkey` prints them.',
    reference: 'RFC 4034 §2.2, §5.3',
  },
});
