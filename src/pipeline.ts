/**
 * The pipeline: discover → order → probe → verify → report. Takes the parsed
 * input and the seams (DNS client, clock), returns the one Report that the
 * renderers read. Independent work runs at once: the POSH fetches start with
 * discovery, the DNSSEC checks run beside the probes. Never throws for network
 * trouble: that becomes findings, or an "unknown" summary when the check could
 * not run at all.
 */
import { DnsClient, formatResolver, type ResolverAddress } from './dns/client.js';
import { candidatesOf, discover, MAX_CHECKED_RECORDS } from './discovery/discover.js';
import { domainIsNxdomain, lintDiscovery } from './discovery/lint.js';
import { checkAuthoritative } from './discovery/authoritative.js';
import { createDnssecChecker } from './dnssec/checker.js';
import { dnssecFindings, resolverModeFinding } from './dnssec/report.js';
import type { TrustAnchor } from './dnssec/anchors.js';
import type { DnssecMode } from './dnssec/types.js';
import { orderCandidates } from './ordering/order.js';
import { fetchPosh, type PoshResult } from './posh/posh.js';
import { runProbes } from './probes/run.js';
import { dedupeFindings, mergeFindings, sortFindings } from './report/finding.js';
import { REPORT_SCHEMA_VERSION, type Finding, type Report, type ReportInput, type ServiceKind, type ServiceReport } from './report/model.js';
import { summarize } from './report/summary.js';
import { systemClock, type Clock } from './util/clock.js';
import { checkSecurity, type SecurityResults } from './verdict/security.js';
import { verifyServices } from './verdict/stage.js';
import { capFinding, planProbes } from './probes/targets.js';
import { buildTrustStore, type TrustStore } from './verify/pkix.js';
import { VERSION } from './version.js';
import { runQuicStage, type QuicSetting } from './quic/stage.js';
import { checkWeb } from './web/check.js';
import type { WebReport } from './web/types.js';

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
  /** Extra trust roots (PEM) from --ca-file, for XMPP and HTTPS. */
  extraRoots?: string[];
  /** Built once per run (or batch) from Node's roots and extraRoots. */
  trustStore?: TrustStore;
  warnDays?: number;
  /** s2s stream header `from`. */
  from?: string;
  /** Probes at once. */
  probeConcurrency?: number;
  /** Port for https:// URLs (POSH); 443 unless a test lab moves it. */
  httpsPort?: number;
  dnssecMode?: DnssecMode;
  /** Replaces the root trust anchors (validate mode). */
  trustAnchors?: TrustAnchor[];
  /** Where the trust anchors come from, for the report. */
  trustAnchorSource?: string;
  /** Skip the connection probes (and so verification): DNS only. */
  noProbes?: boolean;
  /** XMPP over QUIC: discovered candidates (auto), also UDP 443 on the domain (on), or none (off). */
  quic?: QuicSetting;
  /** XEP-0156 host-meta, WebSocket and BOSH checks. */
  web?: boolean;
  /** Also ask the zone's authoritative servers and compare (stale caches, secondaries out of step). */
  authoritative?: boolean;
  /** Their port (53; a test lab moves it). */
  authoritativePort?: number;
}

/** True when not a single query got an answer: the resolver is unreachable or broken. */
function resolverDead(dns: DnsClient): string | null {
  if (!dns.log.length || dns.log.some((q) => q.rcode !== null)) return null;
  const first = dns.log[0]!;
  return `the resolver ${first.server} did not answer (${first.error ?? 'no answer'})`;
}

function baseReport(opts: Omit<CheckOptions, 'input' | 'dns'>, clock: Clock): Omit<Report, 'input' | 'durationMs' | 'hosts' | 'services' | 'dns' | 'findings' | 'summary'> {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'xmpp-check', version: VERSION },
    startedAt: new Date(clock.now()).toISOString(),
    resolver: { server: formatResolver(opts.resolver), source: opts.resolverSource },
    options: { services: opts.services, seed: opts.seed, timeoutMs: opts.timeoutMs, ipFamilies: opts.ipFamilies },
    dnssec: { mode: opts.dnssecMode ?? 'validate', anchors: opts.trustAnchorSource ?? 'built-in root anchors (KSK-2017, KSK-2024)', caveat: null, results: [] },
    web: null,
    authoritative: null,
  };
}

/** The report of a check that could not run at all (an invalid line in a batch, say). */
export function unknownReport(raw: string, reason: string, opts: Omit<CheckOptions, 'input' | 'dns'>): Report {
  const clock = opts.clock ?? systemClock;
  return {
    ...baseReport(opts, clock),
    input: { raw, domain: '', unicode: '', jid: null },
    durationMs: 0,
    hosts: {},
    services: [],
    dns: { queries: [] },
    findings: [],
    summary: summarize([], reason),
  };
}

/** One DNSSEC_INDETERMINATE per reason, naming the answers, rather than one per answer. */
function groupIndeterminate(fs: Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  const out: Finding[] = [];
  for (const f of fs) {
    if (f.code !== 'DNSSEC_INDETERMINATE') {
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

export async function runCheck(opts: CheckOptions): Promise<Report> {
  const clock = opts.clock ?? systemClock;
  const started = clock.mono();
  const base = baseReport(opts, clock);
  const dns = opts.dns ?? new DnsClient({ server: opts.resolver, timeoutMs: Math.min(2000, opts.timeoutMs), attempts: 2, clock });
  const domain = opts.input.domain;
  const mode: DnssecMode = opts.dnssecMode ?? 'validate';
  const probing = !opts.noProbes;

  const checker = mode === 'off' ? null : createDnssecChecker({ mode, client: dns, anchors: opts.trustAnchors, clock });
  // POSH and host-meta depend on nothing else: start them first.
  const webPromise: Promise<WebReport | null> =
    probing && opts.web !== false
      ? (async () => {
          const txt = checker ? await checker.check(`_xmppconnect.${domain}`, 'TXT') : null;
          return checkWeb(domain, { dns, extraRoots: opts.extraRoots ?? [], timeoutMs: opts.timeoutMs, defaultPort: opts.httpsPort ?? 443, ipFamilies: opts.ipFamilies, dnssecSecure: txt ? txt.status === 'secure' : null });
        })()
      : Promise.resolve(null);
  const poshPromise: Promise<Partial<Record<ServiceKind, PoshResult>>> = probing
    ? Promise.all(
        opts.services.map(async (s) => [s, await fetchPosh(domain, s, { dns, extraRoots: opts.extraRoots ?? [], timeoutMs: opts.timeoutMs, defaultPort: opts.httpsPort ?? 443, ipFamilies: opts.ipFamilies })] as const),
      ).then((pairs) => Object.fromEntries(pairs))
    : Promise.resolve({});

  opts.onStage?.(`Looking up SRV records of ${domain}`);
  const d = await discover(dns, domain, { services: opts.services });
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const nx = domainIsNxdomain(d);
  const counts = new Map<ServiceKind, { records: number; skippedRecords: number }>();
  const services: ServiceReport[] = d.services.map((sd) => {
    // Shares count every record; only the records discovery checked (the cap) stay candidates.
    const { candidates: all, draw } = orderCandidates(nx ? [] : candidatesOf(domain, sd), seed);
    const candidates = sd.checked ? all.filter((c) => sd.checked!.has(c.id)) : all;
    counts.set(sd.service, { records: all.length, skippedRecords: sd.skipped ?? 0 });
    const name = sd.service === 'c2s' ? 'xmpp-client' : 'xmpp-server';
    return { service: sd.service, srv: sd.srv, mode: sd.mode, candidates, draw, probes: [], posh: null, publish: { posh: null, poshUrl: `https://${domain}/.well-known/posh/${name}.json`, tlsa: [] }, quic: null };
  });
  const findings: Finding[] = lintDiscovery(d);
  const skippedAddresses = new Map<ServiceKind, number>();

  const dead = resolverDead(dns);
  let security: SecurityResults | null = null;
  const authPromise =
    opts.authoritative && !dead && !nx
      ? checkAuthoritative(domain, services, { dns, timeoutMs: opts.timeoutMs, ipFamilies: opts.ipFamilies, port: opts.authoritativePort ?? 53 })
      : Promise.resolve(null);
  if (!dead && !nx) {
    const securityPromise = checker ? checkSecurity(checker, services) : Promise.resolve(null);
    if (probing) {
      opts.onStage?.(`Probing ${services.reduce((n, s) => n + s.candidates.length, 0)} targets of ${domain}`);
      const targets = services.flatMap((s) => {
        const plan = planProbes(s.candidates, d.hosts, opts.ipFamilies);
        skippedAddresses.set(s.service, plan.skippedAddresses);
        return plan.targets;
      });
      const trustStore = opts.trustStore ?? buildTrustStore(opts.extraRoots ?? []);
      const verifyBase = { domain, clock, trustStore, warnDays: opts.warnDays ?? 14 };
      const quicPromise = runQuicStage(domain, services, {
        dns,
        setting: opts.quic ?? 'auto',
        timeoutMs: opts.timeoutMs,
        ipFamilies: opts.ipFamilies,
        hostMetaLinks: webPromise.then((w) => w?.quicLinks ?? []),
        checker,
        security: securityPromise,
        verify: verifyBase,
        posh: poshPromise,
        concurrency: opts.probeConcurrency ?? 16,
      });
      const [probeRun, sec, posh] = await Promise.all([
        runProbes(targets, { domain, timeoutMs: opts.timeoutMs, concurrency: opts.probeConcurrency ?? 16, from: opts.from, clock }),
        securityPromise,
        poshPromise,
      ]);
      security = sec;
      findings.push(...probeRun.findings);
      opts.onStage?.('Verifying certificates, DANE and POSH');
      findings.push(...verifyServices(services, probeRun.probes, { ...verifyBase, security, posh }));
      const quic = await quicPromise;
      for (const s of services) s.quic = quic.reports[s.service] ?? null;
      findings.push(...quic.findings);
    } else {
      security = await securityPromise;
    }
    for (const s of services) {
      const c = counts.get(s.service)!;
      const f = capFinding(s.service, { ...c, skippedAddresses: skippedAddresses.get(s.service) ?? 0 }, { records: MAX_CHECKED_RECORDS });
      if (f) findings.push(f);
    }
    if (security) findings.push(...groupIndeterminate(security.all().flatMap((r) => dnssecFindings(r))));
    if (mode === 'resolver') findings.push(resolverModeFinding(formatResolver(opts.resolver)));
  }
  await poshPromise;
  const auth = await authPromise;
  if (auth) findings.push(...auth.findings);
  const web = await webPromise;
  if (web) findings.push(...web.findings);

  const all = sortFindings(mergeFindings(dedupeFindings(findings)));
  const dnssecSection = { ...base.dnssec, results: security?.entries() ?? [], caveat: mode === 'resolver' ? `Statuses come from the AD bit of ${formatResolver(opts.resolver)}: only as trustworthy as the path to that resolver.` : null };
  return {
    ...base,
    dnssec: dnssecSection,
    web: web ? (({ findings: _f, ...rest }) => rest)(web) : null,
    authoritative: auth ? auth.report : null,
    input: opts.input,
    durationMs: Math.round(clock.mono() - started),
    hosts: d.hosts,
    services,
    dns: { queries: dns.log },
    findings: dead ? [] : all,
    summary: summarize(dead ? [] : all, dead),
  };
}
