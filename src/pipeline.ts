/**
 * The pipeline: discover → order → probe → verify → report. Takes the parsed
 * input and the seams (DNS client, clock), returns the one Report that the
 * renderers read. Never throws for network trouble: that becomes findings, or
 * an "unknown" summary when the check could not run at all.
 */
import { DnsClient, formatResolver, type ResolverAddress } from './dns/client.js';
import { discover } from './discovery/discover.js';
import { domainIsNxdomain, lintDiscovery } from './discovery/lint.js';
import { candidatesOf } from './discovery/discover.js';
import { orderCandidates } from './ordering/order.js';
import { dedupeFindings, sortFindings } from './report/finding.js';
import { REPORT_SCHEMA_VERSION, type Report, type ReportInput, type ServiceKind, type ServiceReport } from './report/model.js';
import { summarize } from './report/summary.js';
import { systemClock, type Clock } from './util/clock.js';
import { VERSION } from './version.js';

export interface CheckOptions {
  input: ReportInput;
  resolver: ResolverAddress;
  resolverSource: 'option' | 'resolv.conf';
  services: ServiceKind[];
  seed: number | null;
  /** Deadline of one network step, in ms. */
  timeoutMs: number;
  ipFamilies: (4 | 6)[];
  clock?: Clock;
  /** Supplied by tests or batch runs that share one DNS cache. */
  dns?: DnsClient;
  /** Progress callback for the spinner. */
  onStage?: (text: string) => void;
}

/** The report of a check that could not run at all (an invalid line in a batch, say). */
export function unknownReport(raw: string, reason: string, opts: Omit<CheckOptions, 'input' | 'dns'>): Report {
  const clock = opts.clock ?? systemClock;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'xmpp-check', version: VERSION },
    input: { raw, domain: '', unicode: '', jid: null },
    startedAt: new Date(clock.now()).toISOString(),
    durationMs: 0,
    resolver: { server: formatResolver(opts.resolver), source: opts.resolverSource },
    options: { services: opts.services, seed: opts.seed, timeoutMs: opts.timeoutMs, ipFamilies: opts.ipFamilies },
    hosts: {},
    services: [],
    dns: { queries: [] },
    findings: [],
    summary: summarize([], reason),
  };
}

/** True when not a single query got an answer: the resolver is unreachable or broken. */
function resolverDead(dns: DnsClient): string | null {
  if (!dns.log.length || dns.log.some((q) => q.rcode !== null)) return null;
  const first = dns.log[0]!;
  return `the resolver ${first.server} did not answer (${first.error ?? 'no answer'})`;
}

export async function runCheck(opts: CheckOptions): Promise<Report> {
  const clock = opts.clock ?? systemClock;
  const started = clock.mono();
  const startedAt = new Date(clock.now()).toISOString();
  const dns =
    opts.dns ??
    new DnsClient({ server: opts.resolver, timeoutMs: Math.min(2000, opts.timeoutMs), attempts: 2, clock });
  const domain = opts.input.domain;

  opts.onStage?.(`Looking up SRV records of ${domain}`);
  const d = await discover(dns, domain, { services: opts.services });
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const nx = domainIsNxdomain(d);
  const services: ServiceReport[] = d.services.map((sd) => {
    const raw = nx ? [] : candidatesOf(domain, sd);
    const { candidates, draw } = orderCandidates(raw, seed);
    return { service: sd.service, srv: sd.srv, mode: sd.mode, candidates, draw, probes: [] };
  });
  const findings = lintDiscovery(d);

  const dead = resolverDead(dns);
  const all = sortFindings(dedupeFindings(findings));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'xmpp-check', version: VERSION },
    input: opts.input,
    startedAt,
    durationMs: Math.round(clock.mono() - started),
    resolver: { server: formatResolver(opts.resolver), source: opts.resolverSource },
    options: { services: opts.services, seed: opts.seed, timeoutMs: opts.timeoutMs, ipFamilies: opts.ipFamilies },
    hosts: d.hosts,
    services,
    dns: { queries: dns.log },
    findings: dead ? [] : all,
    summary: summarize(dead ? [] : all, dead),
  };
}
