/**
 * Typed lookups on top of the DNS client: an SRV RRset (with the CNAME chain
 * followed to it and RFC 2782's "." target), and the A/AAAA addresses of a host
 * (IP literals answered without a query). Failures become a status, never a throw.
 */
import { addressOf, srvOf, targetNameOf, ttlOf } from './records.js';
import net from 'node:net';
import type { Family } from '../core/types.js';
import type { Answer, RecordType } from 'dns-packet';
import { DnsError, type DnsClient, type DnsResponse } from './client.js';

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();

function statusOf(res: DnsResponse): LookupStatus {
  switch (res.rcode) {
    case 'NOERROR':
      return 'ok';
    case 'NXDOMAIN':
      return 'nxdomain';
    case 'SERVFAIL':
      return 'servfail';
    case 'REFUSED':
      return 'refused';
    default:
      return 'error';
  }
}

/** Follows the CNAME chain inside one answer, from `name`; returns the chain and the final owner. */
function followCnames(answers: Answer[], name: string): { chain: string[]; owner: string } {
  const chain: string[] = [];
  let owner = norm(name);
  for (let i = 0; i < 16; i++) {
    const c = answers.find((rr) => rr.type === 'CNAME' && norm(rr.name) === owner);
    const to = c ? targetNameOf(c) : null;
    if (to === null) break;
    owner = norm(to);
    if (chain.includes(owner)) break;
    chain.push(owner);
  }
  return { chain, owner };
}

async function ask(dns: DnsClient, name: string, type: RecordType): Promise<DnsResponse | DnsError> {
  try {
    return await dns.query(name, type);
  } catch (err) {
    return err instanceof DnsError ? err : new DnsError('network', String(err));
  }
}

async function lookupAddresses(dns: DnsClient, name: string, type: 'A' | 'AAAA'): Promise<{ lookup: AddressLookup; cnames: string[] }> {
  const res = await ask(dns, name, type);
  if (res instanceof DnsError) {
    return { lookup: { status: 'error', error: `${res.kind}: ${res.message}`, addresses: [], ttl: null }, cnames: [] };
  }
  const { chain, owner } = followCnames(res.answers, name);
  const rrs = res.answers.filter((rr) => rr.type === type && norm(rr.name) === owner);
  let status = statusOf(res);
  if (status === 'ok' && rrs.length === 0) status = 'nodata';
  const addresses = [...new Set(rrs.flatMap((rr) => addressOf(rr) ?? []))];
  const ttl = rrs.length ? Math.min(...rrs.map(ttlOf)) : null;
  return { lookup: { status, error: null, addresses, ttl }, cnames: chain };
}

/** skipped: not asked (--probe names the node, so no SRV lookup is made). */
export type LookupStatus = 'ok' | 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'error' | 'skipped';

export interface SrvRecord {
  /** e.g. `_xmpps-client._tcp.example.com` */
  owner: string;
  family: Family;
  priority: number;
  weight: number;
  port: number;
  /** Target host name, without trailing dot; `.` for "no service". */
  target: string;
  ttl: number;
}

export interface SrvLookup {
  owner: string;
  status: LookupStatus;
  rcode: string | null;
  error: string | null;
  /** Names of CNAMEs followed to reach the SRV RRset (a CNAME at the SRV owner). */
  cnames: string[];
  records: SrvRecord[];
  /** True when the RRset is the single record with target `.` (RFC 2782: service decidedly not available). */
  noService: boolean;
}

export interface AddressLookup {
  status: LookupStatus;
  error: string | null;
  addresses: string[];
  ttl: number | null;
}

export interface HostAddresses {
  name: string;
  /** CNAME chain followed from `name` (empty when `name` owns its addresses). */
  cnames: string[];
  /** True when `name` is an IP literal rather than a host name. */
  ipLiteral: boolean;
  a: AddressLookup;
  aaaa: AddressLookup;
}

export async function lookupHost(dns: DnsClient, name: string): Promise<HostAddresses> {
  if (net.isIP(name)) {
    const v = net.isIP(name);
    const lit: AddressLookup = { status: 'ok', error: null, addresses: [name], ttl: null };
    const none: AddressLookup = { status: 'nodata', error: null, addresses: [], ttl: null };
    return { name, cnames: [], ipLiteral: true, a: v === 4 ? lit : none, aaaa: v === 6 ? lit : none };
  }
  const [a, aaaa] = await Promise.all([lookupAddresses(dns, name, 'A'), lookupAddresses(dns, name, 'AAAA')]);
  const cnames = a.cnames.length >= aaaa.cnames.length ? a.cnames : aaaa.cnames;
  return { name, cnames, ipLiteral: false, a: a.lookup, aaaa: aaaa.lookup };
}

export async function lookupSrv(dns: DnsClient, owner: string, family: Family): Promise<SrvLookup> {
  const res = await ask(dns, owner, 'SRV');
  if (res instanceof DnsError) {
    return { owner, status: 'error', rcode: null, error: `${res.kind}: ${res.message}`, cnames: [], records: [], noService: false };
  }
  const { chain, owner: finalOwner } = followCnames(res.answers, owner);
  const records: SrvRecord[] = res.answers
    .filter((rr) => rr.type === 'SRV' && norm(rr.name) === finalOwner)
    .flatMap((rr) => {
      const d = srvOf(rr);
      if (!d) return [];
      const target = d.target === '' || d.target === '.' ? '.' : norm(d.target);
      return [{ owner, family, priority: d.priority, weight: d.weight, port: d.port, target, ttl: ttlOf(rr) }];
    });
  let status = statusOf(res);
  if (status === 'ok' && records.length === 0) status = 'nodata';
  return {
    owner,
    status,
    rcode: res.rcode,
    error: null,
    cnames: chain,
    records,
    noService: records.length === 1 && records[0]!.target === '.',
  };
}
