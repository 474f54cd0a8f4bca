/**
 * Whether this platform's node:crypto has what the QUIC probe needs: x25519,
 * AES-128-GCM and AES-128-ECB (Initial protection), SHA-256 HMAC. A platform
 * without them gets a clear "not available here" instead of a crash.
 */
import { createCipheriv, createHmac, diffieHellman, generateKeyPairSync, getCiphers } from 'node:crypto';

export type QuicAvailability = { available: true } | { available: false; reason: string };

let cached: QuicAvailability | null = null;

export function quicAvailable(): QuicAvailability {
  if (cached) return cached;
  cached = check();
  return cached;
}

function check(): QuicAvailability {
  const ciphers = new Set(getCiphers());
  for (const c of ['aes-128-gcm', 'aes-128-ecb']) {
    if (!ciphers.has(c)) return { available: false, reason: `node:crypto lacks ${c}` };
  }
  try {
    const a = generateKeyPairSync('x25519');
    const b = generateKeyPairSync('x25519');
    const s = diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
    if (s.length !== 32) return { available: false, reason: 'x25519 gave a shared secret of the wrong size' };
  } catch (err) {
    return { available: false, reason: `node:crypto lacks x25519: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    createHmac('sha256', Buffer.alloc(32)).update('x').digest();
    const c = createCipheriv('aes-128-ecb', Buffer.alloc(16), null);
    c.setAutoPadding(false);
    c.update(Buffer.alloc(16));
  } catch (err) {
    return { available: false, reason: `node:crypto failed a self-test: ${err instanceof Error ? err.message : String(err)}` };
  }
  return { available: true };
}
