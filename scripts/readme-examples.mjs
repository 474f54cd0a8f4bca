// Prints the README's examples: the real CLI (dist/, so `npm run build` first)
// against the offline lab, piped, so at 80 columns. The lab's arguments
// (resolver, trust anchor, CA file, ports) are shown as $LAB; its ports are
// chosen at start, so they differ from run to run.
// Usage: node scripts/readme-examples.mjs [name ...]
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/xmpp-check.js', import.meta.url));
const { startLab } = await import(new URL('../dist/fixtures/lab/lab.js', import.meta.url));

function run(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', CI: '1', ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ out, code }));
  });
}

const lab = await startLab();
try {
  const list = join(mkdtempSync(join(tmpdir(), 'xmpp-check-readme-')), 'domains.txt');
  writeFileSync(list, 'good.lab.test\nbroken.lab.test\nnone.posh.lab.test\nsvc.expired.test\nexpiring.cert.lab.test\n');
  const examples = {
    good: ['--seed', '1', 'good.lab.test'],
    hosted: ['--c2s', '--seed', '1', 'none.posh.lab.test'],
    expired: ['--c2s', 'expired.cert.lab.test'],
    bogus: ['svc.expired.test'],
    'dane-mismatch': ['--c2s', '-q', 'dane-stale.secure.test'],
    degraded: ['--c2s', '-q', 'degraded.lab.test'],
    quiet: ['-q', 'broken.lab.test'],
    nagios: ['--format', 'nagios', 'good.lab.test'],
    'nagios-warn': ['--format', 'nagios', '--c2s', 'expiring.cert.lab.test'],
    prometheus: ['--format', 'prometheus', '--c2s', 'good.lab.test'],
    batch: ['--c2s', '--domains-file', list],
  };
  const only = process.argv.slice(2);
  for (const [name, args] of Object.entries(examples)) {
    if (only.length && !only.includes(name)) continue;
    const { out, code } = await run([...lab.args, ...args]);
    const shown = args.map((a) => (a === list ? 'domains.txt' : a)).join(' ');
    process.stdout.write(`### ${name}\n\`\`\`\n$ xmpp-check $LAB ${shown}\n${out}(exit ${code})\n\`\`\`\n\n`);
  }
} finally {
  await lab.close();
}
