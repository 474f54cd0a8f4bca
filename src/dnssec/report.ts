/**
 * Turns DNSSEC results and DANE evaluations into findings: which link of the
 * chain broke and how to fix it, TLSA records that do not count because they
 * are not secure (never reported as a DANE failure), mismatches with the
 * records that would match, and DANE passing where PKIX fails.
 */
import type { Finding, ServiceKind } from '../report/model.js';
import { makeFinding } from '../report/finding.js';
import { daneApplies, suggestTlsa, type DaneEvaluation } from '../verify/dane.js';
import type { TrustAnchorParse } from './anchors.js';
import { DNSSEC_FINDINGS as F } from './findings.js';
import type { BrokenLinkKind, DnssecResult, SecurityStatus } from './types.js';

const FIX: Record<BrokenLinkKind, string> = {
  'signature-expired': 'Re-sign the zone and make sure signing runs automatically: expired RRSIGs usually mean a stopped signing job.',
  'signature-not-yet-valid': 'Check the signer\'s clock: the signatures start in the future.',
  'ds-matches-no-dnskey': 'Update the DS at the parent (registrar) to the zone\'s current key (`dnssec-dsfromkey`), or bring back the key the DS points to.',
  'no-dnskey-for-keytag': 'Publish the DNSKEY that made the signatures, or re-sign with a published key (a key rollover went wrong).',
  'bad-signature': 'Re-sign the zone: the records changed after signing, or the signer is broken.',
  'missing-rrsig': 'Sign the zone completely: in a signed zone every RRset needs an RRSIG.',
  'no-dnskey': 'Publish the DNSKEY RRset at the zone apex, or remove the DS at the parent.',
  'missing-denial': 'Re-sign the zone so that its NSEC/NSEC3 chain is complete and sent with negative answers.',
  'bad-denial': 'Re-sign the zone so that its NSEC/NSEC3 chain is complete and correct.',
  'signer-mismatch': 'Sign the records with the keys of the zone they belong to.',
  malformed: 'Re-sign the zone with a standard signer.',
};

const subjectOf = (r: DnssecResult): string => `${r.name}/${r.type}`;

/** Findings about one DNSSEC result (bogus with the broken link, indeterminate, EDE, resolver-mode caveat). */
export function dnssecFindings(r: DnssecResult, service?: ServiceKind): Finding[] {
  const out: Finding[] = [];
  const ex = service ? { service } : {};
  if (r.mode === 'off') return out;
  if (r.status === 'bogus') {
    const link = r.brokenLink;
    const where = link ? ` Broken link: ${link.name}/${link.type} in zone ${link.zone} (${link.kind}).` : '';
    out.push(makeFinding(F.DNSSEC_BOGUS, subjectOf(r), `${r.reason}.${where}`, { ...ex, ...(link ? { fix: FIX[link.kind] } : {}) }));
  } else if (r.status === 'indeterminate') {
    out.push(makeFinding(F.DNSSEC_INDETERMINATE, subjectOf(r), r.reason, ex));
  }
  for (const e of r.ede) out.push(makeFinding(F.DNSSEC_EDE, subjectOf(r), `Extended DNS Error ${e.code}${e.text ? `: ${e.text}` : ''}`, ex));
  return out;
}

/** The one resolver-mode caveat for the report. */
export function resolverModeFinding(server: string): Finding {
  return makeFinding(F.DNSSEC_RESOLVER_MODE, server, `DNSSEC status taken from the AD bit of ${server}: only as trustworthy as the path to that resolver.`);
}

export function trustAnchorFindings(file: string, parse: TrustAnchorParse): Finding[] {
  return parse.errors.map((e) => makeFinding(F.DNSSEC_TRUST_ANCHOR_ERROR, `${file}:${e.line}`, e.message));
}

export interface DaneFindingInput {
  service: ServiceKind;
  port: number;
  target: string;
  /** The TLSA lookup (validate or resolver mode). */
  tlsa: DnssecResult;
  srvStatus: SecurityStatus | null;
  addressStatus: SecurityStatus;
  /** The presented chain (DER, leaf first) and its DANE evaluation; null when no TLS session. */
  chain: Buffer[] | null;
  evaluation: DaneEvaluation | null;
  pkixValid: boolean;
}

/**
 * Findings about DANE for one endpoint. TLSA records that are not secure are
 * ignored (an info finding, never a DANE failure); a bogus TLSA RRset is an
 * error; a mismatch suggests the records that would match.
 */
export function daneFindings(i: DaneFindingInput): Finding[] {
  const out: Finding[] = [];
  const subject = `_${i.port}._tcp.${i.target}`;
  const ex = { service: i.service };
  if (i.tlsa.mode === 'off') return out;
  const hasTlsa = i.tlsa.records.length > 0;
  if (i.tlsa.status === 'bogus') {
    out.push(makeFinding(F.DANE_TLSA_BOGUS, subject, `The TLSA lookup is bogus: ${i.tlsa.reason}`, ex));
    return out;
  }
  if (!hasTlsa) return out;
  const applies = daneApplies(i.srvStatus, i.addressStatus, i.tlsa.status);
  if (!applies.applies) {
    out.push(makeFinding(F.DANE_TLSA_NOT_SECURE, subject, `${i.tlsa.records.length} TLSA record(s) ignored: ${applies.reason}.`, ex));
    return out;
  }
  if (!i.evaluation || !i.chain) return out;
  const unusable = i.evaluation.records.filter((r) => r.verdict === 'unusable');
  if (unusable.length) {
    out.push(makeFinding(F.DANE_TLSA_UNUSABLE, subject, unusable.map((r) => `${r.text.slice(0, 40)}: ${r.reason}`).join('; '), ex));
  }
  if (i.evaluation.outcome === 'fail') {
    const sugg = suggestTlsa(i.chain, i.port, i.target);
    const lines = sugg.map((s) => s.line);
    out.push(
      makeFinding(F.DANE_TLSA_MISMATCH, subject, [`None of ${i.evaluation.records.length} TLSA record(s) matches the presented certificate. Records that would match:`, ...lines], {
        ...ex,
        fix: [`${F.DANE_TLSA_MISMATCH.fix} Matching records:`, ...lines],
      }),
    );
  }
  if (i.evaluation.outcome === 'pass' && !i.pkixValid) {
    out.push(makeFinding(i.service === 'c2s' ? F.DANE_PKIX_FAIL_C2S : F.DANE_PKIX_FAIL_S2S, subject, `${i.evaluation.matched!.reason}; PKIX validation fails.`, ex));
  }
  return out;
}
