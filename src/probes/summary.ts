/**
 * One line per probe for the table's "result" column, e.g.
 * "ok: STARTTLS required, TLSv1.3" or "refused". Pure.
 */
import { escapeTerminal } from '../core/escape.js';
import type { ProbeOutcome, ProbeReport } from './types.js';

const WORDS: Record<Exclude<ProbeOutcome, 'ok' | 'stream-error'>, string> = {
  refused: 'refused',
  'connect-timeout': 'timed out (TCP)',
  unreachable: 'unreachable',
  'network-error': 'network error',
  silent: 'silent: accepts TCP, says nothing',
  stalled: 'stalled',
  closed: 'closed by the server',
  http: 'HTTP server, not XMPP',
  'tls-on-starttls-port': 'speaks direct TLS, not STARTTLS',
  'plaintext-on-direct-tls': 'speaks plaintext XMPP, not direct TLS',
  garbage: 'not XML',
  'not-xmpp': 'XML, but not XMPP',
  'restricted-xml': 'restricted XML',
  'xml-limit': 'XML too large or deep',
  'byte-cap': 'endless data (byte cap hit)',
  'no-version': 'pre-1.0 stream, no features',
  'no-starttls': 'no STARTTLS offered',
  'starttls-failed': 'STARTTLS failed',
  'tls-failed': 'TLS handshake failed',
  'wrong-alpn': 'wrong ALPN',
  'starttls-in-direct-tls': 'STARTTLS offered inside direct TLS',
  'no-authentication': 'no way to authenticate',
  'bad-address': 'not probed (bad address)',
};

export function probeSummary(p: ProbeReport): string {
  if (p.outcome === 'ok') {
    const parts: string[] = [];
    if (p.mode === 'starttls') {
      const st = p.plainStream?.features?.starttls;
      parts.push(st?.required ? 'STARTTLS required' : 'STARTTLS optional');
    } else {
      parts.push('direct TLS');
    }
    if (p.tls?.version) parts.push(p.tls.version);
    if (p.mode === 'directtls') parts.push(p.tls?.alpn ? `ALPN ${escapeTerminal(p.tls.alpn, 30)}` : 'no ALPN');
    return `ok: ${parts.join(', ')}`;
  }
  if (p.outcome === 'stream-error') return `stream error: ${escapeTerminal(p.streamError?.condition ?? 'unknown', 40)}`;
  const phase = p.failedPhase === 'features' || p.failedPhase === 'tls' ? (p.mode === 'starttls' ? ' after STARTTLS' : '') : '';
  const base = WORDS[p.outcome];
  return p.outcome === 'stalled' || p.outcome === 'closed' ? `${base} (${p.failedPhase ?? '?'})` : `${base}${phase}`;
}
