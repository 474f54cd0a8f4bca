/**
 * Loads what the user asked us to trust: extra CA roots (--ca-file, for XMPP
 * and HTTPS) and DNSSEC trust anchors (--trust-anchor). A file that cannot be
 * read or holds nothing usable is a usage error with one clear line.
 */
import { readFileSync } from 'node:fs';
import { parseTrustAnchors, type TrustAnchor } from '../dnssec/anchors.js';
import { buildTrustStore, loadCaFile, type TrustStore } from '../verify/pkix.js';
import { derToPem } from '../verify/x509.js';

export interface Trust {
  extraRoots: string[];
  trustStore: TrustStore;
  trustAnchors?: TrustAnchor[];
  trustAnchorSource?: string;
}

export function loadTrust(opts: { caFile?: string; trustAnchor?: string }): Trust | { error: string } {
  let extraRoots: string[] = [];
  if (opts.caFile !== undefined) {
    const ca = loadCaFile(opts.caFile);
    if (!ca.ok) return { error: `--ca-file: ${ca.error}. Give a PEM file of the CA certificates to trust (-----BEGIN CERTIFICATE----- blocks).` };
    extraRoots = ca.roots.map((r) => derToPem(r.der));
  }
  const out: Trust = { extraRoots, trustStore: buildTrustStore(extraRoots) };
  if (opts.trustAnchor !== undefined) {
    let text: string;
    try {
      text = readFileSync(opts.trustAnchor, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const words: Record<string, string> = { ENOENT: 'there is no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
      return { error: `--trust-anchor: cannot read ${opts.trustAnchor}: ${(code && words[code]) ?? code ?? (err as Error).message}. Give a file of DS or DNSKEY records (as dnssec-dsfromkey prints them).` };
    }
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
