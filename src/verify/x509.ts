/**
 * Reads one DER certificate into the plain facts the other verify modules
 * need: names (subject CN, every subjectAltName by type, otherNames decoded
 * from the DER ourselves), validity, key, signature algorithm, EKU, CA flag and
 * fingerprints. Never throws: malformed input gives `{ ok: false, error }`.
 * Our own DER reader (der.ts) does the reading; Node's X509Certificate reads
 * the key and checks signatures. Each distinct certificate (by the SHA-256 of
 * its DER) is read once per process and shared: parsed certificates are
 * frozen, never changed.
 */
import { createHash, X509Certificate } from 'node:crypto';
import {
  DerError,
  TAG,
  childrenOf,
  contentOf,
  encodingOf,
  expectTag,
  readBoolean,
  readDirectoryString,
  readElement,
  readOid,
  readTime,
  utf8OrLatin1,
  type DerElement,
} from './der.js';

export const OID_XMPP_ADDR = '1.3.6.1.5.5.7.8.5';
export const OID_SRV_NAME = '1.3.6.1.5.5.7.8.7';
export const EKU_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const EKU_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
export const EKU_ANY = '2.5.29.37.0';

/** A subjectAltName entry we could not use, and why. */
export interface InvalidSan {
  type: string;
  value: string;
  reason: string;
}

/** The subjectAltName extension, split by type. Values are as encoded (not normalised). */
export interface SanSet {
  dns: string[];
  /** SRVName otherNames (RFC 4985), e.g. `_xmpp-client.example.com`. */
  srv: string[];
  uri: string[];
  /** id-on-xmppAddr otherNames (RFC 6120 §13.7.1.4), UTF8String only (other encodings go to `invalid`). */
  xmppAddr: string[];
  ip: string[];
  email: string[];
  /** Other otherNames and name types, as `oid` (or type) and a printable value. */
  other: { type: string; value: string }[];
  /** Entries that are present but wrongly encoded (e.g. XmppAddr as IA5String). */
  invalid: InvalidSan[];
}

export interface KeyInfo {
  /** `rsa`, `ec`, `ed25519`, `rsa-pss`, `dsa`, ... or `unknown`. */
  type: string;
  /** Modulus length for RSA/DSA, curve size for EC, null when unknown. */
  bits: number | null;
  /** Named curve for EC keys (`prime256v1`, `secp384r1`, ...). */
  curve: string | null;
}

export interface SignatureAlgorithm {
  oid: string;
  /** Readable name, e.g. `ecdsa-with-SHA256`; the OID when unknown. */
  name: string;
  /** The hash it uses (`SHA-1`, `SHA-256`, `MD5`, ...), null when not known. */
  hash: string | null;
}

export interface ParsedCertificate {
  der: Buffer;
  /** Node's view, used for issuer checks and signature verification. */
  node: X509Certificate;
  /** Distinguished names in RFC 4514 order (most specific first), raw characters kept. */
  subject: string;
  issuer: string;
  subjectCn: string[];
  /** CN-IDs: the CN of each subject RDN that holds that one attribute only (RFC 6125 §1.8). */
  subjectCnIds: string[];
  issuerCn: string[];
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** Null when the certificate has no subjectAltName extension. */
  san: SanSet | null;
  /** Extended key usage OIDs; null when the extension is absent (any usage allowed). */
  eku: string[] | null;
  /** basicConstraints cA. */
  isCa: boolean;
  key: KeyInfo;
  signature: SignatureAlgorithm;
  /** Lowercase hex SHA-256 of the whole DER certificate. */
  sha256: string;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  spkiSha256: string;
  /** Subject and issuer names are the same (a root or a self-signed leaf). */
  selfIssued: boolean;
  /** Problems met while reading extensions (the certificate is still usable). */
  problems: string[];
}

export type ParseResult = { ok: true; cert: ParsedCertificate } | { ok: false; error: string };

const SIGNATURES: Record<string, [string, string | null]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'MD2'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'MD5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'SHA-1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'SHA-224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'SHA-256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'SHA-384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'SHA-512'],
  '1.2.840.113549.1.1.10': ['RSASSA-PSS', null],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'SHA-1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'SHA-224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'SHA-256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'SHA-384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'SHA-512'],
  '1.2.840.10040.4.3': ['dsa-with-SHA1', 'SHA-1'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-SHA256', 'SHA-256'],
  '1.3.101.112': ['Ed25519', null],
  '1.3.101.113': ['Ed448', null],
};

const ATTR_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

const CURVE_BITS: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp256k1: 256, secp224r1: 224 };

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Decodes one DER-encoded ASN.1 string (the value of an otherName). */
export function decodeDerString(der: Buffer): { type: string; value: string } | null {
  if (der.length < 2) return null;
  const tag = der[0]!;
  let len = der[1]!;
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || der.length < 2 + n) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
    off = 2 + n;
  }
  if (off + len > der.length) return null;
  const body = der.subarray(off, off + len);
  switch (tag) {
    case 0x0c: return { type: 'UTF8String', value: body.toString('utf8') };
    case 0x16: return { type: 'IA5String', value: body.toString('latin1') };
    case 0x13: return { type: 'PrintableString', value: body.toString('latin1') };
    case 0x14: return { type: 'TeletexString', value: body.toString('latin1') };
    case 0x1e: return { type: 'BMPString', value: Buffer.from(body).swap16().toString('utf16le') };
    case 0x1c: {
      if (body.length % 4) return null;
      let s = '';
      for (let i = 0; i < body.length; i += 4) {
        const cp = body.readUInt32BE(i);
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return { type: 'UniversalString', value: s };
    }
    default: return { type: `tag 0x${tag.toString(16)}`, value: `#${body.toString('hex')}` };
  }
}

function escapeDnValue(v: string): string {
  return v.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
}

/**
 * One attribute value as text, as we have always shown it: the string types
 * decoded, an empty string for NULL, and any other type as the lowercase hex
 * of its whole encoding.
 */
function attrValue(buf: Buffer, e: DerElement): string {
  const s = readDirectoryString(buf, e);
  if (s !== null) return s;
  if (e.tag === TAG.NULL) return '';
  return encodingOf(buf, e).toString('hex');
}

/** A Name as an RFC 4514 string, most specific RDN first; also its CN values, and those that are CN-IDs. */
function readName(buf: Buffer, name: DerElement): { dn: string; cn: string[]; cnIds: string[] } {
  expectTag(name, TAG.SEQUENCE, 'Name');
  const rdns: string[] = [];
  const cn: string[] = [];
  const cnIds: string[] = [];
  for (const rdn of childrenOf(buf, name)) {
    expectTag(rdn, TAG.SET, 'RelativeDistinguishedName');
    const parts: string[] = [];
    const atvs = childrenOf(buf, rdn);
    for (const atv of atvs) {
      const [type, value] = childrenOf(buf, expectTag(atv, TAG.SEQUENCE, 'AttributeTypeAndValue'));
      if (!value) throw new DerError('an AttributeTypeAndValue must hold a type and a value');
      const oid = readOid(buf, expectTag(type, TAG.OID, 'attribute type'));
      const v = attrValue(buf, value);
      if (oid === '2.5.4.3') {
        cn.push(v);
        if (atvs.length === 1) cnIds.push(v);
      }
      parts.push(`${ATTR_NAMES[oid] ?? oid}=${escapeDnValue(v)}`);
    }
    rdns.push(parts.join('+'));
  }
  return { dn: rdns.reverse().join(','), cn, cnIds };
}

function emptySan(): SanSet {
  return { dns: [], srv: [], uri: [], xmppAddr: [], ip: [], email: [], other: [], invalid: [] };
}

/** An iPAddress SAN as text: dotted IPv4, compressed IPv6, or address/prefix for the 8- and 32-octet forms. */
export function ipText(b: Buffer): string {
  const v6 = (x: Buffer): string => {
    const parts: string[] = [];
    for (let i = 0; i < 16; i += 2) parts.push(((x[i]! << 8) | x[i + 1]!).toString(16));
    // The longest run of two or more zero groups becomes "::".
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (parts[i] !== '0') {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && parts[j] === '0') j++;
      if (j - i > bestLen) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    return bestLen > 1 ? `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}` : parts.join(':');
  };
  const ones = (x: Buffer): number => [...x].reduce((n, byte) => n + (byte.toString(2).match(/1/g)?.length ?? 0), 0);
  if (b.length === 4) return [...b].join('.');
  if (b.length === 16) return v6(b);
  if (b.length === 8 || b.length === 32) {
    if (b.every((x) => x === 0)) return b.length === 8 ? '0.0.0.0/0' : '::/0';
    const half = b.length / 2;
    const addr = b.subarray(0, half);
    return `${half === 4 ? [...addr].join('.') : v6(addr)}/${ones(b.subarray(half))}`;
  }
  return b.toString('hex');
}

/** Reads a GeneralNames sequence (the subjectAltName), decoding the otherNames XMPP cares about. */
export function readSan(buf: Buffer, names: DerElement): SanSet {
  const san = emptySan();
  for (const g of childrenOf(buf, expectTag(names, TAG.SEQUENCE, 'GeneralNames'))) {
    const latin1 = (): string => contentOf(buf, g).toString('latin1');
    switch (g.tag) {
      case 0xa0: {
        // otherName: type-id OID, then [0] EXPLICIT value.
        const [typeEl, wrapped] = childrenOf(buf, g);
        if (!wrapped) throw new DerError('an otherName must hold a type and a value');
        const typeId = readOid(buf, expectTag(typeEl, TAG.OID, 'otherName type'));
        const [inner] = childrenOf(buf, expectTag(wrapped, 0xa0, 'otherName value'));
        if (!inner) throw new DerError('an otherName has an empty value');
        const decoded = decodeDerString(encodingOf(buf, inner));
        if (typeId === OID_XMPP_ADDR) {
          if (decoded?.type === 'UTF8String') san.xmppAddr.push(decoded.value);
          else san.invalid.push({ type: 'xmppAddr', value: decoded?.value ?? '', reason: `encoded as ${decoded?.type ?? 'undecodable data'}: not conforming, RFC 6120 §13.7.1.4 requires UTF8String. Some servers accept it (Prosody), others ignore it (ejabberd); xmpp-check does not count it` });
        } else if (typeId === OID_SRV_NAME) {
          if (decoded?.type === 'IA5String') san.srv.push(decoded.value);
          else san.invalid.push({ type: 'srv', value: decoded?.value ?? '', reason: `encoded as ${decoded?.type ?? 'undecodable data'}: not conforming, RFC 4985 §2 requires IA5String. Some implementations accept it (Prosody), others ignore it; xmpp-check does not count it` });
        } else {
          san.other.push({ type: typeId, value: decoded?.value ?? '' });
        }
        break;
      }
      case 0x81:
        san.email.push(latin1());
        break;
      case 0x82:
        san.dns.push(latin1());
        break;
      case 0xa4: {
        const [inner] = childrenOf(buf, g);
        if (!inner) throw new DerError('a directoryName is empty');
        san.other.push({ type: 'dirName', value: readName(buf, inner).dn });
        break;
      }
      case 0x86:
        san.uri.push(latin1());
        break;
      case 0x87:
        san.ip.push(ipText(contentOf(buf, g)));
        break;
      case 0x88:
        san.other.push({ type: 'registeredID', value: readOid(buf, g) });
        break;
      case 0x83: // x400Address
      case 0xa3:
      case 0x85: // ediPartyName
      case 0xa5:
        san.other.push({ type: 'other', value: '' });
        break;
      default:
        throw new DerError(`a GeneralName has an unknown tag 0x${g.tag.toString(16)}`);
    }
  }
  return san;
}

function readKey(node: X509Certificate): KeyInfo {
  try {
    const k = node.publicKey;
    const type = k.asymmetricKeyType ?? 'unknown';
    const d = k.asymmetricKeyDetails ?? {};
    const curve = d.namedCurve ?? null;
    let bits: number | null = d.modulusLength ?? null;
    if (curve) bits = CURVE_BITS[curve] ?? null;
    else if (type === 'ed25519') bits = 256;
    else if (type === 'ed448') bits = 456;
    return { type, bits, curve };
  } catch {
    return { type: 'unknown', bits: null, curve: null };
  }
}

/** Where the parts of a certificate lie in its DER. */
interface CertificateLayout {
  signatureAlgorithm: DerElement;
  serialNumber: DerElement;
  issuer: DerElement;
  validity: DerElement;
  subject: DerElement;
  spki: DerElement;
  extensions: DerElement | null;
}

/** Finds the fields of a Certificate (RFC 5280 §4.1) without reading them. */
function layoutOf(der: Buffer): CertificateLayout {
  const cert = expectTag(readElement(der, 0), TAG.SEQUENCE, 'Certificate');
  const [tbs, sigAlg, sigValue] = childrenOf(der, cert);
  expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate');
  expectTag(sigAlg, TAG.SEQUENCE, 'signatureAlgorithm');
  expectTag(sigValue, TAG.BIT_STRING, 'signatureValue');
  const fields = childrenOf(der, tbs!);
  let i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version
  const serialNumber = expectTag(fields[i++], TAG.INTEGER, 'serialNumber');
  expectTag(fields[i++], TAG.SEQUENCE, 'signature');
  const issuer = expectTag(fields[i++], TAG.SEQUENCE, 'issuer');
  const validity = expectTag(fields[i++], TAG.SEQUENCE, 'validity');
  const subject = expectTag(fields[i++], TAG.SEQUENCE, 'subject');
  const spki = expectTag(fields[i++], TAG.SEQUENCE, 'subjectPublicKeyInfo');
  let extensions: DerElement | null = null;
  for (const f of fields.slice(i)) {
    if (f.tag === 0xa3) {
      const [seq] = childrenOf(der, f);
      extensions = expectTag(seq, TAG.SEQUENCE, 'extensions');
    } else if (f.tag !== 0x81 && f.tag !== 0x82) {
      throw new DerError(`unexpected field with tag 0x${f.tag.toString(16)} in tbsCertificate`);
    }
  }
  return { signatureAlgorithm: sigAlg!, serialNumber, issuer, validity, subject, spki, extensions };
}

/** An attribute value as Unicode text for nameKey: every string type OpenSSL canonicalises, decoded properly. */
function keyText(buf: Buffer, e: DerElement): string {
  const b = contentOf(buf, e);
  switch (e.tag) {
    case TAG.UTF8_STRING:
      return utf8OrLatin1(b);
    case TAG.PRINTABLE_STRING:
    case TAG.TELETEX_STRING:
    case TAG.IA5_STRING:
    case 0x1a: // VisibleString
      return b.toString('latin1');
    case TAG.BMP_STRING:
      return Buffer.from(b).swap16().toString('utf16le');
    case TAG.UNIVERSAL_STRING: {
      let s = '';
      for (let i = 0; i + 4 <= b.length; i += 4) {
        const cp = b.readUInt32BE(i);
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return `#${encodingOf(buf, e).toString('hex')}`;
  }
}

/**
 * A key for comparing distinguished names loosely: attribute values as text,
 * trimmed, runs of white space made one space, lower case; the attributes of
 * each RDN sorted. Two names OpenSSL's X509_NAME_cmp calls equal get the same
 * key (it may also join a few names OpenSSL tells apart). Null when unreadable.
 */
export function nameKey(der: Buffer, name: DerElement): string | null {
  try {
    const rdns: string[] = [];
    for (const rdn of childrenOf(der, name)) {
      const avas: string[] = [];
      for (const atv of childrenOf(der, rdn)) {
        const [type, value] = childrenOf(der, atv);
        let v = keyText(der, value!).toLowerCase();
        if (!SIMPLE_TEXT.test(v)) v = v.replace(EDGE_SPACE, '').replace(INNER_SPACE, ' ');
        // The type by its encoding; \u0001 and \u0002 cannot make two different names equal in a way that matters (a looser key is safe).
        avas.push(`${contentOf(der, type!).toString('hex')}\u0001${v}`);
      }
      rdns.push(avas.length > 1 ? avas.sort().join('\u0002') : avas[0] ?? '');
    }
    return rdns.join('\u0003');
  } catch {
    return null;
  }
}
const SIMPLE_TEXT = /^(?:[^ \t\n\v\f\r]+(?: [^ \t\n\v\f\r]+)*)?$/;
const EDGE_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
const INNER_SPACE = /[ \t\n\v\f\r]+/g;

/** The loose name keys (see nameKey) of a certificate's subject and issuer (unless `subjectOnly`); null when unreadable. */
export function certificateNameKeys(der: Buffer, subjectOnly = false): { subject: string | null; issuer: string | null } | null {
  try {
    const l = layoutOf(der);
    return { subject: nameKey(der, l.subject), issuer: subjectOnly ? null : nameKey(der, l.issuer) };
  } catch {
    return null;
  }
}

/** Lowercase hex SHA-256 of a certificate's SubjectPublicKeyInfo, without reading the rest; null when unreadable. */
export function spkiSha256Of(der: Buffer): string | null {
  try {
    return sha256(encodingOf(der, layoutOf(der).spki));
  } catch {
    return null;
  }
}

const SAN_OID = '2.5.29.17';
const EKU_OID = '2.5.29.37';
const BASIC_CONSTRAINTS_OID = '2.5.29.19';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Buffer.isBuffer(o) && !(o instanceof X509Certificate) && !(o instanceof Date) && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as object)) deepFreeze(v);
  }
  return o;
}

const parsedBySha256 = new Map<string, ParseResult>();
/** Distinct certificates kept (a batch of many domains keeps the most recent). */
const MAX_PARSED = 2048;
let parses = 0;

/** How many certificates were actually read (not served from the cache) so far: a seam for tests. */
export function certificateParseCount(): number {
  return parses;
}

/** Parses one DER certificate; the same DER again gets the same (frozen) result. */
export function parseCertificate(input: Buffer | Uint8Array): ParseResult {
  const der = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (der.length === 0) return { ok: false, error: 'empty certificate data' };
  const key = sha256(der);
  const cached = parsedBySha256.get(key);
  if (cached) {
    // Most recently used last, so the oldest is dropped first.
    parsedBySha256.delete(key);
    parsedBySha256.set(key, cached);
    return cached;
  }
  const r = deepFreeze(readCertificate(Buffer.from(der), key));
  parsedBySha256.set(key, r);
  if (parsedBySha256.size > MAX_PARSED) parsedBySha256.delete(parsedBySha256.keys().next().value!);
  return r;
}

/** The actual reading, of a private copy of the DER. */
function readCertificate(der: Buffer, sha: string): ParseResult {
  parses++;
  let layout: CertificateLayout;
  let node: X509Certificate;
  try {
    layout = layoutOf(der);
  } catch (e) {
    return { ok: false, error: `not a DER X.509 certificate: ${(e as Error).message}` };
  }
  try {
    node = new X509Certificate(der);
  } catch (e) {
    return { ok: false, error: `certificate rejected by the X.509 parser: ${(e as Error).message}` };
  }
  try {
    const problems: string[] = [];
    let san: SanSet | null = null;
    let eku: string[] | null = null;
    let isCa = false;
    for (const ext of layout.extensions ? childrenOf(der, layout.extensions) : []) {
      // Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
      const parts = childrenOf(der, expectTag(ext, TAG.SEQUENCE, 'Extension'));
      const id = readOid(der, expectTag(parts[0], TAG.OID, 'extnID'));
      let at = 1;
      if (parts[at]?.tag === TAG.BOOLEAN) readBoolean(der, parts[at++]!);
      const value = expectTag(parts[at], TAG.OCTET_STRING, 'extnValue');
      if (id !== SAN_OID && id !== EKU_OID && id !== BASIC_CONSTRAINTS_OID) continue;
      try {
        const body = readElement(der, value.start, value.end);
        if (id === SAN_OID) san = readSan(der, body);
        else if (id === EKU_OID) eku = childrenOf(der, expectTag(body, TAG.SEQUENCE, 'ExtKeyUsageSyntax')).map((o) => readOid(der, expectTag(o, TAG.OID, 'KeyPurposeId')));
        else {
          const [first] = childrenOf(der, expectTag(body, TAG.SEQUENCE, 'BasicConstraints'));
          isCa = first?.tag === TAG.BOOLEAN ? readBoolean(der, first) : false;
        }
      } catch (e) {
        problems.push(`extension ${id} is malformed: ${(e as Error).message}`);
        if (id === SAN_OID) san = emptySan();
      }
    }
    const subject = readName(der, layout.subject);
    const issuer = readName(der, layout.issuer);
    const [notBefore, notAfter] = childrenOf(der, layout.validity);
    const sigOid = readOid(der, expectTag(childrenOf(der, layout.signatureAlgorithm)[0], TAG.OID, 'signature algorithm'));
    const [sigName, sigHash] = SIGNATURES[sigOid] ?? [sigOid, null];
    return {
      ok: true,
      cert: {
        der,
        node,
        subject: subject.dn,
        issuer: issuer.dn,
        subjectCn: subject.cn,
        subjectCnIds: subject.cnIds,
        issuerCn: issuer.cn,
        serialNumber: contentOf(der, layout.serialNumber).toString('hex'),
        notBefore: readTime(der, notBefore!),
        notAfter: readTime(der, notAfter!),
        san,
        eku,
        isCa,
        key: readKey(node),
        signature: { oid: sigOid, name: sigName, hash: sigHash },
        sha256: sha,
        spkiSha256: sha256(encodingOf(der, layout.spki)),
        selfIssued: encodingOf(der, layout.subject).equals(encodingOf(der, layout.issuer)),
        problems,
      },
    };
  } catch (e) {
    return { ok: false, error: `certificate could not be read: ${(e as Error).message}` };
  }
}

/** Splits PEM text into DER certificates; ignores other blocks. */
export function pemToDer(pem: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN (?:TRUSTED |X509 )?CERTIFICATE-----([\s\S]*?)-----END (?:TRUSTED |X509 )?CERTIFICATE-----/g;
  // Node's base64 decoder skips the line breaks and spaces itself.
  for (const m of pem.matchAll(re)) out.push(Buffer.from(m[1]!, 'base64'));
  return out;
}

/** DER as PEM text. */
export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
