/**
 * The QUIC stage of the pipeline (XEP-0467): finds the candidates (the
 * `_xmppq-*._udp` SRV records, host-meta QUIC links, and with --quic=on the
 * default UDP 443 on the domain), resolves them through our DNS client,
 * probes every address, and verifies each certificate chain with the same code
 * as TLS (XEP-0467 §4): PKIX and identity, DANE (`_port._udp` TLSA) and POSH.
 */
import { lookupHost, lookupSrv } from '../discovery/discover.js';
import type { DnsClient } from '../dns/client.js';
import type { DnssecChecker } from '../dnssec/checker.js';
import type { CertificateReport } from '../verify/certificate.js';
import type { DaneReport, Finding, ServiceKind, ServiceReport } from '../report/model.js';
import type { Verdict } from '../verdict/verdict.js';
import type { SecurityResults } from '../verdict/security.js';
import { srvTargetsOf, verifyChain, type VerifyOptions } from '../verdict/stage.js';
import { mapLimit } from '../probes/run.js';
import { PROBE_FINDINGS } from '../probes/findings.js';
import { MAX_ADDRESSES_PER_FAMILY } from '../probes/targets.js';
import { makeFinding } from '../report/finding.js';
import { quicCandidates, quicSrvOwner, type HostMetaQuicLink } from './discovery.js';
import { probeQuic } from './probe.js';
import { quicResultToJson, type QuicCandidate, type QuicProbeJson } from './types.js';

export type QuicSetting = 'auto' | 'on' | 'off';

/** At most this many QUIC endpoints per service are resolved and probed (SRV priority and weight order, then host-meta). */
export const MAX_QUIC_CANDIDATES = 8;
/** At most this many QUIC probes per service. */
const MAX_QUIC_PROBES = 16;

export interface QuicProbeReport extends Omit<QuicProbeJson, 'findings' | 'target'> {
  candidateId: string;
  service: ServiceKind;
  host: string;
  port: number;
  address: string;
  ipFamily: 4 | 6;
  source: QuicCandidate['source'];
  certificate: CertificateReport | null;
  dane: DaneReport | null;
  posh: { matched: boolean; hash: string | null } | null;
  verdict: Verdict | null;
}

export interface QuicServiceReport {
  /** discovered: from SRV or host-meta; default: UDP 443 on the domain (--quic=on); none: nothing to probe; unavailable: SRV "."; off: --quic=off. */
  mode: 'discovered' | 'default' | 'none' | 'unavailable' | 'off';
  candidates: QuicCandidate[];
  skipped: { origin: string; reason: string }[];
  probes: QuicProbeReport[];
}

export interface QuicStageOptions {
  dns: DnsClient;
  setting: QuicSetting;
  timeoutMs: number;
  ipFamilies: (4 | 6)[];
  /** host-meta QUIC links, once the web stage has them. */
  hostMetaLinks: Promise<HostMetaQuicLink[]>;
  checker: DnssecChecker | null;
  /** The DNSSEC results of the TCP side; the QUIC TLSA and address checks are added to it. */
  security: Promise<SecurityResults | null>;
  verify: Omit<VerifyOptions, 'security' | 'posh'>;
  posh: Promise<VerifyOptions['posh']>;
  concurrency: number;
}

export async function runQuicStage(domain: string, services: ServiceReport[], opts: QuicStageOptions): Promise<{ reports: Partial<Record<ServiceKind, QuicServiceReport>>; findings: Finding[] }> {
  const reports: Partial<Record<ServiceKind, QuicServiceReport>> = {};
  const findings: Finding[] = [];
  if (opts.setting === 'off') {
    for (const s of services) reports[s.service] = { mode: 'off', candidates: [], skipped: [], probes: [] };
    return { reports, findings };
  }
  const links = await opts.hostMetaLinks;
  const perService = await Promise.all(
    services.map(async (s) => {
      const srv = await lookupSrv(opts.dns, quicSrvOwner(domain, s.service), 'xmpp');
      const d = quicCandidates({
        domain,
        service: s.service,
        srv: srv.status === 'ok' ? srv.records.map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.target, owner: r.owner })) : null,
        hostMeta: links,
      });
      // The default UDP 443 costs a whole deadline where nothing answers (UDP gives no refusal), so it is opt-in.
      const all = d.mode === 'default' && opts.setting !== 'on' ? [] : d.candidates;
      // A zone can publish thousands of endpoints, and each silent one costs a whole deadline: the first few only.
      const candidates = all.slice(0, MAX_QUIC_CANDIDATES);
      for (const c of all.slice(MAX_QUIC_CANDIDATES)) d.skipped.push({ origin: c.origin, reason: `not probed: at most ${MAX_QUIC_CANDIDATES} QUIC endpoints per service` });
      const mode: QuicServiceReport['mode'] = d.mode === 'default' ? (opts.setting === 'on' ? 'default' : 'none') : d.mode;
      return { s, d, candidates, mode, total: all.length };
    }),
  );
  const jobs: { s: ServiceReport; c: QuicCandidate; address: string; ipFamily: 4 | 6 }[] = [];
  for (const { s, candidates, total } of perService) {
    const hosts = await Promise.all(candidates.map((c) => lookupHost(opts.dns, c.host)));
    let mine = 0;
    let skippedAddresses = 0;
    candidates.forEach((c, i) => {
      const h = hosts[i]!;
      for (const [fam, list] of [[4, h.a.addresses], [6, h.aaaa.addresses]] as const) {
        if (!opts.ipFamilies.includes(fam)) continue;
        list.forEach((address, k) => {
          if (k >= MAX_ADDRESSES_PER_FAMILY || mine >= MAX_QUIC_PROBES) return void skippedAddresses++;
          mine++;
          jobs.push({ s, c, address, ipFamily: fam });
        });
      }
    });
    const parts: string[] = [];
    if (total > candidates.length) parts.push(`${total - candidates.length} of ${total} QUIC endpoints were not probed (at most ${MAX_QUIC_CANDIDATES} per service, the first by SRV priority and weight)`);
    if (skippedAddresses) parts.push(`${skippedAddresses} of their addresses were not probed (at most ${MAX_ADDRESSES_PER_FAMILY} per address family per endpoint and ${MAX_QUIC_PROBES} QUIC probes per service)`);
    if (parts.length) findings.push(makeFinding(PROBE_FINDINGS.PROBE_CAPPED, `${s.service} QUIC`, `Checked in part: ${parts.join('; ')}. The report lists the endpoints left out.`, { service: s.service }));
  }
  const [security, posh] = await Promise.all([opts.security, opts.posh]);
  if (security && opts.checker) {
    await Promise.all(
      jobs.flatMap(({ c, ipFamily }) => [
        opts.checker!.check(`_${c.port}._udp.${c.host}`, 'TLSA').then((r) => security.set(r, `_${c.port}._udp.${c.host}`, 'TLSA')),
        opts.checker!.check(c.host, ipFamily === 4 ? 'A' : 'AAAA').then((r) => security.set(r, c.host, ipFamily === 4 ? 'A' : 'AAAA')),
      ]),
    );
  }
  const probed = await mapLimit(jobs, opts.concurrency, async (j) => {
    const r = await probeQuic({ host: j.address, port: j.c.port, domain, service: j.s.service, source: j.c.source }, { timeoutMs: opts.timeoutMs });
    const json = quicResultToJson(r);
    const { findings: own, target: _target, ...rest } = json;
    void _target;
    const report: QuicProbeReport = { ...rest, candidateId: j.c.id, service: j.s.service, host: j.c.host, port: j.c.port, address: j.address, ipFamily: j.ipFamily, source: j.c.source, certificate: null, dane: null, posh: null, verdict: null };
    const out: Finding[] = [...own];
    if (r.chainDer.length) {
      const srvOwner = quicSrvOwner(domain, j.s.service);
      const v = verifyChain(
        {
          service: j.s.service,
          target: j.c.host,
          port: j.c.port,
          address: j.address,
          ipFamily: j.ipFamily,
          chainDer: r.chainDer,
          tlsaOwner: `_${j.c.port}._udp.${j.c.host}`,
          srvStatus: j.c.source === 'srv' && security ? (security.status(srvOwner, 'SRV') ?? (opts.checker ? (await opts.checker.check(srvOwner, 'SRV')).status : null)) : null,
          subject: `QUIC ${j.c.host}:${j.c.port} via ${j.address}`,
        },
        srvTargetsOf(j.s),
        { ...opts.verify, security, posh },
      );
      Object.assign(report, { certificate: v.certificate, dane: v.dane, posh: v.posh, verdict: v.verdict });
      out.push(...v.findings);
    }
    return { report, findings: out };
  });
  for (const { s, d, candidates, mode } of perService) {
    reports[s.service] = { mode, candidates, skipped: d.skipped, probes: probed.filter((p) => p.report.service === s.service).map((p) => p.report) };
  }
  for (const p of probed) findings.push(...p.findings);
  return { reports, findings };
}
