/**
 * What to probe: every candidate at every address discovery found for its
 * target, in the address families asked for, each endpoint once, within caps
 * (a few addresses per family per target, a bounded number of probes per
 * service), so that a zone publishing thousands of addresses cannot make
 * thousands of connections. Pure; addresses that are not IP literals are
 * dropped (probes never resolve names). `capFinding` says what the caps left
 * out; `nothingToTry`, why a service has no probe at all.
 */
import net from 'node:net';
import { makeFinding, type Finding } from '../core/finding.js';
import type { Candidate, ServiceKind } from '../core/types.js';
import type { HostAddresses } from '../dns/lookup.js';
import { PROBE_FINDINGS as F } from './findings.js';
import type { ProbeTarget } from './types.js';

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();

/** At most this many addresses of each family are probed per target. */
export const MAX_ADDRESSES_PER_FAMILY = 4;
/** At most this many probes per service (candidates in client order, their addresses in order). */
export const MAX_PROBES_PER_SERVICE = 32;

export interface PlannedProbes {
  targets: ProbeTarget[];
  /** Addresses not probed because of the caps. */
  skippedAddresses: number;
}

export function planProbes(candidates: Candidate[], hosts: Record<string, HostAddresses>, ipFamilies: (4 | 6)[] = [4, 6]): PlannedProbes {
  const out: ProbeTarget[] = [];
  // Two SRV records may name one endpoint (at other priorities): it is probed once, for the first.
  const endpoints = new Set<string>();
  let skippedAddresses = 0;
  for (const candidate of candidates) {
    if (candidate.target === '.' || candidate.port === 0) continue;
    const endpoint = `${candidate.service}:${candidate.mode}:${norm(candidate.target)}:${candidate.port}`;
    if (endpoints.has(endpoint)) continue;
    endpoints.add(endpoint);
    const h = hosts[norm(candidate.target)];
    if (!h) continue;
    const seen = new Set<string>();
    for (const fam of ipFamilies) {
      let taken = 0;
      for (const address of (fam === 4 ? h.a : h.aaaa).addresses) {
        if (net.isIP(address) !== fam || seen.has(address)) continue;
        seen.add(address);
        if (taken >= MAX_ADDRESSES_PER_FAMILY || out.length >= MAX_PROBES_PER_SERVICE) {
          skippedAddresses++;
          continue;
        }
        taken++;
        out.push({ candidate, address, ipFamily: fam });
      }
    }
  }
  return { targets: out, skippedAddresses };
}

/** The probes of one service's candidates (see planProbes for the caps). */
export function targetsFor(candidates: Candidate[], hosts: Record<string, HostAddresses>, ipFamilies: (4 | 6)[] = [4, 6]): ProbeTarget[] {
  return planProbes(candidates, hosts, ipFamilies).targets;
}

/** One finding per service when the caps left SRV records or addresses unchecked; null when nothing was left out. */
export function capFinding(service: ServiceKind, counts: { records: number; skippedRecords: number; skippedAddresses: number }, limits: { records: number }): Finding | null {
  const parts: string[] = [];
  if (counts.skippedRecords) {
    parts.push(`${counts.skippedRecords} of ${counts.records} SRV records were not checked (at most ${limits.records} per service, the first in the order clients try them)`);
  }
  if (counts.skippedAddresses) {
    parts.push(`${counts.skippedAddresses} address${counts.skippedAddresses === 1 ? ' was' : 'es were'} not probed (at most ${MAX_ADDRESSES_PER_FAMILY} per address family per target and ${MAX_PROBES_PER_SERVICE} probes per service)`);
  }
  if (!parts.length) return null;
  return makeFinding(F.PROBE_CAPPED, `${service} service`, `Checked in part: ${parts.join('; ')}. The report lists every record and address; the rest was not looked up or connected to.`, { service });
}

/** Why one candidate gives no probe target: port 0, no host looked up, lookups that failed, no address, or only the other IP version. */
function whyNotProbed(c: Candidate, hosts: Record<string, HostAddresses>, ipFamilies: readonly (4 | 6)[]): string {
  const where = `${c.target}:${c.port}`;
  if (c.port === 0) return `${where} has port 0`;
  const h = hosts[norm(c.target)];
  if (!h) return `${where}: ${c.target} was not looked up`;
  const failed = ([['A', h.a], ['AAAA', h.aaaa]] as const).filter(([, l]) => l.status === 'servfail' || l.status === 'refused' || l.status === 'error');
  const v4 = h.a.addresses.length > 0;
  const v6 = h.aaaa.addresses.length > 0;
  if (v4 || v6) {
    const has = v4 && v6 ? 'IPv4 and IPv6' : v4 ? 'only IPv4' : 'only IPv6';
    return `${where} has ${has} addresses, and only IPv${ipFamilies.join('/IPv')} was asked for (-${ipFamilies.join('/-')})`;
  }
  if (failed.length) return `${where}: the address lookups failed (${failed.map(([t, l]) => `${t} ${l.status === 'error' ? (l.error ?? 'error') : l.status.toUpperCase()}`).join(', ')})`;
  if (h.a.status === 'nxdomain' && h.aaaa.status === 'nxdomain') return `${where}: ${c.target} does not exist (NXDOMAIN)`;
  return `${where}: ${c.target} has no A or AAAA record`;
}

/**
 * The error for a service that has candidates but not one probe target:
 * nothing could be tried, and why, per candidate (null when something can be tried).
 */
export function nothingToTry(candidates: readonly Candidate[], hosts: Record<string, HostAddresses>, ipFamilies: readonly (4 | 6)[]): Finding | null {
  if (!candidates.length || targetsFor([...candidates], hosts, [...ipFamilies]).length) return null;
  const service = candidates[0]!.service;
  const reasons = [...new Set(candidates.map((c) => whyNotProbed(c, hosts, ipFamilies)))];
  const shown = reasons.slice(0, 4).join('; ') + (reasons.length > 4 ? `; and ${reasons.length - 4} more` : '');
  return makeFinding(F.PROBE_NOTHING_TO_TRY, `${service} service`, `Nothing could be tried for ${service}: ${shown}.`, { service });
}
