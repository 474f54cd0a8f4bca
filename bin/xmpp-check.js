#!/usr/bin/env node
// Entry point of the xmpp-check command. `--version`, and `--help` into a
// pipe, are answered here without loading anything else; everything else loads the bundled CLI that `npm run build`
// makes (dist/xmpp-check.cjs, with V8's code cache: see load-bundle.js).
import { readFileSync } from 'node:fs';

/** The --help text the build made (dist/help.txt: what the CLI prints into a pipe); null when it is missing. */
function prebuiltHelp() {
  try {
    return readFileSync(new URL('../dist/help.txt', import.meta.url), 'utf8');
  } catch {
    return null;
  }
}

function cannotStart(err) {
  process.stderr.write(`xmpp-check: cannot start: ${err && err.message ? err.message : err}\n`);
  process.stderr.write('xmpp-check: run `npm ci && npm run build` in the project folder first.\n');
  process.exitCode = 3;
}

const argv = process.argv.slice(2);
const help = argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h') && !process.stdout.isTTY ? prebuiltHelp() : null;
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else if (help !== null) {
  process.stdout.write(help);
} else {
  import('./load-bundle.js')
    .then(({ loadBundle }) => loadBundle().main(argv))
    .catch(cannotStart);
}
