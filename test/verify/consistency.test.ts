/**
 * Consistency of leaf certificates across one service's targets, a target's
 * IPv4 and IPv6 addresses, and STARTTLS versus direct TLS on one host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConsistency, type CertObservation } from '../../src/verify/consistency.js';

const A = 'aa'.repeat(32);
const B = 'bb'.repeat(32);
const C = 'cc'.repeat(32);
const JAN = '2030-01-01T00:00:00.000Z';
const FEB = '2030-02-01T00:00:00.000Z';

let n = 0;
function obs(o: Partial<CertObservation>): CertObservation {
  n++;
  return { probeId: `p${n}`, service: 'c2s', target: 'xmpp1.example.com', port: 5222, ipFamily: 4, mode: 'starttls', fingerprint: A, notAfter: JAN, ...o };
}
const codes = (list: CertObservation[]): string[] => checkConsistency(list).map((f) => f.code).sort();

test('all the same: no findings', () => {
  assert.deepEqual(codes([
    obs({}),
    obs({ ipFamily: 6 }),
    obs({ target: 'xmpp2.example.com' }),
    obs({ mode: 'directtls', port: 5223 }),
  ]), []);
  assert.deepEqual(checkConsistency([]), []);
});

test('targets of one service with different expiry dates: renewal not deployed everywhere', () => {
  const f = checkConsistency([obs({}), obs({ target: 'xmpp2.example.com', fingerprint: B, notAfter: FEB })]);
  assert.deepEqual(f.map((x) => x.code), ['CERT_EXPIRY_DIFFERS_ACROSS_TARGETS']);
  assert.equal(f[0]!.severity, 'warning');
  assert.equal(f[0]!.service, 'c2s');
  assert.match(f[0]!.message, /2030-01-01 on xmpp1\.example\.com:5222 vs expiry 2030-02-01 on xmpp2\.example\.com:5222/);
});

test('targets with different certificates of the same expiry: info only', () => {
  const f = checkConsistency([obs({}), obs({ target: 'xmpp2.example.com', fingerprint: B })]);
  assert.deepEqual(f.map((x) => [x.code, x.severity]), [['CERT_DIFFERS_ACROSS_TARGETS', 'info']]);
});

test('services are compared separately', () => {
  assert.deepEqual(codes([obs({}), obs({ service: 's2s', port: 5269, target: 'xmpp2.example.com', fingerprint: B, notAfter: FEB })]), []);
});

test('IPv4 and IPv6 of one target serve different certificates', () => {
  const f = checkConsistency([obs({ ipFamily: 4 }), obs({ ipFamily: 6, fingerprint: B, notAfter: FEB })]);
  assert.deepEqual(f.map((x) => x.code), ['CERT_DIFFERS_BY_IP_FAMILY']);
  assert.equal(f[0]!.subject, 'xmpp1.example.com:5222');
  assert.match(f[0]!.message, /IPv4 on aaaa.*vs IPv6 on bbbb/);
});

test('addresses of one family serve different certificates', () => {
  const f = checkConsistency([obs({ address: '192.0.2.1' }), obs({ address: '192.0.2.2', fingerprint: C })]);
  assert.deepEqual(f.map((x) => x.code), ['CERT_DIFFERS_BY_ADDRESS']);
  assert.match(f[0]!.message, /192\.0\.2\.1.*192\.0\.2\.2/);
});

test('STARTTLS and direct TLS on one host serve different certificates', () => {
  const f = checkConsistency([obs({ mode: 'starttls', port: 5222 }), obs({ mode: 'directtls', port: 5223, fingerprint: B, notAfter: FEB })]);
  const c = f.map((x) => x.code).sort();
  assert.ok(c.includes('CERT_DIFFERS_BY_MODE'));
  const mode = f.find((x) => x.code === 'CERT_DIFFERS_BY_MODE')!;
  assert.equal(mode.subject, 'xmpp1.example.com');
  assert.match(mode.message, /STARTTLS on aaaa.*port 5222.*direct TLS on bbbb.*port 5223/);
  // Same certificate on both modes: nothing.
  assert.deepEqual(codes([obs({ mode: 'starttls' }), obs({ mode: 'directtls', port: 5223 })]), []);
});

test('fingerprints compare regardless of colons, case, and trailing dots in names', () => {
  const colon = A.toUpperCase().match(/../g)!.join(':');
  assert.deepEqual(codes([obs({ fingerprint: colon, target: 'XMPP1.example.com.' }), obs({ ipFamily: 6 })]), []);
});

test('probes without a certificate are ignored', () => {
  assert.deepEqual(codes([obs({}), obs({ ipFamily: 6, fingerprint: '' })]), []);
});
