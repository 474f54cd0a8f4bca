/**
 * Zone-file (presentation) form of the records dns-packet decodes, for the
 * report and the table: `5 0 5222 xmpp.example.com.` rather than an object.
 */
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
    const d = (rr as { data?: unknown }).data as any;
    switch (rr.type) {
      case 'A':
      case 'AAAA':
        return String(d);
      case 'CNAME':
      case 'NS':
      case 'PTR':
      case 'DNAME':
        return fqdn(String(d));
      case 'SRV':
        return `${d.priority ?? 0} ${d.weight ?? 0} ${d.port} ${fqdn(d.target)}`;
      case 'MX':
        return `${d.preference} ${fqdn(d.exchange)}`;
      case 'TXT': {
        const parts = Array.isArray(d) ? d : [d];
        return parts.map((p: unknown) => JSON.stringify(Buffer.isBuffer(p) ? p.toString('utf8') : String(p))).join(' ');
      }
      case 'SOA':
        return `${fqdn(d.mname)} ${fqdn(d.rname)} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
      case 'TLSA':
        return `${d.usage} ${d.selector} ${d.matchingType} ${hex(d.certificate)}`;
      case 'DS':
        return `${d.keyTag} ${d.algorithm} ${d.digestType} ${hex(d.digest)}`;
      case 'DNSKEY':
        return `${d.flags} 3 ${d.algorithm} ${b64(d.key)}`;
      case 'RRSIG':
        return `${d.typeCovered} ${d.algorithm} ${d.labels} ${d.originalTTL} ${dnsTime(d.expiration)} ${dnsTime(d.inception)} ${d.keyTag} ${fqdn(d.signersName)} ${b64(d.signature)}`;
      case 'NSEC':
        return `${fqdn(d.nextDomain)} ${(d.rrtypes ?? []).join(' ')}`;
      case 'NSEC3':
        return `${d.algorithm} ${d.flags} ${d.iterations} ${d.salt && d.salt.length ? hex(d.salt) : '-'} ${hex(d.nextDomain)} ${(d.rrtypes ?? []).join(' ')}`;
      default:
        return Buffer.isBuffer(d) ? `\\# ${d.length} ${hex(d)}` : JSON.stringify(d);
    }
  } catch {
    return '(unprintable)';
  }
}
