/**
 * The one TLS setup of the probes, shared by STARTTLS and direct TLS
 * (XEP-0368 §6: all security code shared): the handshake over an existing
 * byte stream with SNI = the domain and, for direct TLS, the XMPP ALPN value;
 * a deadline; and the capture of what was negotiated and the certificate
 * chain. Certificates are not verified here (rejectUnauthorized: false):
 * that is the verification stage's job, on the chain captured here.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { withDeadline } from '../core/deadline.js';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { ChainCert, TlsInfo } from './types.js';

export interface TlsStartOptions {
  /** The stream to run TLS over (the probe's byte tap). */
  socket: Duplex;
  /** SNI: the domain (reference identity). */
  servername: string;
  /** ALPN values to offer; empty for none (STARTTLS). */
  alpn: string[];
  timeoutMs: number;
}

export type TlsStartResult =
  | { ok: true; socket: tls.TLSSocket; info: TlsInfo }
  | { ok: false; reason: 'timeout' | 'error'; error: Error | null; code: string | null };

let trustedRoots: Set<string> | null = null;

/** SHA-256 fingerprints of the roots in Node's built-in trust store. */
function trustStore(): Set<string> {
  if (!trustedRoots) {
    trustedRoots = new Set();
    for (const pem of tls.rootCertificates) {
      const b64 = pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '');
      trustedRoots.add(createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex'));
    }
  }
  return trustedRoots;
}

function oneLine(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ');
}

/**
 * The peer's chain, leaf first, from getPeerCertificate(true) (linked by
 * issuer; getPeerX509Certificate would keep the order sent, but in Node 20 it
 * leaks the native copy of every issuer certificate, about 6 KB per issuer
 * per handshake, which a long batch cannot afford): the
 * certificates the server sent (Node would complete it with a root from the
 * context's CA store, but the probes' context has none). A sent root that is
 * one of Node's bundled roots is marked `fromTrustStore`. Subject and issuer
 * of each distinct certificate are read once per process.
 */
const namesBySha256 = new Map<string, { subject: string; issuer: string }>();
const MAX_NAMES = 1024;

export function captureChain(sock: tls.TLSSocket): ChainCert[] {
  const out: ChainCert[] = [];
  const seen = new Set<string>();
  let c: tls.DetailedPeerCertificate | null = sock.getPeerCertificate(true) as tls.DetailedPeerCertificate;
  while (c && c.raw && out.length < 16) {
    const der = c.raw;
    const sha256 = createHash('sha256').update(der).digest('hex');
    if (seen.has(sha256)) break;
    seen.add(sha256);
    let names = namesBySha256.get(sha256);
    if (!names) {
      names = { subject: '', issuer: '' };
      try {
        const x = new X509Certificate(der);
        names = { subject: oneLine(x.subject), issuer: oneLine(x.issuer) };
      } catch {
        // Unparseable here; the verification stage reports it.
      }
      if (namesBySha256.size >= MAX_NAMES) namesBySha256.delete(namesBySha256.keys().next().value!);
      namesBySha256.set(sha256, names);
    }
    const { subject, issuer } = names;
    const selfIssued = subject !== '' && subject === issuer;
    out.push({ der: der.toString('base64'), sha256, subject, issuer, selfIssued, fromTrustStore: selfIssued && trustStore().has(sha256) });
    c = c.issuerCertificate && c.issuerCertificate !== c ? c.issuerCertificate : null;
  }
  return out;
}

let probeContext: tls.SecureContext | null = null;

/**
 * The one client context of every probe in this process (a run or a whole
 * batch): the options never vary, and building a context per connection was
 * the largest cost of a check. It has no CA store: the verification stage
 * checks the chain, and with no store Node cannot append a root of its own to
 * the chain it returns, so the chain is what the server sent. Old TLS versions
 * and weak ciphers are accepted so they can be reported.
 */
export function probeSecureContext(): tls.SecureContext {
  probeContext ??= tls.createSecureContext({ ca: [], minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
  return probeContext;
}

/** Runs the TLS handshake over `socket`; never throws. */
export function startTls(opts: TlsStartOptions): Promise<TlsStartResult> {
  const sock = tls.connect({
    socket: opts.socket,
    servername: opts.servername,
    ...(opts.alpn.length ? { ALPNProtocols: opts.alpn } : {}),
    rejectUnauthorized: false,
    secureContext: probeSecureContext(),
  });
  let onError = (_err: Error): void => {};
  const cleanup = (o: { ok: true; value: TlsStartResult } | { ok: false; error: unknown }): void => {
    sock.off('error', onError);
    if (!o.ok || !o.value.ok) {
      sock.on('error', () => {});
      sock.destroy();
    }
  };
  return withDeadline<TlsStartResult>({ ms: opts.timeoutMs, onTimeout: () => ({ ok: false, reason: 'timeout', error: null, code: null }), cleanup }, (s) => {
    onError = (err) => s.resolve({ ok: false, reason: 'error', error: err, code: (err as NodeJS.ErrnoException).code ?? null });
    sock.on('error', onError);
    sock.once('close', () => s.resolve({ ok: false, reason: 'error', error: null, code: 'CLOSED' }));
    sock.once('secureConnect', () => {
      const cipher = sock.getCipher();
      const info: TlsInfo = {
        version: sock.getProtocol() ?? null,
        cipher: cipher?.name ?? null,
        cipherStandardName: cipher?.standardName ?? null,
        sni: opts.servername,
        alpnOffered: [...opts.alpn],
        alpn: typeof sock.alpnProtocol === 'string' ? sock.alpnProtocol : null,
        chain: captureChain(sock),
      };
      s.resolve({ ok: true, socket: sock, info });
    });
  });
}
