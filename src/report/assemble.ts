/**
 * Assembles the one Report from the stages' results, once, at the end of a
 * check: each service's discovery, ordering, verified probes, POSH, what to
 * publish, QUIC and whether it works (its status); the certificates; the
 * DNSSEC section; the findings, grouped by root cause, merged, sorted and
 * marked where --ignore names them; the summary. Pure: it reads the stage
 * results and builds new objects.
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
import { markIgnored, summarize } from './summary.js';
import { groupRootCauses } from './root-cause.js';
import { serviceStatus } from './service-status.js';
import { collectCertificates } from './certificates.js';
import { groupIndeterminate } from '../dnssec/report.js';

/** The run's settings as the report shows them. */
export interface ReportContext {
  startedAtMs: number;
  resolver: Report['resolver'];
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
/** `raw` is what was typed; give the parsed input when there was one (a check cut off by --deadline). */
export function unknownReport(raw: string | ReportInput, reason: string, ctx: ReportContext, durationMs = 0): Report {
  return {
    ...baseReport(ctx),
    web: null,
    authoritative: null,
    input: typeof raw === 'string' ? { raw, domain: '', unicode: '', jid: null } : raw,
    durationMs,
    hosts: {},
    services: [],
    certificates: [],
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
  /** Whether the targets were probed (not --dns-only, and the check got that far). */
  probed: boolean;
  /** --ignore: codes kept in the report but counted in no status or exit code. */
  ignore: readonly string[];
  /** --fail-on error: warnings alone exit 0. */
  failOn?: 'warning' | 'error';
}

export function assembleReport(ctx: ReportContext, r: StageResults): Report {
  const base = baseReport(ctx);
  const services: ServiceReport[] = r.services.map((s) => {
    const v = r.verification.find((x) => x.service === s.service);
    const service = {
      service: s.service,
      srv: s.srv,
      mode: s.mode,
      candidates: s.candidates,
      draw: s.draw,
      legacyFallback: s.legacyFallback,
      probes: v?.probes ?? [],
      posh: v?.posh ?? null,
      publish: v?.publish ?? { posh: null, poshUrl: poshUrl(r.input.domain, s.service), tlsa: [], advice: { decision: 'none' as const, reason: 'nothing was verified' } },
      quic: r.quic[s.service] ?? null,
    };
    return { ...service, status: serviceStatus(service, { probed: r.probed }) };
  });
  // One root cause, one finding; then the DNSSEC statuses that remain indeterminate, one per reason.
  const grouped = groupIndeterminate(groupRootCauses(dedupeFindings(r.findings), r.security?.entries() ?? []));
  const findings = r.unknownReason ? [] : markIgnored(catalogued(sortFindings(mergeFindings(grouped))), r.ignore);
  const web = r.web ? (({ findings: _f, ...rest }) => rest)(r.web) : null;
  return {
    ...base,
    dnssec: { ...base.dnssec, results: r.security?.entries() ?? [], caveat: r.dnssecCaveat },
    web,
    authoritative: r.authoritative,
    input: r.input,
    durationMs: r.durationMs,
    hosts: r.hosts,
    services,
    certificates: collectCertificates(services, web, ctx.startedAtMs),
    dns: { queries: r.queries },
    findings,
    summary: summarize(findings, r.unknownReason, { failOn: r.failOn }),
  };
}
