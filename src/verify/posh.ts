/**
 * POSH matching (RFC 7711 §4.3): the fingerprint of a whole DER certificate, whether
 * a presented leaf is listed in the domain's POSH file, and the document to publish.
 */
import { createHash } from 'node:crypto';
import { POSH_HASHES, type PoshHash, type PoshResult } from '../posh/posh.js';

/** base64 of the hash of the whole DER certificate, as POSH files list it. */
export function poshFingerprint(der: Buffer, hash: PoshHash = 'sha-256'): string {
  return createHash(POSH_HASHES[hash]).update(der).digest('base64');
}

/** Whether the presented end-entity certificate is among the POSH fingerprints. */
export function poshMatch(posh: PoshResult, leafDer: Buffer): { matched: boolean; hash: PoshHash | null } {
  const norm = (s: string): string => s.replace(/=+$/, '');
  for (const fp of posh.fingerprints) {
    if (norm(poshFingerprint(leafDer, fp.hash)) === norm(fp.value)) return { matched: true, hash: fp.hash };
  }
  return { matched: false, hash: null };
}

/** The POSH document to publish for a certificate. */
export function poshDocumentFor(leafDer: Buffer, expires = 86400): string {
  return JSON.stringify({ fingerprints: [{ 'sha-256': poshFingerprint(leafDer, 'sha-256'), 'sha-512': poshFingerprint(leafDer, 'sha-512') }], expires });
}
