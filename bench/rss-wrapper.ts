/**
 * Runs the CLI in this process and prints the peak RSS (kB) to stderr as the
 * last line when it exits: `node rss-wrapper.js <cli args…>`.
 */
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/xmpp-check.js', import.meta.url));
process.argv = [process.argv[0]!, BIN, ...process.argv.slice(2)];
process.on('exit', () => process.stderr.write(`\nmaxRSS ${process.resourceUsage().maxRSS}\n`));
await import(BIN);
