/**
 * Test oracle: the certificate reader as it was before our own DER reader,
 * built on @peculiar/asn1-x509 (now a development dependency only). The
 * differential test reads many certificates with both and wants the same facts.
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
import type { KeyInfo, ParseResult, SanSet } from '../../src/verify/x509.js';
import { decodeDerString, OID_SRV_NAME, OID_XMPP_ADDR } from '../../src/verify/x509.js';

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
function readSan(names: GeneralName[]): SanSet {
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
export function parseCertificateReference(input: Buffer | Uint8Array): ParseResult {
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
