/**
 * Turns DNSSEC results into findings: which link of the chain broke and how
 * to fix it, indeterminate answers, Extended DNS Errors, the resolver-mode
 * caveat and unusable trust anchors.
 */
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import { makeFinding } from '../core/finding.js';
import type { TrustAnchorParse } from './anchors.js';
import { DNSSEC_FINDINGS as F } from './findings.js';
import type { BrokenLinkKind, DnssecResult } from './types.js';

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



/** One DNSSEC_INDETERMINATE per reason, naming the answers, rather than one per answer. */
export function groupIndeterminate(fs: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of fs) {
    if (f.code !== F.DNSSEC_INDETERMINATE.code) {
      out.push(f);
      continue;
    }
    groups.set(f.message, [...(groups.get(f.message) ?? []), f]);
  }
  for (const [message, list] of groups) {
    const names = list.map((f) => f.subject);
    const subject = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
    out.push({ ...list[0]!, subject, message: list.length > 1 ? `${message} (${list.length} answers)` : message });
  }
  return out;
}
