/**
 * Benchmark (not a test): one full check side by side with a peer tool,
 * xmpp-dns (Debian package `xmpp-dns`), on the lab's full domain
 * (fixtures/lab/full-domain.ts: four SRV records per service on two targets,
 * IPv4 and IPv6, so 16 XMPP connections; DNSSEC, DANE and POSH).
 * xmpp-dns runs as `-c -s -t -v -f` (SRV lookups of both services, the
 * addresses, a connection and certificate test of every target and address);
 * xmpp-check with its default options. One process per run, the two tools in
 * turn, N runs each; wall time from the outside, CPU (user + system) from
 * /usr/bin/time; medians, and the median of the per-pair wall ratio.
 *
 * xmpp-dns resolves host names through /etc/resolv.conf, which can name no
 * port, so the lab resolver listens on 127.0.0.99:53 and each tool runs in a
 * private mount namespace (`unshare -m`) whose resolv.conf names only it: lab
 * names never reach the machine's real resolver. xmpp-dns is given the lab CA
 * through SSL_CERT_FILE (Go reads it), so it completes TLS and checks the
 * certificate as we do.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFullDomainLab } from '../fixtures/lab/full-domain.js';

const BIN = fileURLToPath(new URL('../../bin/xmpp-check.js', import.meta.url));
const RESOLVER = '127.0.0.99';

interface Run {
  wallMs: number;
  cpuMs: number | null;
  code: number | null;
  out: string;
}

/** Runs argv in a private mount namespace with resolvConf as /etc/resolv.conf, under /usr/bin/time. */
function inNamespace(resolvConf: string, argv: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    const script = 'mount --bind "$0" /etc/resolv.conf && exec /usr/bin/time -f "cpu-seconds %U %S" "$@"';
    const t0 = performance.now();
    const child = spawn('unshare', ['-m', 'sh', '-c', script, resolvConf, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // A peer that hangs must not hang the benchmark.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const wallMs = performance.now() - t0;
      const m = /cpu-seconds ([\d.]+) ([\d.]+)\s*$/.exec(err);
      resolve({ wallMs, cpuMs: m ? (Number(m[1]) + Number(m[2])) * 1000 : null, code: m ? code : null, out: out + err });
    });
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

/** `other`: another build's bin/xmpp-check.js, run in turn with the two tools (a before/after in the same minutes). */
export async function benchPeer(runs = 7, other?: string): Promise<void> {
  if (spawnSync('sh', ['-c', 'command -v xmpp-dns && command -v unshare && test -x /usr/bin/time'], { stdio: 'ignore' }).status !== 0) {
    console.log('peer: skipped — needs xmpp-dns (apt-get install xmpp-dns), unshare and /usr/bin/time');
    return;
  }
  const version = /xmpp-dns (\S+)/.exec(spawnSync('xmpp-dns', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '?';
  let lab;
  try {
    lab = await startFullDomainLab({ dnsHost: RESOLVER, dnsPort: 53 });
  } catch (err) {
    console.log(`peer: skipped — cannot start the lab with its resolver on ${RESOLVER}:53 (${(err as Error).message})`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-peer-'));
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, `nameserver ${RESOLVER}\n`);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, lab.caPem);
  const d = lab.domain;
  const withoutExtraCa = { ...process.env };
  delete withoutExtraCa.NODE_EXTRA_CA_CERTS;
  const variants = [
    { label: `xmpp-dns ${version} -c -s -t -v -f`, argv: ['xmpp-dns', '-c', '-s', '-t', '-v', '-f', '--no-color', '--timeout', '5', d], env: { ...process.env, SSL_CERT_FILE: caFile } },
    { label: 'xmpp-check (default options)', argv: [process.execPath, BIN, ...lab.args, '--json', d], env: process.env },
    // Node adds NODE_EXTRA_CA_CERTS to its default store; then the HTTPS context needs Node's roots as a list (see http/request.ts).
    ...(process.env.NODE_EXTRA_CA_CERTS ? [{ label: 'xmpp-check, NODE_EXTRA_CA_CERTS unset', argv: [process.execPath, BIN, ...lab.args, '--json', d], env: withoutExtraCa }] : []),
    ...(other ? [{ label: 'other build (--bin)', argv: [process.execPath, other, ...lab.args, '--json', d], env: process.env }] : []),
  ];
  try {
    const results: Run[][] = variants.map(() => []);
    let hung = 0;
    // One warm-up of each (page cache), then alternating runs.
    for (const v of variants) await inNamespace(resolvConf, v.argv, v.env);
    for (let i = 0; i < runs; i++) {
      for (const [k, v] of variants.entries()) {
        const r = await inNamespace(resolvConf, v.argv, v.env);
        if (k === 0) {
          if (r.code === null) {
            hung++;
            continue;
          }
          const ok = (r.out.match(/Certificate: \[OK\]/g) ?? []).length;
          if (ok !== lab.xmppConnections) throw new Error(`xmpp-dns checked ${ok} of ${lab.xmppConnections} connections: ${r.out.slice(0, 400)}`);
        } else if (r.code !== 0) {
          throw new Error(`xmpp-check did not check ${d} cleanly (exit ${r.code}): ${r.out.slice(-400)}`);
        }
        results[k]!.push(r);
      }
    }
    const peer = results[0]!;
    console.log(`peer: ${d} (4 SRV records per service, IPv4 and IPv6: ${lab.xmppConnections} XMPP connections; DNSSEC, DANE, POSH), one process per run, the tools in turn, ${runs} runs each (medians)`);
    for (const [k, v] of variants.entries()) {
      const rs = results[k]!;
      const cpu = rs.map((r) => r.cpuMs).filter((x): x is number => x !== null);
      const ratio = k === 0 ? '' : `   wall ratio to xmpp-dns ${median(rs.map((r, i) => r.wallMs / (peer[i]?.wallMs ?? NaN)).filter(Number.isFinite)).toFixed(2)}, CPU ratio ${(median(cpu) / median(peer.map((r) => r.cpuMs ?? NaN))).toFixed(2)}`;
      console.log(`  ${v.label.padEnd(40)} wall ${median(rs.map((r) => r.wallMs)).toFixed(0).padStart(4)} ms, CPU ${median(cpu).toFixed(0).padStart(4)} ms${ratio}`);
    }
    if (hung) console.log(`  (${hung} xmpp-dns run(s) hung and were killed after 30 s; not counted)`);
  } finally {
    await lab.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--bin');
  await benchPeer(Number(process.env.RUNS ?? 7), at > 0 ? process.argv[at + 1] : undefined);
}
