/**
 * The command line: `main` parses the arguments (options.ts, pure), then
 * `execute` does what they ask: finds the resolver, loads the trust files,
 * runs the check (with a spinner on a terminal), prints the table, JSON,
 * Nagios or Prometheus output, and sets the exit code (0 OK, 1 warnings,
 * 2 errors, 3 unknown). A usage error prints one line and the usage on stderr
 * (and, when JSON was asked for, still a JSON object on stdout) and exits 3;
 * no stack trace ever reaches the user.
 */
import { formatResolver, unicastProblem, type ResolverAddress } from '../dns/address.js';
import type { Report } from '../report/model.js';
import { escapeTerminal } from '../core/escape.js';
import { VERSION } from '../core/version.js';
import { InputError } from './input.js';
import { FileRefused } from './files.js';
import { parseOptions, useColor, UsageError, type CliOptions } from './options.js';

// The pipeline, renderers and the spinner are imported lazily, so that
// --version and --help load nothing they do not need.

/** The width to lay the output out in: the terminal's, or 80 into a pipe (no limit with --wide). */
export function outputWidth(isTTY: boolean, columns: number | undefined, wide: boolean): number {
  if (isTTY && columns && columns > 0) return columns;
  return wide ? 100_000 : 80;
}

/** The machine-read format the command line asked for, read loosely, so that even one that does not parse gets its answer in that format. */
function wantedFormat(argv: readonly string[]): 'json' | 'nagios' | 'prometheus' | null {
  if (argv.includes('--json')) return 'json';
  for (const [i, a] of argv.entries()) {
    const f = a.startsWith('--format=') ? a.slice(9) : a === '--format' ? argv[i + 1] : undefined;
    if (f === 'json' || f === 'nagios' || f === 'prometheus') return f;
  }
  return null;
}

/** What was typed as the domain, as well as a command line that does not parse lets us tell. */
function typedDomain(argv: readonly string[]): string {
  return [...argv].reverse().find((a) => !a.startsWith('-') && a !== 'serve') ?? '';
}

/** An invalid command line, in the format asked for: a JSON report, the plugin line, or metrics; each says unknown and why. */
async function printInvalid(format: 'json' | 'nagios' | 'prometheus', raw: string, reason: string, o: Partial<CliOptions>): Promise<void> {
  const { unknownReport } = await import('../pipeline.js');
  const { renderJson } = await import('../report/render-json.js');
  const r = unknownReport(raw, reason, {
    resolver: o.resolver ?? null,
    resolverSource: o.resolver ? 'option' : 'none',
    services: o.services ?? ['c2s', 's2s'],
    seed: o.seed ?? null,
    timeoutMs: o.timeoutMs ?? 5000,
    ipFamilies: o.ipFamilies ?? [4, 6],
    dnssecMode: o.dnssec,
  });
  if (format === 'json') out(renderJson(r));
  else if (format === 'nagios') out((await import('../report/render-nagios.js')).renderNagios(r, { warnDays: 14, critDays: 7 }));
  else out((await import('../report/render-prometheus.js')).renderPrometheus(r));
}

/** Whether stdout can still be written: false once the reader went away (EPIPE). */
let stdoutOpen = true;

/** Writes to stdout unless the reader has gone away; then the output ends quietly. */
function out(text: string): void {
  if (stdoutOpen) process.stdout.write(text);
}

/** A closed stdout (`| head`, `| true`) ends the output, not the run: the exit code stays the check's. */
function watchOutput(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (!stdoutOpen) return;
    stdoutOpen = false;
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') {
      process.stderr.write(`xmpp-check: cannot write the output: ${escapeTerminal(err.code ?? err.message)}\n`);
      process.exitCode = 3;
    }
  });
  process.stderr.on('error', () => {});
}

export async function main(argv: string[]): Promise<void> {
  let options: CliOptions | null = null;
  watchOutput();
  try {
    const parsed = parseOptions(argv);
    if (parsed.kind === 'help') {
      const { renderHelp } = await import('./help.js');
      out(renderHelp(outputWidth(Boolean(process.stdout.isTTY), process.stdout.columns, false)));
      return;
    }
    if (parsed.kind === 'version') {
      out(`${VERSION}\n`);
      return;
    }
    options = parsed.options;
    await execute(options);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError || err instanceof FileRefused) {
      const format = wantedFormat(argv);
      if (format && options?.command !== 'serve') await printInvalid(format, options?.input?.raw ?? typedDomain(argv), err.message, options ?? {});
      const { USAGE_LINE } = await import('./help.js');
      process.stderr.write(`xmpp-check: ${escapeTerminal(err.message)}\n${USAGE_LINE}\n`);
    } else {
      process.stderr.write(`xmpp-check: internal error: ${escapeTerminal(err instanceof Error ? err.message : String(err))}\n`);
      if (process.env.XMPP_CHECK_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    }
    process.exitCode = 3;
  }
}

/** Runs what the options ask for. Everything that touches files, the network or the terminal happens here. */
export async function execute(o: CliOptions): Promise<void> {
  let resolver: ResolverAddress | null = o.resolver;
  if (!resolver) {
    const { systemResolver } = await import('../dns/resolv-conf.js');
    resolver = systemResolver();
    if (!resolver) throw new UsageError('no resolver: /etc/resolv.conf names no nameserver; give --resolver HOST[:PORT]');
  }
  // A query to a broadcast, multicast or unspecified address goes nowhere useful (or everywhere): refused before any socket.
  const notUnicast = unicastProblem(resolver.host);
  if (notUnicast) {
    throw new UsageError(`${o.resolver ? '--resolver' : 'the resolver in /etc/resolv.conf'} ${formatResolver(resolver)}: ${resolver.host} is not a unicast address (${notUnicast})`);
  }
  const { loadTrust } = await import('./trust.js');
  const trust = loadTrust({ caFiles: o.caFiles, trustAnchors: o.trustAnchors });
  if ('error' in trust) throw new UsageError(trust.error);
  const common = {
    resolver,
    resolverSource: (o.resolver ? 'option' : 'resolv.conf') as 'option' | 'resolv.conf',
    services: o.services,
    seed: o.seed,
    timeoutMs: o.timeoutMs,
    ipFamilies: o.ipFamilies,
    warnDays: o.warnDays,
    critDays: o.critDays,
    from: o.from,
    httpsPort: o.httpsPort,
    quicPort: o.quicPort,
    dnssecMode: o.dnssec,
    noProbes: o.dnsOnly,
    quic: o.quic,
    web: o.web,
    authoritative: o.authoritative,
    authoritativePort: o.authoritativePort,
    ignore: o.ignore,
    failOn: o.failOn,
    ...trust,
  };
  if (o.command === 'serve') {
    const { serve } = await import('./serve.js');
    await serve({ ...common, listen: o.listen!, concurrency: o.concurrency, deadlineMs: o.deadlineMs });
    return;
  }
  const color = useColor(o.color, process.env, Boolean(process.stdout.isTTY));
  const width = outputWidth(Boolean(process.stdout.isTTY), process.stdout.columns, o.wide);

  if (o.input === null) {
    const { runBatch, EmptyListError } = await import('./batch.js');
    const { renderJsonLine } = await import('../report/render-json.js');
    const { BatchSummary } = await import('../report/render-summary.js');
    const { PrometheusBatch } = await import('../report/render-prometheus.js');
    const summary = new BatchSummary();
    const prom = new PrometheusBatch();
    let code: number;
    try {
      code = await runBatch({
        ...common,
        file: o.domainsFile!,
        concurrency: o.concurrency,
        json: o.format === 'json',
        stop: () => !stdoutOpen,
        checkDeadlineMs: o.checkDeadlineMs,
        onReport: (r: Report) => {
          if (o.format === 'json') out(renderJsonLine(r, { includeCerts: o.includeCerts }));
          else if (o.format === 'prometheus') prom.add(r);
          else summary.add(r);
        },
      });
    } catch (err) {
      if (err instanceof FileRefused) throw err;
      const e = err as NodeJS.ErrnoException;
      if (err instanceof EmptyListError) throw new UsageError(e.message);
      throw new UsageError(
        e.code === 'ENOENT'
          ? `--domains-file: ${o.domainsFile} does not exist; give a file with one domain per line (or - for stdin)`
          : e.code === 'EISDIR'
            ? `--domains-file: ${o.domainsFile} is a directory; give a file with one domain per line`
            : `--domains-file: cannot read ${o.domainsFile} (${e.code ?? e.message})`,
      );
    }
    if (o.format === 'prometheus') out(prom.render());
    else if (o.format !== 'json') out(summary.render({ color, width }));
    process.exitCode = code;
    return;
  }

  // A terminal that reports no width makes the spinner redraw forever: no spinner there.
  const spin = o.format === 'table' && Boolean(process.stderr.isTTY) && (process.stderr.columns ?? 0) > 0 && !process.env.CI;
  let spinner: { text: string; stop(): void } | null = null;
  if (spin) {
    const { default: ora } = await import('ora');
    spinner = ora({ text: `Checking ${o.input.domain}`, stream: process.stderr }).start();
  }
  try {
    const { runCheckBy } = await import('../pipeline.js');
    const { report, lingering } = await runCheckBy(
      {
        ...common,
        input: o.input,
        probe: o.probe ? { ...o.probe, directTls: o.directTls } : undefined,
        onStage: (text) => {
          if (spinner) spinner.text = text;
        },
      },
      o.checkDeadlineMs,
    );
    spinner?.stop();
    spinner = null;
    switch (o.format) {
      case 'json': {
        const { renderJson } = await import('../report/render-json.js');
        out(renderJson(report, { includeCerts: o.includeCerts }));
        break;
      }
      case 'nagios': {
        const { renderNagios } = await import('../report/render-nagios.js');
        out(renderNagios(report, { warnDays: o.warnDays, critDays: o.critDays }));
        break;
      }
      case 'prometheus': {
        const { renderPrometheus } = await import('../report/render-prometheus.js');
        out(renderPrometheus(report));
        break;
      }
      default:
        if (report.summary.status !== 'unknown') {
          const { renderTable } = await import('../report/render-table.js');
          out(renderTable(report, { color, width, verbosity: o.verbosity }));
        }
    }
    if (report.summary.status === 'unknown' && report.summary.reason && o.format !== 'nagios') {
      process.stderr.write(`xmpp-check: ${escapeTerminal(report.summary.reason)}\n`);
    }
    process.exitCode = report.summary.exitCode;
    // A check cut off by --deadline: its answer is out; its sockets must not keep the process alive.
    if (lingering) exitWhenWritten();
  } finally {
    spinner?.stop();
  }
}

/**
 * Ends the process once stdout and stderr have taken everything written (a
 * closed pipe calls back too, with EPIPE): the sockets of a check cut off by
 * --deadline would otherwise keep it alive until their own --timeout.
 */
function exitWhenWritten(): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit();
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
