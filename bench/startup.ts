/**
 * Benchmark (not a test): start-up cost. `xmpp-check --version` and
 * `--help` against bare `node -e 0`, in one run, median of N spawns each.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/xmpp-check.js', import.meta.url));

function median(cmd: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, cmd, { stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}`);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

export function benchStartup(runs = 15): void {
  const bare = median(['-e', '0'], runs);
  const version = median([BIN, '--version'], runs);
  const help = median([BIN, '--help'], runs);
  console.log(`startup: median of ${runs} spawns each`);
  console.log(`  node -e 0                 ${bare.toFixed(1)} ms`);
  console.log(`  xmpp-check --version      ${version.toFixed(1)} ms  (+${(version - bare).toFixed(1)} ms, ratio ${(version / bare).toFixed(2)})`);
  console.log(`  xmpp-check --help         ${help.toFixed(1)} ms  (+${(help - bare).toFixed(1)} ms, ratio ${(help / bare).toFixed(2)})`);
}
