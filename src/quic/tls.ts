/**
 * The TLS 1.3 messages of the client side of a QUIC handshake (RFC 8446,
 * RFC 9001 §8): a ClientHello with SNI, ALPN, x25519 key share and QUIC
 * transport parameters, and parsers for ServerHello, EncryptedExtensions,
 * Certificate, CertificateVerify and Finished. Parsers are bounds-checked and
 * throw WireError on malformed input.
 */
import { X509Certificate, constants, verify as verifySignature } from 'node:crypto';
import { Reader, WireError, u16, u8, varint, vec16, vec24, vec8 } from './bytes.js';

export const HS = {
  clientHello: 1,
  serverHello: 2,
  newSessionTicket: 4,
  encryptedExtensions: 8,
  certificate: 11,
  certificateRequest: 13,
  certificateVerify: 15,
  finished: 20,
} as const;

export const EXT = {
  serverName: 0,
  supportedGroups: 10,
  signatureAlgorithms: 13,
  alpn: 16,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  quicTransportParameters: 0x39,
  /** draft-ietf-tls-esni encrypted_client_hello. */
  ech: 0xfe0d,
} as const;

export const GROUP_X25519 = 0x001d;
export const TLS13 = 0x0304;
export const CIPHER_SUITES = [0x1301, 0x1302, 0x1303];
export const SIGNATURE_SCHEMES = [0x0403, 0x0804, 0x0503, 0x0805, 0x0603, 0x0806, 0x0807, 0x0401, 0x0501, 0x0601];

/** ServerHello.random of a HelloRetryRequest (RFC 8446 §4.1.3). */
export const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

export function handshakeMessage(type: number, body: Buffer): Buffer {
  return Buffer.concat([u8(type), vec24(body)]);
}

export function extension(type: number, data: Buffer): Buffer {
  return Buffer.concat([u16(type), vec16(data)]);
}

/** Parses a TLS extensions block into a map (last one wins; duplicates are rejected). */
export function parseExtensions(block: Buffer): Map<number, Buffer> {
  const r = new Reader(block);
  const out = new Map<number, Buffer>();
  while (!r.done) {
    const type = r.u16();
    const data = r.vec16();
    if (out.has(type)) throw new WireError(`extension ${type} sent twice`);
    out.set(type, data);
  }
  return out;
}

export function alpnExtensionData(protocols: string[]): Buffer {
  return vec16(Buffer.concat(protocols.map((p) => vec8(Buffer.from(p, 'ascii')))));
}

/** Reads an ALPN extension's protocol list. */
export function parseAlpn(data: Buffer): string[] {
  const r = new Reader(vec16Body(data));
  const out: string[] = [];
  while (!r.done) {
    const p = r.vec8();
    if (p.length === 0) throw new WireError('empty ALPN protocol name');
    out.push(p.toString('latin1'));
  }
  return out;
}

function vec16Body(data: Buffer): Buffer {
  const r = new Reader(data);
  const body = r.vec16();
  if (!r.done) throw new WireError('trailing bytes after a vector');
  return body;
}

/** QUIC transport parameter ids (RFC 9000 §18.2). */
export const TP = {
  originalDestinationConnectionId: 0x00,
  maxIdleTimeout: 0x01,
  statelessResetToken: 0x02,
  maxUdpPayloadSize: 0x03,
  initialMaxData: 0x04,
  initialMaxStreamDataBidiLocal: 0x05,
  initialMaxStreamDataBidiRemote: 0x06,
  initialMaxStreamDataUni: 0x07,
  initialMaxStreamsBidi: 0x08,
  initialMaxStreamsUni: 0x09,
  disableActiveMigration: 0x0c,
  preferredAddress: 0x0d,
  activeConnectionIdLimit: 0x0e,
  initialSourceConnectionId: 0x0f,
  retrySourceConnectionId: 0x10,
} as const;

export type TransportParams = Map<number, Buffer>;

export function encodeTransportParams(params: [number, number | Buffer][]): Buffer {
  return Buffer.concat(
    params.map(([id, v]) => {
      const value = typeof v === 'number' ? varint(v) : v;
      return Buffer.concat([varint(id), varint(value.length), value]);
    }),
  );
}

export function parseTransportParams(data: Buffer): TransportParams {
  const r = new Reader(data);
  const out: TransportParams = new Map();
  while (!r.done) {
    const id = r.varint();
    const value = r.bytes(r.varint(), 'transport parameter');
    if (out.has(id)) throw new WireError(`transport parameter 0x${id.toString(16)} sent twice`);
    out.set(id, value);
  }
  return out;
}

/** What the report shows of the server's transport parameters (RFC 9000 §18.2). */
export interface ServerTransportSummary {
  /** The ids the server sent, in order. */
  ids: number[];
  /** disable_active_migration: the server does not let clients move the connection to a new address. */
  disableActiveMigration: boolean;
  /** preferred_address: the server offers an address to migrate to after the handshake. */
  preferredAddress: boolean;
  /** max_idle_timeout in ms (0 or absent: none). */
  maxIdleTimeoutMs: number | null;
  activeConnectionIdLimit: number | null;
}

/** A varint parameter's value; null when absent or not a single varint. */
function varintParam(tp: TransportParams, id: number): number | null {
  const v = tp.get(id);
  if (!v || !v.length) return null;
  try {
    const r = new Reader(v);
    const n = r.varint();
    return r.done ? n : null;
  } catch {
    return null;
  }
}

export function summarizeTransportParams(tp: TransportParams): ServerTransportSummary {
  return {
    ids: [...tp.keys()],
    disableActiveMigration: tp.has(TP.disableActiveMigration),
    preferredAddress: tp.has(TP.preferredAddress),
    maxIdleTimeoutMs: varintParam(tp, TP.maxIdleTimeout),
    activeConnectionIdLimit: varintParam(tp, TP.activeConnectionIdLimit),
  };
}

/**
 * A GREASE encrypted_client_hello extension (draft-ietf-tls-esni §6.2): an
 * outer ECHClientHello with random config id, key and payload. A server that
 * has ECH configured cannot decrypt it, so it answers with its retry_configs
 * in EncryptedExtensions (§7.1): that is how the probe learns whether ECH is
 * offered, without an ECHConfig from DNS. Servers without ECH ignore it.
 */
export function greaseEch(random: (n: number) => Buffer): Buffer {
  return Buffer.concat([
    u8(0), // outer
    u16(0x0001), // HKDF-SHA256
    u16(0x0001), // AES-128-GCM
    random(1), // config_id
    vec16(random(32)), // enc: an X25519 public key's length
    vec16(random(144)), // payload
  ]);
}

/** The client's transport parameters: modest limits, its Source Connection ID. */
export function clientTransportParams(scid: Buffer): Buffer {
  return encodeTransportParams([
    [TP.maxIdleTimeout, 10_000],
    [TP.maxUdpPayloadSize, 1452],
    [TP.initialMaxData, 1_048_576],
    [TP.initialMaxStreamDataBidiLocal, 262_144],
    [TP.initialMaxStreamDataBidiRemote, 262_144],
    [TP.initialMaxStreamDataUni, 262_144],
    [TP.initialMaxStreamsBidi, 16],
    [TP.initialMaxStreamsUni, 16],
    [TP.activeConnectionIdLimit, 2],
    [TP.initialSourceConnectionId, scid],
  ]);
}

export interface ClientHelloOptions {
  random: Buffer;
  sni: string;
  alpn: string[];
  /** The x25519 public key, 32 bytes. */
  keyShare: Buffer;
  transportParams: Buffer;
  cipherSuites?: number[];
  /** An encrypted_client_hello extension body (GREASE), to learn whether the server offers ECH. */
  ech?: Buffer;
}

/** A ClientHello handshake message (header included), ready for a CRYPTO frame. */
export function buildClientHello(o: ClientHelloOptions): Buffer {
  const sni = Buffer.from(o.sni, 'ascii');
  const exts = [
    extension(EXT.serverName, vec16(Buffer.concat([u8(0), vec16(sni)]))),
    extension(EXT.supportedGroups, vec16(u16(GROUP_X25519))),
    extension(EXT.signatureAlgorithms, vec16(Buffer.concat(SIGNATURE_SCHEMES.map(u16)))),
    extension(EXT.alpn, alpnExtensionData(o.alpn)),
    extension(EXT.supportedVersions, vec8(u16(TLS13))),
    extension(EXT.pskKeyExchangeModes, vec8(u8(1))),
    extension(EXT.keyShare, vec16(Buffer.concat([u16(GROUP_X25519), vec16(o.keyShare)]))),
    extension(EXT.quicTransportParameters, o.transportParams),
    ...(o.ech ? [extension(EXT.ech, o.ech)] : []),
  ];
  const body = Buffer.concat([
    u16(0x0303),
    o.random,
    vec8(Buffer.alloc(0)),
    vec16(Buffer.concat((o.cipherSuites ?? CIPHER_SUITES).map(u16))),
    vec8(u8(0)),
    vec16(Buffer.concat(exts)),
  ]);
  return handshakeMessage(HS.clientHello, body);
}

export interface ServerHello {
  helloRetryRequest: boolean;
  cipherSuite: number;
  /** supported_versions as selected; null when absent (the server did not pick TLS 1.3). */
  version: number | null;
  keyShare: { group: number; key: Buffer | null } | null;
  legacyVersion: number;
}

export function parseServerHello(body: Buffer): ServerHello {
  const r = new Reader(body);
  const legacyVersion = r.u16();
  const random = r.bytes(32, 'random');
  r.vec8();
  const cipherSuite = r.u16();
  if (r.u8() !== 0) throw new WireError('ServerHello with a compression method');
  const exts = r.done ? new Map<number, Buffer>() : parseExtensions(r.vec16());
  const hrr = random.equals(HRR_RANDOM);
  const sv = exts.get(EXT.supportedVersions);
  const version = sv ? new Reader(sv).u16() : null;
  let keyShare: ServerHello['keyShare'] = null;
  const ks = exts.get(EXT.keyShare);
  if (ks) {
    const kr = new Reader(ks);
    const group = kr.u16();
    keyShare = { group, key: hrr ? null : kr.vec16() };
  }
  return { helloRetryRequest: hrr, cipherSuite, version, keyShare, legacyVersion };
}

export interface EncryptedExtensions {
  /** The ALPN protocol the server chose; null when it sent none. */
  alpn: string | null;
  /** The server sent encrypted_client_hello (retry configs). */
  ech: boolean;
  transportParams: TransportParams | null;
  types: number[];
}

export function parseEncryptedExtensions(body: Buffer): EncryptedExtensions {
  const r = new Reader(body);
  const exts = parseExtensions(r.vec16());
  const a = exts.get(EXT.alpn);
  let alpn: string | null = null;
  if (a) {
    const list = parseAlpn(a);
    if (list.length !== 1) throw new WireError(`server ALPN extension lists ${list.length} protocols`);
    alpn = list[0]!;
  }
  const tp = exts.get(EXT.quicTransportParameters);
  return { alpn, ech: exts.has(EXT.ech), transportParams: tp ? parseTransportParams(tp) : null, types: [...exts.keys()] };
}

/** Most certificates taken from one Certificate message. */
export const MAX_CHAIN = 16;

/** The certificate chain (DER, leaf first) of a Certificate message. */
export function parseCertificateMessage(body: Buffer): Buffer[] {
  const r = new Reader(body);
  r.vec8();
  const list = new Reader(r.vec24());
  const chain: Buffer[] = [];
  while (!list.done) {
    const der = list.vec24();
    list.vec16();
    if (der.length === 0) throw new WireError('empty certificate entry');
    if (chain.length >= MAX_CHAIN) throw new WireError(`more than ${MAX_CHAIN} certificates`);
    chain.push(Buffer.from(der));
  }
  return chain;
}

export function parseCertificateVerify(body: Buffer): { scheme: number; signature: Buffer } {
  const r = new Reader(body);
  return { scheme: r.u16(), signature: r.vec16() };
}

/** The content a server's CertificateVerify signs (RFC 8446 §4.4.3). */
export function certificateVerifyContent(transcriptHash: Buffer): Buffer {
  return Buffer.concat([Buffer.alloc(64, 0x20), Buffer.from('TLS 1.3, server CertificateVerify', 'ascii'), Buffer.from([0]), transcriptHash]);
}

const SCHEME_HASH: Record<number, { hash: string | null; pss: boolean; saltLength?: number }> = {
  0x0403: { hash: 'sha256', pss: false },
  0x0503: { hash: 'sha384', pss: false },
  0x0603: { hash: 'sha512', pss: false },
  0x0804: { hash: 'sha256', pss: true, saltLength: 32 },
  0x0805: { hash: 'sha384', pss: true, saltLength: 48 },
  0x0806: { hash: 'sha512', pss: true, saltLength: 64 },
  0x0809: { hash: 'sha256', pss: true, saltLength: 32 },
  0x080a: { hash: 'sha384', pss: true, saltLength: 48 },
  0x080b: { hash: 'sha512', pss: true, saltLength: 64 },
  0x0807: { hash: null, pss: false },
  0x0808: { hash: null, pss: false },
};

/** Checks a CertificateVerify signature with the leaf's public key; a string says why it could not be checked. */
export function checkCertificateVerify(leafDer: Buffer, scheme: number, signature: Buffer, transcriptHash: Buffer): boolean | string {
  const s = SCHEME_HASH[scheme];
  if (!s) return `signature scheme 0x${scheme.toString(16)} is not one TLS 1.3 allows here`;
  let key;
  try {
    key = new X509Certificate(leafDer).publicKey;
  } catch (err) {
    return `leaf public key unreadable: ${err instanceof Error ? err.message : String(err)}`;
  }
  const content = certificateVerifyContent(transcriptHash);
  try {
    if (s.pss) return verifySignature(s.hash, content, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.saltLength! }, signature);
    return verifySignature(s.hash, content, { key, dsaEncoding: 'der' }, signature);
  } catch {
    return false;
  }
}
