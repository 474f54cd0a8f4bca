/**
 * Zone-file (presentation) form of the records dns-packet decodes, for the
 * report and the table: `5 0 5222 xmpp.example.com.` rather than an object.
 */
import { addressOf, dnskeyOf, dsOf, mxOf, nsec3Of, nsecOf, rawData, rrsigOf, soaOf, srvOf, targetNameOf, tlsaOf, txtOf } from './records.js';
import type { Answer } from 'dns-packet';

const fqdn = (n: string): string => (n === '' || n === '.' ? '.' : n.endsWith('.') ? n : `${n}.`);
const hex = (b: unknown): string => (Buffer.isBuffer(b) ? b.toString('hex').toUpperCase() : '');
const b64 = (b: unknown): string => (Buffer.isBuffer(b) ? b.toString('base64') : '');

function dnsTime(sec: number): string {
  const d = new Date(sec * 1000);
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Presentation form of one record's RDATA. Never throws. */
export function rdataToString(rr: Answer): string {
  try {
    const raw = rawData(rr);
    const typed = ((): string | null => {
      switch (rr.type) {
        case 'A':
        case 'AAAA':
          return addressOf(rr);
        case 'CNAME':
        case 'NS':
        case 'PTR':
        case 'DNAME': {
          const n = targetNameOf(rr);
          return n === null ? null : fqdn(n);
        }
        case 'SRV': {
          const d = srvOf(rr);
          return d && `${d.priority} ${d.weight} ${d.port} ${fqdn(d.target)}`;
        }
        case 'MX': {
          const d = mxOf(rr);
          return d && `${d.preference} ${fqdn(d.exchange)}`;
        }
        case 'TXT':
          return (txtOf(rr) ?? []).map((p) => JSON.stringify(p.toString('utf8'))).join(' ');
        case 'SOA': {
          const d = soaOf(rr);
          return d && `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
        }
        case 'TLSA': {
          const d = tlsaOf(rr);
          return d && `${d.usage} ${d.selector} ${d.matchingType} ${hex(d.certificate)}`;
        }
        case 'DS': {
          const d = dsOf(rr);
          return d && `${d.keyTag} ${d.algorithm} ${d.digestType} ${hex(d.digest)}`;
        }
        case 'DNSKEY': {
          const d = dnskeyOf(rr);
          return d && `${d.flags} 3 ${d.algorithm} ${b64(d.key)}`;
        }
        case 'RRSIG': {
          const d = rrsigOf(rr);
          return d && `${d.typeCovered} ${d.algorithm} ${d.labels} ${d.originalTTL} ${dnsTime(d.expiration)} ${dnsTime(d.inception)} ${d.keyTag} ${fqdn(d.signersName)} ${b64(d.signature)}`;
        }
        case 'NSEC': {
          const d = nsecOf(rr);
          return d && `${fqdn(d.nextDomain)} ${d.rrtypes.join(' ')}`;
        }
        case 'NSEC3': {
          const d = nsec3Of(rr);
          return d && `${d.algorithm} ${d.flags} ${d.iterations} ${d.salt.length ? hex(d.salt) : '-'} ${hex(d.nextDomain)} ${d.rrtypes.join(' ')}`;
        }
        default:
          return null;
      }
    })();
    if (typed !== null) return typed;
    return Buffer.isBuffer(raw) ? `\\# ${raw.length} ${hex(raw)}` : JSON.stringify(raw) ?? '(unprintable)';
  } catch {
    return '(unprintable)';
  }
}
