/**
 * The verification stage: for every probe that reached TLS, the certificate
 * (PKIX and XMPP identity), DANE (TLSA, only where DNSSEC makes it count) and
 * POSH, then one verdict per probe; per service, the POSH findings, what to
 * publish, and whether the targets serve the same certificate.
 */
import { createHash } from 'node:crypto';
import type { Answer } from 'dns-packet';
import { daneFindings } from '../dnssec/report.js';
import { poshFingerprint, poshMatch, type PoshResult } from '../posh/posh.js';
import { POSH_FINDINGS } from '../posh/findings.js';
import { makeFinding } from '../report/finding.js';
import type { CheckedProbe, DaneReport, Finding, Publish, ServiceKind, ServiceReport } from '../report/model.js';
import type { ProbeReport } from '../probes/types.js';
import type { Clock } from '../util/clock.js';
import { verifyCertificate } from '../verify/certificate.js';
import { checkConsistency, type CertObservation } from '../verify/consistency.js';
import { daneApplies, evaluateDane, suggestTlsa, type Tlsa } from '../verify/dane.js';
import type { TrustStore } from '../verify/pkix.js';
import { VERDICT_FINDINGS as F } from './findings.js';
import type { SecurityResults } from './security.js';
import { tlsaOwner } from './security.js';
import { decideVerdict, pkixProof, type ProofResult } from './verdict.js';

/** PKIX-only complaints that do not matter once DANE or POSH authenticates the server. */
const PKIX_ONLY = new Set(['CERT_NAME_MISMATCH', 'CERT_NAME_HOSTING_PROVIDER', 'CERT_SELF_SIGNED', 'CERT_UNTRUSTED_ROOT', 'CERT_CHAIN_INCOMPLETE']);

export interface VerifyOptions {
  domain: string;
  clock: Clock;
  trustStore: TrustStore;
  warnDays: number;
  /** Null when DNSSEC checks are off. */
  security: SecurityResults | null;
  posh: Partial<Record<ServiceKind, PoshResult | null>>;
}

const subjectOf = (p: ProbeReport): string => `${p.target}:${p.port} via ${p.address}`;

function tlsaOf(records: Answer[]): Tlsa[] {
  return records
    .filter((r) => r.type === 'TLSA')
    .map((r) => {
      const d = (r as { data: { usage: number; selector: number; matchingType: number; certificate: Buffer } }).data;
      return { usage: d.usage, selector: d.selector, matchingType: d.matchingType, data: Buffer.from(d.certificate) };
    });
}

interface ProbeOutcome {
  probe: CheckedProbe;
  findings: Finding[];
  pkix: ProofResult | null;
}

function verifyProbe(p: ProbeReport, s: ServiceReport, services: ServiceReport[], opts: VerifyOptions): ProbeOutcome {
  const base: CheckedProbe = { ...p, certificate: null, dane: null, posh: null, verdict: null };
  const chainDer = (p.tls?.chain ?? []).map((c) => Buffer.from(c.der, 'base64'));
  if (!p.tls || !chainDer.length) return { probe: base, findings: [], pkix: null };
  const subject = subjectOf(p);
  const cand = s.candidates.find((c) => c.id === p.candidateId);
  const features = p.tlsStream?.features ?? null;
  const srvTargets = [...new Set(s.candidates.filter((c) => c.source === 'srv').map((c) => c.target))];
  const cert = verifyCertificate(chainDer, {
    domain: opts.domain,
    service: p.service,
    srvTargets,
    trustStore: opts.trustStore,
    clock: opts.clock,
    warnDays: opts.warnDays,
    saslExternal: features ? features.mechanisms.includes('EXTERNAL') : undefined,
    dialback: features ? features.dialback : undefined,
    srvTarget: p.target,
    subject,
  });
  const findings = [...cert.findings];
  const pkix = pkixProof(cert.report, opts.clock.now());

  // DANE.
  let dane: DaneReport | null = null;
  let daneProof: ProofResult = { status: 'not-applicable', reason: 'DNSSEC checks are off' };
  const sec = opts.security;
  if (sec && cand) {
    const owner = tlsaOwner(cand);
    const tlsaResult = sec.get(owner, 'TLSA');
    const tlsa = tlsaResult ? tlsaOf(tlsaResult.records) : [];
    const srvStatus = sec.srvStatus(cand, services);
    const addrStatus = sec.status(p.target, p.ipFamily === 4 ? 'A' : 'AAAA') ?? 'indeterminate';
    const app = daneApplies(srvStatus, addrStatus, tlsaResult?.status ?? 'indeterminate');
    const id = cert.report.identity;
    const nameMatches = (): boolean => Boolean(id?.matched || (srvStatus === 'secure' && id?.coversSrvTarget === p.target));
    const evaluation = tlsa.length && app.applies ? evaluateDane(tlsa, chainDer, { pkixValid: pkix.status === 'pass', nameMatches }) : null;
    dane = {
      owner,
      tlsaStatus: tlsaResult?.status ?? null,
      applies: app.applies,
      reason: tlsa.length ? app.reason : tlsaResult?.status === 'secure' ? 'no TLSA records (securely denied)' : 'no TLSA records',
      outcome: !tlsa.length ? 'none' : !app.applies ? 'not-applicable' : evaluation!.outcome,
      records: evaluation ? evaluation.records.map((r) => ({ text: r.text, verdict: r.verdict, matchedIndex: r.matchedIndex, reason: r.reason })) : [],
    };
    if (tlsaResult) {
      findings.push(
        ...daneFindings({ service: p.service, port: p.port, target: p.target, tlsa: tlsaResult, srvStatus, addressStatus: addrStatus, chain: chainDer, evaluation, pkixValid: pkix.status === 'pass' }),
      );
    }
    daneProof =
      dane.outcome === 'pass'
        ? { status: 'pass', reason: evaluation!.matched!.reason }
        : dane.outcome === 'fail'
          ? { status: 'fail', reason: 'no secure TLSA record matches the certificate' }
          : { status: 'not-applicable', reason: dane.reason };
  }

  // POSH.
  const posh = opts.posh[p.service] ?? null;
  const POSH_WORDS = { none: 'no POSH file', error: 'the POSH file could not be fetched', invalid: 'the POSH file is unusable', found: '' } as const;
  let poshProof: ProofResult = { status: 'not-applicable', reason: posh ? POSH_WORDS[posh.status] : 'POSH not checked' };
  if (posh && posh.status === 'found') {
    const m = poshMatch(posh, chainDer[0]!);
    base.posh = m;
    poshProof = m.matched ? { status: 'pass', reason: `${posh.url} lists the certificate (${m.hash})` } : { status: 'fail', reason: `${posh.url} does not list the certificate` };
  }

  const verdict = decideVerdict(pkix, daneProof, poshProof);
  let out = findings;
  if (verdict.authenticated && verdict.by !== 'pkix') {
    out = findings.filter((f) => !PKIX_ONLY.has(f.code));
    // For c2s, the DANE stage's DANE_PKIX_FAIL_C2S warns that few clients do DANE.
    const def = verdict.by === 'posh' ? F.AUTH_VIA_POSH : F.AUTH_VIA_DANE;
    out.push(makeFinding(def, subject, `PKIX fails (${pkix.reason}), but ${verdict.by === 'posh' ? poshProof.reason : `DANE matches: ${daneProof.reason}`}.`, { service: p.service }));
  } else if (!verdict.authenticated) {
    out.push(
      makeFinding(F.AUTH_NONE, subject, `Not authenticated for ${opts.domain}: PKIX: ${pkix.reason}; DANE: ${daneProof.reason}; POSH: ${poshProof.reason}.`, { service: p.service }),
    );
  }
  return { probe: { ...base, certificate: cert.report, dane, verdict }, findings: out, pkix };
}

function publishFor(domain: string, s: ServiceReport, checked: CheckedProbe[]): Publish {
  const name = s.service === 'c2s' ? 'xmpp-client' : 'xmpp-server';
  const leaves = new Map<string, Buffer>();
  const tlsa = new Set<string>();
  for (const p of checked) {
    const chain = (p.tls?.chain ?? []).map((c) => Buffer.from(c.der, 'base64'));
    if (!chain.length) continue;
    leaves.set(createHash('sha256').update(chain[0]!).digest('hex'), chain[0]!);
    for (const t of suggestTlsa(chain, p.port, p.target)) tlsa.add(t.line);
  }
  const fps = [...leaves.values()].map((der) => ({ 'sha-256': poshFingerprint(der, 'sha-256') }));
  return {
    posh: fps.length ? JSON.stringify({ fingerprints: fps, expires: 86400 }) : null,
    poshUrl: `https://${domain}/.well-known/posh/${name}.json`,
    tlsa: [...tlsa],
  };
}

/** Verifies every probe; fills each service's probes, POSH and publish sections; returns the findings. */
export function verifyServices(services: ServiceReport[], probes: ProbeReport[], opts: VerifyOptions): Finding[] {
  const findings: Finding[] = [];
  const observations: CertObservation[] = [];
  for (const s of services) {
    const mine = probes.filter((p) => p.service === s.service);
    const results = mine.map((p) => verifyProbe(p, s, services, opts));
    s.probes = results.map((r) => r.probe);
    for (const r of results) findings.push(...r.findings);
    const posh = opts.posh[s.service] ?? null;
    s.posh = posh;
    s.publish = publishFor(opts.domain, s, s.probes);
    if (posh) {
      // "No POSH" only matters where neither PKIX nor DANE authenticates a server.
      const poshMatters = s.probes.some((p) => p.verdict && p.verdict.by !== 'pkix' && p.verdict.by !== 'dane');
      findings.push(...posh.findings.filter((f) => poshMatters || (f.code !== 'POSH_NONE' && f.code !== 'POSH_UNREACHABLE')));
      if (posh.status === 'found') {
        const stale = s.probes.filter((p) => p.posh && !p.posh.matched);
        if (stale.length) {
          findings.push(
            makeFinding(
              POSH_FINDINGS.POSH_MISMATCH,
              posh.url ?? s.publish.poshUrl,
              `${posh.url} lists none of the certificates ${stale.map((p) => `${p.target}:${p.port}`).filter((v, i, a) => a.indexOf(v) === i).join(', ')} present${posh.delegatedTo ? ` (delegated from ${s.publish.poshUrl})` : ''}.`,
              { service: s.service, fix: `Publish this at ${posh.url}: ${s.publish.posh}` },
            ),
          );
        }
      }
    }
    for (const p of s.probes) {
      const leaf = p.certificate?.leaf;
      if (!leaf) continue;
      observations.push({ probeId: p.id, service: p.service, target: p.target, port: p.port, ipFamily: p.ipFamily, mode: p.mode, address: p.address, fingerprint: leaf.sha256, notAfter: leaf.notAfter });
    }
  }
  findings.push(...checkConsistency(observations));
  return findings;
}
