/**
 * Turns DANE evaluations into findings: TLSA records that do not count because
 * they are not secure (never reported as a DANE failure), mismatches with the
 * records that would match, and DANE passing where PKIX fails.
 */
import { tlsaOwner } from '../../core/names.js';
import type { DnssecResult, SecurityStatus } from '../../dnssec/types.js';
import type { Finding } from '../../core/finding.js';
import type { ServiceKind } from '../../core/types.js';
import { DANE_FINDINGS as F } from './definitions.js';
import { daneApplies, suggestTlsa, type DaneEvaluation } from './match.js';
import { makeFinding } from '../../core/finding.js';

/**
 * Findings about DANE for one endpoint. TLSA records that are not secure are
 * ignored (an info finding, never a DANE failure); a bogus TLSA RRset is an
 * error; a mismatch suggests the records that would match.
 */
export function daneFindings(i: DaneFindingInput): Finding[] {
  const out: Finding[] = [];
  const subject = i.owner ?? tlsaOwner({ port: i.port, target: i.target });
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
  if (i.evaluation.outcome === 'fail' && i.pinBlocker) {
    out.push(
      makeFinding(F.DANE_TLSA_MISMATCH, subject, `None of ${i.evaluation.records.length} TLSA record(s) matches the presented certificate. No record is suggested: the certificate ${i.pinBlocker}.`, {
        ...ex,
        fix: `Fix the certificate first (it ${i.pinBlocker}); then publish TLSA records for the new one.`,
      }),
    );
  } else if (i.evaluation.outcome === 'fail') {
    const sugg = suggestTlsa(i.chain, i.port, i.target);
    // Our own line breaks go in as lines: makeFinding escapes each, so a target's name cannot add one.
    const lines = sugg.map((s) => s.line);
    out.push(
      makeFinding(F.DANE_TLSA_MISMATCH, subject, [`None of ${i.evaluation.records.length} TLSA record(s) matches the presented certificate: NOT authenticated, DANE-aware clients and servers refuse the connection${i.pkixValid ? ' (a PKIX-only client, one without DANE, would still accept it: the certificate passes PKIX)' : ''}. Records that would match:`, ...lines], {
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

export interface DaneFindingInput {
  service: ServiceKind;
  port: number;
  target: string;
  /** The TLSA owner the records come from (default `_port._tcp.target`). */
  owner?: string;
  /** The TLSA lookup (validate or resolver mode). */
  tlsa: DnssecResult;
  srvStatus: SecurityStatus | null;
  addressStatus: SecurityStatus;
  /** The presented chain (DER, leaf first) and its DANE evaluation; null when no TLS session. */
  chain: Buffer[] | null;
  evaluation: DaneEvaluation | null;
  pkixValid: boolean;
  /** Why the presented certificate must not be pinned (expired, untrusted, another name); null when it may. */
  pinBlocker?: string | null;
}
