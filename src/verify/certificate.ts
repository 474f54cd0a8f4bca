/**
 * The certificate stage's entry point: takes the chain one probe captured
 * (DER, leaf first), runs PKIX and identity checks, and returns a compact,
 * typed CertificateReport for the report plus its findings. Also renders the
 * one-line summary the table shows, with every network string escaped.
 */
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import { makeFinding } from '../core/finding.js';
import { escapeTerminal } from '../core/escape.js';
import type { Clock } from '../core/clock.js';
import { CERT_FINDINGS as F } from './findings.js';
import { identityFindings, matchIdentity, type IdentityResult } from './identity.js';
import { buildTrustStore, verifyPath, type ExtraRoot, type PkixResult, type TrustStore } from './pkix.js';
import { derToPem, parseCertificate, type KeyInfo, type ParsedCertificate, type SanSet } from './x509.js';

export type { IdentityMatch, IdentityResult, IdentityType, PresentedIdentifiers, ReferenceIdentifiers } from './identity.js';
export type { PathElement, PkixResult, PkixStatus, TrustStore, ExtraRoot, CaFileResult } from './pkix.js';
export type { KeyInfo, SanSet, InvalidSan } from './x509.js';
export { buildTrustStore, loadCaFile } from './pkix.js';

const DAY = 86_400_000;

/** One certificate, described for the report (JSON) and the table. */
export interface CertificateDescription {
  /** Subject DN, RFC 4514 order; raw characters (escape before printing). */
  subject: string;
  /** First subject CN, null when there is none. */
  subjectCn: string | null;
  /** subjectAltName by type; null when the certificate has no SAN extension. */
  san: SanSet | null;
  issuer: string;
  issuerCn: string | null;
  /** Serial number, lowercase hex. */
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter at check time (negative when expired). */
  daysLeft: number;
  key: KeyInfo;
  signatureAlgorithm: string;
  /** Hash of the signature (`SHA-256`, `SHA-1`, ...), null when not known. */
  signatureHash: string | null;
  /** SHA-256 of the DER certificate, lowercase hex (POSH and DANE x 0 1 use this). */
  sha256: string;
  /** SHA-256 of the SubjectPublicKeyInfo, lowercase hex (DANE x 1 1). */
  spkiSha256: string;
  /** Extended key usage OIDs; null when absent (any usage). */
  eku: string[] | null;
  isCa: boolean;
  selfIssued: boolean;
  pem: string;
}

/** What one probe's certificate check found; embedded per probe in the report. */
export interface CertificateReport {
  leaf: CertificateDescription | null;
  /** The other certificates as sent, in order (leaf excluded). */
  chain: CertificateDescription[];
  /** Certificates in the chain that could not be parsed (index counts the leaf as 0). */
  unparseable: { index: number; error: string }[];
  pkix: PkixResult;
  /** Null when there is no usable leaf. */
  identity: IdentityResult | null;
}

export interface CertificateContext {
  /** The domain the user typed (reference identity). */
  domain: string;
  service: ServiceKind;
  /** SRV targets of this service, to explain a certificate issued to the hosting provider. */
  srvTargets: string[];
  /** Extra trusted roots (--ca-file), as X509Certificate, parsed certificates, PEM or DER. */
  extraRoots?: ExtraRoot[];
  /** A prepared trust store; when given, `extraRoots` is ignored. Reuse one across probes. */
  trustStore?: TrustStore;
  clock: Clock;
  /** Warn when a certificate expires within this many days (default 14). */
  warnDays?: number;
  critDays?: number;
  /** s2s: the server offers SASL EXTERNAL. */
  saslExternal?: boolean;
  /** s2s: the server offers dialback. */
  dialback?: boolean;
  /** The SRV target this probe connected to (extra reference identifier). */
  srvTarget?: string;
  /** Set only when the delegation to srvTarget is DNSSEC-secured (DANE); default false. */
  srvTargetSecure?: boolean;
  /** Probe id the findings are about. */
  subject: string;
}

/** Describes one parsed certificate. */
export function describeCertificate(c: ParsedCertificate, now: number): CertificateDescription {
  return {
    subject: c.subject,
    subjectCn: c.subjectCn[0] ?? null,
    san: c.san,
    issuer: c.issuer,
    issuerCn: c.issuerCn[0] ?? null,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    daysLeft: Math.trunc((c.notAfter.getTime() - now) / DAY) || 0,
    key: c.key,
    signatureAlgorithm: c.signature.name,
    signatureHash: c.signature.hash,
    sha256: c.sha256,
    spkiSha256: c.spkiSha256,
    eku: c.eku,
    isCa: c.isCa,
    selfIssued: c.selfIssued,
    pem: derToPem(c.der),
  };
}

const emptyPkix = (status: PkixResult['status']): PkixResult => ({
  status,
  trusted: false,
  path: [],
  anchor: null,
  missingIssuer: null,
  unusedSent: [],
  leafDaysLeft: null,
});

/** Verifies the chain one probe captured (DER, leaf first). Never throws on bad input. */
export function verifyCertificate(chainDer: (Buffer | Uint8Array)[], ctx: CertificateContext): { report: CertificateReport; findings: Finding[] } {
  const now = ctx.clock.now();
  const findings: Finding[] = [];
  const parsed: ParsedCertificate[] = [];
  const unparseable: { index: number; error: string }[] = [];
  chainDer.forEach((der, index) => {
    const r = parseCertificate(der);
    if (r.ok) parsed.push(r.cert);
    else unparseable.push({ index, error: r.error });
  });
  for (const u of unparseable) {
    findings.push(makeFinding(F.CERT_UNPARSEABLE, ctx.subject, `Certificate #${u.index + 1} of the chain (#1 is the leaf): ${u.error}`, { service: ctx.service }));
  }
  const leafOk = chainDer.length > 0 && !unparseable.some((u) => u.index === 0);
  if (!leafOk) {
    if (!chainDer.length) findings.push(makeFinding(F.CERT_NONE, ctx.subject, undefined, { service: ctx.service }));
    return {
      report: { leaf: null, chain: parsed.map((c) => describeCertificate(c, now)), unparseable, pkix: emptyPkix(chainDer.length ? 'unparseable' : 'no-certificate'), identity: null },
      findings,
    };
  }
  const store = ctx.trustStore ?? buildTrustStore(ctx.extraRoots ?? []);
  const pkix = verifyPath(parsed, store, {
    subject: ctx.subject,
    service: ctx.service,
    clock: ctx.clock,
    warnDays: ctx.warnDays ?? 14,
    critDays: ctx.critDays,
    ...(ctx.saslExternal !== undefined ? { saslExternal: ctx.saslExternal } : {}),
    ...(ctx.dialback !== undefined ? { dialback: ctx.dialback } : {}),
  });
  findings.push(...pkix.findings);
  const leaf = parsed[0]!;
  const identity = matchIdentity(leaf, {
    domain: ctx.domain,
    service: ctx.service,
    srvTargets: ctx.srvTargets,
    ...(ctx.srvTarget !== undefined ? { srvTarget: ctx.srvTarget } : {}),
    srvTargetSecure: ctx.srvTargetSecure === true,
  });
  findings.push(...identityFindings(identity, ctx.subject, ctx.service));
  return {
    report: { leaf: describeCertificate(leaf, now), chain: parsed.slice(1).map((c) => describeCertificate(c, now)), unparseable, pkix: pkix.result, identity },
    findings,
  };
}

const SHORT_FIELD = 60;

/** A network string made safe for a terminal, cut to `max` characters. */
function safe(s: string, max = SHORT_FIELD): string {
  return escapeTerminal(s, max);
}

function keyText(k: KeyInfo): string {
  if (k.type === 'ec') return `EC ${k.curve ?? ''}`.trim();
  if (k.type === 'rsa' || k.type === 'rsa-pss') return `RSA-${k.bits ?? '?'}`;
  if (k.type === 'ed25519' || k.type === 'ed448') return k.type === 'ed25519' ? 'Ed25519' : 'Ed448';
  return k.type.toUpperCase();
}

/**
 * One line for the table: main names, issuer, expiry, key and fingerprint.
 * Every string that came from the network goes through escapeTerminal.
 */
export function describeCertificateShort(d: CertificateDescription, maxNames = 3): string {
  const names = [
    ...(d.san?.dns ?? []),
    ...(d.san?.srv ?? []).map((v) => `SRV:${v}`),
    ...(d.san?.xmppAddr ?? []).map((v) => `XMPP:${v}`),
    ...(d.san?.ip ?? []).map((v) => `IP:${v}`),
  ];
  const shown = names.slice(0, maxNames).map((n) => safe(n)).join(', ');
  const more = names.length > maxNames ? ` (+${names.length - maxNames})` : '';
  const parts = [
    d.subjectCn !== null ? `CN=${safe(d.subjectCn)}` : 'no CN',
    names.length ? `SAN ${shown}${more}` : 'no SAN',
    `issuer ${d.selfIssued ? 'self' : safe(d.issuerCn ?? d.issuer)}`,
    `until ${d.notAfter.slice(0, 10)} (${d.daysLeft < 0 ? `expired ${-d.daysLeft}d ago` : `${d.daysLeft}d`})`,
    keyText(d.key),
    `sha256 ${d.sha256.slice(0, 16)}…`,
  ];
  return parts.join('; ');
}
