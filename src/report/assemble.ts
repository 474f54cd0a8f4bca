/**
 * Assembles the one Report from the stages' results, once, at the end of a
 * check: each service's discovery, ordering, verified probes, POSH, what to
 * publish and QUIC; the DNSSEC section; the findings, merged and sorted; the
 * summary. Pure: it reads the stage results and builds new objects.
 */
import { catalogued } from './catalogue.js';
import { dedupeFindings, mergeFindings, sortFindings, type Finding } from '../core/finding.js';
import { poshUrl } from '../core/names.js';
import type { ReportInput, ServiceKind } from '../core/types.js';
import { VERSION } from '../core/version.js';
import type { AuthoritativeReport } from '../discovery/authoritative.js';
import type { HostAddresses } from '../dns/lookup.js';
import type { DnsQueryLog } from '../core/types.js';
import type { DnssecMode } from '../dnssec/types.js';
import type { SecurityResults } from '../dnssec/answers.js';
import type { OrderedService } from '../ordering/order.js';
import type { WebReport } from '../web/types.js';
import type { QuicServiceReport } from '../verify/quic.js';
import type { ServiceVerification } from '../verify/stage.js';
import { REPORT_SCHEMA_VERSION, type Report, type ServiceReport } from './model.js';
import { summarize } from './summary.js';

/** The run's settings as the report shows them. */
export interface ReportContext {
  startedAtMs: number;
  resolver: { server: string; source: 'option' | 'resolv.conf' };
  options: Report['options'];
  dnssecMode: DnssecMode;
  trustAnchorSource?: string;
}

function baseReport(ctx: ReportContext): Pick<Report, 'schemaVersion' | 'tool' | 'startedAt' | 'resolver' | 'options' | 'dnssec'> {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'xmpp-check', version: VERSION },
    startedAt: new Date(ctx.startedAtMs).toISOString(),
    resolver: ctx.resolver,
    options: ctx.options,
    dnssec: { mode: ctx.dnssecMode, anchors: ctx.trustAnchorSource ?? 'built-in root anchors (KSK-2017, KSK-2024)', caveat: null, results: [] },
  };
}

/** The report of a check that could not run at all (an invalid line in a batch, say). */
export function unknownReport(raw: string, reason: string, ctx: ReportContext): Report {
  return {
    ...baseReport(ctx),
    web: null,
    authoritative: null,
    input: { raw, domain: '', unicode: '', jid: null },
    durationMs: 0,
    hosts: {},
    services: [],
    dns: { queries: [] },
    findings: [],
    summary: summarize([], reason),
  };
}

export interface StageResults {
  input: ReportInput;
  durationMs: number;
  hosts: Record<string, HostAddresses>;
  services: readonly OrderedService[];
  /** Per service; absent when nothing was verified (DNS only, or the check stopped early). */
  verification: readonly ServiceVerification[];
  quic: Partial<Record<ServiceKind, QuicServiceReport>>;
  security: SecurityResults | null;
  /** Resolver mode: what the statuses rest on. */
  dnssecCaveat: string | null;
  web: WebReport | null;
  authoritative: AuthoritativeReport | null;
  queries: DnsQueryLog[];
  /** Every finding, in the order the stages made them. */
  findings: Finding[];
  /** Set when the check could not run: the findings are dropped and the status is unknown. */
  unknownReason: string | null;
}

export function assembleReport(ctx: ReportContext, r: StageResults): Report {
  const base = baseReport(ctx);
  const services: ServiceReport[] = r.services.map((s) => {
    const v = r.verification.find((x) => x.service === s.service);
    return {
      service: s.service,
      srv: s.srv,
      mode: s.mode,
      candidates: s.candidates,
      draw: s.draw,
      probes: v?.probes ?? [],
      posh: v?.posh ?? null,
      publish: v?.publish ?? { posh: null, poshUrl: poshUrl(r.input.domain, s.service), tlsa: [] },
      quic: r.quic[s.service] ?? null,
    };
  });
  const findings = r.unknownReason ? [] : catalogued(sortFindings(mergeFindings(dedupeFindings(r.findings))));
  return {
    ...base,
    dnssec: { ...base.dnssec, results: r.security?.entries() ?? [], caveat: r.dnssecCaveat },
    web: r.web ? (({ findings: _f, ...rest }) => rest)(r.web) : null,
    authoritative: r.authoritative,
    input: r.input,
    durationMs: r.durationMs,
    hosts: r.hosts,
    services,
    dns: { queries: r.queries },
    findings,
    summary: summarize(findings, r.unknownReason),
  };
}
