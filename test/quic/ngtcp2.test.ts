/**
 * Interop of probeQuic with a real QUIC stack: Debian's ngtcp2 example
 * HTTP/3 server (`gtlsserver`, package ngtcp2-server, GnuTLS) on 127.0.0.1.
 * Offering xmpp-client it must refuse with no_application_protocol; offering
 * h3 the probe must reach its certificate and check CertificateVerify and
 * Finished; with -V it sends a Retry. Skips when the binary is absent
 * (`apt-get install ngtcp2-server`).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabCa } from '../../fixtures/pki/lab-ca.js';
import { probeQuic } from '../../src/quic/index.js';

const BIN = process.env.NGTCP2_SERVER ?? 'gtlsserver';
const probe = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
const skip = probe.error ? `${BIN} not found (apt-get install ngtcp2-server): ${probe.error.message}` : false;

const dir = mkdtempSync(join(tmpdir(), 'quic-ngtcp2-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

let keyFile = '';
let certFile = '';
let leafDer: Buffer;

async function startServer(extra: string[]): Promise<number> {
  if (!keyFile) {
    const ca = await LabCa.create('ngtcp2 interop CA');
    const leaf = await ca.issue({ dnsNames: ['example.com'] });
    keyFile = join(dir, 'key.pem');
    certFile = join(dir, 'cert.pem');
    writeFileSync(keyFile, leaf.keyPem);
    writeFileSync(certFile, leaf.certPem);
    leafDer = leaf.der;
  }
  const port = await freeUdpPort();
  const child = spawn(BIN, [...extra, '-d', dir, '127.0.0.1', String(port), keyFile, certFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, 1500);
    child.once('error', reject);
    child.stdout!.once('data', () => {
      clearTimeout(t);
      setTimeout(resolve, 150);
    });
  });
  return port;
}

const target = (port: number) => ({ host: '127.0.0.1', port, domain: 'example.com', service: 'c2s' as const, source: 'ngtcp2 interop' });

test('ngtcp2 (HTTP/3) refuses xmpp-client with CRYPTO_ERROR 0x0178 no_application_protocol', { skip }, async () => {
  const port = await startServer([]);
  const r = await probeQuic(target(port), { timeoutMs: 3000 });
  assert.equal(r.outcome, 'wrong-alpn', r.error);
  assert.equal(r.closeError?.code, 0x0178);
  assert.equal(r.closeError?.tlsAlert, 120);
  assert.deepEqual(r.findings.map((f) => f.code), ['QUIC_ALPN_REFUSED']);
});

test('offering h3, the probe reaches ngtcp2\'s certificate and checks CertificateVerify and Finished', { skip }, async () => {
  const port = await startServer([]);
  const r = await probeQuic(target(port), { timeoutMs: 3000, alpn: 'h3' });
  assert.equal(r.outcome, 'handshake', r.error);
  assert.equal(r.alpn, 'h3');
  assert.ok(r.chainDer[0]!.equals(leafDer));
  assert.equal(r.certificateVerify, true);
  assert.equal(r.finished, true);
});

test('ngtcp2 with address validation (-V): the Retry is followed', { skip }, async () => {
  const port = await startServer(['-V']);
  const r = await probeQuic(target(port), { timeoutMs: 3000, alpn: 'h3' });
  assert.equal(r.outcome, 'handshake', r.error);
  assert.equal(r.retry, true);
});

for (const [gnutls, iana] of [['AES-256-GCM', 'TLS_AES_256_GCM_SHA384'], ['CHACHA20-POLY1305', 'TLS_CHACHA20_POLY1305_SHA256']] as const) {
  test(`ngtcp2 restricted to ${gnutls}: the probe negotiates ${iana}`, { skip }, async () => {
    const port = await startServer([`--ciphers=NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+${gnutls}`]);
    const r = await probeQuic(target(port), { timeoutMs: 3000, alpn: 'h3' });
    assert.equal(r.outcome, 'handshake', r.error);
    assert.equal(r.cipher, iana);
    assert.equal(r.finished, true);
  });
}
