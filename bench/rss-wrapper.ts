/**
 * Runs the CLI in this process and prints the peak RSS (kB) and the CPU time
 * (user and system, µs) to stderr as the last line when it exits:
 * `node rss-wrapper.js <cli args…>`; XMPP_CHECK_BIN names another build's
 * bin/xmpp-check.js (an A/B run).
 */
import { fileURLToPath } from 'node:url';

const BIN = process.env.XMPP_CHECK_BIN || fileURLToPath(new URL('../../bin/xmpp-check.js', import.meta.url));
process.argv = [process.argv[0]!, BIN, ...process.argv.slice(2)];
process.on('exit', () => {
  const u = process.resourceUsage();
  process.stderr.write(`\nmaxRSS ${u.maxRSS} cpu ${u.userCPUTime} ${u.systemCPUTime}\n`);
});
await import(BIN);
