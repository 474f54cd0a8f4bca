/**
 * A small reader of DER (X.690), just enough for X.509 certificates: one
 * element's tag and the extent of its contents, its children, and the values
 * certificates use (OBJECT IDENTIFIER, BOOLEAN, the string types, UTCTime and
 * GeneralizedTime). It copies nothing and throws DerError on malformed input.
 */

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One element: its first identifier octet and where it lies in the buffer. */
export interface DerElement {
  /** First identifier octet (class, constructed bit, low tag number; 0x1f-masked for high tag numbers). */
  tag: number;
  /** Offset of the identifier octet. */
  offset: number;
  /** Contents: buf[start, end). */
  start: number;
  end: number;
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Reads the element at `offset`, which must end by `limit`. */
export function readElement(buf: Buffer, offset: number, limit = buf.length): DerElement {
  if (offset >= limit) throw new DerError(`an element was expected at offset ${offset}, but the data ends there`);
  const tag = buf[offset]!;
  let p = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    // High tag number: base-128 octets, the last without the top bit.
    let more = true;
    while (more) {
      if (p >= limit) throw new DerError(`the tag at offset ${offset} runs past the end`);
      more = (buf[p++]! & 0x80) !== 0;
    }
  }
  if (p >= limit) throw new DerError(`the element at offset ${offset} has no length`);
  let len = buf[p++]!;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError(`the element at offset ${offset} has an indefinite length (BER, not DER)`);
    if (n > 4 || p + n > limit) throw new DerError(`the element at offset ${offset} has a length of ${n} octets`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++]!;
  }
  if (p + len > limit) throw new DerError(`the element at offset ${offset} (${len} octets) runs past the end of its container`);
  return { tag, offset, start: p, end: p + len };
}

/** The elements inside a constructed one. */
export function childrenOf(buf: Buffer, e: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let p = e.start; p < e.end; ) {
    const c = readElement(buf, p, e.end);
    out.push(c);
    p = c.end;
  }
  return out;
}

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** Checks the tag; `what` names the field in the error. */
export function expectTag(e: DerElement | undefined, tag: number, what: string): DerElement {
  if (!e) throw new DerError(`${what} is missing`);
  if (e.tag !== tag) throw new DerError(`${what}: expected tag ${hex2(tag)}, found ${hex2(e.tag)}`);
  return e;
}

/** The contents of an element (no copy). */
export const contentOf = (buf: Buffer, e: DerElement): Buffer => buf.subarray(e.start, e.end);

/** The whole encoding of an element, identifier and length included (no copy). */
export const encodingOf = (buf: Buffer, e: DerElement): Buffer => buf.subarray(e.offset, e.end);

/** An OBJECT IDENTIFIER in dotted form (arcs beyond 2^53 exactly, through BigInt). */
export function readOid(buf: Buffer, e: DerElement): string {
  if (e.end <= e.start || buf[e.end - 1]! & 0x80) throw new DerError('malformed OBJECT IDENTIFIER');
  let out = '';
  let v = 0;
  let big: bigint | null = null;
  let first = true;
  for (let p = e.start; p < e.end; p++) {
    const b = buf[p]!;
    if (big !== null) big = (big << 7n) | BigInt(b & 0x7f);
    else if (v >= 2 ** 45) big = (BigInt(v) << 7n) | BigInt(b & 0x7f);
    else v = v * 128 + (b & 0x7f);
    if (b & 0x80) continue;
    if (first) {
      // The first sub-identifier holds two arcs: 40 × X + Y.
      if (big !== null) out = `2.${(big - 80n).toString()}`;
      else out = v < 40 ? `0.${v}` : v < 80 ? `1.${v - 40}` : `2.${v - 80}`;
      first = false;
    } else {
      out += `.${big !== null ? big.toString() : v}`;
    }
    v = 0;
    big = null;
  }
  return out;
}

/** A BOOLEAN: any non-zero octet is TRUE. */
export function readBoolean(buf: Buffer, e: DerElement): boolean {
  if (e.end - e.start !== 1) throw new DerError('a BOOLEAN must be one octet');
  return buf[e.start]! !== 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** UTF8String contents; bytes that are not UTF-8 are read as Latin-1 (as asn1js did). */
export function utf8OrLatin1(b: Buffer): string {
  try {
    return utf8.decode(b);
  } catch {
    return b.toString('latin1');
  }
}

/**
 * The string types of names, decoded as the reader we used before did:
 * one octet per character for the 8-bit types, UTF-16BE for BMPString, and
 * UniversalString as 32-bit values cut to 16 bits. Null for other tags.
 */
export function readDirectoryString(buf: Buffer, e: DerElement): string | null {
  const b = contentOf(buf, e);
  switch (e.tag) {
    case TAG.UTF8_STRING:
      return utf8OrLatin1(b);
    case TAG.PRINTABLE_STRING:
    case TAG.TELETEX_STRING:
    case TAG.IA5_STRING:
      return b.toString('latin1');
    case TAG.BMP_STRING: {
      if (b.length % 2) throw new DerError('a BMPString has an odd number of octets');
      let s = '';
      for (let i = 0; i < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i));
      return s;
    }
    case TAG.UNIVERSAL_STRING: {
      if (b.length % 4) throw new DerError('a UniversalString is not a multiple of 4 octets');
      let s = '';
      for (let i = 0; i < b.length; i += 4) s += String.fromCharCode(b.readUInt32BE(i) & 0xffff);
      return s;
    }
    default:
      return null;
  }
}

const WRONG_TIME = 'wrong time string';

/** UTCTime: YYMMDDHHMMSSZ, years 50-99 in the 1900s. */
function utcTime(s: string): Date {
  const m = /(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z/i.exec(s);
  if (!m) throw new DerError(`${WRONG_TIME} in UTCTime: ${JSON.stringify(s)}`);
  const y = Number(m[1]);
  return new Date(Date.UTC(y >= 50 ? 1900 + y : 2000 + y, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** GeneralizedTime: YYYYMMDD[HH[MM[SS]]][.fraction] with Z, an offset or neither (local time is read as UTC). */
function generalizedTime(s: string): Date {
  const bad = (): never => {
    throw new DerError(`${WRONG_TIME} in GeneralizedTime: ${JSON.stringify(s)}`);
  };
  let t = s;
  let offsetMin = 0;
  if (t.endsWith('Z')) {
    t = t.slice(0, -1);
    if (/[+-]/.test(t)) bad();
  } else {
    if (Number.isNaN(Number(t[t.length - 1]))) bad();
    let sign = 1;
    let pos = t.indexOf('+');
    if (pos === -1) {
      pos = t.indexOf('-');
      sign = -1;
    }
    if (pos !== -1) {
      const d = t.slice(pos + 1);
      t = t.slice(0, pos);
      if ((d.length !== 2 && d.length !== 4) || Number.isNaN(parseInt(d.slice(0, 2), 10))) bad();
      offsetMin = sign * parseInt(d.slice(0, 2), 10) * 60;
      if (d.length === 4) {
        const mm = parseInt(d.slice(2, 4), 10);
        if (Number.isNaN(mm)) bad();
        offsetMin += sign * mm;
      }
    }
  }
  let frac: number | null = null;
  let dot = t.indexOf('.');
  if (dot === -1) dot = t.indexOf(',');
  if (dot !== -1) {
    frac = Number(`0${t.slice(dot)}`);
    if (Number.isNaN(frac)) bad();
    t = t.slice(0, dot);
  }
  if (![8, 10, 12, 14].includes(t.length) || (t.length === 8 && frac !== null)) bad();
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?/.exec(t) ?? bad();
  let minute = m[5] !== undefined ? Number(m[5]) : 0;
  let second = m[6] !== undefined ? Number(m[6]) : 0;
  let ms = 0;
  if (frac !== null) {
    // The fraction belongs to the last unit given.
    if (t.length === 10) {
      let r = 60 * frac;
      minute = Math.floor(r);
      r = 60 * (r - minute);
      second = Math.floor(r);
      ms = Math.floor(1000 * (r - second));
    } else if (t.length === 12) {
      const r = 60 * frac;
      second = Math.floor(r);
      ms = Math.floor(1000 * (r - second));
    } else {
      ms = Math.floor(1000 * frac);
    }
  }
  const hour = m[4] !== undefined ? Number(m[4]) : 0;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, minute, second, ms);
  return new Date(utc - offsetMin * 60_000);
}

/** A Time (UTCTime or GeneralizedTime). */
export function readTime(buf: Buffer, e: DerElement): Date {
  const s = contentOf(buf, e).toString('latin1');
  if (e.tag === TAG.UTC_TIME) return utcTime(s);
  if (e.tag === TAG.GENERALIZED_TIME) return generalizedTime(s);
  throw new DerError(`a time was expected, found tag ${hex2(e.tag)}`);
}
