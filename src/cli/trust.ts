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

/** Reads every --ca-file and --trust-anchor, in order; the first file that fails is the one error. */
export function loadTrust(opts: { caFiles: readonly string[]; trustAnchors: readonly string[] }): Trust | { error: string } {
  // The same root in two files (or twice in one) is one root; a Set, as a CA bundle holds thousands.
  const roots = new Set<string>();
  for (const file of opts.caFiles) {
    const data = read('--ca-file', file, MAX_CA_FILE, CA_HINT);
    if (!Buffer.isBuffer(data)) return data;
    const ca = parseCaData(data, `CA file ${file}`);
    if (!ca.ok) return { error: `--ca-file: ${ca.error}. ${CA_HINT}` };
    for (const r of ca.roots) roots.add(derToPem(r.der));
  }
  const extraRoots = [...roots];
  const out: Trust = { extraRoots, trustStore: buildTrustStore(extraRoots) };
  const anchors: TrustAnchor[] = [];
  const sources: string[] = [];
  for (const file of opts.trustAnchors) {
    const data = read('--trust-anchor', file, MAX_ANCHOR_FILE, ANCHOR_HINT);
    if (!Buffer.isBuffer(data)) return data;
    const parsed = parseTrustAnchors(data.toString('utf8'));
    if (!parsed.anchors.length) {
      const why = parsed.errors[0] ? `line ${parsed.errors[0].line}: ${parsed.errors[0].message}` : 'no DS or DNSKEY records';
      return { error: `--trust-anchor: ${file} holds no usable trust anchor (${why})` };
    }
    anchors.push(...parsed.anchors);
    sources.push(`${file} (${parsed.anchors.map((a) => a.zone).join(', ')})`);
  }
  if (anchors.length) {
    out.trustAnchors = anchors;
    out.trustAnchorSource = sources.join('; ');
  }
  return out;
}
