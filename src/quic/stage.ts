/**
 * The QUIC stage of the pipeline (XEP-0467): finds the candidates (host-meta
 * QUIC links for c2s, the `_xmppq-*._udp` SRV records of xmpp-proxy's
 * convention, and otherwise XEP-0467's default, UDP 443 on the domain, with a
 * short deadline of its own), resolves them through our DNS client and
 * probes every address, in parallel with the TCP probes. It returns what each handshake presented; judging
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
import { quicCandidates, quicSrvOwner, type HostMetaQuicLink, type QuicDiscovery } from './discovery.js';
import { QUIC_FINDINGS } from './findings.js';
import { probeQuic, quicSubject } from './probe.js';
import { quicResultToJson, type QuicCandidate, type QuicProbeJson, type QuicProbeResult } from './types.js';

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
  /** discovered: from SRV or host-meta; default: UDP 443 on the domain (XEP-0467 rule 1); none: nothing to probe (reports before 2.2); unavailable: SRV "."; off: --quic=off. */
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
  /** host-meta QUIC links (from the web stage, a promise while it runs); for c2s only: XEP-0156 describes client connections. */
  hostMetaLinks: HostMetaQuicLink[] | Promise<HostMetaQuicLink[]>;
  concurrency: number;
  /** Deadline of the default-port probe: min(1000 ms, timeoutMs) by default (QUIC's retransmitted Initials need no more); --quic=on gives it timeoutMs. */
  defaultTimeoutMs?: number;
  /** The UDP port of XEP-0467's default (443; a test lab moves it). */
  defaultPort?: number;
}

/** The default-port probe's own short deadline (auto): a QUIC server answers the first or a retransmitted Initial well within it. */
export const QUIC_DEFAULT_DEADLINE_MS = 1000;

type Job = { service: ServiceKind; c: QuicCandidate; address: string; ipFamily: 4 | 6 };

/** Resolves and probes some candidates of one service; the default port's failures are one info fact, not the probe's errors. */
async function probeAll(domain: string, service: ServiceKind, d: QuicDiscovery, timeoutMs: number, opts: QuicStageOptions): Promise<{ candidates: QuicCandidate[]; jobs: Job[]; probed: QuicProbed[]; cap: Finding | null }> {
  // A zone can publish thousands of endpoints, and each silent one costs a whole deadline: the first few only.
  const candidates = d.candidates.slice(0, MAX_QUIC_CANDIDATES);
  const skipped = d.candidates.slice(MAX_QUIC_CANDIDATES).map((c) => ({ origin: c.origin, reason: `not probed: at most ${MAX_QUIC_CANDIDATES} QUIC endpoints per service` }));
  const jobs: Job[] = [];
  let skippedAddresses = 0;
  const hosts = await Promise.all(candidates.map((c) => lookupHost(opts.dns, c.host)));
  candidates.forEach((c, i) => {
    const h = hosts[i]!;
    for (const [fam, list] of [[4, h.a.addresses], [6, h.aaaa.addresses]] as const) {
      if (!opts.ipFamilies.includes(fam)) continue;
      list.forEach((address, k) => {
        if (k >= MAX_ADDRESSES_PER_FAMILY || jobs.length >= MAX_QUIC_PROBES) return void skippedAddresses++;
        jobs.push({ service, c, address, ipFamily: fam });
      });
    }
  });
  const parts: string[] = [];
  if (skipped.length) parts.push(`${skipped.length} of ${d.candidates.length} QUIC endpoints were not probed (at most ${MAX_QUIC_CANDIDATES} per service, the first by SRV priority and weight)`);
  if (skippedAddresses) parts.push(`${skippedAddresses} of their addresses were not probed (at most ${MAX_ADDRESSES_PER_FAMILY} per address family per endpoint and ${MAX_QUIC_PROBES} QUIC probes per service)`);
  const cap = parts.length ? makeFinding(PROBE_FINDINGS.PROBE_CAPPED, `${service} QUIC`, `Checked in part: ${parts.join('; ')}. The report lists the endpoints left out.`, { service }) : null;
  d.skipped.push(...skipped);
  const probed = await mapLimit(jobs, opts.concurrency, async (j): Promise<QuicProbed> => {
    const r = await probeQuic({ host: j.address, port: j.c.port, domain, service: j.service, source: j.c.source }, { timeoutMs });
    const { findings, target: _target, ...rest } = quicResultToJson(r);
    void _target;
    const notXmpp = j.c.source === 'default-port' && r.outcome !== 'handshake' && r.alpn !== r.alpnOffered;
    return {
      report: { ...rest, candidateId: j.c.id, service: j.service, host: j.c.host, port: j.c.port, address: j.address, ipFamily: j.ipFamily, source: j.c.source },
      candidate: j.c,
      chainDer: r.chainDer,
      // Nothing published it: silence, or a QUIC server that is not XMPP (HTTP/3 on 443), is a fact, never a warning.
      findings: notXmpp ? [defaultNone(domain, j, r)] : findings,
    };
  });
  return { candidates, jobs, probed, cap };
}

function defaultNone(domain: string, j: Job, r: QuicProbeResult): Finding {
  const why = r.outcome === 'wrong-alpn'
    ? `it speaks QUIC but refuses ${r.alpnOffered}${r.closeError ? ` (${r.closeError.name})` : ''}, typically an HTTP/3 server`
    : r.outcome === 'no-answer'
      ? (r.error ?? 'no answer')
      : `${r.outcome}${r.error ? `: ${r.error}` : ''}`;
  return makeFinding(QUIC_FINDINGS.QUIC_DEFAULT_NONE, quicSubject({ host: j.address, port: j.c.port, domain, service: j.service, source: j.c.source }), `No XMPP over QUIC on UDP ${j.c.port} of ${domain} (${j.address}), the XEP-0467 default: ${why}.`, { service: j.service });
}

export async function runQuicStage(domain: string, services: readonly OrderedService[], opts: QuicStageOptions): Promise<QuicRun> {
  if (opts.setting === 'off') {
    return { services: services.map((s) => ({ service: s.service, mode: 'off', candidates: [], skipped: [], probes: [] })), dnssecAsks: [], srvOwners: [], findings: [] };
  }
  const defaultTimeout = opts.defaultTimeoutMs ?? (opts.setting === 'on' ? opts.timeoutMs : Math.min(QUIC_DEFAULT_DEADLINE_MS, opts.timeoutMs));
  const perService = await Promise.all(
    services.map(async (s) => {
      const srv = await lookupSrv(opts.dns, quicSrvOwner(domain, s.service), 'xmpp');
      const srvRecords = srv.status === 'ok' ? srv.records.map((r) => ({ priority: r.priority, weight: r.weight, port: r.port, target: r.target, owner: r.owner })) : null;
      const input = { domain, service: s.service, srv: srvRecords, defaultPort: opts.defaultPort };
      const bySrv = quicCandidates(input);
      // XEP-0467 rule 1: UDP 443 when nothing else lists an endpoint. While host-meta (c2s) is still on its
      // way, the default is probed already, in parallel with everything else; a host-meta link then wins.
      const early = bySrv.mode === 'default' ? probeAll(domain, s.service, bySrv, defaultTimeout, opts) : null;
      const d = s.service === 'c2s' ? quicCandidates({ ...input, hostMeta: await opts.hostMetaLinks }) : bySrv;
      const run = d.mode === 'default' && early ? await early : await probeAll(domain, s.service, d, opts.timeoutMs, opts);
      return { s, d, run };
    }),
  );
  const jobs = perService.flatMap((p) => p.run.jobs);
  const probed = perService.flatMap((p) => p.run.probed);
  const dnssecAsks = jobs.flatMap(({ c, ipFamily }) => [
    { name: tlsaOwner({ port: c.port, target: c.host }, 'udp'), type: 'TLSA' },
    { name: c.host, type: ipFamily === 4 ? 'A' : 'AAAA' },
  ]);
  return {
    services: perService.map(({ s, d, run }) => ({ service: s.service, mode: d.mode, candidates: run.candidates, skipped: d.skipped, probes: run.probed })),
    dnssecAsks,
    srvOwners: [...new Set(probed.filter((p) => p.candidate.source === 'srv' && p.chainDer.length).map((p) => quicSrvOwner(domain, p.report.service)))],
    findings: perService.flatMap((p) => p.run.cap ?? []),
  };
}
