/**
 * DNSSEC signature algorithms on node:crypto: DNSKEY public key formats
 * (RFC 3110 RSA, RFC 6605 ECDSA, RFC 8080 EdDSA) to KeyObjects, and
 * signature verification. Algorithms 8, 10, 13, 14, 15 and 16 are supported;
 * anything else is "unsupported", which RFC 4035 §5.2 treats as insecure.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export const SUPPORTED_ALGORITHMS: ReadonlySet<number> = new Set([8, 10, 13, 14, 15, 16]);
/** DS digest types we can compute: SHA-1, SHA-256, SHA-384 (RFC 8624 §3.3). */
export const SUPPORTED_DIGESTS: ReadonlySet<number> = new Set([1, 2, 4]);

export const ALGORITHM_NAMES: Record<number, string> = {
  1: 'RSAMD5', 3: 'DSA', 5: 'RSASHA1', 6: 'DSA-NSEC3-SHA1', 7: 'RSASHA1-NSEC3-SHA1', 8: 'RSASHA256', 10: 'RSASHA512',
  12: 'ECC-GOST', 13: 'ECDSAP256SHA256', 14: 'ECDSAP384SHA384', 15: 'ED25519', 16: 'ED448',
};
export const algorithmName = (a: number): string => `${ALGORITHM_NAMES[a] ?? 'unknown'}(${a})`;

const b64u = (b: Buffer): string => b.toString('base64url');
const stripZeros = (b: Buffer): Buffer => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
};

const keyObjects = new Map<string, KeyObject | null>();
const MAX_KEY_OBJECTS = 1024;

/**
 * The public key of a DNSKEY as a KeyObject, or null when the key data is
 * malformed or the algorithm unsupported. Made once per (algorithm, key) in a
 * process: a zone's keys sign many RRsets, and a batch meets the same zones.
 */
export function dnskeyToKeyObject(algorithm: number, key: Buffer): KeyObject | null {
  const id = `${algorithm}:${key.toString('base64')}`;
  const hit = keyObjects.get(id);
  if (hit !== undefined) return hit;
  const made = makeKeyObject(algorithm, key);
  if (keyObjects.size >= MAX_KEY_OBJECTS) keyObjects.delete(keyObjects.keys().next().value!);
  keyObjects.set(id, made);
  return made;
}

function makeKeyObject(algorithm: number, key: Buffer): KeyObject | null {
  try {
    switch (algorithm) {
      case 8:
      case 10: {
        if (key.length < 3) return null;
        let elen = key[0]!;
        let off = 1;
        if (elen === 0) {
          elen = key.readUInt16BE(1);
          off = 3;
        }
        if (elen === 0 || off + elen >= key.length) return null;
        const e = key.subarray(off, off + elen);
        const n = key.subarray(off + elen);
        if (n.length < 64 || n.length > 512) return null; // 512..4096 bits
        return createPublicKey({ key: { kty: 'RSA', n: b64u(stripZeros(n)), e: b64u(stripZeros(e)) }, format: 'jwk' });
      }
      case 13:
      case 14: {
        const len = algorithm === 13 ? 32 : 48;
        if (key.length !== 2 * len) return null;
        return createPublicKey({
          key: { kty: 'EC', crv: algorithm === 13 ? 'P-256' : 'P-384', x: b64u(key.subarray(0, len)), y: b64u(key.subarray(len)) },
          format: 'jwk',
        });
      }
      case 15:
      case 16: {
        if (key.length !== (algorithm === 15 ? 32 : 57)) return null;
        return createPublicKey({ key: { kty: 'OKP', crv: algorithm === 15 ? 'Ed25519' : 'Ed448', x: b64u(key) }, format: 'jwk' });
      }
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** Verifies one DNSSEC signature; false on any mismatch or malformed input, never throws. */
export function verifySignature(algorithm: number, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    switch (algorithm) {
      case 8:
        return verify('sha256', data, key, signature);
      case 10:
        return verify('sha512', data, key, signature);
      case 13:
        return signature.length === 64 && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 14:
        return signature.length === 96 && verify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 15:
      case 16:
        return verify(null, data, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
