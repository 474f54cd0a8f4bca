/**
 * Benchmark (not a test): many domains per run. Checks N lab domains with
 * `--domains-file --json` at concurrency 1, 10 and 100; prints domains per
 * second and the peak RSS of the CLI process. Every DNS answer is delayed a
 * little, so the run is bound by the network as real ones are.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../fixtures/lab/lab.js';
import { startXmppServer } from '../fixtures/xmpp/server.js';
import { LabCa } from '../fixtures/pki/lab-ca.js';

const WRAPPER = fileURLToPath(new URL('./rss-wrapper.js', import.meta.url));

function run(args: string[]): Promise<{ ms: number; rssKb: number; lines: number; ok: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [WRAPPER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let ok = 0;
    let err = '';
    let tail = '';
    child.stdout.on('data', (d: Buffer) => {
      const text = tail + d.toString();
      const parts = text.split('\n');
      tail = parts.pop()!;
      lines += parts.length;
      ok += parts.filter((l) => l.includes('"status":"ok"')).length;
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => {
      const m = /maxRSS (\d+)/.exec(err);
      if (!m) return reject(new Error(`no RSS reported: ${err.slice(0, 300)}`));
      resolve({ ms: performance.now() - t0, rssKb: Number(m[1]), lines, ok });
    });
  });
}

export async function benchScale(n = 1000, levels = [1, 10, 100], delayMs = 5): Promise<void> {
  // One STARTTLS server answers for every scale domain (as a hosting provider's would), with a wildcard certificate.
  const ca = await LabCa.create();
  const cert = await ca.issue({ dnsNames: ['*.scale.lab.test'] });
  const server = await startXmppServer({ scenario: 'starttls-required', domain: '*', tls: { key: cert.keyPem, cert: cert.certPem } });
  const lab = await startLab({ scaleDomains: n, scalePort: server.port, dnsDelayMs: delayMs, dnsOnly: true, unsigned: true });
  const caFile = join(mkdtempSync(join(tmpdir(), 'xmpp-check-scale-ca-')), 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'xmpp-check-scale-')), 'domains.txt');
    writeFileSync(file, Array.from({ length: n }, (_, i) => `s${i + 1}.scale.lab.test`).join('\n'));
    console.log(`scale: ${n} lab domains, --domains-file --json --c2s (SRV, addresses, a STARTTLS probe and certificate checks each), ${delayMs} ms delay per DNS answer`);
    for (const c of levels) {
      const r = await run(['--json', ...lab.args, '--c2s', '--ca-file', caFile, '--no-web', '--concurrency', String(c), '--domains-file', file]);
      if (r.lines !== n) throw new Error(`expected ${n} reports, got ${r.lines}`);
      if (r.ok !== n) throw new Error(`expected ${n} clean reports, got ${r.ok}`);
      console.log(`  concurrency ${String(c).padStart(3)}: ${(n / (r.ms / 1000)).toFixed(0).padStart(6)} domains/s, ${(r.ms / 1000).toFixed(2)} s, peak RSS ${(r.rssKb / 1024).toFixed(0)} MiB`);
    }
  } finally {
    await Promise.all([lab.close(), server.close()]);
  }
}
