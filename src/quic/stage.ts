/**
 * The QUIC stage of the pipeline (XEP-0467): finds the candidates (the
 * `_xmppq-*._udp` SRV records, host-meta QUIC links, and with --quic=on the
 * default UDP 443 on the domain), resolves them through our DNS client and
 * probes every address. It returns what each handshake presented; judging
 * the certificates is verification's (src/verify/quic.ts), with the same code
 * as TLS (XEP-0467 §4).
 */
import { tlsaOwner } from '../core/names.js';
import { mapLimit } from '../core/concurrency.js';
import { makeFinding, type Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import type { DnsClient } from '../dns/client.js';
import { lookupHost, lookupSrv } from '../dns/lookup.js';
import { PROBE_FINDINGS } from '../probes/findings.js';
import { MAX_ADDRESSES_PER_FAMILY } from '../probes/targets.js';
import type { OrderedService } from '../ordering/order.js';
import { quicCandidates, quicSrvOwner, type HostMetaQuicLink } from './discovery.js';
import { probeQuic } from './probe.js';
import { quicResultToJson, type QuicCandidate, type QuicProbeJson } from './types.js';

export type QuicSetting = 'auto' | 'on' | 'off';

/** At most this many QUIC endpoints per service are resolved and probed (SRV priority and weight order, then host-meta). */
export const MAX_QUIC_CANDIDATES = 8;
/** At most this many QUIC probes per service. */
const MAX_QUIC_PROBES = 16;

/** One QUIC probe as the wire saw it: the report fields, the chain presented, and the probe's own findings. */
export interface QuicProbed {
  report: Omit<QuicProbeJson, 'findings' | 'target'> & {
    candidateId: string;
    service: ServiceKind;
    host: string;
    port: number;
    address: string;
    ipFamily: 4 | 6;
    source: QuicCandidate['source'];
  };
  candidate: QuicCandidate;
  /** DER, leaf first; empty when the handshake presented none. */
  chainDer: Buffer[];
  findings: Finding[];
}

export interface QuicServiceRun {
  service: ServiceKind;
  /** discovered: from SRV or host-meta; default: UDP 443 on the domain (--quic=on); none: nothing to probe; unavailable: SRV "."; off: --quic=off. */
  mode: 'discovered' | 'default' | 'none' | 'unavailable' | 'off';
  candidates: QuicCandidate[];
  skipped: { origin: string; reason: string }[];
  probes: QuicProbed[];
}

export interface QuicRun {
  services: QuicServiceRun[];
  /** The DNSSEC answers verification of these probes rests on: `_port._udp` TLSA and addresses. */
  dnssecAsks: { name: string; type: string }[];
  /** The `_xmppq-*._udp` SRV owners that SRV-sourced candidates with a certificate to verify rest on. */
  srvOwners: string[];
  /** What the caps on endpoints and addresses left out (PROBE_CAPPED), per service. */
  findings: Finding[];
}

export interface QuicStageOptions {
  dns: DnsClient;
  setting: QuicSetting;
  timeoutMs: number;
  ipFamilies: (4 | 6)[];
  /** host-meta QUIC links (from the web stage). */
  hostMetaLinks: HostMetaQuicLink[];
  concurrency: number;
}

export async function runQuicStage(domain: string, services: readonly OrderedService[], opts: QuicStageOptions): Promise<QuicRun> {
  if (opts.setting === 'off') {
    return { services: services.map((s) => ({ service: s.service, mode: 'off', candidates: [], skipped: [], probes: [] })), dnssecAsks: [], srvOwners: [], findings: [] };
  }
  const perService = await Promise.all(
    services.map(async (s) => {
      const srv = await lookupSrv(opts.dns, quicSrvOwner(domain, s.service), 'xmpp');
      const d = quicCandidates({
        domain,
        service: s.service,
        srv: srv.status === 'ok' ? srv.records.map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.target, owner: r.owner })) : null,
        hostMeta: opts.hostMetaLinks,
      });
      // The default UDP 443 costs a whole deadline where nothing answers (UDP gives no refusal), so it is opt-in.
      const all = d.mode === 'default' && opts.setting !== 'on' ? [] : d.candidates;
      // A zone can publish thousands of endpoints, and each silent one costs a whole deadline: the first few only.
      const candidates = all.slice(0, MAX_QUIC_CANDIDATES);
      for (const c of all.slice(MAX_QUIC_CANDIDATES)) d.skipped.push({ origin: c.origin, reason: `not probed: at most ${MAX_QUIC_CANDIDATES} QUIC endpoints per service` });
      const mode: QuicServiceRun['mode'] = d.mode === 'default' ? (opts.setting === 'on' ? 'default' : 'none') : d.mode;
      return { s, d, candidates, mode, total: all.length };
    }),
  );
  const jobs: { service: ServiceKind; c: QuicCandidate; address: string; ipFamily: 4 | 6 }[] = [];
  const capFindings: Finding[] = [];
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
          jobs.push({ service: s.service, c, address, ipFamily: fam });
        });
      }
    });
    const parts: string[] = [];
    if (total > candidates.length) parts.push(`${total - candidates.length} of ${total} QUIC endpoints were not probed (at most ${MAX_QUIC_CANDIDATES} per service, the first by SRV priority and weight)`);
    if (skippedAddresses) parts.push(`${skippedAddresses} of their addresses were not probed (at most ${MAX_ADDRESSES_PER_FAMILY} per address family per endpoint and ${MAX_QUIC_PROBES} QUIC probes per service)`);
    if (parts.length) capFindings.push(makeFinding(PROBE_FINDINGS.PROBE_CAPPED, `${s.service} QUIC`, `Checked in part: ${parts.join('; ')}. The report lists the endpoints left out.`, { service: s.service }));
  }
  const dnssecAsks = jobs.flatMap(({ c, ipFamily }) => [
    { name: tlsaOwner({ port: c.port, target: c.host }, 'udp'), type: 'TLSA' },
    { name: c.host, type: ipFamily === 4 ? 'A' : 'AAAA' },
  ]);
  const probed = await mapLimit(jobs, opts.concurrency, async (j): Promise<QuicProbed> => {
    const r = await probeQuic({ host: j.address, port: j.c.port, domain, service: j.service, source: j.c.source }, { timeoutMs: opts.timeoutMs });
    const { findings, target: _target, ...rest } = quicResultToJson(r);
    void _target;
    return {
      report: { ...rest, candidateId: j.c.id, service: j.service, host: j.c.host, port: j.c.port, address: j.address, ipFamily: j.ipFamily, source: j.c.source },
      candidate: j.c,
      chainDer: r.chainDer,
      findings,
    };
  });
  return {
    services: perService.map(({ s, d, candidates, mode }) => ({ service: s.service, mode, candidates, skipped: d.skipped, probes: probed.filter((p) => p.report.service === s.service) })),
    dnssecAsks,
    srvOwners: [...new Set(probed.filter((p) => p.candidate.source === 'srv' && p.chainDer.length).map((p) => quicSrvOwner(domain, p.report.service)))],
    findings: capFindings,
  };
}
