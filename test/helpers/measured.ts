/**
 * Runs the real CLI binary in a child process (through peak-wrapper.js) and
 * measures what a hostile-input test bounds: wall time, the child's peak RSS,
 * the exit code and what it printed. Can close the child's stdout early (a
 * reader that went away: `| true`, `| head -c N`) and feed it a file as stdin.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const WRAPPER = fileURLToPath(new URL('./peak-wrapper.js', import.meta.url));

export interface MeasuredRun {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Wall time, ms. */
  ms: number;
  /** Peak resident set size of the child, MB (NaN when it died before reporting). */
  peakMb: number;
}

export interface MeasureOptions {
  /** Kill the child after this many ms (the test then fails on the deadline). */
  killAfterMs?: number;
  /** A file to give the child as stdin (e.g. /dev/zero); default none. */
  stdinFile?: string;
  /** Close our end of stdout after this many bytes arrived (0: at once). */
  closeStdoutAfter?: number;
  env?: Record<string, string>;
}

export function runMeasured(args: string[], opts: MeasureOptions = {}): Promise<MeasuredRun> {
  return new Promise((resolve) => {
    const stdinFd = opts.stdinFile ? openSync(opts.stdinFile, 'r') : null;
    const t0 = performance.now();
    const child = spawn(process.execPath, [WRAPPER, ...args], {
      stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '0', ...opts.env, XMPP_CHECK_PEAK_FD: '3' },
    });
    if (stdinFd !== null) closeSync(stdinFd);
    let stdout = '';
    let stderr = '';
    let peak = '';
    let seen = 0;
    const limit = opts.closeStdoutAfter;
    if (limit === 0) child.stdout!.destroy();
    else {
      child.stdout!.on('data', (d: Buffer) => {
        seen += d.length;
        stdout += d.toString('utf8');
        if (limit !== undefined && seen >= limit) child.stdout!.destroy();
      });
    }
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => (peak += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0, peakMb: Number(peak.trim()) / 1024 || NaN });
    });
  });
}

/** Code points that must never reach a terminal raw: C0 (but newline), DEL, C1, bidi overrides and isolates. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** A stack trace, or Node's report of an uncaught error. */
export const STACK_TRACE = /\n\s+at .+[:(]\d+|node:internal|Uncaught|\bthrow er\b|RangeError|TypeError \[/;
