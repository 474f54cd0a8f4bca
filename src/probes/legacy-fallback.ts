/**
 * What clients without XEP-0368 reach when a service publishes only `_xmpps-`
 * records: they find no `_xmpp-` record and fall back to the domain's A/AAAA
 * on 5222/5269. One warning per service that says so, and whether that
 * fallback works, from the probes of it (or why it was not probed).
 */
import { makeFinding, type Finding } from '../core/finding.js';
import type { Candidate } from '../core/types.js';
import type { HostAddresses } from '../dns/lookup.js';
import { DISCOVERY_FINDINGS as F } from '../discovery/findings.js';
import { probeSummary } from './summary.js';
import type { ProbeReport } from './types.js';

export interface LegacyFallbackInput {
  fallback: Candidate;
  /** The `_xmpp-` SRV owner that has no records. */
  xmppOwner: string;
  host: HostAddresses | undefined;
  /** The fallback's probes; null when nothing was probed (--dns-only). */
  probes: readonly ProbeReport[] | null;
  ipFamilies: readonly (4 | 6)[];
}

export function legacyFallbackFinding(i: LegacyFallbackInput): Finding {
  const { fallback: c } = i;
  const who = c.service === 'c2s' ? 'clients' : 'servers';
  const where = `${c.target}:${c.port}`;
  const head = `There are _xmpps- records but no ${i.xmppOwner} records: ${who} without XEP-0368 find no SRV record and fall back to ${where} (the domain's A/AAAA).`;
  const addresses = i.host ? [...i.host.a.addresses, ...i.host.aaaa.addresses] : [];
  let tail: string;
  if (!addresses.length) tail = ` ${c.target} has no A or AAAA record, so those ${who} cannot connect.`;
  else if (i.probes === null) tail = ' Not probed (DNS only).';
  else if (!i.probes.length) tail = ` Not probed: ${c.target} has no address in the IP version asked for (-${i.ipFamilies.join('/-')}).`;
  else {
    const ok = i.probes.filter((p) => p.outcome === 'ok');
    const list = i.probes.map((p) => `${p.address}: ${probeSummary(p)}`).join('; ');
    tail = ok.length === i.probes.length
      ? ` That fallback works (${list}).`
      : ok.length
        ? ` That fallback works only in part (${list}).`
        : ` That fallback does not work (${list}): those ${who} cannot connect.`;
  }
  return makeFinding(F.SRV_XMPPS_ONLY, where, head + tail, { service: c.service });
}
