/**
 * QUIC candidate discovery (XEP-0467 §2 rule 1): `_xmppq-*._udp` SRV
 * records, host-meta links, the UDP 443 default, and bad inputs skipped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidatesFromSrv, quicCandidates, quicSrvOwner } from '../../src/quic/discovery.js';

test('SRV owners follow the xmpp-proxy convention', () => {
  assert.equal(quicSrvOwner('Example.com.', 'c2s'), '_xmppq-client._udp.example.com');
  assert.equal(quicSrvOwner('example.com', 's2s'), '_xmppq-server._udp.example.com');
});

test('SRV candidates sorted by priority then weight, each with its origin', () => {
  const r = candidatesFromSrv('example.com', 'c2s', [
    { priority: 20, weight: 0, port: 443, target: 'b.example.com.' },
    { priority: 10, weight: 5, port: 5224, target: 'a.example.com.' },
    { priority: 10, weight: 50, port: 5225, target: 'c.example.com' },
  ]);
  assert.deepEqual(r.candidates.map((c) => `${c.host}:${c.port}`), ['c.example.com:5225', 'a.example.com:5224', 'b.example.com:443']);
  assert.ok(r.candidates.every((c) => c.source === 'srv' && c.origin.startsWith('SRV _xmppq-client._udp.example.com')));
  assert.equal(r.candidates[0]!.id, 'c2s:quic:c.example.com:5225');
});

test('no SRV and no host-meta: UDP 443 on the domain', () => {
  const d = quicCandidates({ domain: 'example.com', service: 's2s' });
  assert.equal(d.mode, 'default');
  assert.equal(d.candidates.length, 1);
  assert.deepEqual([d.candidates[0]!.host, d.candidates[0]!.port, d.candidates[0]!.source], ['example.com', 443, 'default-port']);
});

test('SRV and host-meta together, duplicates dropped, no default', () => {
  const d = quicCandidates({
    domain: 'example.com',
    service: 'c2s',
    srv: [{ priority: 0, weight: 0, port: 443, target: 'q.example.com' }],
    hostMeta: [
      { url: 'quic://q.example.com:443', host: 'q.example.com', port: 443 },
      { url: 'quic://h.example.net:8443', host: 'h.example.net', port: 8443 },
    ],
  });
  assert.equal(d.mode, 'discovered');
  assert.deepEqual(d.candidates.map((c) => [c.host, c.port, c.source]), [['q.example.com', 443, 'srv'], ['h.example.net', 8443, 'host-meta']]);
  assert.equal(d.candidates[1]!.origin, 'host-meta quic://h.example.net:8443');
});

test('SRV "." says no QUIC service: no default candidate', () => {
  const d = quicCandidates({ domain: 'example.com', service: 'c2s', srv: [{ priority: 0, weight: 0, port: 0, target: '.' }] });
  assert.equal(d.mode, 'unavailable');
  assert.equal(d.candidates.length, 0);
});

test('bad ports and host names are skipped with a reason, never thrown', () => {
  const d = quicCandidates({
    domain: 'example.com',
    service: 'c2s',
    srv: [{ priority: 0, weight: 0, port: 70000, target: 'a.example.com' }],
    hostMeta: [{ host: 'evil\u001b[31m.example', port: 443 }, { host: '', port: 1 }],
  });
  assert.equal(d.mode, 'default', 'nothing usable was discovered');
  assert.equal(d.skipped.length, 3);
  assert.match(d.skipped[0]!.reason, /port/);
});
