/**
 * Resolver mode: trust the AD bit of the configured resolver instead of
 * validating ourselves. A SERVFAIL that turns into an answer when re-asked
 * with CD set means the resolver found the data bogus; Extended DNS Errors
 * (RFC 8914) are passed on. The caveat says what the status rests on.
 */
import type { DnsClient, DnsResponse } from '../dns/client.js';
import { formatResolver } from '../dns/client.js';
import type { DnssecResult } from './types.js';
import { normName } from './wire.js';

const ofType = (res: DnsResponse, type: string) => res.answers.filter((r) => r.type === type);

export async function resolverStatus(client: DnsClient, name: string, type: string): Promise<DnssecResult> {
  const n = normName(name);
  const caveat = `taken from the AD bit of ${formatResolver(client.server)}: only as trustworthy as the path to that resolver`;
  const base = { name: n, type, mode: 'resolver' as const, records: [], zone: null, brokenLink: null, chain: [], wildcard: null, caveat };
  let res: DnsResponse;
  try {
    res = await client.query(n, type as never, { cd: false });
  } catch (err) {
    return { ...base, status: 'indeterminate', outcome: 'error', rcode: null, reason: `no answer: ${(err as Error).message}`, ede: [] };
  }
  if (res.rcode === 'SERVFAIL') {
    let cd: DnsResponse | null = null;
    try {
      cd = await client.query(n, type as never, { cd: true });
    } catch {
      cd = null;
    }
    const ede = [...res.ede, ...(cd?.ede ?? [])];
    const edeText = ede.length ? ` (Extended DNS Error ${ede.map((e) => `${e.code}${e.text ? `: ${e.text}` : ''}`).join('; ')})` : '';
    if (cd && (cd.rcode === 'NOERROR' || cd.rcode === 'NXDOMAIN')) {
      return {
        ...base,
        status: 'bogus',
        outcome: cd.rcode === 'NXDOMAIN' ? 'nxdomain' : ofType(cd, type).length ? 'answer' : 'nodata',
        rcode: res.rcode,
        records: ofType(cd, type),
        reason: `the resolver answers SERVFAIL, but answers with checking disabled: it found the data bogus${edeText}`,
        ede,
      };
    }
    return { ...base, status: 'indeterminate', outcome: 'error', rcode: res.rcode, reason: `the resolver answers SERVFAIL even with checking disabled${edeText}`, ede };
  }
  if (res.rcode !== 'NOERROR' && res.rcode !== 'NXDOMAIN') {
    return { ...base, status: 'indeterminate', outcome: 'error', rcode: res.rcode, reason: `the resolver answered ${res.rcode}`, ede: res.ede };
  }
  const outcome = res.rcode === 'NXDOMAIN' ? 'nxdomain' : ofType(res, type).length ? 'answer' : 'nodata';
  return {
    ...base,
    status: res.flags.ad ? 'secure' : 'insecure',
    outcome,
    rcode: res.rcode,
    records: ofType(res, type),
    reason: res.flags.ad ? 'the resolver validated the answer (AD set)' : 'the resolver did not set AD: unsigned, or it does not validate',
    ede: res.ede,
  };
}
