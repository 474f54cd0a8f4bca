/**
 * The pipeline: discover → order → probe → verify → report. Takes the parsed
 * input and the seams (DNS client, clock), returns the one Report that the
 * renderers read. Independent work runs at once: the POSH fetches start with
 * discovery, the DNSSEC checks run beside the probes. Never throws for network
 * trouble: that becomes findings, or an "unknown" summary when the check could
 * not run at all.
 */
import type { Finding } from './core/finding.js';
import type { ServiceKind } from './core/types.js';
import { systemClock, type Clock } from './core/clock.js';
import { withDeadline } from './core/deadline.js';
import { DnsClient, formatResolver, type ResolverAddress } from './dns/client.js';
import { discover, discoverNode, MAX_CHECKED_RECORDS, type ProbeNode } from './discovery/discover.js';
import { lookupHost } from './dns/lookup.js';
import { domainIsNxdomain, lintDiscovery, type WorkingTargets } from './discovery/lint.js';
import { checkAuthoritative } from './discovery/authoritative.js';
import { checkMore, checkSecurity, srvStatuses, type SecurityResults } from './dnssec/answers.js';
import { createDnssecChecker, type DnssecChecker } from './dnssec/checker.js';
import { dnssecFindings, resolverModeFinding } from './dnssec/report.js';
import type { TrustAnchor } from './dnssec/anchors.js';
import type { DnssecMode } from './dnssec/types.js';
import { order, type OrderedService } from './ordering/order.js';
import { fetchPoshAll, type PoshResult } from './posh/posh.js';
import { runProbes } from './probes/run.js';
import { capFinding, nothingToTry, planProbes, targetsFor } from './probes/targets.js';
import { legacyFallbackFinding } from './probes/legacy-fallback.js';
import type { ProbeReport } from './probes/types.js';
import { runQuicStage, type QuicSetting } from './quic/stage.js';
import { assembleReport, unknownReport as unknownReportOf, type ReportContext } from './report/assemble.js';
import type { Report } from './report/model.js';
import type { ReportInput } from './core/types.js';
import { buildTrustStore, type TrustStore } from './verify/pkix.js';
import { verifyQuic, type QuicServiceReport } from './verify/quic.js';
import { verify, type ServiceVerification } from './verify/stage.js';
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
  /** UDP port of XEP-0467's default QUIC endpoint; 443 unless a test lab moves it. */
  quicPort?: number;
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
  /** --probe: check this one node for the domain, skipping SRV discovery (and host-meta, QUIC and --authoritative, which rest on it). */
  probe?: ProbeNode;
  /** An error when a certificate expires within this many days (default 7). */
  critDays?: number;
  /** Finding codes that count in no status or exit code (kept, marked ignored). */
  ignore?: string[];
  /** error: warnings alone exit 0. */
  failOn?: 'warning' | 'error';
}

/** Answers that say nothing about the name asked: the resolver will not (or cannot) serve us. */
const UNUSABLE_RCODES = new Set(['REFUSED', 'FORMERR', 'NOTIMP']);

/**
 * Set when not a single query got a usable answer: the resolver is unreachable,
 * silent, or refuses everything (REFUSED, FORMERR, NOTIMP). That is the check
 * not running, never something wrong with the domain.
 */
function resolverDead(dns: DnsClient): string | null {
  // Only questions that have ended count: one still in flight (a POSH lookup started early) proves nothing yet.
  const ended = dns.log.filter((q) => q.rcode !== null || q.error !== null);
  if (!ended.length || ended.some((q) => q.rcode !== null && !UNUSABLE_RCODES.has(q.rcode))) return null;
  const rcodes = [...new Set(ended.map((q) => q.rcode).filter((r): r is string => r !== null))];
  const server = ended[0]!.server;
  if (!rcodes.length) return `the resolver ${server} did not answer (${ended[0]!.error ?? 'no answer'})`;
  return `the resolver ${server} answered ${rcodes.join(' or ')} to every query: it does not resolve names for this client; give one that does with --resolver`;
}

/** What a report needs of the options; the resolver is null when the command line never got as far as naming one. */
type ContextOptions = Omit<CheckOptions, 'input' | 'dns' | 'resolver' | 'resolverSource'> & { resolver: ResolverAddress | null; resolverSource: ReportContext['resolver']['source'] };

function contextOf(opts: ContextOptions, clock: Clock): ReportContext {
  return {
    startedAtMs: clock.now(),
    resolver: opts.resolver ? { server: formatResolver(opts.resolver), source: opts.resolverSource } : { server: '', source: 'none' },
    options: { services: opts.services, seed: opts.seed, timeoutMs: opts.timeoutMs, ipFamilies: opts.ipFamilies },
    dnssecMode: opts.dnssecMode ?? 'validate',
    trustAnchorSource: opts.trustAnchorSource,
  };
}

/** The report of a check cut off by --deadline: unknown, saying so (what it had found is not reported: it was not finished). */
function lateReport(input: ReportInput, ms: number, opts: ContextOptions): Report {
  return unknownReportOf(input, `the check did not finish within ${ms} ms (--deadline); some server was still being waited for (each step may take up to --timeout: lower it to give up on silent servers sooner, or raise --deadline)`, contextOf(opts, opts.clock ?? systemClock), ms);
}

/** The report of a check that could not run at all (an invalid line in a batch, an invalid command line). */
export function unknownReport(raw: string, reason: string, opts: ContextOptions): Report {
  return unknownReportOf(raw, reason, contextOf(opts, opts.clock ?? systemClock));
}

/** XEP-0156: the `_xmppconnect` TXT record's DNSSEC status, then host-meta, WebSocket and BOSH. */
async function webStage(domain: string, dns: DnsClient, checker: DnssecChecker | null, opts: CheckOptions, domainExists: Promise<boolean>): Promise<WebReport | null> {
  const [txt, exists] = await Promise.all([checker ? checker.check(`_xmppconnect.${domain}`, 'TXT') : null, domainExists]);
  if (!exists) return null;
  return checkWeb(domain, { dns, extraRoots: opts.extraRoots ?? [], timeoutMs: opts.timeoutMs, defaultPort: opts.httpsPort ?? 443, ipFamilies: opts.ipFamilies, dnssecSecure: txt ? txt.status === 'secure' : null });
}

/** What the connections gave: the TCP probes verified, and QUIC probed and verified; with their findings in pipeline order. */
interface Connections {
  verification: ServiceVerification[];
  quic: Partial<Record<ServiceKind, QuicServiceReport>>;
  security: SecurityResults | null;
  findings: Finding[];
  /** Per service, the addresses the probe caps left out. */
  skippedAddresses: Partial<Record<ServiceKind, number>>;
}

/**
 * Probes every target and verifies what each presented. The TCP probes, the
 * DNSSEC checks and POSH run at once; QUIC starts as soon as host-meta is in
 * and is verified once its own DNSSEC answers are.
 */
async function connect(services: readonly OrderedService[], hosts: Parameters<typeof targetsFor>[1], web: Promise<WebReport | null>, posh: Promise<Partial<Record<ServiceKind, PoshResult>>>, checker: DnssecChecker | null, dns: DnsClient, clock: Clock, trustStore: TrustStore, opts: CheckOptions): Promise<Connections> {
  const domain = opts.input.domain;
  const concurrency = opts.probeConcurrency ?? 16;
  const securityP = checker ? checkSecurity(checker, services, hosts) : Promise.resolve(null);
  opts.onStage?.(`Probing ${services.reduce((n, s) => n + s.candidates.length, 0)} targets of ${domain}`);
  const skippedAddresses: Partial<Record<ServiceKind, number>> = {};
  const targets = services.flatMap((s) => {
    const plan = planProbes(s.candidates, hosts, opts.ipFamilies);
    skippedAddresses[s.service] = plan.skippedAddresses;
    return plan.targets;
  });
  const probeOpts = { domain, timeoutMs: opts.timeoutMs, concurrency, from: opts.from, clock };
  const probesP = runProbes(targets, probeOpts);
  // The fallback that clients without XEP-0368 use where only _xmpps- records exist: probed beside the
  // others, but outside the service's own verdict; what it gives is told in one warning.
  const legacyP = runProbes(services.flatMap((s) => (s.legacyFallback ? targetsFor([s.legacyFallback], hosts, opts.ipFamilies) : [])), probeOpts);
  // --probe checks one node over TCP: QUIC endpoints come from SRV and host-meta, which it skips.
  // It starts now, in parallel with the TCP probes: only c2s waits for host-meta's QUIC links, and the default port is tried meanwhile.
  const quicP = opts.probe ? Promise.resolve(null) : runQuicStage(domain, services, { dns, setting: opts.quic ?? 'auto', timeoutMs: opts.timeoutMs, ipFamilies: opts.ipFamilies, hostMetaLinks: web.then((w) => w?.quicLinks ?? []), concurrency, defaultPort: opts.quicPort });
  const verifyBase = { domain, clock, trustStore, warnDays: opts.warnDays ?? 14, critDays: opts.critDays, hosts };

  const [probeRun, legacyRun, security, poshResults] = await Promise.all([probesP, legacyP, securityP, posh]);
  opts.onStage?.('Verifying certificates, DANE and POSH');
  const verification = verify(services, [...probeRun.probes, ...legacyRun.probes], { ...verifyBase, security, posh: poshResults });
  const legacyFindings = legacyFindingsOf(services, hosts, legacyRun.probes, opts.ipFamilies);
  const untried = services.flatMap((s) => nothingToTry(s.candidates, hosts, opts.ipFamilies) ?? []);

  const quicRun = await quicP;
  if (!quicRun) return { verification: verification.services, quic: {}, security, findings: [...untried, ...legacyFindings, ...probeRun.findings, ...verification.findings], skippedAddresses };
  const [quicSecurity, quicSrv] = checker && security
    ? await Promise.all([checkMore(checker, security, quicRun.dnssecAsks), srvStatuses(checker, security, quicRun.srvOwners)])
    : [security, {}];
  const tcpWorks = Object.fromEntries(services.map((s) => [s.service, probeRun.probes.some((p) => p.service === s.service && p.outcome === 'ok')]));
  const quic = verifyQuic(domain, services, quicRun, { ...verifyBase, security: quicSecurity, srvStatus: quicSrv, posh: poshResults, tcpWorks });
  return { verification: verification.services, quic: quic.reports, security: quicSecurity, findings: [...untried, ...legacyFindings, ...probeRun.findings, ...verification.findings, ...quicRun.findings, ...quic.findings], skippedAddresses };
}

/** One SRV_XMPPS_ONLY warning per service with only `_xmpps-` records; probes null when nothing was probed. */
function legacyFindingsOf(services: readonly OrderedService[], hosts: Parameters<typeof targetsFor>[1], probes: readonly ProbeReport[] | null, ipFamilies: (4 | 6)[]): Finding[] {
  return services.flatMap((s) => {
    const fb = s.legacyFallback;
    if (!fb) return [];
    return [legacyFallbackFinding({ fallback: fb, xmppOwner: s.srv.xmpp.owner, host: hosts[fb.target], probes: probes ? probes.filter((p) => p.candidateId === fb.id) : null, ipFamilies })];
  });
}

/** The `target:port` of every candidate with a working probe, per service. */
function workingTargets(verification: readonly ServiceVerification[]): WorkingTargets {
  const out: WorkingTargets = {};
  for (const v of verification) out[v.service] = [...new Set(v.probes.filter((p) => p.outcome === 'ok').map((p) => `${p.target}:${p.port}`))];
  return out;
}

/**
 * runCheck with --deadline: when the check has not finished within `deadlineMs` (null: no deadline),
 * an unknown report saying so. `lingering` is then the check still running (its steps end by --timeout),
 * for the caller to wait for or to cut short by ending the process.
 */
export async function runCheckBy(opts: CheckOptions, deadlineMs: number | null): Promise<{ report: Report; lingering: Promise<unknown> | null }> {
  const check = runCheck(opts);
  if (!deadlineMs) return { report: await check, lingering: null };
  let lingering: Promise<unknown> | null = null;
  const report = await withDeadline<Report>(
    {
      ms: deadlineMs,
      onTimeout: () => {
        lingering = check.catch(() => null);
        return lateReport(opts.input, deadlineMs, opts);
      },
    },
    (s) => void check.then(s.resolve, s.reject),
  );
  return { report, lingering };
}

export async function runCheck(opts: CheckOptions): Promise<Report> {
  const clock = opts.clock ?? systemClock;
  const started = clock.mono();
  const ctx = contextOf(opts, clock);
  const dns = opts.dns ?? new DnsClient({ server: opts.resolver, timeoutMs: Math.min(2000, opts.timeoutMs), attempts: 2, clock });
  const domain = opts.input.domain;
  const mode: DnssecMode = opts.dnssecMode ?? 'validate';
  const probing = !opts.noProbes;
  const checker = mode === 'off' ? null : createDnssecChecker({ mode, client: dns, anchors: opts.trustAnchors, clock });
  // One trust store for the XMPP certificates of the run.
  const trustStore = opts.trustStore ?? buildTrustStore(opts.extraRoots ?? []);

  // POSH and host-meta depend on nothing else: they start at once, but wait for the domain's own
  // A/AAAA (the one query their first connection needs anyway, shared with discovery), so that a
  // domain that does not exist gets no web fetches.
  const domainExists = lookupHost(dns, domain).then((h) => !(h.a.status === 'nxdomain' && h.aaaa.status === 'nxdomain'));
  const webP = probing && opts.web !== false && !opts.probe ? webStage(domain, dns, checker, opts, domainExists) : Promise.resolve(null);
  const poshP = probing
    ? domainExists.then((exists) => (exists ? fetchPoshAll(domain, opts.services, { dns, extraRoots: opts.extraRoots ?? [], timeoutMs: opts.timeoutMs, defaultPort: opts.httpsPort ?? 443, ipFamilies: opts.ipFamilies }) : {}))
    : Promise.resolve({});

  opts.onStage?.(`Looking up SRV records of ${domain}`);
  const discovery = opts.probe ? await discoverNode(dns, domain, opts.services, opts.probe) : await discover(dns, domain, { services: opts.services });
  const { services } = order(discovery, opts.seed ?? Math.floor(Math.random() * 2 ** 31));
  const dead = resolverDead(dns);
  const nx = domainIsNxdomain(discovery);
  const go = !dead && !nx;

  const authP = opts.authoritative && go && !opts.probe ? checkAuthoritative(domain, discovery.services, { dns, timeoutMs: opts.timeoutMs, ipFamilies: opts.ipFamilies, port: opts.authoritativePort ?? 53 }) : Promise.resolve(null);
  let conn: Connections = { verification: [], quic: {}, security: null, findings: [], skippedAddresses: {} };
  if (go) {
    conn = probing
      ? await connect(services, discovery.hosts, webP, poshP, checker, dns, clock, trustStore, opts)
      : { ...conn, security: checker ? await checkSecurity(checker, services, discovery.hosts) : null, findings: legacyFindingsOf(services, discovery.hosts, null, opts.ipFamilies) };
  }
  const [, auth, web] = await Promise.all([poshP, authP, webP]);

  // A broken target is an error only when no other target of its service works: the probes tell (without them, DNS).
  const working = go && probing ? workingTargets(conn.verification) : undefined;
  const findings: Finding[] = [
    ...lintDiscovery(discovery, working),
    ...conn.findings,
    // What the caps on records and addresses left out (a zone may publish thousands).
    ...(go ? services.flatMap((s) => capFinding(s.service, { records: s.considered, skippedRecords: s.skipped ?? 0, skippedAddresses: conn.skippedAddresses[s.service] ?? 0 }, { records: MAX_CHECKED_RECORDS }) ?? []) : []),
    // Grouped per reason when the report is assembled, after their root causes have taken theirs.
    ...(conn.security ? conn.security.all().flatMap((r) => dnssecFindings(r)) : []),
    ...(go && mode === 'resolver' ? [resolverModeFinding(formatResolver(opts.resolver))] : []),
    ...(auth?.findings ?? []),
    ...(web?.findings ?? []),
  ];
  return assembleReport(ctx, {
    input: opts.input,
    durationMs: Math.round(clock.mono() - started),
    hosts: discovery.hosts,
    services,
    verification: conn.verification,
    quic: conn.quic,
    security: conn.security,
    dnssecCaveat: mode === 'resolver' ? `Statuses come from the AD bit of ${formatResolver(opts.resolver)}: only as trustworthy as the path to that resolver.` : null,
    web,
    authoritative: auth?.report ?? null,
    queries: dns.log,
    findings,
    unknownReason: dead,
    probed: probing && go,
    ignore: opts.ignore ?? [],
    failOn: opts.failOn,
  });
}
