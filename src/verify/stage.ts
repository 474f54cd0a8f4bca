/**
 * The verification stage: for every probe that reached TLS, the certificate
 * (PKIX and XMPP identity), DANE (TLSA, only where DNSSEC makes it count) and
 * POSH, then one verdict per probe; per service, the POSH findings, what to
 * publish, and whether the targets serve the same certificate.
 */
import { tlsaOf } from '../dns/records.js';
import { createHash } from 'node:crypto';
import type { Answer } from 'dns-packet';
import { daneFindings } from './dane/findings.js';
import { poshFingerprint, poshMatch } from './posh.js';
import { type PoshResult } from '../posh/posh.js';
import { POSH_FINDINGS } from '../posh/findings.js';
import { codeSet, inContext, makeFinding } from '../core/finding.js';
import { CERT_FINDINGS } from './findings.js';
import type { CheckedProbe, DaneReport, Publish } from './types.js';
import type { Finding } from '../core/finding.js';
import type { ServiceKind } from '../core/types.js';
import type { OrderedService } from '../ordering/order.js';
import type { SecurityStatus } from '../dnssec/types.js';
import type { CertificateReport } from './certificate.js';
import type { ProbeReport } from '../probes/types.js';
import type { Clock } from '../core/clock.js';
import { verifyCertificate } from './certificate.js';
import { checkConsistency, type CertObservation } from './consistency.js';
import { daneApplies, evaluateDane, suggestTlsa, type Tlsa } from './dane/match.js';
import type { TrustStore } from './pkix.js';
import { VERDICT_FINDINGS as F } from './verdict-findings.js';
import type { SecurityResults } from '../dnssec/answers.js';
import { poshUrl, tlsaCanonicalOwner, tlsaOwner } from '../core/names.js';
import type { HostAddresses } from '../dns/lookup.js';
import { DANE_FINDINGS } from './dane/definitions.js';
import { decideVerdict, pkixProof, type ProofResult, type Verdict } from './verdict.js';
import { pinBlocker, publishAdvice } from './advice.js';

/** PKIX-only complaints that do not matter once DANE or POSH authenticates the server. */
const PKIX_ONLY = codeSet(
  CERT_FINDINGS.CERT_NAME_MISMATCH,
  CERT_FINDINGS.CERT_NAME_HOSTING_PROVIDER,
  CERT_FINDINGS.CERT_NAME_SRV_TARGET_SECURE,
  CERT_FINDINGS.CERT_SELF_SIGNED,
  CERT_FINDINGS.CERT_UNTRUSTED_ROOT,
  CERT_FINDINGS.CERT_CHAIN_INCOMPLETE,
);

/** POSH findings that only matter where neither PKIX nor DANE authenticates a server. */
const POSH_ONLY_IF_NEEDED = codeSet(POSH_FINDINGS.POSH_NONE, POSH_FINDINGS.POSH_UNREACHABLE, POSH_FINDINGS.POSH_SERVER_CERT_INVALID);

export interface VerifyOptions {
  domain: string;
  clock: Clock;
  trustStore: TrustStore;
  warnDays: number;
  /** An error when a certificate expires within this many days (default 7). */
  critDays?: number;
  /** Null when DNSSEC checks are off. */
  security: SecurityResults | null;
  posh: Partial<Record<ServiceKind, PoshResult | null>>;
  /** Discovery's address lookups (CNAME chains of the targets, for the TLSA base domain). */
  hosts?: Record<string, HostAddresses>;
}

const subjectOf = (p: ProbeReport): string => `${p.target}:${p.port} via ${p.address}`;

function tlsaRecords(records: Answer[]): Tlsa[] {
  return records.flatMap((r) => {
    const d = tlsaOf(r);
    return d ? [{ usage: d.usage, selector: d.selector, matchingType: d.matchingType, data: Buffer.from(d.certificate) }] : [];
  });
}

/** What one TLS (or QUIC) session presented, for verification. */
export interface SessionToVerify {
  service: ServiceKind;
  target: string;
  port: number;
  address: string;
  ipFamily: 4 | 6;
  /** DER, leaf first. */
  chainDer: Buffer[];
  /** s2s: what the stream features offered after TLS (null when unknown). */
  saslExternal?: boolean;
  dialback?: boolean;
  /** The TLSA owner (`_port._tcp.target` or `_port._udp.target`). */
  tlsaOwner: string;
  /** When the target is an alias (CNAME): the TLSA owner at the CNAME-expanded name, tried first (RFC 7671 §7). */
  tlsaCanonicalOwner?: string | null;
  /** SRV status the target rests on: null for a fallback (no SRV involved). */
  srvStatus: SecurityStatus | null;
  subject: string;
}

export interface SessionVerification {
  certificate: CertificateReport;
  dane: DaneReport | null;
  posh: { matched: boolean; hash: string | null } | null;
  verdict: Verdict;
  pkix: ProofResult;
  findings: Finding[];
}

/**
 * The TLSA base domain (RFC 7671 §7, which updates RFC 6698): for a target
 * that is an alias, the fully CNAME-expanded name when the expansion is
 * DNSSEC-secure and TLSA records (or a bogus answer) are found there;
 * otherwise the name in the SRV record. Says which one was used, and why.
 */
function tlsaBase(x: SessionToVerify, sec: SecurityResults, addrStatus: SecurityStatus): { owner: string; base: NonNullable<DaneReport['base']>; tried: string[]; finding: Finding | null } {
  const canonical = x.tlsaCanonicalOwner;
  if (!canonical || canonical === x.tlsaOwner) return { owner: x.tlsaOwner, base: 'target', tried: [x.tlsaOwner], finding: null };
  const canon = sec.get(canonical, 'TLSA');
  const secure = addrStatus === 'secure';
  const found = Boolean(canon && (canon.records.length || canon.status === 'bogus'));
  const useCanonical = secure && found;
  const owner = useCanonical ? canonical : x.tlsaOwner;
  const why = useCanonical
    ? `${canonical}, at the CNAME-expanded name (the expansion is DNSSEC-secure)`
    : !secure
      ? `${x.tlsaOwner}, at the name in the SRV record: the CNAME expansion is not DNSSEC-secure (${addrStatus}), so the expanded name does not count`
      : `${x.tlsaOwner}, at the name in the SRV record: ${canonical} has no TLSA records`;
  const finding = makeFinding(DANE_FINDINGS.DANE_TLSA_CNAME_BASE, owner, `${x.target} is an alias (CNAME); the TLSA records used are those of ${why}.`, { service: x.service });
  return { owner, base: useCanonical ? 'cname-expanded' : 'original-name', tried: secure ? [canonical, x.tlsaOwner] : [x.tlsaOwner], finding };
}

/**
 * Verifies one session's certificate chain by every prooftype: PKIX and
 * identity, DANE (when DNSSEC lets TLSA count) and POSH; then the verdict.
 * The same code serves STARTTLS, direct TLS and QUIC (XEP-0368 §6, XEP-0467 §4).
 */
export function verifyChain(x: SessionToVerify, srvTargets: string[], opts: VerifyOptions): SessionVerification {
  const { chainDer, subject } = x;
  const cert = verifyCertificate(chainDer, {
    domain: opts.domain,
    service: x.service,
    srvTargets,
    trustStore: opts.trustStore,
    clock: opts.clock,
    warnDays: opts.warnDays,
    critDays: opts.critDays,
    saslExternal: x.saslExternal,
    dialback: x.dialback,
    srvTarget: x.target,
    // A certificate naming the SRV target counts when the SRV answer is DNSSEC-secure (draft-ietf-xmpp-dna §6).
    srvTargetSecure: x.srvStatus === 'secure',
    subject,
  });
  const findings = [...cert.findings];
  const pkix = pkixProof(cert.report, opts.clock.now());

  // DANE.
  let dane: DaneReport | null = null;
  let daneProof: ProofResult = { status: 'not-applicable', reason: 'DNSSEC checks are off' };
  const sec = opts.security;
  if (sec) {
    const srvStatus = x.srvStatus;
    const addrStatus = sec.status(x.target, x.ipFamily === 4 ? 'A' : 'AAAA') ?? 'indeterminate';
    const base = tlsaBase(x, sec, addrStatus);
    if (base.finding) findings.push(base.finding);
    const owner = base.owner;
    const tlsaResult = sec.get(owner, 'TLSA');
    const tlsa = tlsaResult ? tlsaRecords(tlsaResult.records) : [];
    const app = daneApplies(srvStatus, addrStatus, tlsaResult?.status ?? 'indeterminate');
    const id = cert.report.identity;
    const nameMatches = (): boolean => Boolean(id?.matched || (srvStatus === 'secure' && id?.coversSrvTarget === x.target));
    const evaluation = tlsa.length && app.applies ? evaluateDane(tlsa, chainDer, { pkixValid: pkix.status === 'pass', nameMatches }) : null;
    dane = {
      owner,
      base: base.base,
      tried: base.tried,
      tlsaStatus: tlsaResult?.status ?? null,
      applies: app.applies,
      reason: tlsa.length ? app.reason : !tlsaResult ? 'TLSA not looked up' : tlsaResult.status === 'secure' ? 'no TLSA records (securely denied)' : 'no TLSA records',
      outcome: !tlsa.length ? 'none' : !app.applies ? 'not-applicable' : evaluation!.outcome,
      records: evaluation ? evaluation.records.map((r) => ({ text: r.text, verdict: r.verdict, matchedIndex: r.matchedIndex, reason: r.reason })) : [],
    };
    if (tlsaResult) {
      findings.push(
        ...daneFindings({ service: x.service, port: x.port, target: x.target, owner, tlsa: tlsaResult, srvStatus, addressStatus: addrStatus, chain: chainDer, evaluation, pkixValid: pkix.status === 'pass', pinBlocker: pinBlocker(cert.report, opts.clock.now()) }),
      );
    }
    const bogusTlsa = tlsaResult?.status === 'bogus' && (srvStatus === null || srvStatus === 'secure') && addrStatus === 'secure';
    daneProof =
      dane.outcome === 'pass'
        ? { status: 'pass', reason: evaluation!.matched!.reason }
        : dane.outcome === 'fail'
          ? { status: 'fail', reason: 'a DNSSEC-secure, usable TLSA record set matches nothing the server presents' }
          : bogusTlsa
            ? { status: 'fail', reason: 'the TLSA answer is bogus: a DANE client must not connect (RFC 6698 §4.1)' }
            : { status: 'not-applicable', reason: dane.reason };
  }

  // POSH.
  const posh = opts.posh[x.service] ?? null;
  const POSH_WORDS = { none: 'no POSH file', error: 'the POSH file could not be fetched', invalid: 'the POSH file is unusable', found: '' } as const;
  let poshProof: ProofResult = { status: 'not-applicable', reason: posh ? POSH_WORDS[posh.status] : 'POSH not checked' };
  let poshMatched: SessionVerification['posh'] = null;
  if (posh && posh.status === 'found') {
    poshMatched = poshMatch(posh, chainDer[0]!);
    poshProof = poshMatched.matched ? { status: 'pass', reason: `${posh.url} lists the certificate (${poshMatched.hash})` } : { status: 'fail', reason: `${posh.url} does not list the certificate` };
  }

  const verdict = decideVerdict(pkix, daneProof, poshProof);
  let out = findings;
  if (verdict.authenticated && pkix.status !== 'pass') {
    // DANE or POSH authenticates: the PKIX complaints give way, and one finding says which prooftype carried it.
    // For c2s, the DANE stage's DANE_PKIX_FAIL_C2S warns that few clients do DANE.
    out = findings.filter((f) => !PKIX_ONLY.has(f.code));
    const def = verdict.by === 'posh' ? F.AUTH_VIA_POSH : F.AUTH_VIA_DANE;
    out.push(makeFinding(def, subject, `PKIX fails (${pkix.reason}), but ${verdict.by === 'posh' ? poshProof.reason : `DANE matches: ${daneProof.reason}`}.`, { service: x.service }));
  } else if (!verdict.authenticated && verdict.decidedBy !== 'dane') {
    out.push(makeFinding(F.AUTH_NONE, subject, `Not authenticated for ${opts.domain}: PKIX: ${pkix.reason}; DANE: ${daneProof.reason}; POSH: ${poshProof.reason}.`, { service: x.service }));
  }
  // When DANE decides against the connection, DANE_TLSA_MISMATCH (or DANE_TLSA_BOGUS) is the verdict's error, and says what clients without DANE conclude.
  return { certificate: cert.report, dane, posh: poshMatched, verdict, pkix, findings: out };
}

export const srvTargetsOf = (s: Pick<OrderedService, 'candidates'>): string[] => [...new Set(s.candidates.filter((c) => c.source === 'srv').map((c) => c.target))];

function verifyProbe(p: ProbeReport, s: OrderedService, services: readonly OrderedService[], opts: VerifyOptions): { probe: CheckedProbe; findings: Finding[] } {
  const base: CheckedProbe = { ...p, certificate: null, dane: null, posh: null, verdict: null };
  const chainDer = (p.tls?.chain ?? []).map((c) => Buffer.from(c.der, 'base64'));
  const cand = s.candidates.find((c) => c.id === p.candidateId) ?? (s.legacyFallback?.id === p.candidateId ? s.legacyFallback : undefined);
  if (!p.tls || !chainDer.length || !cand) return { probe: base, findings: [] };
  const features = p.tlsStream?.features ?? null;
  const v = verifyChain(
    {
      service: p.service,
      target: p.target,
      port: p.port,
      address: p.address,
      ipFamily: p.ipFamily,
      chainDer,
      saslExternal: features ? features.mechanisms.includes('EXTERNAL') : undefined,
      dialback: features ? features.dialback : undefined,
      tlsaOwner: tlsaOwner(cand),
      tlsaCanonicalOwner: tlsaCanonicalOwner(cand, opts.hosts?.[cand.target]?.cnames),
      srvStatus: opts.security ? opts.security.srvStatus(cand, services) : null,
      subject: subjectOf(p),
    },
    srvTargetsOf(s),
    opts,
  );
  return { probe: { ...base, certificate: v.certificate, dane: v.dane, posh: v.posh, verdict: v.verdict }, findings: v.findings };
}

function publishFor(domain: string, s: OrderedService, checked: CheckedProbe[], nowMs: number): Publish {
  const leaves = new Map<string, Buffer>();
  const tlsa = new Set<string>();
  for (const p of checked) {
    const chain = (p.tls?.chain ?? []).map((c) => Buffer.from(c.der, 'base64'));
    if (!chain.length) continue;
    leaves.set(createHash('sha256').update(chain[0]!).digest('hex'), chain[0]!);
    for (const t of suggestTlsa(chain, p.port, p.target)) tlsa.add(t.line);
  }
  const fps = [...leaves.values()].map((der) => ({ 'sha-256': poshFingerprint(der, 'sha-256') }));
  const advice = publishAdvice(checked, nowMs);
  // Never a pin for a certificate that must be fixed first.
  const pins = advice.decision !== 'fix-certificate';
  return {
    posh: pins && fps.length ? JSON.stringify({ fingerprints: fps, expires: 86400 }) : null,
    poshUrl: poshUrl(domain, s.service),
    tlsa: pins ? [...tlsa] : [],
    advice,
  };
}

/** What verification made of one service: its probes with their verdicts, its POSH file, what to publish. */
export interface ServiceVerification {
  service: ServiceKind;
  probes: CheckedProbe[];
  posh: PoshResult | null;
  publish: Publish;
}

export interface Verification {
  /** In the order of the services given. */
  services: ServiceVerification[];
  findings: Finding[];
}

/** The verification stage: every probe of every service, by every prooftype; then POSH, what to publish and consistency across targets. */
export function verify(services: readonly OrderedService[], probes: readonly ProbeReport[], opts: VerifyOptions): Verification {
  const findings: Finding[] = [];
  const observations: CertObservation[] = [];
  const out: ServiceVerification[] = [];
  for (const s of services) {
    const results = probes.filter((p) => p.service === s.service).map((p) => verifyProbe(p, s, services, opts));
    const checked = results.map((r) => r.probe);
    for (const r of results) findings.push(...r.findings);
    const posh = opts.posh[s.service] ?? null;
    const publish = publishFor(opts.domain, s, checked, opts.clock.now());
    if (posh) {
      // "No POSH" only matters where neither PKIX nor DANE authenticates a server.
      // A broken POSH file is an error only where POSH is what would have to authenticate (docs/findings.md, "Severity in context").
      const poshMatters = checked.some((p) => p.verdict && p.verdict.by !== 'pkix' && p.verdict.by !== 'dane');
      const inPosh = (f: Finding): Finding => inContext(f, POSH_FINDINGS, 'posh', !poshMatters);
      findings.push(...posh.findings.filter((f) => poshMatters || !POSH_ONLY_IF_NEEDED.has(f.code)).map(inPosh));
      if (posh.status === 'found') {
        const stale = checked.filter((p) => p.posh && !p.posh.matched);
        if (stale.length) {
          findings.push(
            inPosh(makeFinding(
              POSH_FINDINGS.POSH_MISMATCH,
              posh.url ?? publish.poshUrl,
              `${posh.url} lists none of the certificates ${stale.map((p) => `${p.target}:${p.port}`).filter((v, i, a) => a.indexOf(v) === i).join(', ')} present${posh.delegatedTo ? ` (delegated from ${publish.poshUrl})` : ''}.`,
              {
                service: s.service,
                fix: publish.posh ? `Publish this at ${posh.url}: ${publish.posh}` : `Fix the certificate first, then list its fingerprint at ${posh.url}: ${publish.advice.reason}`,
              },
            )),
          );
        }
      }
    }
    for (const p of checked) {
      const leaf = p.certificate?.leaf;
      if (!leaf) continue;
      observations.push({ probeId: p.id, service: p.service, target: p.target, port: p.port, ipFamily: p.ipFamily, mode: p.mode, address: p.address, fingerprint: leaf.sha256, notAfter: leaf.notAfter });
    }
    out.push({ service: s.service, probes: checked, posh, publish });
  }
  findings.push(...checkConsistency(observations));
  return { services: out, findings };
}
