/**
 * Benchmark (not a test): where the CPU of one full default check goes. Runs
 * the CLI under `node --cpu-prof` against the full lab domain (four SRV
 * records per service, IPv4 and IPv6, DNSSEC, DANE, POSH), N times, and
 * prints the top-20 functions by self time of the run with the median total,
 * and the same grouped by source file. `node dist/bench/profile.js [--keep]
 * [--bin PATH]` also works alone: --keep leaves the .cpuprofile files for a
 * viewer, --bin profiles another build's bin/xmpp-check.js (an older checkout,
 * for a before/after table).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFullDomainLab } from '../fixtures/lab/full-domain.js';

const OWN_BIN = fileURLToPath(new URL('../../bin/xmpp-check.js', import.meta.url));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time (ms) per function and per file of one profile. */
export function selfTimes(p: CpuProfile): { total: number; byFunction: Map<string, number>; byFile: Map<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  // timeDeltas[i] is the time before sample i; the sample's own time is the next delta.
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    perNode.set(p.samples[i]!, (perNode.get(p.samples[i]!) ?? 0) + dt);
  }
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of perNode) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === '(idle)') continue;
    total += ms;
    const file = f.url ? (f.url.startsWith('node:') ? f.url : basename(f.url)) : '';
    const fn = `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    const key = file || f.functionName;
    byFile.set(key, (byFile.get(key) ?? 0) + ms);
  }
  return { total, byFunction, byFile };
}

function runOnce(bin: string, args: string[], dir: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, bin, ...args], { stdio: ['ignore', 'ignore', 'ignore'] });
    child.on('exit', (code) => resolve(code));
  });
}

function table(title: string, m: Map<string, number>, n: number): void {
  console.log(`  ${title}`);
  console.log('    self ms  share  where');
  const total = [...m.values()].reduce((x, y) => x + y, 0);
  for (const [k, ms] of [...m].sort((x, y) => y[1] - x[1]).slice(0, n)) {
    console.log(`    ${ms.toFixed(1).padStart(7)}  ${((100 * ms) / total).toFixed(1).padStart(4)} %  ${k}`);
  }
}

export async function benchProfile(runs = 5, keep = false, bin = OWN_BIN): Promise<void> {
  const lab = await startFullDomainLab();
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-prof-'));
  try {
    const args = [...lab.args, '--json', lab.domain];
    if ((await runOnce(bin, args, mkdtempSync(join(tmpdir(), 'xmpp-check-prof-warm-')))) !== 0) throw new Error('the full lab domain did not check cleanly (exit code not 0)');
    for (let i = 0; i < runs; i++) await runOnce(bin, args, dir);
    const profiles = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => selfTimes(JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile));
    profiles.sort((x, y) => x.total - y.total);
    const median = profiles[Math.floor(profiles.length / 2)]!;
    console.log(`profile: one full default check of ${lab.domain} (${lab.xmppConnections} XMPP connections, DNSSEC, DANE, POSH), node --cpu-prof, ${runs} runs${bin === OWN_BIN ? '' : ` of ${bin}`}`);
    console.log(`  sampled CPU of the median run ${median.total.toFixed(0)} ms (runs: ${profiles.map((p) => p.total.toFixed(0)).join(', ')} ms)`);
    table('top 20 functions by self time (median run)', median.byFunction, 20);
    table('top 10 files by self time (median run)', median.byFile, 10);
    if (keep) console.log(`  profiles kept in ${dir}`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    await lab.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--bin');
  await benchProfile(Number(process.env.RUNS ?? 5), process.argv.includes('--keep'), at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : OWN_BIN);
}
