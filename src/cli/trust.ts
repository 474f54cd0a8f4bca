/**
 * Loads what the user asked us to trust: extra CA roots (--ca-file, for XMPP
 * and HTTPS) and DNSSEC trust anchors (--trust-anchor), each from one or more
 * files (the option given several times). A file that cannot be read or holds
 * nothing usable is a usage error with one clear line.
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

/** Each option may name several files (the option given several times); their contents add up. */
export function loadTrust(opts: { caFile?: string | string[]; trustAnchor?: string | string[] }): Trust | { error: string } {
  const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  const extraRoots: string[] = [];
  for (const file of list(opts.caFile)) {
    const ca = loadCaFile(file);
    if (!ca.ok) return { error: `--ca-file: ${ca.error}. Give a PEM file of the CA certificates to trust (-----BEGIN CERTIFICATE----- blocks).` };
    extraRoots.push(...ca.roots.map((r) => derToPem(r.der)));
  }
  const out: Trust = { extraRoots, trustStore: buildTrustStore(extraRoots) };
  const anchors: TrustAnchor[] = [];
  const sources: string[] = [];
  for (const file of list(opts.trustAnchor)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const words: Record<string, string> = { ENOENT: 'there is no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
      return { error: `--trust-anchor: cannot read ${file}: ${(code && words[code]) ?? code ?? (err as Error).message}. Give a file of DS or DNSKEY records (as dnssec-dsfromkey prints them).` };
    }
    const parsed = parseTrustAnchors(text);
    if (!parsed.anchors.length) {
      const why = parsed.errors[0] ? `line ${parsed.errors[0].line}: ${parsed.errors[0].message}` : 'no DS or DNSKEY records';
      return { error: `--trust-anchor: ${file} holds no usable trust anchor (${why})` };
    }
    anchors.push(...parsed.anchors);
    sources.push(`${file} (${parsed.anchors.map((a) => a.zone).join(', ')})`);
  }
  if (anchors.length) {
    out.trustAnchors = anchors;
    out.trustAnchorSource = sources.join(', ');
  }
  return out;
}
