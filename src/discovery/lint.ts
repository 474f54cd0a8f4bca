/**
 * Record lint: what is wrong with the DNS a service was discovered from.
 * Pure: reads a Discovery, returns findings. Each check names the record,
 * target or address it is about.
 */
import net from 'node:net';
import { inContext, makeFinding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { HostAddresses, SrvLookup, SrvRecord } from '../dns/lookup.js';
import type { ServiceKind } from '../core/types.js';
import { classifyAddress, isSpecialUseName } from '../core/net.js';
import { domainIsNxdomain, isInvalidName, targetNameProblem, type Discovery, type ServiceDiscovery } from './discover.js';
import { DISCOVERY_FINDINGS as F } from './findings.js';

const TLS_PORTS = new Set([5223, 5270, 443]);
const STARTTLS_PORTS = new Set([5222, 5269]);

export const srvText = (r: SrvRecord): string => `${r.owner} SRV ${r.priority} ${r.weight} ${r.port} ${r.target === '.' ? '.' : `${r.target}.`}`;

function lookupFindings(l: SrvLookup, service: ServiceKind): Finding[] {
  const out: Finding[] = [];
  if (l.status === 'servfail') out.push(makeFinding(F.DNS_SERVFAIL, l.owner, `SERVFAIL for ${l.owner} SRV: the resolver could not get an answer (often a DNSSEC failure).`, { service }));
  else if (l.status === 'refused') out.push(makeFinding(F.DNS_REFUSED, l.owner, `The resolver refused the query for ${l.owner} SRV.`, { service }));
  else if (isInvalidName(l)) {
    out.push(makeFinding(F.DNS_NAME_TOO_LONG, l.owner, `${l.owner} cannot be looked up: ${(l.error ?? '').replace(/^invalid-name: .*?cannot be looked up: /, '')}. No SRV record can exist at this name; clients fall back to the domain's own A/AAAA.`, { service }));
  } else if (l.status === 'error') out.push(makeFinding(F.DNS_QUERY_FAILED, l.owner, `No usable answer for ${l.owner} SRV (${l.error}).`, { service }));
  if (l.cnames.length) out.push(makeFinding(F.SRV_OWNER_CNAME, l.owner, `${l.owner} is an alias for ${l.cnames[l.cnames.length - 1]}.`, { service }));
  const dots = l.records.filter((r) => r.target === '.');
  if (dots.length && l.records.length > 1) {
    out.push(makeFinding(F.SRV_DOT_MIXED, l.owner, `${l.owner} has a "." record next to ${l.records.length - dots.length} other record(s).`, { service }));
  }
  return out;
}

function hostFindings(h: HostAddresses, via: string, domain: string, service: ServiceKind): Finding[] {
  const out: Finding[] = [];
  const subject = h.name;
  if (h.ipLiteral) return out;
  if (h.cnames.length) {
    out.push(makeFinding(F.SRV_TARGET_CNAME, subject, `${via} points at ${h.name}, which is an alias (CNAME) for ${h.cnames[h.cnames.length - 1]}.`, {
      service,
      fix: `Point the SRV record at ${h.cnames[h.cnames.length - 1]}. directly.`,
    }));
  }
  const both = [h.a, h.aaaa];
  if (both.every((l) => l.status === 'nxdomain')) {
    out.push(makeFinding(F.SRV_TARGET_NXDOMAIN, subject, `${via} points at ${h.name}, which does not exist (NXDOMAIN).`, { service }));
  } else if (both.every((l) => l.status === 'nodata' || l.status === 'nxdomain')) {
    out.push(makeFinding(F.SRV_TARGET_NO_ADDRESS, subject, `${via} points at ${h.name}, which has neither an A nor an AAAA record.`, { service }));
  }
  for (const [type, l] of [['A', h.a], ['AAAA', h.aaaa]] as const) {
    if (l.status === 'servfail') out.push(makeFinding(F.DNS_SERVFAIL, `${h.name} ${type}`, `SERVFAIL for ${h.name} ${type}: the resolver could not get an answer (often a DNSSEC failure).`, { service }));
    else if (l.status === 'error') out.push(makeFinding(F.DNS_QUERY_FAILED, `${h.name} ${type}`, `No usable answer for ${h.name} ${type} (${l.error}).`, { service }));
  }
  if (!isSpecialUseName(domain)) {
    for (const addr of [...h.a.addresses, ...h.aaaa.addresses]) {
      const cls = classifyAddress(addr);
      if (cls === 'loopback') out.push(makeFinding(F.ADDR_LOOPBACK, `${h.name} ${addr}`, `${h.name} resolves to ${addr}, a loopback address.`, { service }));
      else if (cls !== 'global') out.push(makeFinding(F.ADDR_PRIVATE, `${h.name} ${addr}`, `${h.name} resolves to ${addr}, a ${cls} address.`, { service }));
    }
  }
  return out;
}

/** What the probes showed, for the severity of a target's findings: the `target:port` of every SRV record that worked, per service. */
export type WorkingTargets = Partial<Record<ServiceKind, readonly string[]>>;

/** True when a record could be used at all, judged from DNS alone (dns-only: nothing was probed). */
function usableInDns(r: SrvRecord, hosts: Record<string, HostAddresses>): boolean {
  if (r.target === '.' || r.port === 0 || net.isIP(r.target) || r.target === 'localhost' || r.target.endsWith('.localhost')) return false;
  const h = hosts[r.target];
  return Boolean(h && h.a.addresses.length + h.aaaa.addresses.length > 0);
}

function serviceFindings(domain: string, sd: ServiceDiscovery, hosts: Record<string, HostAddresses>, working: readonly string[] | undefined): Finding[] {
  const service = sd.service;
  const out: Finding[] = [];
  // --probe: no SRV records to judge, only the node's addresses.
  if (sd.mode === 'probe' && sd.node) {
    const h = hosts[sd.node.host];
    return h ? hostFindings(h, `--probe ${sd.node.host}:${sd.node.port}`, domain, service) : [];
  }
  const srvRecords = [...sd.srv.xmpp.records, ...sd.srv.xmpps.records];
  /**
   * Whether a record other than those `mine` accepts works (the probes say; with --dns-only, whether it is usable at
   * all): then a broken target is a warning, not an error (docs/findings.md, "Severity in context").
   */
  const othersWork = (mine: (r: SrvRecord) => boolean): boolean =>
    srvRecords.some((r) => !mine(r) && (working ? working.includes(`${r.target}:${r.port}`) : usableInDns(r, hosts)));
  const forTarget = (target: string, fs: Finding[]): Finding[] => {
    const others = othersWork((r) => r.target === target);
    return fs.map((f) => inContext(f, F, 'target', others));
  };
  const forRecord = (rec: SrvRecord, f: Finding): Finding => inContext(f, F, 'target', othersWork((r) => r.target === rec.target && r.port === rec.port));
  const { xmpp, xmpps, jabber } = sd.srv;
  out.push(...lookupFindings(xmpp, service), ...lookupFindings(xmpps, service));
  if (jabber && jabber.records.length) {
    out.push(makeFinding(F.SRV_LEGACY_JABBER, jabber.owner, `${jabber.owner} is published (${jabber.records.length} record(s)).`, { service }));
  }
  if (sd.mode === 'unavailable') {
    const via = [xmpp, xmpps].filter((l) => l.noService).map((l) => l.owner).join(' and ');
    out.push(makeFinding(F.SRV_SERVICE_UNAVAILABLE, via, `${via} says "no service" (target "."): ${service === 'c2s' ? 'clients' : 'other servers'} will not connect, and must not fall back to the domain's A/AAAA.`, { service }));
  } else {
    for (const l of [xmpp, xmpps]) {
      if (l.noService) {
        out.push(makeFinding(F.SRV_NO_SERVICE, l.owner, l === xmpps ? `${l.owner} has target ".": direct TLS is decidedly not offered for ${service}.` : `${l.owner} has target ".".`, { service }));
      }
    }
  }
  if (sd.mode === 'fallback') {
    const port = service === 'c2s' ? 5222 : 5269;
    out.push(makeFinding(F.SRV_NONE_FALLBACK, `${domain}:${port}`, `No ${xmpp.owner} SRV records: ${service === 'c2s' ? 'clients' : 'servers'} fall back to ${domain}'s own A/AAAA on port ${port}.`, { service }));
    const h = hosts[domain];
    if (h) {
      const fallbackAddrs = [...h.a.addresses, ...h.aaaa.addresses];
      if (!fallbackAddrs.length) {
        out.push(makeFinding(F.SRV_TARGET_NO_ADDRESS, domain, `There are no SRV records and ${domain} itself has no A or AAAA record: the ${service} service cannot be reached.`, { service }));
      }
    }
  }
  if (sd.mode === 'srv' && xmpps.status !== 'error' && xmpps.status !== 'servfail' && !xmpps.records.length) {
    out.push(makeFinding(F.SRV_NO_DIRECT_TLS, xmpps.owner, `${xmpps.owner} has no records: direct TLS (XEP-0368) is not offered for ${service}.`, { service }));
  }

  const records = [...xmpp.records, ...xmpps.records].filter((r) => r.target !== '.');
  // Duplicates within one RRset (same target and port).
  for (const l of [xmpp, xmpps]) {
    const counts = new Map<string, SrvRecord[]>();
    for (const r of l.records) {
      const k = `${r.target}:${r.port}`;
      const list = counts.get(k);
      if (list) list.push(r);
      else counts.set(k, [r]);
    }
    for (const [k, rs] of counts) {
      if (rs.length > 1) out.push(makeFinding(F.SRV_DUPLICATE, `${l.owner} → ${k}`, `${l.owner} lists ${k} ${rs.length} times (${rs.map((r) => `${r.priority}/${r.weight}`).join(', ')}).`, { service }));
    }
  }
  // One host:port in both families.
  const starttlsPorts = new Set(xmpp.records.map((r) => `${r.target}:${r.port}`));
  for (const r of xmpps.records) {
    const k = `${r.target}:${r.port}`;
    if (r.target !== '.' && starttlsPorts.has(k)) {
      out.push(makeFinding(F.SRV_BOTH_MODES_SAME_PORT, k, `${k} is published both in ${xmpp.owner} (STARTTLS) and in ${xmpps.owner} (direct TLS).`, { service }));
    }
  }
  for (const r of records) {
    const text = srvText(r);
    const badName = targetNameProblem(r.target);
    if (badName) {
      out.push(makeFinding(F.SRV_TARGET_INVALID_NAME, text, `${text}: the target is not a valid host name (${badName}); it is not looked up or probed.`, { service }));
      continue;
    }
    if (r.port === 0) out.push(forRecord(r, makeFinding(F.SRV_PORT_ZERO, text, `${text}: port 0.`, { service })));
    if (r.family === 'xmpps' && STARTTLS_PORTS.has(r.port)) out.push(makeFinding(F.SRV_XMPPS_ON_STARTTLS_PORT, text, `${text}: a direct-TLS record on port ${r.port}.`, { service }));
    if (r.family === 'xmpp' && TLS_PORTS.has(r.port)) out.push(makeFinding(F.SRV_XMPP_ON_TLS_PORT, text, `${text}: a STARTTLS record on port ${r.port}.`, { service }));
    if (net.isIP(r.target)) out.push(forRecord(r, makeFinding(F.SRV_TARGET_IP_LITERAL, text, `${text}: the target is an IP address.`, { service })));
    else if (r.target === 'localhost' || r.target.endsWith('.localhost')) out.push(forRecord(r, makeFinding(F.SRV_TARGET_LOCALHOST, text, `${text}: the target is localhost.`, { service })));
  }
  // Weight 0 beside non-zero weights, per priority (both families mixed, XEP-0368 rule 1).
  const byPrio = new Map<number, SrvRecord[]>();
  for (const r of records) {
    const list = byPrio.get(r.priority);
    if (list) list.push(r);
    else byPrio.set(r.priority, [r]);
  }
  for (const [prio, rs] of byPrio) {
    const zeros = rs.filter((r) => r.weight === 0);
    if (zeros.length && zeros.length < rs.length) {
      for (const z of zeros) out.push(makeFinding(F.SRV_WEIGHT_ZERO_MIXED, srvText(z), `${srvText(z)} has weight 0 among weighted records of priority ${prio}.`, { service }));
    }
  }
  // Every distinct target once per service.
  const seen = new Set<string>();
  for (const r of records) {
    if (seen.has(r.target) || net.isIP(r.target)) continue;
    seen.add(r.target);
    const h = hosts[r.target];
    if (h) out.push(...forTarget(r.target, hostFindings(h, srvText(r), domain, service)));
  }
  if (sd.mode === 'fallback' && hosts[domain]) {
    out.push(...hostFindings(hosts[domain]!, `The fallback to ${domain}`, domain, service).filter((f) => f.code !== F.SRV_TARGET_NO_ADDRESS.code && f.code !== F.SRV_TARGET_NXDOMAIN.code));
  }
  return out;
}

export { domainIsNxdomain } from './discover.js';

/**
 * The findings of a discovery. `working` (when the targets were probed) names
 * the records whose probes worked; a broken target is an error only when no
 * other record of its service works (without probes: is usable in DNS).
 */
export function lintDiscovery(d: Discovery, working?: WorkingTargets): Finding[] {
  if (domainIsNxdomain(d)) {
    return [makeFinding(F.DNS_DOMAIN_NXDOMAIN, d.domain, `${d.domain} does not exist in DNS (NXDOMAIN): there is nothing to connect to.`)];
  }
  return d.services.flatMap((sd) => serviceFindings(d.domain, sd, d.hosts, working ? (working[sd.service] ?? []) : undefined));
}
