/**
 * The report's top-level `certificates[]`: every distinct certificate the
 * servers presented, once, with its names, its dates and days left, and
 * where it was presented (service, transport, target, address), so that
 * expiry is `jq '.certificates[].daysLeft'`. Leaves and the intermediates
 * sent with them; from XMPP over TCP and QUIC, and from the HTTPS servers of
 * WebSocket and BOSH endpoints.
 */
import type { CertificateEntry, Report, ServiceReport } from './model.js';
import type { CertificateDescription } from '../verify/certificate.js';

const DAY = 86_400_000;

function namesOf(d: CertificateDescription): string[] {
  const san = d.san;
  const names = san ? [...(san.dns ?? []), ...(san.srv ?? []), ...(san.xmppAddr ?? [])] : [];
  return names.length ? names : d.subjectCn ? [d.subjectCn] : [];
}

export function collectCertificates(services: readonly Omit<ServiceReport, 'status'>[], web: Report['web'], nowMs: number): CertificateEntry[] {
  const byHash = new Map<string, CertificateEntry>();
  const add = (d: CertificateDescription, role: CertificateEntry['role'], where: CertificateEntry['presentedBy'][number]): void => {
    let e = byHash.get(d.sha256);
    if (!e) {
      e = { sha256: d.sha256, role, subject: d.subject, names: namesOf(d), issuer: d.issuer, notBefore: d.notBefore, notAfter: d.notAfter, daysLeft: d.daysLeft, presentedBy: [], pem: d.pem };
      byHash.set(d.sha256, e);
    }
    if (!e.presentedBy.some((w) => w.service === where.service && w.transport === where.transport && w.target === where.target && w.port === where.port && w.address === where.address)) e.presentedBy.push(where);
  };
  for (const s of services) {
    const sessions = [
      ...s.probes.map((p) => ({ cert: p.certificate, where: { service: s.service, transport: 'tcp' as const, target: p.target, port: p.port, address: p.address } })),
      ...(s.quic?.probes ?? []).map((q) => ({ cert: q.certificate, where: { service: s.service, transport: 'quic' as const, target: q.host, port: q.port, address: q.address } })),
    ];
    for (const { cert, where } of sessions) {
      if (!cert?.leaf) continue;
      add(cert.leaf, 'leaf', where);
      for (const c of cert.chain) if (!c.isCa || !c.selfIssued) add(c, 'intermediate', where);
    }
  }
  for (const e of web?.endpoints ?? []) {
    const tls = e.result.tls;
    if (!tls?.fingerprint256) continue;
    const sha256 = tls.fingerprint256.replace(/:/g, '').toLowerCase();
    const where = { service: null, transport: e.transport, target: e.url, port: null, address: e.result.address ?? null };
    let entry = byHash.get(sha256);
    if (!entry) {
      const notAfter = tls.validTo ? new Date(tls.validTo).toISOString() : null;
      entry = {
        sha256,
        role: 'leaf',
        subject: tls.subjectCn ? `CN=${tls.subjectCn}` : '',
        names: tls.dnsNames.length ? tls.dnsNames : tls.subjectCn ? [tls.subjectCn] : [],
        issuer: null,
        notBefore: null,
        notAfter,
        daysLeft: notAfter ? Math.floor((Date.parse(notAfter) - nowMs) / DAY) : null,
        presentedBy: [],
      };
      byHash.set(sha256, entry);
    }
    entry.presentedBy.push(where);
  }
  return [...byHash.values()];
}
