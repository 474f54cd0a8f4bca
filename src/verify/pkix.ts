/**
 * PKIX: builds a path from the certificates the server sent to a trusted root
 * (Node's bundled roots plus --ca-file roots) ourselves, with
 * X509Certificate.checkIssued and verify(publicKey), then checks what clients
 * check along it: validity against the injected clock, key sizes, signature
 * hashes, CA flags and the leaf's extended key usage.
 */
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import { makeFinding } from '../core/finding.js';
import type { Clock } from '../core/clock.js';
import { CERT_FINDINGS as F, clip } from './findings.js';
import { certificateNameKeys, EKU_ANY, EKU_CLIENT_AUTH, EKU_SERVER_AUTH, parseCertificate, pemToDer, spkiSha256Of, type ParsedCertificate } from './x509.js';

const DAY = 86_400_000;
const MAX_DEPTH = 8;

export type AnchorSource = 'system' | 'extra';

export interface TrustAnchor {
  cert: ParsedCertificate;
  source: AnchorSource;
}

export interface TrustStore {
  anchors: TrustAnchor[];
  /** Also Node's bundled roots, looked up lazily. */
  lazySystem?: boolean;
}

export type ExtraRoot = X509Certificate | ParsedCertificate | string | Buffer;

function toParsed(root: ExtraRoot): ParsedCertificate[] {
  if (root instanceof X509Certificate) {
    const r = parseCertificate(root.raw);
    return r.ok ? [r.cert] : [];
  }
  if (typeof root === 'string') return pemToDer(root).flatMap((d) => toParsed(d));
  if (Buffer.isBuffer(root)) {
    const r = parseCertificate(root);
    return r.ok ? [r.cert] : [];
  }
  return [root];
}

/**
 * Node's bundled roots, read only as far as a chain needs them: at first
 * their DER, indexed by the SHA-256 of their key (is the certificate at hand a
 * root itself?); the index by the loose key of their subject (nameKey: which
 * root could have issued it?) only when no extra root issued the certificate;
 * Node's X509Certificate and our full reading only for a root that matches.
 */
interface LazyRoot {
  /** Position in tls.rootCertificates: candidates are tried in this order. */
  index: number;
  der: Buffer;
  node?: X509Certificate | null;
  parsed?: ParsedCertificate | null;
}
interface RootIndex {
  roots: LazyRoot[];
  bySpki: Map<string, LazyRoot[]>;
  /** Built on first use. */
  bySubject: Map<string, LazyRoot[]> | null;
  /** Roots whose key or subject could not be read: always candidates. */
  unkeyedSpki: LazyRoot[];
  unkeyedSubject: LazyRoot[];
}
let rootIndex: RootIndex | null = null;

const push = (m: Map<string, LazyRoot[]>, k: string, r: LazyRoot): void => {
  const list = m.get(k);
  if (list) list.push(r);
  else m.set(k, [r]);
};

function systemRoots(): RootIndex {
  if (!rootIndex) {
    const roots: LazyRoot[] = [];
    for (const pem of rootCertificates) for (const der of pemToDer(pem)) roots.push({ index: roots.length, der });
    rootIndex = { roots, bySpki: new Map(), bySubject: null, unkeyedSpki: [], unkeyedSubject: [] };
    for (const r of roots) {
      const spki = spkiSha256Of(r.der);
      if (spki === null) rootIndex.unkeyedSpki.push(r);
      else push(rootIndex.bySpki, spki, r);
    }
  }
  return rootIndex;
}

function subjectIndex(ix: RootIndex): Map<string, LazyRoot[]> {
  if (!ix.bySubject) {
    ix.bySubject = new Map();
    for (const r of ix.roots) {
      const key = certificateNameKeys(r.der, true)?.subject ?? null;
      if (key === null) ix.unkeyedSubject.push(r);
      else push(ix.bySubject, key, r);
    }
  }
  return ix.bySubject;
}

const issuerKeyOf = new WeakMap<ParsedCertificate, string | null>();

/** A system root as a trust anchor, if it could matter for `current` (the test the path builder has always used). */
function asAnchor(r: LazyRoot, current: ParsedCertificate): TrustAnchor | null {
  if (r.node === undefined) {
    try {
      r.node = new X509Certificate(r.der);
    } catch {
      r.node = null; // a root Node cannot read is no use to us either
    }
  }
  if (!r.node) return null;
  let relevant = false;
  try {
    relevant = r.node.subject === current.node.subject || current.node.checkIssued(r.node);
  } catch {
    relevant = false;
  }
  if (!relevant) return null;
  if (r.parsed === undefined) {
    const p = parseCertificate(r.der);
    r.parsed = p.ok ? p.cert : null;
  }
  return r.parsed ? { cert: r.parsed, source: 'system' } : null;
}

function anchorsAmong(list: LazyRoot[], current: ParsedCertificate): TrustAnchor[] {
  const out: TrustAnchor[] = [];
  for (const r of [...new Set(list)].sort((x, y) => x.index - y.index)) {
    const a = asAnchor(r, current);
    if (a) out.push(a);
  }
  return out;
}

/** System roots that could be `current` itself (same key), in the order of Node's list. */
function systemSameKey(current: ParsedCertificate): TrustAnchor[] {
  const ix = systemRoots();
  return anchorsAmong([...(ix.bySpki.get(current.spkiSha256) ?? []), ...ix.unkeyedSpki], current);
}

/** System roots that could have issued `current` (subject loosely equal to its issuer), in the order of Node's list. */
function systemIssuers(current: ParsedCertificate): TrustAnchor[] {
  const ix = systemRoots();
  const bySubject = subjectIndex(ix);
  let key = issuerKeyOf.get(current);
  if (key === undefined) {
    key = certificateNameKeys(current.der)?.issuer ?? null;
    issuerKeyOf.set(current, key);
  }
  return anchorsAmong(key === null ? ix.roots : [...(bySubject.get(key) ?? []), ...ix.unkeyedSubject], current);
}

/**
 * The trust store: extra roots parsed at once, Node's 140-odd roots only when
 * one could be on a path (parsing them all costs a third of a second).
 */
export function buildTrustStore(extra: ExtraRoot[] = [], opts: { system?: boolean } = {}): TrustStore {
  const anchors: TrustAnchor[] = [];
  for (const r of extra) for (const cert of toParsed(r)) anchors.push({ cert, source: 'extra' });
  return opts.system === false ? { anchors } : { anchors, lazySystem: true };
}

export type CaFileResult = { ok: true; roots: ParsedCertificate[] } | { ok: false; error: string };

/** Reads PEM text (or one DER certificate) into roots; `label` names it in errors. */
export function parseCaData(data: Buffer, label: string): CaFileResult {
  const text = data.toString('latin1');
  const ders = pemToDer(text);
  if (!ders.length) {
    if (/-----BEGIN /.test(text)) return { ok: false, error: `${label} holds PEM blocks but no CERTIFICATE block` };
    const r = parseCertificate(data);
    if (r.ok) return { ok: true, roots: [r.cert] };
    return { ok: false, error: `${label} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----" blocks)` };
  }
  const roots: ParsedCertificate[] = [];
  for (const [i, der] of ders.entries()) {
    const r = parseCertificate(der);
    if (!r.ok) return { ok: false, error: `certificate #${i + 1} in ${label} is invalid: ${r.error}` };
    roots.push(r.cert);
  }
  return { ok: true, roots };
}

/** Loads --ca-file: a PEM file of one or more root certificates. Never throws. */
export function loadCaFile(path: string): CaFileResult {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const words: Record<string, string> = { ENOENT: 'there is no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
    return { ok: false, error: `cannot read ${path}: ${(err.code && words[err.code]) ?? err.code ?? err.message}` };
  }
  return parseCaData(data, `CA file ${path}`);
}

export type PkixStatus = 'trusted' | 'self-signed' | 'untrusted-root' | 'incomplete' | 'bad-signature' | 'issuer-not-ca' | 'no-certificate' | 'unparseable';

export interface PathElement {
  subject: string;
  issuer: string;
  sha256: string;
  /** `sent` = from the server; `system`/`extra` = a trust anchor from the store. */
  source: 'sent' | AnchorSource;
  /** Position in the chain as sent, null for anchors from the store. */
  sentIndex: number | null;
  notAfter: string;
}

export interface PkixResult {
  status: PkixStatus;
  trusted: boolean;
  /** Leaf first; ends at the trust anchor when trusted, else as far as it could be built. */
  path: PathElement[];
  anchor: { subject: string; sha256: string; source: AnchorSource } | null;
  /** Issuer DN that was not sent and is not trusted (status `incomplete`). */
  missingIssuer: string | null;
  /** Positions (in the chain as sent) of certificates not on the path. */
  unusedSent: number[];
  /** Whole days the leaf has left (negative when expired). */
  leafDaysLeft: number | null;
}

export interface PkixOptions {
  /** Probe id the findings are about. */
  subject: string;
  service: ServiceKind;
  clock: Clock;
  /** Warn when a certificate expires within this many days (default 14). */
  warnDays?: number;
  /** An error when it expires within this many days (default 7). */
  critDays?: number;
  /** s2s: the server offers SASL EXTERNAL. */
  saslExternal?: boolean;
  /** s2s: the server offers dialback. */
  dialback?: boolean;
}

interface Node {
  cert: ParsedCertificate;
  source: 'sent' | AnchorSource;
  sentIndex: number | null;
}

interface Attempt {
  nodes: Node[];
  status: Exclude<PkixStatus, 'no-certificate' | 'unparseable'>;
  missingIssuer: string | null;
  badIssuer: ParsedCertificate | null;
}

function sameCert(a: ParsedCertificate, b: ParsedCertificate): boolean {
  return a.sha256 === b.sha256 || (a.subject === b.subject && a.spkiSha256 === b.spkiSha256);
}

/**
 * Issuer-name and signature checks by the SHA-256 of both certificates: they
 * depend on nothing else (not the time, not the trust store), so a chain that
 * many probes present is checked once per process. Bounded.
 */
const issuedCache = new Map<string, boolean>();
const signedCache = new Map<string, boolean>();
const MAX_PAIRS = 4096;
let signatureChecks = 0;

/** How many signatures were actually verified (not served from the cache) so far: a seam for tests. */
export function signatureCheckCount(): number {
  return signatureChecks;
}

function remember(cache: Map<string, boolean>, key: string, compute: () => boolean): boolean {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const v = compute();
  if (cache.size >= MAX_PAIRS) cache.delete(cache.keys().next().value!);
  cache.set(key, v);
  return v;
}

function issued(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  return remember(issuedCache, `${child.sha256}<${issuer.sha256}`, () => {
    try {
      return child.node.checkIssued(issuer.node);
    } catch {
      return false;
    }
  });
}

function signedBy(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  return remember(signedCache, `${child.sha256}<${issuer.sha256}`, () => {
    signatureChecks++;
    try {
      return child.node.verify(issuer.node.publicKey);
    } catch {
      return false;
    }
  });
}

/** Depth-first path building: trusted anchors first, then what the server sent. */
function build(path: Node[], sent: Node[], store: TrustStore): Attempt {
  const current = path[path.length - 1]!.cert;
  // The trust anchors in order: the extra ones, then the system roots that could matter. System roots are
  // looked up only when the extra ones have not settled it: first those that could be the certificate itself…
  const same = (a: TrustAnchor): boolean => sameCert(a.cert, current);
  const anchor = store.anchors.find(same) ?? (store.lazySystem ? systemSameKey(current).find(same) : undefined);
  if (anchor) {
    // The current certificate is itself trusted (a root the server sent, or a pinned leaf).
    const last = path[path.length - 1]!;
    return { nodes: [...path.slice(0, -1), { ...last, source: anchor.source }], status: 'trusted', missingIssuer: null, badIssuer: null };
  }
  let badIssuer: ParsedCertificate | null = null;
  // …then those that could have issued it, once no extra one did.
  for (const candidates of [() => store.anchors, () => (store.lazySystem ? systemIssuers(current) : [])]) {
    for (const a of candidates()) {
      if (!issued(current, a.cert)) continue;
      if (signedBy(current, a.cert)) return { nodes: [...path, { cert: a.cert, source: a.source, sentIndex: null }], status: 'trusted', missingIssuer: null, badIssuer: null };
      badIssuer ??= a.cert;
    }
  }
  // Self-signed: issuer = subject and its own key verifies the signature. Not
  // checkIssued(current, current): that also demands keyCertSign in keyUsage,
  // which a self-signed leaf (`openssl req -x509 -addext keyUsage=digitalSignature`)
  // lacks, and such a leaf would then pass for an incomplete chain.
  const selfSigned = current.selfIssued && signedBy(current, current);
  if (selfSigned) return { nodes: path, status: path.length === 1 ? 'self-signed' : 'untrusted-root', missingIssuer: null, badIssuer: null };

  let best: Attempt | null = null;
  if (path.length < MAX_DEPTH) {
    for (const s of sent) {
      if (path.some((p) => p.cert.sha256 === s.cert.sha256)) continue;
      if (!issued(current, s.cert)) continue;
      if (!signedBy(current, s.cert)) {
        badIssuer ??= s.cert;
        continue;
      }
      const attempt = build([...path, s], sent, store);
      if (attempt.status === 'trusted') return attempt;
      if (!best || attempt.nodes.length > best.nodes.length) best = attempt;
    }
  }
  if (best) return best;
  if (badIssuer) return { nodes: path, status: 'bad-signature', missingIssuer: null, badIssuer };
  return { nodes: path, status: 'incomplete', missingIssuer: current.issuer, badIssuer: null };
}

const daysLeft = (cert: ParsedCertificate, now: number): number => Math.trunc((cert.notAfter.getTime() - now) / DAY) || 0;

function label(n: Node, i: number): string {
  const name = clip(n.cert.subjectCn[0] ?? n.cert.subject, 80);
  return i === 0 ? `The certificate (${name})` : `The ${n.source === 'sent' ? '' : 'trusted '}CA certificate "${name}"`;
}

/**
 * Verifies the chain the server sent (parsed, leaf first) against the trust
 * store. Returns the result and its findings (about `opts.subject`).
 */
export function verifyPath(chain: ParsedCertificate[], store: TrustStore, opts: PkixOptions): { result: PkixResult; findings: Finding[] } {
  const findings: Finding[] = [];
  const add = (def: Parameters<typeof makeFinding>[0], message: string, fix?: string): void => {
    findings.push(makeFinding(def, opts.subject, message, fix ? { fix, service: opts.service } : { service: opts.service }));
  };
  if (!chain.length) {
    add(F.CERT_NONE, F.CERT_NONE.title);
    return { result: { status: 'no-certificate', trusted: false, path: [], anchor: null, missingIssuer: null, unusedSent: [], leafDaysLeft: null }, findings };
  }
  const now = opts.clock.now();
  const warnDays = opts.warnDays ?? 14;
  const critDays = Math.min(opts.critDays ?? 7, warnDays);
  const sent: Node[] = chain.map((cert, i) => ({ cert, source: 'sent', sentIndex: i }));
  const built = build([sent[0]!], sent.slice(1), store);
  // A path through a certificate that is no CA (basicConstraints cA not set) leads to a trusted root but
  // proves nothing: anyone with a leaf could have signed the next one (RFC 5280 §6.1.4 (k)). OpenSSL's issuer
  // check (checkIssued) only refuses such an issuer when its keyUsage lacks keyCertSign. Trust anchors are
  // trusted as they are (old v1 roots have no basicConstraints).
  const notCa = built.status === 'trusted' && built.nodes.some((n, i) => i > 0 && n.source === 'sent' && !n.cert.isCa);
  const attempt: Attempt = notCa ? { ...built, status: 'issuer-not-ca' } : built;
  const nodes = attempt.nodes;
  const leaf = nodes[0]!.cert;
  const trusted = attempt.status === 'trusted';
  const last = nodes[nodes.length - 1]!;
  const anchorNode = trusted ? last : null;

  // Which sent certificates the path used (a trusted root the server appended counts as used).
  const used = new Set<number>();
  for (const n of nodes) if (n.sentIndex !== null) used.add(n.sentIndex);
  if (anchorNode) for (const s of sent) if (sameCert(s.cert, anchorNode.cert)) used.add(s.sentIndex!);
  const unusedSent = sent.filter((s) => !used.has(s.sentIndex!)).map((s) => s.sentIndex!);

  switch (attempt.status) {
    case 'self-signed':
      add(F.CERT_SELF_SIGNED, `The certificate is self-signed (${clip(leaf.subject, 120) || 'empty subject'}) and not among the trusted roots.`);
      break;
    case 'untrusted-root':
      add(F.CERT_UNTRUSTED_ROOT, `The chain ends at the root "${clip(last.cert.subject)}", which is not a trusted root.`);
      break;
    case 'incomplete':
      add(F.CERT_CHAIN_INCOMPLETE, `Missing issuer "${clip(attempt.missingIssuer ?? '')}" of "${clip(last.cert.subject)}": it was not sent and is not a trusted root.`);
      break;
    case 'bad-signature':
      add(F.CERT_BAD_SIGNATURE, `"${clip(last.cert.subject)}" names "${clip(attempt.badIssuer?.subject ?? last.cert.issuer)}" as issuer, but that certificate's key did not sign it.`);
      break;
    case 'issuer-not-ca':
    case 'trusted':
      // issuer-not-ca: CERT_ISSUER_NOT_CA below says which certificate.
      break;
  }
  if (unusedSent.length && attempt.status !== 'incomplete' && attempt.status !== 'bad-signature') {
    add(F.CERT_CHAIN_EXTRA, `Sent certificate(s) #${unusedSent.map((i) => i + 1).join(', #')} (counting the leaf as #1) are not on the path: ${unusedSent.map((i) => `"${clip(chain[i]!.subject, 80)}"`).join(', ')}.`);
  }

  // Checks along the path; of trust anchors, only validity is checked (as OpenSSL does).
  nodes.forEach((n, i) => {
    const c = n.cert;
    const what = label(n, i);
    if (now > c.notAfter.getTime()) {
      add(F.CERT_EXPIRED, `${what} expired on ${c.notAfter.toISOString()} (${-daysLeft(c, now)} days ago).`);
    } else if (now < c.notBefore.getTime()) {
      add(F.CERT_NOT_YET_VALID, `${what} is valid only from ${c.notBefore.toISOString()}.`);
    } else {
      const left = daysLeft(c, now);
      if (left < critDays) add(F.CERT_EXPIRING_CRITICAL, `${what} expires on ${c.notAfter.toISOString()}: ${left} day${left === 1 ? '' : 's'} left (critical at ${critDays}).`);
      else if (left < warnDays) add(F.CERT_EXPIRING_SOON, `${what} expires on ${c.notAfter.toISOString()}: ${left} day${left === 1 ? '' : 's'} left (warning at ${warnDays}).`);
    }
    if (n.source !== 'sent') return;
    if ((c.key.type === 'rsa' || c.key.type === 'rsa-pss') && c.key.bits !== null && c.key.bits < 2048) {
      add(F.CERT_WEAK_RSA_KEY, `${what} has a ${c.key.bits}-bit RSA key.`);
    }
    const selfSignedEnd = i === nodes.length - 1 && c.selfIssued && !trusted && i > 0;
    if (!selfSignedEnd) {
      if (c.signature.hash === 'SHA-1') add(F.CERT_SHA1_SIGNATURE, `${what} is signed with ${c.signature.name}.`);
      else if (c.signature.hash === 'MD5' || c.signature.hash === 'MD2') add(F.CERT_MD5_SIGNATURE, `${what} is signed with ${c.signature.name}.`);
    }
    if (i > 0 && !c.isCa) add(F.CERT_ISSUER_NOT_CA, `${what} is used as an issuer but is not a CA certificate (basicConstraints cA is not set).`);
  });

  const eku = leaf.eku;
  if (eku && !eku.includes(EKU_SERVER_AUTH) && !eku.includes(EKU_ANY)) {
    add(F.CERT_NO_SERVER_AUTH_EKU, `The certificate's extended key usage is ${eku.join(', ') || 'empty'}, without serverAuth (${EKU_SERVER_AUTH}).`);
  }
  if (opts.service === 's2s' && opts.saslExternal === true && opts.dialback === false && eku && !eku.includes(EKU_CLIENT_AUTH) && !eku.includes(EKU_ANY)) {
    add(F.CERT_NO_CLIENT_AUTH_EKU, `The certificate has no clientAuth EKU (it has ${eku.join(', ') || 'none'}); the server offers SASL EXTERNAL but not dialback, so peers that check EKU cannot authenticate its outgoing connections.`);
  }

  const result: PkixResult = {
    status: attempt.status,
    trusted,
    path: nodes.map((n) => ({ subject: n.cert.subject, issuer: n.cert.issuer, sha256: n.cert.sha256, source: n.source, sentIndex: n.sentIndex, notAfter: n.cert.notAfter.toISOString() })),
    anchor: anchorNode && anchorNode.source !== 'sent' ? { subject: anchorNode.cert.subject, sha256: anchorNode.cert.sha256, source: anchorNode.source } : null,
    missingIssuer: attempt.missingIssuer,
    unusedSent,
    leafDaysLeft: daysLeft(leaf, now),
  };
  return { result, findings };
}
