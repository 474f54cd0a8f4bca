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

const WRAPPER = fileURLToPath(new URL('./rss-wrapper.js', import.meta.url));

function run(args: string[]): Promise<{ ms: number; rssKb: number; lines: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [WRAPPER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      for (const b of d) if (b === 10) lines++;
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', () => {
      const m = /maxRSS (\d+)/.exec(err);
      if (!m) return reject(new Error(`no RSS reported: ${err.slice(0, 300)}`));
      resolve({ ms: performance.now() - t0, rssKb: Number(m[1]), lines });
    });
  });
}

export async function benchScale(n = 1000, levels = [1, 10, 100], delayMs = 5): Promise<void> {
  const lab = await startLab({ scaleDomains: n, dnsDelayMs: delayMs });
  try {
    const file = join(mkdtempSync(join(tmpdir(), 'xmpp-check-scale-')), 'domains.txt');
    writeFileSync(file, Array.from({ length: n }, (_, i) => `s${i + 1}.scale.lab.test`).join('\n'));
    console.log(`scale: ${n} lab domains, --domains-file --json, c2s and s2s, ${delayMs} ms delay per DNS answer`);
    for (const c of levels) {
      const r = await run(['--json', '--resolver', lab.resolver, '--concurrency', String(c), '--domains-file', file]);
      if (r.lines !== n) throw new Error(`expected ${n} reports, got ${r.lines}`);
      console.log(`  concurrency ${String(c).padStart(3)}: ${(n / (r.ms / 1000)).toFixed(0).padStart(6)} domains/s, ${(r.ms / 1000).toFixed(2)} s, peak RSS ${(r.rssKb / 1024).toFixed(0)} MiB`);
    }
  } finally {
    await lab.close();
  }
}
