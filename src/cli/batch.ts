/**
 * Many domains per run (`--domains-file FILE` or `-` for stdin): one domain
 * per line, `#` comments; bounded concurrency; one DNS cache shared by all
 * checks; NDJSON with --json (one report per line, written as each finishes)
 * or a summary table. Reports are not kept, so memory stays flat as the list
 * grows. The exit code is the worst of all checks.
 */
import { DnsCache, DnsClient, type ResolverAddress } from '../dns/client.js';
import { runCheckBy, unknownReport, type CheckOptions } from '../pipeline.js';
import type { Report } from '../report/model.js';
import { listLines } from './files.js';
import { InputError, parseInput } from './input.js';

export interface BatchOptions extends Omit<CheckOptions, 'input' | 'dns'> {
  file: string;
  concurrency: number;
  json: boolean;
  resolver: ResolverAddress;
  /** Called with each finished report (in completion order). */
  onReport: (r: Report) => void;
  /** True once no more checks should start (nobody reads the output any more). */
  stop?: () => boolean;
  /** --deadline: a domain whose check has not finished by then is reported as unknown. */
  checkDeadlineMs?: number | null;
}

/** Exit codes ranked: an error outweighs an unknown, which outweighs a warning. */
const RANK = [0, 1, 3, 2];
export const worseExit = (a: number, b: number): number => (RANK.indexOf(b) > RANK.indexOf(a) ? b : a);

async function* domainsOf(file: string): AsyncGenerator<string> {
  for await (const line of listLines(file)) {
    const text = line.text.replace(/#.*$/, '').trim();
    if (text) yield text;
  }
}

export class EmptyListError extends Error {
  constructor(readonly source: string) {
    super(`no domains in ${source}`);
  }
}

export async function runBatch(opts: BatchOptions): Promise<number> {
  // Room for what concurrent checks share (the root's and the TLDs' keys, common SRV targets) and for the
  // questions of every check still running, with some to spare: a bigger cache only held the answers of
  // finished domains (measured: 10 MiB of peak RSS, no throughput).
  const cache = new DnsCache(Math.max(4096, opts.concurrency * 64));
  let worst = 0;
  const running = new Set<Promise<void>>();
  const checkOne = async (raw: string): Promise<void> => {
    let report: Report;
    // A check cut off by --deadline is reported at once but keeps its slot until its sockets are done
    // (each step ends by --timeout), so that --concurrency still bounds the connections open at once.
    let lingering: Promise<unknown> | null = null;
    try {
      const input = parseInput(raw);
      const dns = new DnsClient({ server: opts.resolver, timeoutMs: Math.min(2000, opts.timeoutMs), attempts: 2, cache });
      ({ report, lingering } = await runCheckBy({ ...opts, input, dns }, opts.checkDeadlineMs ?? null));
    } catch (err) {
      report = unknownReport(raw, err instanceof InputError ? err.message : `internal error: ${(err as Error).message}`, opts);
    }
    worst = worseExit(worst, report.summary.exitCode);
    opts.onReport(report);
    if (lingering) await lingering;
  };
  let count = 0;
  try {
    for await (const raw of domainsOf(opts.file)) {
      // The reader went away (a closed stdout): start nothing more.
      if (opts.stop?.()) break;
      count++;
      const p = checkOne(raw).finally(() => running.delete(p));
      running.add(p);
      if (running.size >= opts.concurrency) await Promise.race(running);
    }
  } finally {
    // Even when the list turns out unreadable half-way, the checks already started end first.
    await Promise.all(running);
  }
  // An empty list checked nothing: a CI job fed a broken list must not pass.
  if (count === 0) throw new EmptyListError(opts.file === '-' ? 'stdin' : opts.file);
  return worst;
}
