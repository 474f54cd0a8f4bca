/**
 * Verification of the QUIC probes (XEP-0467 §4): each chain a QUIC handshake
 * presented goes through the same code as TLS (PKIX and identity, DANE with
 * the `_port._udp` TLSA, POSH), giving the QUIC section of each service.
 */
import { tlsaOwner } from '../core/names.js';
import { inContext, type Finding } from '../core/finding.js';
import { QUIC_FINDINGS } from '../quic/findings.js';
import type { ServiceKind } from '../core/types.js';
import type { SecurityResults } from '../dnssec/answers.js';
import type { SecurityStatus } from '../dnssec/types.js';
import type { OrderedService } from '../ordering/order.js';
import { quicSrvOwner } from '../quic/discovery.js';
import type { QuicProbed, QuicRun, QuicServiceRun } from '../quic/stage.js';
import type { CertificateReport } from './certificate.js';
import { verifyChain, type VerifyOptions } from './stage.js';
import type { DaneReport } from './types.js';
import type { Verdict } from './verdict.js';

type QuicProbedReport = QuicProbed['report'];

export interface QuicProbeReport extends QuicProbedReport {
  certificate: CertificateReport | null;
  dane: DaneReport | null;
  posh: { matched: boolean; hash: string | null } | null;
  verdict: Verdict | null;
}

export interface QuicServiceReport extends Omit<QuicServiceRun, 'service' | 'probes'> {
  probes: QuicProbeReport[];
}

export interface QuicVerifyOptions extends Omit<VerifyOptions, 'security'> {
  /** The DNSSEC results, QUIC's own answers included; null when DNSSEC checks are off. */
  security: SecurityResults | null;
  /** Status of each `_xmppq-*._udp` SRV owner (dnssec/answers.ts srvStatuses). */
  srvStatus: Record<string, SecurityStatus>;
  /** Services with a working TCP probe: there a failing QUIC endpoint is a warning, clients still get in (docs/findings.md, "Severity in context"). */
  tcpWorks?: Partial<Record<ServiceKind, boolean>>;
}

/** A QUIC probe that reached the server's certificate with the right ALPN and no error of its own. */
const quicWorks = (p: QuicProbed): boolean => p.report.outcome === 'handshake' && !p.findings.some((f) => f.severity === 'error');

export function verifyQuic(domain: string, services: readonly OrderedService[], run: QuicRun, opts: QuicVerifyOptions): { reports: Partial<Record<ServiceKind, QuicServiceReport>>; findings: Finding[] } {
  const reports: Partial<Record<ServiceKind, QuicServiceReport>> = {};
  const findings: Finding[] = [];
  for (const sr of run.services) {
    const s = services.find((x) => x.service === sr.service);
    const probes = sr.probes.map((p): QuicProbeReport => {
      const report: QuicProbeReport = { ...p.report, certificate: null, dane: null, posh: null, verdict: null };
      const othersWork = opts.tcpWorks?.[sr.service] === true || sr.probes.some((o) => o !== p && quicWorks(o));
      findings.push(...p.findings.map((f) => inContext(f, QUIC_FINDINGS, 'target', othersWork)));
      if (!p.chainDer.length || !s) return report;
      const { host, port, address, ipFamily } = p.report;
      const srvOwner = quicSrvOwner(domain, sr.service);
      const v = verifyChain(
        {
          service: sr.service,
          target: host,
          port,
          address,
          ipFamily,
          chainDer: p.chainDer,
          tlsaOwner: tlsaOwner({ port, target: host }, 'udp'),
          srvStatus: p.candidate.source === 'srv' && opts.security ? (opts.srvStatus[srvOwner] ?? null) : null,
          subject: `QUIC ${host}:${port} via ${address}`,
        },
        // The QUIC endpoint's own name is what an SRV record delegated to (never the TCP SRV targets).
        p.candidate.source === 'srv' ? [host] : [],
        opts,
      );
      findings.push(...v.findings);
      return { ...report, certificate: v.certificate, dane: v.dane, posh: v.posh, verdict: v.verdict };
    });
    const { service: _s, probes: _p, ...rest } = sr;
    reports[sr.service] = { ...rest, probes };
  }
  return { reports, findings };
}
