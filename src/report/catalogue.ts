/**
 * The one catalogue of finding codes: every stage's `findings.ts`, merged.
 * docs/findings.md is generated from it (`npm run docs:findings`) and a test
 * keeps the two in step. Add a stage's definitions to STAGES below.
 */
import type { Finding, FindingDef } from '../core/finding.js';
import { DISCOVERY_FINDINGS } from '../discovery/findings.js';
import { DNSSEC_FINDINGS } from '../dnssec/findings.js';
import { DANE_FINDINGS } from '../verify/dane/definitions.js';
import { POSH_FINDINGS } from '../posh/findings.js';
import { PROBE_FINDINGS } from '../probes/findings.js';
import { CERT_FINDINGS } from '../verify/findings.js';
import { VERDICT_FINDINGS } from '../verify/verdict-findings.js';
import { WEB_FINDINGS } from '../web/findings.js';
import { QUIC_FINDINGS } from '../quic/findings.js';

/** Each stage's definitions, in pipeline order, with the heading docs/findings.md gives them. */
export const STAGES: { stage: string; defs: Record<string, FindingDef> }[] = [
  { stage: 'Discovery (DNS and SRV records)', defs: DISCOVERY_FINDINGS },
  { stage: 'DNSSEC', defs: DNSSEC_FINDINGS },
  { stage: 'DANE (TLSA)', defs: DANE_FINDINGS },
  { stage: 'Connection probes (TCP, XMPP streams, STARTTLS, direct TLS)', defs: PROBE_FINDINGS },
  { stage: 'Certificates (PKIX, identity, consistency)', defs: CERT_FINDINGS },
  { stage: 'POSH (RFC 7711)', defs: POSH_FINDINGS },
  { stage: 'Verdict (which prooftype authenticates each connection)', defs: VERDICT_FINDINGS },
  { stage: 'Web connection methods (XEP-0156: host-meta, BOSH, WebSocket)', defs: WEB_FINDINGS },
  { stage: 'XMPP over QUIC (XEP-0467)', defs: QUIC_FINDINGS },
];

/** Every code of the catalogue: a finding in the report carries one of these. */
export type FindingCode =
  | keyof typeof DISCOVERY_FINDINGS
  | keyof typeof DNSSEC_FINDINGS
  | keyof typeof DANE_FINDINGS
  | keyof typeof PROBE_FINDINGS
  | keyof typeof CERT_FINDINGS
  | keyof typeof POSH_FINDINGS
  | keyof typeof VERDICT_FINDINGS
  | keyof typeof WEB_FINDINGS
  | keyof typeof QUIC_FINDINGS;

export const CATALOGUE: ReadonlyMap<string, FindingDef> = (() => {
  const m = new Map<string, FindingDef>();
  for (const { defs } of STAGES) {
    for (const def of Object.values(defs)) {
      if (m.has(def.code)) throw new Error(`finding code ${def.code} defined twice`);
      m.set(def.code, def);
    }
  }
  return m;
})();

/** A finding as the report holds it: its code is one of the catalogue's. */
export type CataloguedFinding = Finding<FindingCode>;

/** Narrows stage findings to catalogued ones; a code outside the catalogue is a bug in the stage that made it. */
export function catalogued(findings: readonly Finding[]): CataloguedFinding[] {
  for (const f of findings) if (!CATALOGUE.has(f.code)) throw new Error(`finding code ${f.code} is not in the catalogue`);
  return findings as CataloguedFinding[];
}
