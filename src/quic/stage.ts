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
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import type { DnsClient } from '../dns/client.js';
import { lookupHost, lookupSrv } from '../dns/lookup.js';
import type { OrderedService } from '../ordering/order.js';
import { quicCandidates, quicSrvOwner, type HostMetaQuicLink } from './discovery.js';
import { probeQuic } from './probe.js';
import { quicResultToJson, type QuicCandidate, type QuicProbeJson } from './types.js';

export type QuicSetting = 'auto' | 'on' | 'off';

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
    return { services: services.map((s) => ({ service: s.service, mode: 'off', candidates: [], skipped: [], probes: [] })), dnssecAsks: [], srvOwners: [] };
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
      const candidates = d.mode === 'default' && opts.setting !== 'on' ? [] : d.candidates;
      const mode: QuicServiceRun['mode'] = d.mode === 'default' ? (opts.setting === 'on' ? 'default' : 'none') : d.mode;
      return { s, d, candidates, mode };
    }),
  );
  const jobs: { service: ServiceKind; c: QuicCandidate; address: string; ipFamily: 4 | 6 }[] = [];
  for (const { s, candidates } of perService) {
    for (const c of candidates) {
      const h = await lookupHost(opts.dns, c.host);
      if (opts.ipFamilies.includes(4)) for (const a of h.a.addresses) jobs.push({ service: s.service, c, address: a, ipFamily: 4 });
      if (opts.ipFamilies.includes(6)) for (const a of h.aaaa.addresses) jobs.push({ service: s.service, c, address: a, ipFamily: 6 });
    }
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
  };
}
