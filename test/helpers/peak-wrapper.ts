/**
 * Runs the CLI binary in this process and, when it exits, writes its peak
 * resident set size (kB) to file descriptor 3 (if the parent opened one):
 * `node peak-wrapper.js <cli args…>`. stdout and stderr stay the CLI's own.
 * Only with XMPP_CHECK_PEAK_FD=3 in the environment (runMeasured sets it):
 * the test runner, which loads every file under dist/test/, gets a no-op.
 */
import { writeSync } from 'node:fs';
import { BIN } from './cli.js';

if (process.env.XMPP_CHECK_PEAK_FD === '3') {
  delete process.env.XMPP_CHECK_PEAK_FD;
  process.argv = [process.argv[0]!, BIN, ...process.argv.slice(2)];
  process.on('exit', () => {
    try {
      writeSync(3, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      /* fd 3 closed: nobody reads it any more */
    }
  });
  await import(BIN);
}
