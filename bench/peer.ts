/**
 * Benchmark (not a test): the same work side by side with a peer tool,
 * xmpp-dns (Debian package `xmpp-dns`): SRV lookups of c2s and s2s and a
 * connection test of every target, for N lab domains, one after another.
 *
 * xmpp-dns resolves host names through /etc/resolv.conf, which can name no
 * port, so the lab resolver listens on 127.0.0.99:53 and each tool runs in a
 * private mount namespace (`unshare -m`) whose resolv.conf names only it: lab
 * names never reach the machine's real resolver.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Answer } from 'dns-packet';
import { startDnsServer } from '../fixtures/lab/dns-server.js';
import { startXmppServer, type RunningXmppServer } from '../fixtures/xmpp/server.js';
import { LabCa } from '../fixtures/pki/lab-ca.js';

const BIN = fileURLToPath(new URL('../../bin/xmpp-check.js', import.meta.url));
const RESOLVER = '127.0.0.99';

function inNamespace(resolvConf: string, argv: string[]): Promise<{ ms: number; code: number | null; out: string }> {
  return new Promise((resolve) => {
    const script = 'mount --bind "$0" /etc/resolv.conf && exec "$@"';
    const t0 = performance.now();
    const child = spawn('unshare', ['-m', 'sh', '-c', script, resolvConf, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    // A peer that hangs must not hang the benchmark.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, code, out });
    });
  });
}

export async function benchPeer(n = 10): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v xmpp-dns && command -v unshare'], { stdio: 'ignore' }).status !== 0) {
    console.log('peer: skipped — needs xmpp-dns (apt-get install xmpp-dns) and unshare');
    return;
  }
  const ca = await LabCa.create();
  const servers: RunningXmppServer[] = [];
  const records: Answer[] = [];
  const domains: string[] = [];
  for (let i = 1; i <= n; i++) {
    const d = `p${i}.peer.lab.test`;
    domains.push(d);
    const cert = await ca.issue({ dnsNames: [d] });
    const tls = { key: cert.keyPem, cert: cert.certPem };
    const c2s = await startXmppServer({ scenario: 'starttls-required', domain: d, tls });
    const s2s = await startXmppServer({ scenario: 's2s', domain: d, tls, service: 's2s' });
    servers.push(c2s, s2s);
    records.push(
      { name: `_xmpp-client._tcp.${d}`, type: 'SRV', ttl: 300, data: { priority: 0, weight: 0, port: c2s.port, target: `xmpp.${d}` } } as Answer,
      { name: `_xmpp-server._tcp.${d}`, type: 'SRV', ttl: 300, data: { priority: 0, weight: 0, port: s2s.port, target: `xmpp.${d}` } } as Answer,
      { name: `xmpp.${d}`, type: 'A', ttl: 300, data: '127.0.0.1' } as Answer,
    );
  }
  let dns;
  try {
    dns = await startDnsServer({ records, host: RESOLVER, port: 53 });
  } catch (err) {
    console.log(`peer: skipped — cannot listen on ${RESOLVER}:53 (${(err as Error).message})`);
    await Promise.all(servers.map((s) => s.close()));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-peer-'));
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, `nameserver ${RESOLVER}\n`);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  try {
    const peer: number[] = [];
    const ours: number[] = [];
    let peerHung = 0;
    for (const d of domains) {
      const p = await inNamespace(resolvConf, ['xmpp-dns', '-c', '-s', '-t', '-4', '--no-color', '--resolver', RESOLVER, '--timeout', '5', d]);
      if (p.code === null) peerHung++;
      else if (!p.out.includes(`xmpp.${d}`)) throw new Error(`xmpp-dns did not get through for ${d}: ${p.out.slice(0, 300)}`);
      else peer.push(p.ms);
      const o = await inNamespace(resolvConf, [process.execPath, BIN, '--resolver', `${RESOLVER}:53`, '-4', '--dnssec', 'off', '--no-web', '--quic', 'off', '--https-port', '9', '--ca-file', caFile, '--json', d]);
      if (o.code !== 0 && o.code !== 1) throw new Error(`xmpp-check failed for ${d} (exit ${o.code})`);
      ours.push(o.ms);
    }
    const med = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] ?? NaN;
    console.log(`peer: ${n} lab domains, c2s and s2s SRV lookups and a STARTTLS connection test of each target, one process per domain (median per domain)`);
    console.log(`  xmpp-dns 0.3.4 -c -s -t   ${med(peer).toFixed(0)} ms${peerHung ? ` (${peerHung} of ${n} runs hung and were killed after 30 s; not counted)` : ''}`);
    console.log(`  xmpp-check                ${med(ours).toFixed(0)} ms (also verifies certificates, reads stream features, fetches POSH)`);
    console.log(`  ratio xmpp-check / xmpp-dns ${(med(ours) / med(peer)).toFixed(2)} — mostly Node's start-up and module loading; see the startup benchmark`);
  } finally {
    await Promise.all([dns.close(), ...servers.map((s) => s.close())]);
  }
}
