/**
 * What answered a failed TLS handshake: the first bytes the server sent and
 * how the handshake ended say whether it was plaintext XMPP on a direct-TLS
 * port, an HTTP server, silence, a stall, a refused ALPN, garbage, or a TLS
 * error proper. Pure: the probe hands in what it saw.
 */
import type { FindingDef } from '../core/finding.js';
import { escapeTerminal } from '../core/escape.js';
import type { ConnectMode } from '../core/types.js';
import { PROBE_FINDINGS as F } from './findings.js';
import type { TlsStartResult } from './tls.js';
import type { ProbeOutcome } from './types.js';

export interface TlsFailureSeen {
  mode: ConnectMode;
  /** ALPN offered (direct TLS). */
  alpn: readonly string[];
  /** The first bytes the server sent after our ClientHello. */
  head: Buffer;
  /** The probe's byte cap stopped the read. */
  capHit: boolean;
  bytesIn: number;
  /** Bytes the server sent since the ClientHello. */
  bytesSinceHello: number;
  timeoutMs: number;
}

export interface TlsFailure {
  outcome: ProbeOutcome;
  def: FindingDef;
  detail: string;
}

/** Network text, escaped and clipped for a finding. */
export const cut = (s: string, n = 120): string => escapeTerminal(s, n);
/** The first line of what a server sent, for a finding. */
export const headText = (b: Buffer): string => cut(b.toString('latin1').split(/\r?\n/)[0] ?? '', 80);
const fail = (outcome: ProbeOutcome, def: FindingDef, detail: string): TlsFailure => ({ outcome, def, detail });

export function classifyTlsFailure(r: Extract<TlsStartResult, { ok: false }>, w: TlsFailureSeen): TlsFailure {
  if (w.capHit) return fail('byte-cap', F.PROBE_BYTE_CAP, `stopped after ${w.bytesIn} bytes`);
  const head = w.head;
  const text = head.toString('latin1');
  if (/^\s*</.test(text)) {
    if (w.mode === 'directtls') return fail('plaintext-on-direct-tls', F.PROBE_PLAINTEXT_ON_DIRECT_TLS, `it answered "${headText(head)}"`);
    return fail('tls-failed', F.TLS_HANDSHAKE_FAILED, `after <proceed/>, the ClientHello was answered with XML: "${headText(head)}"`);
  }
  if (text.startsWith('HTTP/')) return fail('http', F.PROBE_HTTP, `it answered the ClientHello with "${headText(head)}"`);
  if (r.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL' && w.alpn.length) {
    return fail('wrong-alpn', F.TLS_ALPN_WRONG, `the server refused ALPN ${w.alpn[0]} (no_application_protocol alert)`);
  }
  const got = w.bytesSinceHello;
  if (r.reason === 'timeout') {
    if (got === 0) return fail('silent', F.PROBE_SILENT, `no answer to the TLS ClientHello within ${w.timeoutMs} ms`);
    return fail('stalled', F.PROBE_STALLED, `the TLS handshake did not finish within ${w.timeoutMs} ms`);
  }
  if (r.code === 'CLOSED' || r.code === 'ECONNRESET') {
    if (got === 0) return fail('closed', F.PROBE_CLOSED, 'the server closed the connection on the TLS ClientHello');
  }
  if (head.length && head[0] !== 0x15 && head[0] !== 0x16) {
    return fail('garbage', F.PROBE_GARBAGE, `it answered the ClientHello with bytes that are not TLS: "${headText(head)}"`);
  }
  return fail('tls-failed', F.TLS_HANDSHAKE_FAILED, cut(r.error?.message.split('\n')[0]?.trim() || r.code || 'handshake failed'));
}
