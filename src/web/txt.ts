/**
 * XEP-0156's DNS method: the `_xmppconnect` TXT record of a domain, looked up
 * with our DNS client, split into `_xmpp-client-xbosh=` and
 * `_xmpp-client-websocket=` values. Without DNSSEC the record can be forged;
 * the caller says what the validator concluded (`dnssecSecure`).
 */
import { rawData } from '../dns/records.js';
import { DnsError, type DnsClient } from '../dns/client.js';
import { makeFinding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { LookupStatus } from '../dns/lookup.js';
import { escapeTerminal } from '../core/escape.js';
import { WEB_FINDINGS as F } from './findings.js';
import type { XmppConnectTxt } from './types.js';

const MAX_RECORDS = 50;

function statusOf(rcode: string, found: number): LookupStatus {
  if (rcode === 'NXDOMAIN') return 'nxdomain';
  if (rcode === 'SERVFAIL') return 'servfail';
  if (rcode === 'REFUSED') return 'refused';
  if (rcode !== 'NOERROR') return 'error';
  return found ? 'ok' : 'nodata';
}

/** The strings of one TXT record, joined (RFC 1464 style values may be split across strings). */
function txtText(data: unknown): string {
  const parts = Array.isArray(data) ? data : [data];
  return parts.map((p) => (Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join('');
}

export async function lookupXmppConnect(dns: DnsClient, domain: string, dnssecSecure: boolean | null): Promise<{ txt: XmppConnectTxt; findings: Finding[] }> {
  const name = `_xmppconnect.${domain}`;
  const txt: XmppConnectTxt = { name, status: 'error', error: null, records: [], bosh: [], websocket: [], other: [], dnssecSecure };
  const findings: Finding[] = [];
  let res;
  try {
    res = await dns.query(name, 'TXT');
  } catch (err) {
    txt.error = err instanceof DnsError ? `${err.kind}: ${err.message}` : String(err);
    return { txt, findings };
  }
  const target = name.toLowerCase();
  const rrs = res.answers.filter((rr) => rr.type === 'TXT' && rr.name.replace(/\.$/, '').toLowerCase() === target).slice(0, MAX_RECORDS);
  txt.status = statusOf(res.rcode, rrs.length);
  for (const rr of rrs) {
    const text = txtText(rawData(rr));
    txt.records.push(text);
    const eq = text.indexOf('=');
    if (eq < 0) continue;
    const key = text.slice(0, eq).trim();
    const value = text.slice(eq + 1).trim();
    if (key === '_xmpp-client-xbosh') txt.bosh.push(value);
    else if (key === '_xmpp-client-websocket') txt.websocket.push(value);
    else txt.other.push({ key, value });
  }
  if (txt.bosh.length || txt.websocket.length) {
    const list = [...txt.bosh, ...txt.websocket].map((v) => escapeTerminal(v, 120)).join(', ');
    if (dnssecSecure === false) findings.push(makeFinding(F.WEB_TXT_INSECURE, name, `${name} publishes ${list} in a zone without DNSSEC.`));
    else if (dnssecSecure === null) findings.push(makeFinding(F.WEB_TXT_UNVERIFIED, name, `${name} publishes ${list}; its DNSSEC status is not known.`));
  }
  return { txt, findings };
}
