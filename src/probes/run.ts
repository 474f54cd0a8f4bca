/**
 * Runs the probes of a check: every (candidate, address) in parallel with
 * bounded concurrency, then the findings that only the set of probes of a
 * service shows: no target works, some targets fail, IPv6 dead while IPv4
 * works.
 */
import { inContext, makeFinding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import { PROBE_FINDINGS as F } from './findings.js';
import { probeOne, type ProbeOptions } from './probe.js';
import type { ProbeReport, ProbeTarget } from './types.js';
import { mapLimit } from '../core/concurrency.js';

export interface ProbeRunResult {
  /** In the order of the targets given. */
  probes: ProbeReport[];
  /** Per-probe findings in target order, then the service-level ones. */
  findings: Finding[];
}


export async function runProbes(targets: ProbeTarget[], opts: ProbeOptions): Promise<ProbeRunResult> {
  const results = await mapLimit(targets, opts.concurrency, (t) => probeOne(t, opts));
  const probes = results.map((r) => r.report);
  return { probes, findings: [...results.flatMap((r) => targetSeverity(r.report, r.findings, probes)), ...serviceFindings(probes)] };
}

/**
 * A failing target is an error only when nothing else of its service works:
 * when another probe of the same service (another target, or another address
 * of this one) works, clients move on to it, so the failure is a warning
 * (docs/findings.md, "Severity in context").
 */
export function targetSeverity(probe: ProbeReport, findings: Finding[], all: readonly ProbeReport[]): Finding[] {
  const othersWork = all.some((p) => p !== probe && p.service === probe.service && p.outcome === 'ok');
  return findings.map((f) => inContext(f, F, 'target', othersWork));
}

const label = (p: ProbeReport): string => `${p.target}:${p.port} via ${p.address} (${p.outcome})`;

function listOf(ps: ProbeReport[], max = 4): string {
  const shown = ps.slice(0, max).map(label).join(', ');
  return ps.length > max ? `${shown} and ${ps.length - max} more` : shown;
}

/** Findings over all the probes of each service: down, degraded, IPv6 broken. */
export function serviceFindings(probes: ProbeReport[]): Finding[] {
  const out: Finding[] = [];
  const services = [...new Set(probes.map((p) => p.service))] as ServiceKind[];
  for (const service of services) {
    const mine = probes.filter((p) => p.service === service);
    const failed = mine.filter((p) => p.outcome !== 'ok');
    const subject = `${service} service`;
    if (failed.length === mine.length) {
      out.push(makeFinding(F.PROBE_SERVICE_DOWN, subject, `No ${service} target works: ${listOf(failed)}`, { service }));
    } else if (failed.length) {
      out.push(
        makeFinding(F.PROBE_SERVICE_DEGRADED, subject, `${failed.length} of ${mine.length} ${service} probes fail: ${listOf(failed)}`, { service }),
      );
    }
    const hosts = [...new Set(mine.map((p) => p.target))];
    for (const host of hosts) {
      const v6 = mine.filter((p) => p.target === host && p.ipFamily === 6);
      const v4 = mine.filter((p) => p.target === host && p.ipFamily === 4);
      if (!v6.length || v6.some((p) => p.outcome === 'ok') || !v4.some((p) => p.outcome === 'ok')) continue;
      out.push(
        makeFinding(
          F.PROBE_IPV6_BROKEN,
          host,
          `${host} has IPv6 addresses but every IPv6 probe fails (${listOf(v6)}) while IPv4 works`,
          { service },
        ),
      );
    }
  }
  return out;
}
