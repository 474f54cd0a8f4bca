/**
 * DNSSEC canonical form (RFC 4034 §6, corrected by RFC 6840 §5.1): owner
 * names in lower case, RDATA re-encoded without compression and with the
 * embedded names of the listed types lowered, RRsets sorted by canonical
 * RDATA, and canonical name order for NSEC chains. dns-packet decodes and
 * encodes the records; this module only decides what the bytes must be.
 */
import { encodeRdata, rawData } from '../dns/records.js';
import { createRequire } from 'node:module';
import type { Answer } from 'dns-packet';
import { type RrsigData } from '../dns/records.js';

const require = createRequire(import.meta.url);
const types = require('dns-packet/types') as { toType(s: string): number; toString(n: number): string };

/** Lowers US-ASCII letters only, as RFC 4034 §6.1 asks (other octets stay). */
export const lowerAscii = (s: string): string => s.replace(/[A-Z]+/g, (c) => c.toLowerCase());

/** A name in our one internal form: lower case, no trailing dot, the root is `.`. */
export function normName(name: string): string {
  const n = lowerAscii(name).replace(/\.+$/, '');
  return n === '' ? '.' : n;
}

/** The labels of a name, leftmost first, without the root label. */
export function labelsOf(name: string): string[] {
  const n = name.replace(/\.+$/, '');
  return n === '' || n === '.' ? [] : n.split('.');
}

/** Number of labels as the RRSIG Labels field counts them (no root, no leading `*`). */
export function rrsigLabelCount(name: string): number {
  const l = labelsOf(name);
  return l[0] === '*' ? l.length - 1 : l.length;
}

/** Uncompressed wire form of a name; lowered unless `keepCase`. */
export function nameToWire(name: string, keepCase = false): Buffer {
  const parts: Buffer[] = [];
  for (const label of labelsOf(keepCase ? name : lowerAscii(name))) {
    const b = Buffer.from(label, 'utf8');
    if (b.length === 0 || b.length > 63) throw new Error(`bad label in ${name}`);
    parts.push(Buffer.from([b.length]), b);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > 255) throw new Error(`name too long: ${name}`);
  return out;
}

/** True when `name` equals `ancestor` or lies below it. */
export function isSubdomain(name: string, ancestor: string): boolean {
  const n = normName(name);
  const a = normName(ancestor);
  if (a === '.') return true;
  return n === a || n.endsWith(`.${a}`);
}

/** The parent of a name (`.` for a TLD; null for the root). */
export function parentName(name: string): string | null {
  const l = labelsOf(normName(name));
  if (l.length === 0) return null;
  return l.length === 1 ? '.' : l.slice(1).join('.');
}

/** The ancestor of `name` that has `count` labels. */
export function ancestorWithLabels(name: string, count: number): string {
  const l = labelsOf(normName(name));
  return count <= 0 ? '.' : l.slice(l.length - count).join('.');
}

/** Names from just below `top` down to `name` itself (top excluded), in order. */
export function namesBetween(top: string, name: string): string[] {
  const t = labelsOf(normName(top)).length;
  const l = labelsOf(normName(name)).length;
  const out: string[] = [];
  for (let i = t + 1; i <= l; i++) out.push(ancestorWithLabels(name, i));
  return out;
}

/** RFC 4034 §6.1 canonical name order: compare labels right to left as lowered octet strings. */
export function compareNames(a: string, b: string): number {
  const la = labelsOf(lowerAscii(a)).reverse();
  const lb = labelsOf(lowerAscii(b)).reverse();
  for (let i = 0; i < Math.min(la.length, lb.length); i++) {
    const c = Buffer.compare(Buffer.from(la[i]!, 'utf8'), Buffer.from(lb[i]!, 'utf8'));
    if (c !== 0) return c;
  }
  return la.length - lb.length;
}

export const typeToNumber = (t: string): number => types.toType(t);
export const typeToString = (n: number): string => types.toString(n);

/**
 * Types whose RDATA names are lowered for signing (RFC 4034 §6.2 item 3 as
 * RFC 6840 §5.1 corrects it: RRSIG yes, NSEC no), with the fields that hold them.
 */
const NAME_FIELDS: Record<string, string[] | 'self'> = {
  NS: 'self',
  CNAME: 'self',
  PTR: 'self',
  DNAME: 'self',
  MD: 'self',
  MF: 'self',
  MB: 'self',
  MG: 'self',
  MR: 'self',
  SOA: ['mname', 'rname'],
  MX: ['exchange'],
  SRV: ['target'],
  RRSIG: ['signersName'],
  NAPTR: ['replacement'],
  RP: ['mbox', 'txt'],
  AFSDB: ['hostname'],
  RT: ['exchange'],
  KX: ['exchanger'],
  PX: ['map822', 'mapx400'],
  MINFO: ['rmailbx', 'emailbx'],
};

/** Canonical RDATA of one record (RFC 4034 §6.2), without the RDLENGTH prefix. */
export function canonicalRdata(rr: Answer): Buffer {
  const type = rr.type as string;
  let data = rawData(rr);
  const fields = NAME_FIELDS[type];
  if (fields === 'self' && typeof data === 'string') data = lowerAscii(data);
  else if (Array.isArray(fields) && data && typeof data === 'object' && !Buffer.isBuffer(data)) {
    const copy: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    for (const f of fields) {
      const v = copy[f];
      if (typeof v === 'string') copy[f] = lowerAscii(v);
    }
    data = copy;
  }
  return encodeRdata(type, data).subarray(2);
}

/** Sorts an RRset by canonical RDATA and drops exact duplicates (RFC 4034 §6.3). */
export function canonicalRRset(rrs: Answer[]): { rr: Answer; rdata: Buffer }[] {
  const withData = rrs.map((rr) => ({ rr, rdata: canonicalRdata(rr) }));
  withData.sort((a, b) => Buffer.compare(a.rdata, b.rdata));
  return withData.filter((x, i) => i === 0 || !x.rdata.equals(withData[i - 1]!.rdata));
}

const CLASS_IN = 1;

/** The RRSIG RDATA that is signed: every field but the signature, signer name lowered (RFC 4034 §3.1.8.1). */
export function rrsigSignedPrefix(sig: RrsigData): Buffer {
  const head = Buffer.alloc(18);
  head.writeUInt16BE(typeToNumber(sig.typeCovered), 0);
  head.writeUInt8(sig.algorithm, 2);
  head.writeUInt8(sig.labels, 3);
  head.writeUInt32BE(sig.originalTTL >>> 0, 4);
  head.writeUInt32BE(sig.expiration >>> 0, 8);
  head.writeUInt32BE(sig.inception >>> 0, 12);
  head.writeUInt16BE(sig.keyTag, 16);
  return Buffer.concat([head, nameToWire(sig.signersName)]);
}

/**
 * The octets a signature covers (RFC 4034 §3.1.8.1, §6.2): the RRSIG prefix,
 * then every record of the RRset in canonical order with the owner lowered
 * (or turned back into the wildcard `*.<closest encloser>` when the RRSIG
 * labels field says the answer was synthesised) and the original TTL.
 */
export function signedData(sig: RrsigData, owner: string, rrset: Answer[]): Buffer {
  const ownerLabels = labelsOf(normName(owner));
  let signedOwner = normName(owner);
  if (sig.labels < rrsigLabelCount(signedOwner)) {
    signedOwner = `*.${ownerLabels.slice(ownerLabels.length - sig.labels).join('.')}`.replace(/\.$/, '');
    if (sig.labels === 0) signedOwner = '*';
  }
  const ownerWire = nameToWire(signedOwner);
  const parts: Buffer[] = [rrsigSignedPrefix(sig)];
  for (const { rr, rdata } of canonicalRRset(rrset)) {
    const fixed = Buffer.alloc(10);
    fixed.writeUInt16BE(typeToNumber(rr.type as string), 0);
    fixed.writeUInt16BE(CLASS_IN, 2);
    fixed.writeUInt32BE(sig.originalTTL >>> 0, 4);
    fixed.writeUInt16BE(rdata.length, 8);
    parts.push(ownerWire, fixed, rdata);
  }
  return Buffer.concat(parts);
}

/** DNSKEY RDATA on the wire: flags, protocol 3, algorithm, key. */
export function dnskeyRdata(flags: number, algorithm: number, key: Buffer, protocol = 3): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(flags, 0);
  head.writeUInt8(protocol, 2);
  head.writeUInt8(algorithm, 3);
  return Buffer.concat([head, key]);
}
