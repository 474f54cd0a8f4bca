/**
 * Benchmark (not a test): start-up cost. `xmpp-check --version` and
 * `--help` (into a pipe) against bare `node -e 0`, the three spawned in turn
 * so that a busy machine slows them alike, median of N spawns each.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/xmpp-check.js', import.meta.url));

function once(cmd: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, cmd, { stdio: ['ignore', 'pipe', 'ignore'] });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}`);
  return performance.now() - t0;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchStartup(runs = 15): void {
  const cmds = { bare: ['-e', '0'], version: [BIN, '--version'], help: [BIN, '--help'] };
  const times: Record<keyof typeof cmds, number[]> = { bare: [], version: [], help: [] };
  for (let i = 0; i < runs; i++) for (const k of Object.keys(cmds) as (keyof typeof cmds)[]) times[k].push(once(cmds[k]));
  const bare = median(times.bare);
  const version = median(times.version);
  const help = median(times.help);
  console.log(`startup: median of ${runs} spawns each, the three in turn`);
  console.log(`  node -e 0                 ${bare.toFixed(1)} ms`);
  console.log(`  xmpp-check --version      ${version.toFixed(1)} ms  (+${(version - bare).toFixed(1)} ms, ratio ${(version / bare).toFixed(2)})`);
  console.log(`  xmpp-check --help         ${help.toFixed(1)} ms  (+${(help - bare).toFixed(1)} ms, ratio ${(help / bare).toFixed(2)})`);
}
