/**
 * Whether it is honest to suggest pinning a certificate (a TLSA record, a
 * POSH fingerprint). A pin makes clients accept what it names, so a
 * certificate that is expired, not yet valid, untrusted or issued for another
 * name must be fixed first: pinning it would only make a broken certificate
 * look authenticated. Decided here, in verification, so that the table, the
 * JSON and the findings' fixes say the same.
 */
import type { CheckedProbe, PublishAdvice } from './types.js';
import type { CertificateReport } from './certificate.js';

const UNTRUSTED: Record<string, string> = {
  'self-signed': 'is self-signed',
  'untrusted-root': 'chains to a root nobody trusts',
  incomplete: 'is served without its intermediate certificate',
  'bad-signature': 'has a signature that does not verify',
  'issuer-not-ca': 'was signed by a certificate that is no CA',
  unparseable: 'cannot be parsed',
};

/** Why this certificate must be fixed before anyone pins it; null when pinning it is fine. */
export function pinBlocker(cert: CertificateReport | null, nowMs: number): string | null {
  const leaf = cert?.leaf;
  if (!cert || !leaf) return null;
  if (Date.parse(leaf.notAfter) < nowMs) return `expired on ${leaf.notAfter.slice(0, 10)}`;
  if (Date.parse(leaf.notBefore) > nowMs) return `is not valid before ${leaf.notBefore.slice(0, 10)}`;
  if (!cert.pkix.trusted) return UNTRUSTED[cert.pkix.status] ?? `is not trusted (${cert.pkix.status})`;
  const id = cert.identity;
  if (id && !id.matched && !id.coversSrvTarget) return 'names neither the domain nor the SRV target';
  return null;
}

/**
 * What to tell the operator about publishing pins for one service: nothing
 * when every connection is authenticated and no pin is stale; "fix the
 * certificate first" when a presented certificate cannot honestly be pinned;
 * else publish the POSH file and TLSA records for what the servers present.
 */
export function publishAdvice(probes: CheckedProbe[], nowMs: number): PublishAdvice {
  const needing = probes.filter((p) => (p.verdict && !p.verdict.authenticated) || (p.posh && !p.posh.matched) || p.dane?.outcome === 'fail');
  if (!needing.length) return { decision: 'none', reason: 'every connection is authenticated and no TLSA record or POSH file is stale' };
  const blocked: string[] = [];
  for (const p of probes) {
    const why = pinBlocker(p.certificate, nowMs);
    const where = `${p.target}:${p.port}`;
    if (why && !blocked.some((b) => b.startsWith(`${where} `))) blocked.push(`${where} presents a certificate that ${why}`);
  }
  if (blocked.length) {
    return {
      decision: 'fix-certificate',
      reason: `${blocked.slice(0, 4).join('; ')}${blocked.length > 4 ? `; and ${blocked.length - 4} more` : ''}. A TLSA record or POSH fingerprint for it would only make a broken certificate look authenticated: fix the certificate, then pin the new one.`,
    };
  }
  return { decision: 'publish', reason: `${needing.length} connection${needing.length === 1 ? ' is' : 's are'} not authenticated, or a TLSA record or POSH file no longer matches` };
}
