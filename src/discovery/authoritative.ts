/**
 * Asks the zone's authoritative servers directly (--authoritative) and
 * compares their SRV answers with the resolver's: a resolver that still
 * serves an old answer from its cache after a change, and secondaries out of
 * step with each other, both show here. The zone cut is found from the SOA
 * the resolver returns; its NS names are resolved through the resolver; each
 * server is then asked without recursion.
 */
import { srvOf, targetNameOf } from '../dns/records.js';
import type { Answer } from 'dns-packet';
import { DnsClient, DnsError } from '../dns/client.js';
import { formatResolver } from '../dns/address.js';
import { makeFinding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { ServiceDiscovery } from './discover.js';
import { DISCOVERY_FINDINGS as F } from './findings.js';
import { lookupHost } from '../dns/lookup.js';

export interface AuthoritativeServer {
  name: string;
  address: string;
  /** SRV owner → the records it answered, as `prio weight port target`; null when it gave no usable answer. */
  answers: Record<string, string[] | null>;
  error: string | null;
  /** False when it answered without the AA flag or refused: a lame delegation. */
  authoritative: boolean;
}

export interface AuthoritativeReport {
  zone: string | null;
  servers: AuthoritativeServer[];
}

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();
const MAX_SERVERS = 6;

function srvSet(answers: Answer[], owner: string): string[] {
  return answers
    .filter((rr) => rr.type === 'SRV' && norm(rr.name) === norm(owner))
    .flatMap((rr) => {
      const d = srvOf(rr);
      return d ? [`${d.priority} ${d.weight} ${d.port} ${norm(d.target) || '.'}`] : [];
    })
    .sort();
}

/** The zone that holds `name`: the owner of the SOA in the answer or authority section. */
async function zoneOf(dns: DnsClient, name: string): Promise<string | null> {
  try {
    const res = await dns.query(name, 'SOA');
    const soa = [...res.answers, ...res.authorities].find((rr) => rr.type === 'SOA');
    return soa ? norm(soa.name) || '.' : null;
  } catch {
    return null;
  }
}

export interface AuthoritativeOptions {
  dns: DnsClient;
  timeoutMs: number;
  ipFamilies: (4 | 6)[];
  /** Port of the authoritative servers (53; a test lab moves it). */
  port: number;
}

export async function checkAuthoritative(domain: string, services: readonly ServiceDiscovery[], opts: AuthoritativeOptions): Promise<{ report: AuthoritativeReport; findings: Finding[] }> {
  const findings: Finding[] = [];
  const zone = await zoneOf(opts.dns, domain);
  if (!zone) return { report: { zone: null, servers: [] }, findings };
  let nsNames: string[] = [];
  try {
    const res = await opts.dns.query(zone, 'NS');
    nsNames = res.answers.filter((rr) => rr.type === 'NS' && norm(rr.name) === zone).flatMap((rr) => { const n = targetNameOf(rr); return n === null ? [] : [norm(n)]; });
  } catch {
    /* no NS answer: nothing to compare with */
  }
  const hosts = await Promise.all(nsNames.map((n) => lookupHost(opts.dns, n)));
  const targets: { name: string; address: string }[] = [];
  for (const h of hosts) {
    if (opts.ipFamilies.includes(4)) for (const a of h.a.addresses) targets.push({ name: h.name, address: a });
    if (opts.ipFamilies.includes(6)) for (const a of h.aaaa.addresses) targets.push({ name: h.name, address: a });
  }
  const owners = services.flatMap((s) => [s.srv.xmpp.owner, s.srv.xmpps.owner]);
  const servers = await Promise.all(
    targets.slice(0, MAX_SERVERS).map(async (t): Promise<AuthoritativeServer> => {
      const client = new DnsClient({ server: { host: t.address, port: opts.port }, timeoutMs: Math.min(2000, opts.timeoutMs), attempts: 2 });
      const answers: Record<string, string[] | null> = {};
      let error: string | null = null;
      let authoritative = true;
      await Promise.all(
        owners.map(async (owner) => {
          try {
            const res = await client.query(owner, 'SRV');
            if (res.rcode === 'REFUSED' || !res.flags.aa) authoritative = false;
            answers[owner] = res.rcode === 'NOERROR' || res.rcode === 'NXDOMAIN' ? srvSet(res.answers, owner) : null;
          } catch (err) {
            answers[owner] = null;
            error = err instanceof DnsError ? `${err.kind}: ${err.message}` : String(err);
          }
        }),
      );
      return { name: t.name, address: t.address, answers, error, authoritative };
    }),
  );

  for (const sv of servers) {
    const where = `${sv.name} (${formatResolver({ host: sv.address, port: opts.port })})`;
    if (sv.error) findings.push(makeFinding(F.DNS_AUTH_UNREACHABLE, where, `The authoritative server ${where} of ${zone} did not answer (${sv.error}).`));
    else if (!sv.authoritative) findings.push(makeFinding(F.DNS_LAME_DELEGATION, where, `${where} is listed as a name server of ${zone} but does not answer authoritatively for it.`));
  }
  const good = servers.filter((sv) => !sv.error && sv.authoritative);
  for (const s of services) {
    for (const l of [s.srv.xmpp, s.srv.xmpps]) {
      const sets = good.map((sv) => sv.answers[l.owner]).filter((x): x is string[] => x !== null && x !== undefined);
      if (!sets.length) continue;
      const distinct = [...new Set(sets.map((x) => x.join(', ')))];
      if (distinct.length > 1) {
        findings.push(
          makeFinding(F.DNS_AUTH_DISAGREE, l.owner, `The authoritative servers of ${zone} give ${distinct.length} different answers for ${l.owner}: ${distinct.map((d) => `[${d || 'none'}]`).join(' vs ')}.`, { service: s.service }),
        );
        continue;
      }
      const resolver = l.records.map((r) => `${r.priority} ${r.weight} ${r.port} ${r.target}`).sort().join(', ');
      if ((l.status === 'ok' || l.status === 'nodata' || l.status === 'nxdomain') && resolver !== distinct[0]) {
        const ttl = l.records.length ? Math.max(...l.records.map((r) => r.ttl)) : null;
        findings.push(
          makeFinding(F.DNS_STALE_ANSWER, l.owner, `The resolver answers [${resolver || 'none'}] for ${l.owner}, the authoritative servers [${distinct[0] || 'none'}]${ttl !== null ? `; the cached answer lives ${ttl} s more` : ''}.`, { service: s.service }),
        );
      }
    }
  }
  return { report: { zone, servers }, findings };
}
