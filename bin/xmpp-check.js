#!/usr/bin/env node
// Entry point of the xmpp-check command: loads the compiled CLI (run `npm run build` first).
import('../dist/src/cli/main.js').then((m) => m.main(process.argv.slice(2))).catch((err) => {
  process.stderr.write(`xmpp-check: cannot start: ${err && err.message ? err.message : err}\n`);
  process.stderr.write('xmpp-check: run `npm ci && npm run build` in the project folder first.\n');
  process.exitCode = 3;
});
