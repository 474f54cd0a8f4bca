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

function run(args: string[], bin?: string): Promise<{ ms: number; rssKb: number; cpuMs: number; lines: number; ok: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [WRAPPER, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: bin ? { ...process.env, XMPP_CHECK_BIN: bin } : process.env });
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
      const m = /maxRSS (\d+) cpu (\d+) (\d+)/.exec(err);
      if (!m) return reject(new Error(`no RSS reported: ${err.slice(0, 300)}`));
      resolve({ ms: performance.now() - t0, rssKb: Number(m[1]), cpuMs: (Number(m[2]) + Number(m[3])) / 1000, lines, ok });
    });
  });
}

/**
 * `other`: another build's bin/xmpp-check.js, run in turn with this one at
 * every level (same lab, same minutes), for a before/after that the machine's
 * load does not skew.
 */
export async function benchScale(n = 1000, levels = [1, 10, 100], delayMs = 5, other?: string): Promise<void> {
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
    const builds: [string, string | undefined][] = other ? [['this build', undefined], ['other build', other]] : [['', undefined]];
    for (const c of levels) {
      for (const [label, bin] of builds) {
        const r = await run(['--json', ...lab.args, '--c2s', '--ca-file', caFile, '--no-web', '--concurrency', String(c), '--domains-file', file], bin);
        if (r.lines !== n) throw new Error(`expected ${n} reports, got ${r.lines}`);
        if (r.ok !== n) throw new Error(`expected ${n} clean reports, got ${r.ok}`);
        const who = label ? ` ${label}` : '';
        console.log(`  concurrency ${String(c).padStart(3)}${who}: ${(n / (r.ms / 1000)).toFixed(0).padStart(6)} domains/s, ${(r.ms / 1000).toFixed(2)} s, CPU ${(r.cpuMs / n).toFixed(2)} ms per domain, peak RSS ${(r.rssKb / 1024).toFixed(0)} MiB`);
      }
    }
  } finally {
    await Promise.all([lab.close(), server.close()]);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--bin');
  await benchScale(Number(process.env.N ?? 1000), (process.env.LEVELS ?? '1,10,100').split(',').map(Number), 5, at > 0 ? process.argv[at + 1] : undefined);
}
