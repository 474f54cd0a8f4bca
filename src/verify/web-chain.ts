/**
 * The PKIX judgement of an HTTPS server's chain (POSH, host-meta, WebSocket,
 * BOSH): the same path building and trust store as the XMPP probes, plus the
 * validity dates and the serverAuth key purpose that OpenSSL checks. The
 * pipeline hands it to the HTTP client as its ChainCheck, so HTTPS and XMPP
 * certificates are judged alike and no OpenSSL CA store (140-odd roots
 * parsed, more with NODE_EXTRA_CA_CERTS) is built for a check.
 */
import type { Clock } from '../core/clock.js';
import type { ChainCheck } from '../http/request.js';
import { verifyPath, type TrustStore } from './pkix.js';
import { EKU_ANY, EKU_SERVER_AUTH, parseCertificate, type ParsedCertificate } from './x509.js';

const WORDS: Record<string, string> = {
  'self-signed': 'self-signed certificate',
  'untrusted-root': 'the chain ends at a root that is not trusted',
  incomplete: 'unable to get the issuer certificate (an intermediate is missing)',
  'bad-signature': 'a certificate signature does not verify',
};

export function webChainCheck(store: TrustStore, clock: Clock): ChainCheck {
  return (chainDer) => {
    if (!chainDer.length) return 'no certificate';
    const parsed: ParsedCertificate[] = [];
    for (const [i, der] of chainDer.entries()) {
      const r = parseCertificate(der);
      if (!r.ok) return i === 0 ? `the certificate cannot be parsed (${r.error})` : `certificate #${i + 1} of the chain cannot be parsed (${r.error})`;
      parsed.push(r.cert);
    }
    const { result } = verifyPath(parsed, store, { subject: 'https', service: 'c2s', clock });
    if (!result.trusted) return WORDS[result.status] ?? result.status;
    const now = clock.now();
    const onPath = result.path.filter((p) => p.source === 'sent').map((p) => parsed[p.sentIndex ?? 0]!);
    for (const c of onPath) {
      const which = c === parsed[0] ? 'the certificate' : `the issuer ${c.subject}`;
      if (now > c.notAfter.getTime()) return `${which} has expired (${c.notAfter.toISOString()})`;
      if (now < c.notBefore.getTime()) return `${which} is not yet valid (until ${c.notBefore.toISOString()})`;
    }
    const eku = parsed[0]!.eku;
    if (eku && !eku.includes(EKU_SERVER_AUTH) && !eku.includes(EKU_ANY)) return 'the certificate is not for TLS servers (extendedKeyUsage without serverAuth)';
    return null;
  };
}
