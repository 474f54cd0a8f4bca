/**
 * POSH (RFC 7711, with the well-known names of RFC 7712): fetches the domain's
 * POSH file for a service over HTTPS through our own resolver, follows a
 * bounded number of https-only redirects and one `url` delegation, parses the
 * document, and says whether a presented certificate is among its fingerprints.
 * The draft's location (/.well-known/posh._xmpp-client._tcp.json) is tried too
 * and flagged as legacy when only it exists.
 */
import { legacyPoshUrl, poshUrl } from '../core/names.js';
import { makeFinding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import { escapeTerminal } from '../core/escape.js';
import { POSH_FINDINGS as F } from './findings.js';
import { httpsGet, HttpsGetError, type HttpsGetOptions, type HttpsResponse } from '../http/https-get.js';

export const POSH_HASHES = { 'sha-256': 'sha256', 'sha-512': 'sha512' } as const;
export type PoshHash = keyof typeof POSH_HASHES;

const MAX_REDIRECTS = 3;
const MAX_BYTES = 64 * 1024;

export interface PoshFetchStep {
  url: string;
  status: number | null;
  redirectTo: string | null;
  error: string | null;
  timeMs: number;
}

export interface PoshFingerprint {
  hash: PoshHash;
  value: string;
}

export interface PoshResult {
  service: ServiceKind;
  /** found: a usable document; none: no file; invalid: a file we cannot use; error: the fetch failed. */
  status: 'found' | 'none' | 'invalid' | 'error';
  location: 'rfc7711' | 'legacy' | null;
  /** URL of the document that holds the fingerprints (after delegation). */
  url: string | null;
  /** The `url` the domain's file delegated to, if any. */
  delegatedTo: string | null;
  fingerprints: PoshFingerprint[];
  /** Effective lifetime in seconds: the smaller of the two when delegated. */
  expires: number | null;
  steps: PoshFetchStep[];
  findings: Finding[];
}

export interface PoshOptions extends Omit<HttpsGetOptions, 'maxBytes'> {}

const wellKnown = (domain: string, service: ServiceKind): { rfc: string; legacy: string } => ({ rfc: poshUrl(domain, service), legacy: legacyPoshUrl(domain, service) });

type Outcome = { kind: 'ok'; res: HttpsResponse } | { kind: 'missing' } | { kind: 'failed'; finding: Finding | null; error: HttpsGetError | null };

/** GET with https-only redirects; records each hop. */
async function getFollowing(start: string, opts: PoshOptions, steps: PoshFetchStep[], service: ServiceKind): Promise<Outcome> {
  let url = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let res: HttpsResponse;
    try {
      res = await httpsGet(url, { ...opts, maxBytes: MAX_BYTES });
    } catch (err) {
      const e = err instanceof HttpsGetError ? err : new HttpsGetError('connect', String(err));
      steps.push({ url, status: null, redirectTo: null, error: `${e.kind}: ${e.message}`, timeMs: 0 });
      if (e.kind === 'tls') return { kind: 'failed', finding: makeFinding(F.POSH_SERVER_CERT_INVALID, url, `The HTTPS server for ${url} failed the certificate check: ${escapeTerminal(e.message)}.`, { service }), error: e };
      return { kind: 'failed', finding: null, error: e };
    }
    const location = res.headers.location ?? null;
    const isRedirect = [301, 302, 303, 307, 308].includes(res.status) && location !== null;
    let next: string | null = null;
    if (isRedirect) {
      try {
        next = new URL(location!, url).href;
      } catch {
        next = location;
      }
    }
    steps.push({ url, status: res.status, redirectTo: next, error: null, timeMs: res.timeMs });
    if (!isRedirect) {
      if (res.status === 404 || res.status === 410) return { kind: 'missing' };
      if (res.status !== 200) return { kind: 'failed', finding: makeFinding(F.POSH_HTTP_ERROR, url, `${url} answered HTTP ${res.status}.`, { service }), error: null };
      if (res.truncated) return { kind: 'failed', finding: makeFinding(F.POSH_TOO_LARGE, url, `${url} sent more than ${MAX_BYTES} bytes.`, { service }), error: null };
      return { kind: 'ok', res };
    }
    if (!next || !next.startsWith('https://')) {
      return { kind: 'failed', finding: makeFinding(F.POSH_REDIRECT_NOT_HTTPS, url, `${url} redirects to ${escapeTerminal(next ?? '(nothing)')}, which is not https.`, { service }), error: null };
    }
    url = next;
  }
  return { kind: 'failed', finding: makeFinding(F.POSH_TOO_MANY_REDIRECTS, start, `${start} redirected more than ${MAX_REDIRECTS} times.`, { service }), error: null };
}

interface ParsedDoc {
  fingerprints: PoshFingerprint[] | null;
  url: string | null;
  expires: number;
  unknownHashes: number;
}

/** Parses a POSH document; returns the reason it is unusable as a finding instead. */
export function parsePoshDocument(text: string, where: string, service: ServiceKind): ParsedDoc | Finding {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return makeFinding(F.POSH_MALFORMED, where, `${where} is not valid JSON (${escapeTerminal((err as Error).message, 120)}).`, { service });
  }
  const bad = (why: string): Finding => makeFinding(F.POSH_INVALID, where, `${where}: ${why}.`, { service });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return bad('the document is not a JSON object');
  const o = doc as Record<string, unknown>;
  if (typeof o.expires !== 'number' || !Number.isFinite(o.expires) || o.expires < 0) return bad('"expires" must be a number of seconds, 0 or more');
  const expires = Math.floor(o.expires);
  if (o.url !== undefined) {
    if (typeof o.url !== 'string' || !o.url.startsWith('https://')) return bad('"url" must be an https URL');
    return { fingerprints: null, url: o.url, expires, unknownHashes: 0 };
  }
  if (!Array.isArray(o.fingerprints)) return bad('it needs "fingerprints" (an array) or "url"');
  const fps: PoshFingerprint[] = [];
  let unknownHashes = 0;
  for (const entry of o.fingerprints) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return bad('each fingerprint must be an object keyed by hash name');
    for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof v !== 'string') return bad(`the "${escapeTerminal(k, 40)}" fingerprint must be a base64 string`);
      const key = k.toLowerCase();
      if (key in POSH_HASHES) fps.push({ hash: key as PoshHash, value: v.trim() });
      else unknownHashes++;
    }
  }
  return { fingerprints: fps, url: null, expires, unknownHashes };
}

/** Fetches and interprets the POSH file of one service of a domain. */
export async function fetchPosh(domain: string, service: ServiceKind, opts: PoshOptions): Promise<PoshResult> {
  const urls = wellKnown(domain, service);
  const steps: PoshFetchStep[] = [];
  const result = (r: Partial<PoshResult> & Pick<PoshResult, 'status'>): PoshResult => ({
    service,
    location: null,
    url: null,
    delegatedTo: null,
    fingerprints: [],
    expires: null,
    steps,
    findings: [],
    ...r,
  });
  const legacySteps: PoshFetchStep[] = [];
  const [primary, legacy] = await Promise.all([getFollowing(urls.rfc, opts, steps, service), getFollowing(urls.legacy, opts, legacySteps, service)]);
  let chosen: Outcome = primary;
  let location: PoshResult['location'] = 'rfc7711';
  const findings: Finding[] = [];
  if (primary.kind === 'missing' && legacy.kind === 'ok') {
    chosen = legacy;
    location = 'legacy';
    steps.push(...legacySteps);
    findings.push(makeFinding(F.POSH_LEGACY_LOCATION, urls.legacy, `Only ${urls.legacy} exists; ${urls.rfc} answers 404.`, { service }));
  }
  if (chosen.kind === 'missing') return result({ status: 'none', findings: [makeFinding(F.POSH_NONE, urls.rfc, `${urls.rfc} does not exist (404).`, { service })] });
  if (chosen.kind === 'failed') {
    if (chosen.finding) return result({ status: chosen.finding.code === F.POSH_SERVER_CERT_INVALID.code ? 'error' : 'invalid', findings: [chosen.finding] });
    return result({ status: 'error', findings: [makeFinding(F.POSH_UNREACHABLE, urls.rfc, `${urls.rfc} could not be fetched (${escapeTerminal(chosen.error?.message ?? 'no answer')}).`, { service })] });
  }
  const first = parsePoshDocument(chosen.res.body.toString('utf8'), chosen.res.url, service);
  if ('code' in first) return result({ status: 'invalid', location, findings: [...findings, first] });
  let doc = first;
  let docUrl = chosen.res.url;
  let delegatedTo: string | null = null;
  let expires = first.expires;
  if (first.url) {
    delegatedTo = first.url;
    const second = await getFollowing(first.url, opts, steps, service);
    if (second.kind !== 'ok') {
      const f =
        second.kind === 'failed' && second.finding
          ? second.finding
          : makeFinding(F.POSH_INVALID, first.url, `The delegated POSH file ${first.url} could not be fetched (${second.kind === 'missing' ? '404' : escapeTerminal(second.error?.message ?? 'no answer')}).`, { service });
      return result({ status: 'invalid', location, delegatedTo, findings: [...findings, f] });
    }
    const parsed = parsePoshDocument(second.res.body.toString('utf8'), second.res.url, service);
    if ('code' in parsed) return result({ status: 'invalid', location, delegatedTo, findings: [...findings, parsed] });
    if (parsed.url) {
      return result({ status: 'invalid', location, delegatedTo, findings: [...findings, makeFinding(F.POSH_DELEGATION_TOO_LONG, second.res.url, `${second.res.url} delegates again, to ${escapeTerminal(parsed.url)}.`, { service })] });
    }
    doc = parsed;
    docUrl = second.res.url;
    expires = Math.min(expires, parsed.expires);
  }
  const fingerprints = doc.fingerprints ?? [];
  if (!fingerprints.length) {
    return result({ status: 'invalid', location, url: docUrl, delegatedTo, expires, findings: [...findings, makeFinding(F.POSH_NO_USABLE_FINGERPRINT, docUrl, `${docUrl} has no sha-256 or sha-512 fingerprint${doc.unknownHashes ? ` (${doc.unknownHashes} of unknown hashes ignored)` : ''}.`, { service })] });
  }
  if (expires === 0) findings.push(makeFinding(F.POSH_EXPIRES_ZERO, docUrl, `${docUrl}: "expires" is 0.`, { service }));
  return result({ status: 'found', location, url: docUrl, delegatedTo, fingerprints, expires, findings });
}




/** The POSH files of every service, fetched at once. */
export async function fetchPoshAll(domain: string, services: readonly ServiceKind[], opts: PoshOptions): Promise<Partial<Record<ServiceKind, PoshResult>>> {
  return Object.fromEntries(await Promise.all(services.map(async (s) => [s, await fetchPosh(domain, s, opts)] as const)));
}
