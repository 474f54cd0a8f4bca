/**
 * One authentication verdict per connection: PKIX (a trusted chain and a
 * name for the domain), DANE (a secure, matching TLSA record) and POSH (the
 * domain's POSH file lists the certificate), each pass / fail / not
 * applicable with its reason; the connection is authenticated when one
 * passes, and the verdict names the prooftype that carried it
 * (draft-ietf-xmpp-dna §4–§6).
 */
import type { CertificateReport } from './certificate.js';

export type ProofStatus = 'pass' | 'fail' | 'not-applicable';
export type Prooftype = 'pkix' | 'dane' | 'posh';

export interface ProofResult {
  status: ProofStatus;
  reason: string;
}

export interface Verdict {
  authenticated: boolean;
  /** The prooftype that carried it (PKIX preferred, then DANE, then POSH). */
  by: Prooftype | null;
  pkix: ProofResult;
  dane: ProofResult;
  posh: ProofResult;
}

const PKIX_STATUS_WORDS: Record<string, string> = {
  'self-signed': 'the certificate is self-signed',
  'untrusted-root': 'the chain ends at a root that is not trusted',
  incomplete: 'the chain is incomplete (an intermediate is missing)',
  'bad-signature': 'a signature in the chain does not verify',
  'no-certificate': 'no certificate was presented',
  unparseable: 'the certificate cannot be parsed',
};

/** PKIX: trusted path, within its validity dates, and a name for the domain. */
export function pkixProof(cert: CertificateReport | null, nowMs: number): ProofResult {
  if (!cert || !cert.leaf) return { status: 'not-applicable', reason: 'no certificate was presented' };
  if (!cert.pkix.trusted) return { status: 'fail', reason: PKIX_STATUS_WORDS[cert.pkix.status] ?? cert.pkix.status };
  if (Date.parse(cert.leaf.notAfter) < nowMs) return { status: 'fail', reason: `the certificate expired on ${cert.leaf.notAfter.slice(0, 10)}` };
  if (Date.parse(cert.leaf.notBefore) > nowMs) return { status: 'fail', reason: `the certificate is not valid before ${cert.leaf.notBefore.slice(0, 10)}` };
  const id = cert.identity;
  if (!id || !id.matched || !id.by) {
    const cover = id?.coversSrvTarget ? `it names the SRV target ${id.coversSrvTarget}, not the domain` : 'it does not name the domain';
    return { status: 'fail', reason: `trusted chain, but ${cover}` };
  }
  return { status: 'pass', reason: `trusted chain; ${id.by.type === 'dns' ? 'DNS-ID' : id.by.type === 'srv' ? 'SRV-ID' : id.by.type === 'xmppaddr' ? 'XmppAddr' : 'CN'} ${id.by.value}` };
}

export function decideVerdict(pkix: ProofResult, dane: ProofResult, posh: ProofResult): Verdict {
  const by: Prooftype | null = pkix.status === 'pass' ? 'pkix' : dane.status === 'pass' ? 'dane' : posh.status === 'pass' ? 'posh' : null;
  return { authenticated: by !== null, by, pkix, dane, posh };
}

/** One line for the table: "PKIX ✓", "POSH ✓ (PKIX ✗)", "none". */
export function verdictShort(v: Verdict | null): string {
  if (!v) return '-';
  const mark = (p: ProofResult): string => (p.status === 'pass' ? '✓' : p.status === 'fail' ? '✗' : '–');
  const parts = (['pkix', 'dane', 'posh'] as const).filter((k) => v[k].status !== 'not-applicable').map((k) => `${k.toUpperCase()} ${mark(v[k])}`);
  return `${v.authenticated ? `via ${v.by!.toUpperCase()}` : 'NOT authenticated'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}
