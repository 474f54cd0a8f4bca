/**
 * Loads what the user asked us to trust: extra CA roots (--ca-file, for XMPP
 * and HTTPS) and DNSSEC trust anchors (--trust-anchor). A file that cannot be
 * read or holds nothing usable is a usage error with one clear line; only
 * regular files are read, up to a size cap (see files.ts).
 */
import { parseTrustAnchors, type TrustAnchor } from '../dnssec/anchors.js';
import { buildTrustStore, parseCaData, type TrustStore } from '../verify/pkix.js';
import { derToPem } from '../verify/x509.js';
import { FileRefused, readRegularFile } from './files.js';

/** Largest --ca-file read (a full public CA bundle is well under 1 MB). */
export const MAX_CA_FILE = 10 * 1024 * 1024;
/** Largest --trust-anchor file read. */
export const MAX_ANCHOR_FILE = 1024 * 1024;

const CA_HINT = 'Give a PEM file of the CA certificates to trust (-----BEGIN CERTIFICATE----- blocks).';
const ANCHOR_HINT = 'Give a file of DS or DNSKEY records (as dnssec-dsfromkey prints them).';

function read(option: string, path: string, max: number, hint: string): Buffer | { error: string } {
  try {
    return readRegularFile(option, path, max, hint);
  } catch (err) {
    return { error: err instanceof FileRefused ? err.message : `${option}: cannot read ${path}: ${(err as Error).message}` };
  }
}

export interface Trust {
  extraRoots: string[];
  trustStore: TrustStore;
  trustAnchors?: TrustAnchor[];
  trustAnchorSource?: string;
}

export function loadTrust(opts: { caFile?: string; trustAnchor?: string }): Trust | { error: string } {
  let extraRoots: string[] = [];
  if (opts.caFile !== undefined) {
    const data = read('--ca-file', opts.caFile, MAX_CA_FILE, CA_HINT);
    if (!Buffer.isBuffer(data)) return data;
    const ca = parseCaData(data, `CA file ${opts.caFile}`);
    if (!ca.ok) return { error: `--ca-file: ${ca.error}. ${CA_HINT}` };
    extraRoots = ca.roots.map((r) => derToPem(r.der));
  }
  const out: Trust = { extraRoots, trustStore: buildTrustStore(extraRoots) };
  if (opts.trustAnchor !== undefined) {
    const data = read('--trust-anchor', opts.trustAnchor, MAX_ANCHOR_FILE, ANCHOR_HINT);
    if (!Buffer.isBuffer(data)) return data;
    const text = data.toString('utf8');
    const parsed = parseTrustAnchors(text);
    if (!parsed.anchors.length) {
      const why = parsed.errors[0] ? `line ${parsed.errors[0].line}: ${parsed.errors[0].message}` : 'no DS or DNSKEY records';
      return { error: `--trust-anchor: ${opts.trustAnchor} holds no usable trust anchor (${why})` };
    }
    out.trustAnchors = parsed.anchors;
    out.trustAnchorSource = `${opts.trustAnchor} (${parsed.anchors.map((a) => a.zone).join(', ')})`;
  }
  return out;
}
