#!/usr/bin/env node
// Entry point of the xmpp-check command. `--version` is answered here without
// loading anything else; everything else loads the bundled CLI that
// `npm run build` makes (dist/xmpp-check.mjs).
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  import('../dist/xmpp-check.mjs').then((m) => m.main(argv)).catch((err) => {
    process.stderr.write(`xmpp-check: cannot start: ${err && err.message ? err.message : err}\n`);
    process.stderr.write('xmpp-check: run `npm ci && npm run build` in the project folder first.\n');
    process.exitCode = 3;
  });
}
