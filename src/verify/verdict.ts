/**
 * One authentication verdict per connection, from three prooftypes
 * (draft-ietf-xmpp-dna §4–§6): PKIX (a trusted chain and a name for the
 * domain), DANE (a DNSSEC-secure TLSA RRset, RFC 7673) and POSH (the domain's
 * POSH file, RFC 7711), each pass / fail / not applicable with its reason.
 *
 * The precedence rule (docs/findings.md, README "One verdict per connection"):
 * 1. DANE, when a secure, usable TLSA RRset exists for the target (or its
 *    TLSA answer is bogus): it alone decides, for a DANE-aware client must
 *    refuse a certificate that no such record matches (RFC 7673 §3, RFC 6698
 *    §2.1, RFC 7671 §4.1), whatever PKIX says;
 * 2. else PKIX, when it passes;
 * 3. else POSH, when the domain publishes a POSH file;
 * 4. else not authenticated (PKIX decided, and failed).
 * The table, the JSON, the AUTH_* / DANE_* findings and so the exit code all
 * follow from this one decision.
 */
import type { CertificateReport } from './certificate.js';

export type ProofStatus = 'pass' | 'fail' | 'not-applicable';
export type Prooftype = 'pkix' | 'dane' | 'posh';

export interface ProofResult {
  status: ProofStatus;
  reason: string;
}

export interface Verdict {
  /** What a client that follows every prooftype the domain publishes concludes. */
  authenticated: boolean;
  /** The prooftype that authenticates the connection; null when none does. */
  by: Prooftype | null;
  /** The prooftype the precedence rule gave the last word (DANE, else PKIX when it passes, else POSH); null when none applies. */
  decidedBy: Prooftype | null;
  /** What clients that skip the deciding prooftype would conclude, when it differs (a DANE mismatch a PKIX-only client still accepts). */
  note: string | null;
  pkix: ProofResult;
  dane: ProofResult;
  posh: ProofResult;
}

const PKIX_STATUS_WORDS: Record<string, string> = {
  'self-signed': 'the certificate is self-signed',
  'untrusted-root': 'the chain ends at a root that is not trusted',
  incomplete: 'the chain is incomplete (an intermediate is missing)',
  'bad-signature': 'a signature in the chain does not verify',
  'issuer-not-ca': 'the chain goes through a certificate that is no CA',
  'no-certificate': 'no certificate was presented',
  unparseable: 'the certificate cannot be parsed',
};

/**
 * PKIX: trusted path, within its validity dates, and a name for the domain;
 * or for the SRV target when the SRV answer is DNSSEC-secure, a secure
 * delegation (draft-ietf-xmpp-dna §6, RFC 6125 §6.2.1).
 */
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
  const kind = id.by.type === 'dns' ? 'DNS-ID' : id.by.type === 'srv' ? 'SRV-ID' : id.by.type === 'xmppaddr' ? 'XmppAddr' : 'CN';
  const via = id.by.via === 'srvTarget' ? ` (the SRV target, delegated by a DNSSEC-secure SRV record)` : '';
  return { status: 'pass', reason: `trusted chain; ${kind} ${id.by.value}${via}` };
}

/** Applies the precedence rule (see the top of this file) to the three prooftypes of one connection. */
export function decideVerdict(pkix: ProofResult, dane: ProofResult, posh: ProofResult): Verdict {
  const base = { pkix, dane, posh };
  if (dane.status !== 'not-applicable') {
    const pass = dane.status === 'pass';
    const others = [pkix.status === 'pass' ? 'a PKIX-only client (no DANE) would still accept it' : null, posh.status === 'pass' ? 'a client that does POSH but not DANE would still accept it' : null].filter((x) => x !== null);
    return { ...base, authenticated: pass, by: pass ? 'dane' : null, decidedBy: 'dane', note: !pass && others.length ? `DANE-aware clients refuse it; ${others.join(', and ')}` : null };
  }
  if (pkix.status === 'pass') return { ...base, authenticated: true, by: 'pkix', decidedBy: 'pkix', note: null };
  if (posh.status !== 'not-applicable') {
    const pass = posh.status === 'pass';
    return { ...base, authenticated: pass, by: pass ? 'posh' : null, decidedBy: 'posh', note: null };
  }
  return { ...base, authenticated: false, by: null, decidedBy: pkix.status === 'fail' ? 'pkix' : null, note: null };
}

/**
 * The verdict in a few words, for the table's Auth column: the proofs that
 * pass when authenticated ("✓ PKIX+DANE", "✓ POSH"); when DANE decided
 * against the connection, that and what clients without DANE would accept
 * ("✗ DANE fails (PKIX ✓)"); else "✗ none".
 */
export function verdictShort(v: Verdict | null): string {
  if (!v) return '-';
  const passing = (['pkix', 'dane', 'posh'] as const).filter((k) => v[k].status === 'pass').map((k) => k.toUpperCase());
  if (v.authenticated) return `✓ ${passing.join('+')}`;
  if (v.decidedBy === 'dane') {
    const others = (['pkix', 'posh'] as const).filter((k) => v[k].status === 'pass').map((k) => `${k.toUpperCase()} ✓`);
    return `✗ DANE fails${others.length ? ` (${others.join(', ')})` : ''}`;
  }
  return '✗ none';
}

/** Why a connection is not authenticated, in a few words for a service's status line; null when it is. */
export function verdictFailure(v: Verdict | null): string | null {
  if (!v || v.authenticated) return null;
  return v.decidedBy === 'dane' ? 'not authenticated (DANE fails: no secure TLSA record matches)' : 'not authenticated';
}
