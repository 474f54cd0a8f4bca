/**
 * Reads one DER certificate into the plain facts the other verify modules
 * need: names (subject CN, every subjectAltName by type, otherNames decoded
 * from the DER ourselves), validity, key, signature algorithm, EKU, CA flag and
 * fingerprints. Never throws: malformed input gives `{ ok: false, error }`.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  GeneralName,
  Name,
  SubjectAlternativeName,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_subjectAltName,
} from '@peculiar/asn1-x509';

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

const toBuffer = (ab: ArrayBuffer | ArrayBufferView): Buffer =>
  ArrayBuffer.isView(ab) ? Buffer.from(ab.buffer, ab.byteOffset, ab.byteLength) : Buffer.from(ab);

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

function attrValue(value: { toString(): string }): string {
  try {
    return value.toString();
  } catch {
    return '?';
  }
}

/** A Name as an RFC 4514 string, most specific RDN first; also its CN values, and those that are CN-IDs. */
function readName(name: Name): { dn: string; cn: string[]; cnIds: string[] } {
  const rdns: string[] = [];
  const cn: string[] = [];
  const cnIds: string[] = [];
  for (const rdn of name) {
    const parts: string[] = [];
    for (const atv of rdn) {
      const v = attrValue(atv.value);
      if (atv.type === '2.5.4.3') {
        cn.push(v);
        if (rdn.length === 1) cnIds.push(v);
      }
      parts.push(`${ATTR_NAMES[atv.type] ?? atv.type}=${escapeDnValue(v)}`);
    }
    rdns.push(parts.join('+'));
  }
  return { dn: rdns.reverse().join(','), cn, cnIds };
}

function emptySan(): SanSet {
  return { dns: [], srv: [], uri: [], xmppAddr: [], ip: [], email: [], other: [], invalid: [] };
}

/** Splits a parsed subjectAltName into its types, decoding the otherNames XMPP cares about. */
export function readSan(names: GeneralName[]): SanSet {
  const san = emptySan();
  for (const g of names) {
    if (g.dNSName !== undefined) san.dns.push(g.dNSName);
    else if (g.iPAddress !== undefined) san.ip.push(g.iPAddress);
    else if (g.uniformResourceIdentifier !== undefined) san.uri.push(g.uniformResourceIdentifier);
    else if (g.rfc822Name !== undefined) san.email.push(g.rfc822Name);
    else if (g.otherName) {
      const { typeId } = g.otherName;
      const decoded = decodeDerString(toBuffer(g.otherName.value));
      if (typeId === OID_XMPP_ADDR) {
        if (decoded?.type === 'UTF8String') san.xmppAddr.push(decoded.value);
        else san.invalid.push({ type: 'xmppAddr', value: decoded?.value ?? '', reason: `encoded as ${decoded?.type ?? 'undecodable data'}: not conforming, RFC 6120 §13.7.1.4 requires UTF8String. Some servers accept it (Prosody), others ignore it (ejabberd); xmpp-check does not count it` });
      } else if (typeId === OID_SRV_NAME) {
        if (decoded?.type === 'IA5String') san.srv.push(decoded.value);
        else san.invalid.push({ type: 'srv', value: decoded?.value ?? '', reason: `encoded as ${decoded?.type ?? 'undecodable data'}: not conforming, RFC 4985 §2 requires IA5String. Some implementations accept it (Prosody), others ignore it; xmpp-check does not count it` });
      } else {
        san.other.push({ type: typeId, value: decoded?.value ?? '' });
      }
    } else if (g.directoryName) san.other.push({ type: 'dirName', value: readName(g.directoryName).dn });
    else if (g.registeredID !== undefined) san.other.push({ type: 'registeredID', value: g.registeredID });
    else san.other.push({ type: 'other', value: '' });
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

/** Parses one DER certificate. */
export function parseCertificate(input: Buffer | Uint8Array): ParseResult {
  const der = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (der.length === 0) return { ok: false, error: 'empty certificate data' };
  let node: X509Certificate;
  let asn: Certificate;
  try {
    asn = AsnConvert.parse(der, Certificate);
  } catch (e) {
    return { ok: false, error: `not a DER X.509 certificate: ${(e as Error).message}` };
  }
  try {
    node = new X509Certificate(der);
  } catch (e) {
    return { ok: false, error: `certificate rejected by the X.509 parser: ${(e as Error).message}` };
  }
  try {
    const tbs = asn.tbsCertificate;
    const problems: string[] = [];
    let san: SanSet | null = null;
    let eku: string[] | null = null;
    let isCa = false;
    for (const ext of tbs.extensions ?? []) {
      try {
        if (ext.extnID === id_ce_subjectAltName) san = readSan([...AsnConvert.parse(ext.extnValue, SubjectAlternativeName)]);
        else if (ext.extnID === id_ce_extKeyUsage) eku = [...AsnConvert.parse(ext.extnValue, ExtendedKeyUsage)];
        else if (ext.extnID === id_ce_basicConstraints) isCa = AsnConvert.parse(ext.extnValue, BasicConstraints).cA;
      } catch (e) {
        problems.push(`extension ${ext.extnID} is malformed: ${(e as Error).message}`);
        if (ext.extnID === id_ce_subjectAltName) san = emptySan();
      }
    }
    const subject = readName(tbs.subject);
    const issuer = readName(tbs.issuer);
    const sigOid = asn.signatureAlgorithm.algorithm;
    const [sigName, sigHash] = SIGNATURES[sigOid] ?? [sigOid, null];
    const spki = toBuffer(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
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
        serialNumber: toBuffer(tbs.serialNumber).toString('hex'),
        notBefore: tbs.validity.notBefore.getTime(),
        notAfter: tbs.validity.notAfter.getTime(),
        san,
        eku,
        isCa,
        key: readKey(node),
        signature: { oid: sigOid, name: sigName, hash: sigHash },
        sha256: sha256(der),
        spkiSha256: sha256(spki),
        selfIssued: toBuffer(AsnConvert.serialize(tbs.subject)).equals(toBuffer(AsnConvert.serialize(tbs.issuer))),
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
  for (const m of pem.matchAll(re)) out.push(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
  return out;
}

/** DER as PEM text. */
export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
