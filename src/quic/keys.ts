/**
 * Key derivation for the QUIC handshake: HKDF and HKDF-Expand-Label (RFC 8446
 * §7.1), the QUIC v1 Initial secrets (RFC 9001 §5.2), packet protection keys
 * (`quic key`, `quic iv`, `quic hp`, RFC 9001 §5.1) and the TLS 1.3 key
 * schedule up to the handshake traffic secrets and the Finished MAC.
 */
import { createHash, createHmac } from 'node:crypto';

export type HashName = 'sha256' | 'sha384';

/** A TLS 1.3 cipher suite as QUIC packet protection uses it. */
export interface CipherSuite {
  id: number;
  name: 'TLS_AES_128_GCM_SHA256' | 'TLS_AES_256_GCM_SHA384' | 'TLS_CHACHA20_POLY1305_SHA256';
  hash: HashName;
  hashLen: number;
  keyLen: number;
  /** node:crypto AEAD name. */
  aead: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
  /** node:crypto cipher used for header protection. */
  hp: 'aes-128-ecb' | 'aes-256-ecb' | 'chacha20';
}

export const SUITES: ReadonlyMap<number, CipherSuite> = new Map<number, CipherSuite>([
  [0x1301, { id: 0x1301, name: 'TLS_AES_128_GCM_SHA256', hash: 'sha256', hashLen: 32, keyLen: 16, aead: 'aes-128-gcm', hp: 'aes-128-ecb' }],
  [0x1302, { id: 0x1302, name: 'TLS_AES_256_GCM_SHA384', hash: 'sha384', hashLen: 48, keyLen: 32, aead: 'aes-256-gcm', hp: 'aes-256-ecb' }],
  [0x1303, { id: 0x1303, name: 'TLS_CHACHA20_POLY1305_SHA256', hash: 'sha256', hashLen: 32, keyLen: 32, aead: 'chacha20-poly1305', hp: 'chacha20' }],
]);

/** Initial packets always use TLS_AES_128_GCM_SHA256 (RFC 9001 §5.2). */
export const INITIAL_SUITE: CipherSuite = SUITES.get(0x1301)!;

/** The QUIC v1 Initial salt (RFC 9001 §5.2). */
export const QUIC_V1_SALT = Buffer.from('38762cf7f55934b34d179ae6a4c80cadccbb7f0a', 'hex');

export function hkdfExtract(hash: HashName, salt: Buffer, ikm: Buffer): Buffer {
  return createHmac(hash, salt).update(ikm).digest();
}

export function hkdfExpand(hash: HashName, prk: Buffer, info: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let prev = Buffer.alloc(0);
  let total = 0;
  for (let i = 1; total < length; i++) {
    prev = createHmac(hash, prk).update(Buffer.concat([prev, info, Buffer.from([i])])).digest();
    out.push(prev);
    total += prev.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** HKDF-Expand-Label(secret, label, context, length) with the `tls13 ` prefix. */
export function hkdfExpandLabel(hash: HashName, secret: Buffer, label: string, context: Buffer, length: number): Buffer {
  const full = Buffer.from(`tls13 ${label}`, 'ascii');
  const info = Buffer.concat([Buffer.from([length >> 8, length & 0xff, full.length]), full, Buffer.from([context.length]), context]);
  return hkdfExpand(hash, secret, info, length);
}

export function hash(name: HashName, data: Buffer): Buffer {
  return createHash(name).update(data).digest();
}

/** Packet protection material derived from one traffic secret. */
export interface PacketKeys {
  suite: CipherSuite;
  key: Buffer;
  iv: Buffer;
  hp: Buffer;
}

export function packetKeys(secret: Buffer, suite: CipherSuite): PacketKeys {
  return {
    suite,
    key: hkdfExpandLabel(suite.hash, secret, 'quic key', Buffer.alloc(0), suite.keyLen),
    iv: hkdfExpandLabel(suite.hash, secret, 'quic iv', Buffer.alloc(0), 12),
    hp: hkdfExpandLabel(suite.hash, secret, 'quic hp', Buffer.alloc(0), suite.keyLen),
  };
}

export interface InitialSecrets {
  initial: Buffer;
  client: Buffer;
  server: Buffer;
}

/** The Initial secrets for the client's first Destination Connection ID. */
export function initialSecrets(dcid: Buffer): InitialSecrets {
  const initial = hkdfExtract('sha256', QUIC_V1_SALT, dcid);
  return {
    initial,
    client: hkdfExpandLabel('sha256', initial, 'client in', Buffer.alloc(0), 32),
    server: hkdfExpandLabel('sha256', initial, 'server in', Buffer.alloc(0), 32),
  };
}

/** Client and server Initial packet keys for a Destination Connection ID. */
export function initialKeys(dcid: Buffer): { client: PacketKeys; server: PacketKeys } {
  const s = initialSecrets(dcid);
  return { client: packetKeys(s.client, INITIAL_SUITE), server: packetKeys(s.server, INITIAL_SUITE) };
}

/** Derive-Secret(secret, label, messages) = HKDF-Expand-Label(secret, label, Hash(messages), Hash.length). */
export function deriveSecret(suite: CipherSuite, secret: Buffer, label: string, transcript: Buffer): Buffer {
  return hkdfExpandLabel(suite.hash, secret, label, hash(suite.hash, transcript), suite.hashLen);
}

export interface HandshakeSecrets {
  client: Buffer;
  server: Buffer;
}

/**
 * The handshake traffic secrets (RFC 8446 §7.1) from the ECDHE shared secret
 * and the transcript ClientHello..ServerHello (no PSK: early secret from zeros).
 */
export function handshakeSecrets(suite: CipherSuite, shared: Buffer, helloTranscript: Buffer): HandshakeSecrets {
  const zeros = Buffer.alloc(suite.hashLen);
  const early = hkdfExtract(suite.hash, zeros, zeros);
  const derived = deriveSecret(suite, early, 'derived', Buffer.alloc(0));
  const hs = hkdfExtract(suite.hash, derived, shared);
  return {
    client: deriveSecret(suite, hs, 'c hs traffic', helloTranscript),
    server: deriveSecret(suite, hs, 's hs traffic', helloTranscript),
  };
}

/** verify_data of a Finished message (RFC 8446 §4.4.4) over the transcript so far. */
export function finishedMac(suite: CipherSuite, trafficSecret: Buffer, transcript: Buffer): Buffer {
  const key = hkdfExpandLabel(suite.hash, trafficSecret, 'finished', Buffer.alloc(0), suite.hashLen);
  return createHmac(suite.hash, key).update(hash(suite.hash, transcript)).digest();
}
