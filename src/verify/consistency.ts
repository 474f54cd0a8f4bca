/**
 * Consistency of certificates across probes: one service's targets, the IPv4
 * and IPv6 addresses of one target, and STARTTLS versus direct TLS on one
 * host should serve the same (current) certificate. A difference usually
 * means a renewed certificate was not installed or reloaded everywhere.
 */
import type { ConnectMode, ServiceKind } from '../core/types.js';
import type { Finding } from '../core/finding.js';
import { makeFinding } from '../core/finding.js';
import { CERT_FINDINGS as F } from './findings.js';

/** What one probe saw, reduced to what consistency needs. */
export interface CertObservation {
  probeId: string;
  service: ServiceKind;
  target: string;
  port: number;
  ipFamily: 4 | 6;
  mode: ConnectMode;
  /** The address probed; lets different servers behind one name be told apart. */
  address?: string;
  /** SHA-256 of the leaf DER, hex. */
  fingerprint: string;
  /** The leaf's notAfter, ISO 8601. */
  notAfter: string;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

const distinct = <T>(xs: T[]): T[] => [...new Set(xs)];
const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));
const short = (fp: string): string => fp.replace(/:/g, '').toLowerCase().slice(0, 16);
const norm = (o: CertObservation): CertObservation => ({ ...o, target: o.target.toLowerCase().replace(/\.$/, ''), fingerprint: o.fingerprint.replace(/:/g, '').toLowerCase() });

/** "fp1 (probe a, probe b) vs fp2 (probe c)" */
function listing(obs: CertObservation[], by: (o: CertObservation) => string, label: (o: CertObservation) => string): string {
  return [...groupBy(obs, by)].map(([k, os]) => `${k} on ${distinct(os.map(label)).join(', ')}`).join(' vs ');
}

/** Compares the leaf certificates the probes saw; returns findings. */
export function checkConsistency(input: CertObservation[]): Finding[] {
  const obs = input.filter((o) => o.fingerprint).map(norm);
  const out: Finding[] = [];

  // 1. Across the targets of one service.
  for (const [service, list] of groupBy(obs, (o) => o.service)) {
    const targets = distinct(list.map((o) => `${o.target}:${o.port}`));
    if (targets.length < 2) continue;
    const subject = `${service} targets`;
    const expiries = distinct(list.map((o) => o.notAfter));
    const fps = distinct(list.map((o) => o.fingerprint));
    if (expiries.length > 1) {
      const detail = listing(list, (o) => `expiry ${o.notAfter.slice(0, 10)}`, (o) => `${o.target}:${o.port}`);
      out.push(makeFinding(F.CERT_EXPIRY_DIFFERS_ACROSS_TARGETS, subject, `The ${service} targets serve certificates with ${expiries.length} different expiry dates: ${detail}.`, { service: service as ServiceKind }));
    } else if (fps.length > 1) {
      const detail = listing(list, (o) => short(o.fingerprint), (o) => `${o.target}:${o.port}`);
      out.push(makeFinding(F.CERT_DIFFERS_ACROSS_TARGETS, subject, `The ${service} targets serve ${fps.length} different certificates: ${detail}.`, { service: service as ServiceKind }));
    }
  }

  // 2. IPv4 vs IPv6 of one target (same port and mode); then addresses within a family.
  for (const [, list] of groupBy(obs, (o) => `${o.service}|${o.target}|${o.port}|${o.mode}`)) {
    const o0 = list[0]!;
    const where = `${o0.target}:${o0.port}`;
    const byFamily = groupBy(list, (o) => String(o.ipFamily));
    const v4 = distinct((byFamily.get('4') ?? []).map((o) => o.fingerprint));
    const v6 = distinct((byFamily.get('6') ?? []).map((o) => o.fingerprint));
    if (v4.length && v6.length && !sameSet(v4, v6)) {
      const detail = listing(list, (o) => `IPv${o.ipFamily}`, (o) => short(o.fingerprint));
      out.push(makeFinding(F.CERT_DIFFERS_BY_IP_FAMILY, where, `IPv4 and IPv6 of ${where} (${o0.mode}) serve different certificates: ${detail}.`, { service: o0.service }));
    }
    for (const [fam, fl] of byFamily) {
      const fps = distinct(fl.map((o) => o.fingerprint));
      if (fps.length > 1) {
        const detail = listing(fl, (o) => short(o.fingerprint), (o) => o.address ?? o.probeId);
        out.push(makeFinding(F.CERT_DIFFERS_BY_ADDRESS, where, `The IPv${fam} addresses of ${where} (${o0.mode}) serve different certificates: ${detail}.`, { service: o0.service }));
      }
    }
  }

  // 3. STARTTLS vs direct TLS on one host.
  for (const [, list] of groupBy(obs, (o) => `${o.service}|${o.target}`)) {
    const starttls = distinct(list.filter((o) => o.mode === 'starttls').map((o) => o.fingerprint));
    const direct = distinct(list.filter((o) => o.mode === 'directtls').map((o) => o.fingerprint));
    if (!starttls.length || !direct.length) continue;
    if (sameSet(starttls, direct)) continue;
    const o0 = list[0]!;
    const detail = listing(list, (o) => (o.mode === 'starttls' ? 'STARTTLS' : 'direct TLS'), (o) => `${short(o.fingerprint)} (port ${o.port}, expires ${o.notAfter.slice(0, 10)})`);
    out.push(makeFinding(F.CERT_DIFFERS_BY_MODE, o0.target, `STARTTLS and direct TLS on ${o0.target} serve different certificates: ${detail}.`, { service: o0.service }));
  }
  return out;
}
