// Bundles the compiled CLI into one file (dist/xmpp-check.cjs) so that a run
// loads one script instead of hundreds of modules (start-up dropped by ~140 ms
// per process), then makes what bin/xmpp-check.js uses to start faster still:
// V8's code cache of the bundle (scripts/code-cache.mjs) and the --help text.
// The bundle is CommonJS because only a script, not an ES module, can be
// given a code cache in Node 20; each build gets a new id, so a cache from
// another build is never used. (Splitting the bundle into chunks loaded on
// demand was measured too: a full check got slower by a few per cent.)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';

rmSync('dist/xmpp-check.cache', { force: true });
await build({
  entryPoints: ['dist/src/cli/main.js'],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: 'dist/xmpp-check.cjs',
  // import.meta.url of the modules is the bundle's own URL.
  define: { 'import.meta.url': '__xmppCheckUrl' },
  banner: { js: `/* xmpp-check build ${randomBytes(8).toString('hex')} */\nconst __xmppCheckUrl = require('node:url').pathToFileURL(__filename).href;` },
  logLevel: 'warning',
});

// `--help` alone into a pipe is answered by bin/xmpp-check.js from this file,
// without loading the CLI: the text the CLI prints when stdout is not a
// terminal (80 columns). On a terminal the CLI lays it out to the terminal's
// width itself. Made here by the CLI, so it cannot drift.
const help = spawnSync(process.execPath, ['--input-type=module', '-e', "const { loadBundle } = await import('./bin/load-bundle.js'); await loadBundle({ useCache: false }).main(['--help']);"], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
if (help.status !== 0 || !help.stdout.includes('--help')) throw new Error(`could not make dist/help.txt: ${help.stderr}`);
writeFileSync('dist/help.txt', help.stdout);

const cache = spawnSync(process.execPath, ['scripts/code-cache.mjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
if (cache.status !== 0) process.stderr.write(`bundle: no code cache made (the CLI still works, compiling as it goes): ${cache.stderr.trim().split('\n').pop()}\n`);
