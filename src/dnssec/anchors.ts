/**
 * Trust anchors: the built-in root anchors (IANA root-anchors.xml: KSK-2017
 * and KSK-2024, as DS records) and a parser for trust-anchor files holding
 * DS or DNSKEY records in zone-file presentation format for any zone, as
 * `dnssec-dsfromkey` prints them and Unbound's `trust-anchor-file` reads them:
 * comments, parentheses across lines, optional TTL and class, $ORIGIN,
 * relative names, digests and keys split by blanks.
 */
import { keyTag } from './keys.js';
import type { DnskeyData, DsData } from '../dns/records.js';
import { normName } from './wire.js';

export interface TrustAnchor {
  zone: string;
  ds: DsData[];
  dnskeys: DnskeyData[];
}

export interface TrustAnchorParse {
  anchors: TrustAnchor[];
  errors: { line: number; message: string }[];
}

/**
 * The root zone's anchors. KSK-2017 (20326) and KSK-2024 (38696), both
 * RSASHA256 with SHA-256 digests, as IANA publishes them; the test suite
 * recomputes both digests from the published DNSKEYs.
 */
export const ROOT_ANCHOR_TEXT = `; IANA root zone trust anchors (https://data.iana.org/root-anchors/root-anchors.xml)
. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
`;

const CLASSES = new Set(['IN', 'CH', 'HS', 'CS']);
const MAX_TEXT = 1_000_000;
const MAX_RECORDS = 1000;

/** Joins parenthesised continuations and drops comments; yields logical lines with their first line number. */
function logicalLines(text: string): { line: number; text: string; indented: boolean }[] {
  const out: { line: number; text: string; indented: boolean }[] = [];
  let depth = 0;
  let cur = '';
  let start = 0;
  let indented = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/;.*$/, '');
    if (depth === 0) {
      start = i + 1;
      indented = /^[ \t]/.test(raw);
      cur = '';
    }
    for (const ch of raw) {
      if (ch === '(') depth++;
      else if (ch === ')') depth = Math.max(0, depth - 1);
      else cur += ch;
    }
    cur += ' ';
    if (depth === 0 && cur.trim()) out.push({ line: start, text: cur.trim(), indented });
  }
  if (depth > 0 && cur.trim()) out.push({ line: start, text: `${cur.trim()} \u0000unclosed`, indented });
  return out;
}

function absolute(name: string, origin: string): string {
  if (name === '@') return origin;
  if (name.endsWith('.')) return normName(name);
  return normName(origin === '.' ? `${name}.` : `${name}.${origin}`);
}

/** Parses a trust-anchor file. Bad lines are reported and skipped; never throws. */
export function parseTrustAnchors(text: string): TrustAnchorParse {
  const errors: TrustAnchorParse['errors'] = [];
  const byZone = new Map<string, TrustAnchor>();
  if (text.length > MAX_TEXT) return { anchors: [], errors: [{ line: 0, message: `file too large (${text.length} characters)` }] };
  let origin = '.';
  let lastOwner: string | null = null;
  let count = 0;
  for (const { line, text: l, indented } of logicalLines(text)) {
    if (l.includes('\u0000unclosed')) {
      errors.push({ line, message: 'unclosed parenthesis' });
      continue;
    }
    const tok = l.split(/\s+/).filter(Boolean);
    if (tok[0]?.toUpperCase() === '$ORIGIN') {
      if (tok[1]) origin = absolute(tok[1].endsWith('.') ? tok[1] : `${tok[1]}.`, '.');
      continue;
    }
    if (tok[0]?.startsWith('$')) continue; // $TTL and friends do not matter here
    let i = 0;
    let owner: string;
    if (indented) {
      if (!lastOwner) {
        errors.push({ line, message: 'record without an owner name' });
        continue;
      }
      owner = lastOwner;
    } else {
      owner = absolute(tok[i++]!, origin);
    }
    // Optional TTL and class, in either order.
    for (let k = 0; k < 2; k++) {
      const t = tok[i];
      if (t && /^\d+$/.test(t)) i++;
      else if (t && CLASSES.has(t.toUpperCase())) {
        if (t.toUpperCase() !== 'IN') errors.push({ line, message: `class ${t} is not IN` });
        i++;
      }
    }
    const type = tok[i++]?.toUpperCase();
    const rd = tok.slice(i);
    lastOwner = owner;
    if (++count > MAX_RECORDS) {
      errors.push({ line, message: `more than ${MAX_RECORDS} records; the rest is ignored` });
      break;
    }
    const anchor = byZone.get(owner) ?? { zone: owner, ds: [], dnskeys: [] };
    if (type === 'DS') {
      const [tag, alg, dt, ...hex] = rd;
      const digest = hex.join('');
      if (!tag || !alg || !dt || !/^\d+$/.test(tag) || !/^\d+$/.test(alg) || !/^\d+$/.test(dt) || !/^([0-9a-fA-F]{2})+$/.test(digest)) {
        errors.push({ line, message: `malformed DS record: ${l}` });
        continue;
      }
      const ds: DsData = { keyTag: Number(tag), algorithm: Number(alg), digestType: Number(dt), digest: Buffer.from(digest, 'hex') };
      if (ds.keyTag > 65535 || ds.algorithm > 255 || ds.digestType > 255) {
        errors.push({ line, message: `DS field out of range: ${l}` });
        continue;
      }
      anchor.ds.push(ds);
    } else if (type === 'DNSKEY') {
      const [flags, proto, alg, ...b64] = rd;
      const keyText = b64.join('');
      if (!flags || !proto || !alg || !/^\d+$/.test(flags) || proto !== '3' || !/^\d+$/.test(alg) || !/^[A-Za-z0-9+/]+=*$/.test(keyText)) {
        errors.push({ line, message: `malformed DNSKEY record: ${l}` });
        continue;
      }
      const k: DnskeyData = { flags: Number(flags), algorithm: Number(alg), key: Buffer.from(keyText, 'base64') };
      if (k.flags > 65535 || k.algorithm > 255 || k.key.length === 0) {
        errors.push({ line, message: `DNSKEY field out of range: ${l}` });
        continue;
      }
      anchor.dnskeys.push(k);
    } else {
      errors.push({ line, message: `type ${type ?? '(none)'} is not a trust anchor (DS or DNSKEY expected)` });
      continue;
    }
    byZone.set(owner, anchor);
  }
  return { anchors: [...byZone.values()], errors };
}

/** The built-in root anchors. */
export function rootAnchors(): TrustAnchor[] {
  return parseTrustAnchors(ROOT_ANCHOR_TEXT).anchors;
}

/** One line of presentation format for an anchor, e.g. for the lab's trust-anchor file. */
export function dsLine(zone: string, ds: DsData): string {
  const owner = normName(zone) === '.' ? '.' : `${normName(zone)}.`;
  return `${owner} IN DS ${ds.keyTag} ${ds.algorithm} ${ds.digestType} ${ds.digest.toString('hex').toUpperCase()}`;
}

export function dnskeyLine(zone: string, k: DnskeyData): string {
  const owner = normName(zone) === '.' ? '.' : `${normName(zone)}.`;
  return `${owner} IN DNSKEY ${k.flags} 3 ${k.algorithm} ${k.key.toString('base64')} ; key tag ${keyTag(k)}`;
}

