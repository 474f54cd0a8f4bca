/**
 * Typed access to the RDATA of the records dns-packet decodes. Its types do
 * not narrow `data` by `type`, and a hostile answer can carry anything, so
 * each accessor checks the type and the shape and returns null when either
 * is off: callers get typed data or nothing, never a cast.
 */
import packet from 'dns-packet';
import type { Answer } from 'dns-packet';

export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

export interface TlsaData {
  usage: number;
  selector: number;
  matchingType: number;
  certificate: Buffer;
}

export interface DnskeyData {
  flags: number;
  algorithm: number;
  key: Buffer;
}

export interface DsData {
  keyTag: number;
  algorithm: number;
  digestType: number;
  digest: Buffer;
}

export interface RrsigData {
  typeCovered: string;
  algorithm: number;
  labels: number;
  originalTTL: number;
  expiration: number;
  inception: number;
  keyTag: number;
  signersName: string;
  signature: Buffer;
}

export interface NsecData {
  nextDomain: string;
  rrtypes: string[];
}

export interface Nsec3Data {
  algorithm: number;
  flags: number;
  iterations: number;
  salt: Buffer;
  nextDomain: Buffer;
  rrtypes: string[];
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

type Fields = Record<string, unknown>;

/** The decoded RDATA, as dns-packet left it (unknown: check before use). */
export const rawData = (rr: Answer): unknown => (rr as { data?: unknown }).data;

const obj = (rr: Answer, type: string): Fields | null => {
  const d = rawData(rr);
  return rr.type === type && d !== null && typeof d === 'object' && !Buffer.isBuffer(d) ? (d as Fields) : null;
};
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';
const buf = (v: unknown): v is Buffer => Buffer.isBuffer(v);
const types = (v: unknown): string[] => (Array.isArray(v) ? v.filter(str) : []);

export const ttlOf = (rr: Answer): number => {
  const t = (rr as { ttl?: unknown }).ttl;
  return num(t) ? t : 0;
};

/** A or AAAA: the address text. */
export function addressOf(rr: Answer): string | null {
  const d = rawData(rr);
  return (rr.type === 'A' || rr.type === 'AAAA') && str(d) ? d : null;
}

/** CNAME, DNAME, NS or PTR: the name it points to. */
export function targetNameOf(rr: Answer): string | null {
  const d = rawData(rr);
  return (rr.type === 'CNAME' || rr.type === 'DNAME' || rr.type === 'NS' || rr.type === 'PTR') && str(d) ? d : null;
}

export function srvOf(rr: Answer): SrvData | null {
  const d = obj(rr, 'SRV');
  if (!d || !num(d.port) || !str(d.target)) return null;
  return { priority: num(d.priority) ? d.priority : 0, weight: num(d.weight) ? d.weight : 0, port: d.port, target: d.target };
}

export function tlsaOf(rr: Answer): TlsaData | null {
  const d = obj(rr, 'TLSA');
  if (!d || !num(d.usage) || !num(d.selector) || !num(d.matchingType) || !buf(d.certificate)) return null;
  return { usage: d.usage, selector: d.selector, matchingType: d.matchingType, certificate: d.certificate };
}

export function dnskeyOf(rr: Answer): DnskeyData | null {
  const d = obj(rr, 'DNSKEY');
  if (!d || !num(d.flags) || !num(d.algorithm) || !buf(d.key)) return null;
  return { flags: d.flags, algorithm: d.algorithm, key: d.key };
}

export function dsOf(rr: Answer): DsData | null {
  const d = obj(rr, 'DS');
  if (!d || !num(d.keyTag) || !num(d.algorithm) || !num(d.digestType) || !buf(d.digest)) return null;
  return { keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType, digest: d.digest };
}

export function rrsigOf(rr: Answer): RrsigData | null {
  const d = obj(rr, 'RRSIG');
  if (!d || !str(d.typeCovered) || !num(d.algorithm) || !num(d.labels) || !num(d.originalTTL) || !num(d.expiration) || !num(d.inception) || !num(d.keyTag) || !str(d.signersName) || !buf(d.signature)) return null;
  return { typeCovered: d.typeCovered, algorithm: d.algorithm, labels: d.labels, originalTTL: d.originalTTL, expiration: d.expiration, inception: d.inception, keyTag: d.keyTag, signersName: d.signersName, signature: d.signature };
}

export function nsecOf(rr: Answer): NsecData | null {
  const d = obj(rr, 'NSEC');
  if (!d || !str(d.nextDomain)) return null;
  return { nextDomain: d.nextDomain, rrtypes: types(d.rrtypes) };
}

export function nsec3Of(rr: Answer): Nsec3Data | null {
  const d = obj(rr, 'NSEC3');
  if (!d || !num(d.algorithm) || !num(d.flags) || !num(d.iterations) || !buf(d.nextDomain)) return null;
  return { algorithm: d.algorithm, flags: d.flags, iterations: d.iterations, salt: buf(d.salt) ? d.salt : Buffer.alloc(0), nextDomain: d.nextDomain, rrtypes: types(d.rrtypes) };
}

export function soaOf(rr: Answer): SoaData | null {
  const d = obj(rr, 'SOA');
  if (!d || !str(d.mname) || !str(d.rname) || !num(d.serial) || !num(d.refresh) || !num(d.retry) || !num(d.expire) || !num(d.minimum)) return null;
  return { mname: d.mname, rname: d.rname, serial: d.serial, refresh: d.refresh, retry: d.retry, expire: d.expire, minimum: d.minimum };
}

export function mxOf(rr: Answer): { preference: number; exchange: string } | null {
  const d = obj(rr, 'MX');
  return d && num(d.preference) && str(d.exchange) ? { preference: d.preference, exchange: d.exchange } : null;
}

/** TXT: the character-strings (one record may hold several). */
export function txtOf(rr: Answer): Buffer[] | null {
  if (rr.type !== 'TXT') return null;
  const d = rawData(rr);
  const parts = Array.isArray(d) ? d : [d];
  return parts.map((p) => (buf(p) ? p : Buffer.from(String(p ?? ''), 'utf8')));
}

/** OPT pseudo-record (EDNS0): its options. */
export function optOptionsOf(rr: Answer): { code: number; data: Buffer | null }[] {
  if (rr.type !== 'OPT') return [];
  const opts = (rr as { options?: unknown }).options;
  if (!Array.isArray(opts)) return [];
  return opts.flatMap((o: unknown) => {
    const f = o as Fields | null;
    return f && num(f.code) ? [{ code: f.code, data: buf(f.data) ? f.data : null }] : [];
  });
}

/** dns-packet's encoder for one record type (its `record()` is not in the published types). */
export function encodeRdata(type: string, data: unknown): Buffer {
  const codec = (packet as unknown as { record(t: string): { encode(d: unknown): Buffer } }).record(type);
  return codec.encode(data);
}
