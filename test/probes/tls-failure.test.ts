/** What answered a failed TLS handshake, classified from the bytes the server sent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyTlsFailure, type TlsFailureSeen } from '../../src/probes/tls-failure.js';

const seen = (more: Partial<TlsFailureSeen>): TlsFailureSeen => ({ mode: 'directtls', alpn: ['xmpp-client'], head: Buffer.alloc(0), capHit: false, bytesIn: 0, bytesSinceHello: 0, timeoutMs: 500, ...more });
const err = (code: string | null, reason: 'timeout' | 'error' = 'error') => ({ ok: false as const, reason, error: code ? new Error(`${code} happened\nsecond line`) : null, code });

test('each kind of answer to a ClientHello gets its own outcome and finding', () => {
  const cases: [ReturnType<typeof err>, Partial<TlsFailureSeen>, string, string][] = [
    [err(null), { capHit: true, bytesIn: 9000 }, 'byte-cap', 'PROBE_BYTE_CAP'],
    [err('ECONNRESET'), { head: Buffer.from("<?xml version='1.0'?><stream:stream"), bytesSinceHello: 40 }, 'plaintext-on-direct-tls', 'PROBE_PLAINTEXT_ON_DIRECT_TLS'],
    [err('ECONNRESET'), { mode: 'starttls', alpn: [], head: Buffer.from('<failure/>'), bytesSinceHello: 10 }, 'tls-failed', 'TLS_HANDSHAKE_FAILED'],
    [err('ECONNRESET'), { head: Buffer.from('HTTP/1.1 400 Bad Request\r\n'), bytesSinceHello: 26 }, 'http', 'PROBE_HTTP'],
    [err('ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL'), { head: Buffer.from([0x15, 3, 3, 0, 2, 2, 120]), bytesSinceHello: 7 }, 'wrong-alpn', 'TLS_ALPN_WRONG'],
    [err(null, 'timeout'), {}, 'silent', 'PROBE_SILENT'],
    [err(null, 'timeout'), { head: Buffer.from([0x16, 3, 3]), bytesSinceHello: 3 }, 'stalled', 'PROBE_STALLED'],
    [err('CLOSED'), {}, 'closed', 'PROBE_CLOSED'],
    [err('EPROTO'), { head: Buffer.from('\x00\x01garbage'), bytesSinceHello: 9 }, 'garbage', 'PROBE_GARBAGE'],
    [err('EPROTO'), { head: Buffer.from([0x15, 3, 3, 0, 2, 2, 40]), bytesSinceHello: 7 }, 'tls-failed', 'TLS_HANDSHAKE_FAILED'],
  ];
  for (const [r, w, outcome, code] of cases) {
    const got = classifyTlsFailure(r, seen(w));
    assert.equal(got.outcome, outcome, `${code}: ${got.detail}`);
    assert.equal(got.def.code, code);
  }
});

test('the detail quotes the first line the server sent, escaped, and only the first line of a TLS error', () => {
  const http = classifyTlsFailure(err('ECONNRESET'), seen({ head: Buffer.from('HTTP/1.1 200 OK\x1b[31m\r\nSet-Cookie: x'), bytesSinceHello: 30 }));
  assert.ok(http.detail.includes('HTTP/1.1 200 OK'));
  assert.ok(!http.detail.includes('\x1b') && !http.detail.includes('Set-Cookie'));
  const tlsErr = classifyTlsFailure(err('EPROTO'), seen({ head: Buffer.from([0x15]), bytesSinceHello: 1 }));
  assert.equal(tlsErr.detail, 'EPROTO happened');
});
