/**
 * The command line: `main` parses the arguments (options.ts, pure), then
 * `execute` does what they ask: finds the resolver, loads the trust files,
 * runs the check (with a spinner on a terminal), prints the table, JSON,
 * Nagios or Prometheus output, and sets the exit code (0 OK, 1 warnings,
 * 2 errors, 3 unknown). A usage error prints one line and the usage on stderr
 * (and, when JSON was asked for, still a JSON object on stdout) and exits 3;
 * no stack trace ever reaches the user.
 */
import type { ResolverAddress } from '../dns/address.js';
import type { Report } from '../report/model.js';
import { escapeTerminal } from '../core/escape.js';
import { VERSION } from '../core/version.js';
import { InputError } from './input.js';
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
  if (format === 'json') process.stdout.write(renderJson(r));
  else if (format === 'nagios') process.stdout.write((await import('../report/render-nagios.js')).renderNagios(r, { warnDays: 14, critDays: 7 }));
  else process.stdout.write((await import('../report/render-prometheus.js')).renderPrometheus(r));
}

export async function main(argv: string[]): Promise<void> {
  let options: CliOptions | null = null;
  try {
    const parsed = parseOptions(argv);
    if (parsed.kind === 'help') {
      const { renderHelp } = await import('./help.js');
      process.stdout.write(renderHelp(outputWidth(Boolean(process.stdout.isTTY), process.stdout.columns, false)));
      return;
    }
    if (parsed.kind === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    options = parsed.options;
    await execute(options);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError) {
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
  const { loadTrust } = await import('./trust.js');
  const trust = loadTrust({ caFile: o.caFile, trustAnchor: o.trustAnchor });
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
        onReport: (r: Report) => {
          if (o.format === 'json') process.stdout.write(renderJsonLine(r, { includeCerts: o.includeCerts }));
          else if (o.format === 'prometheus') prom.add(r);
          else summary.add(r);
        },
      });
    } catch (err) {
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
    if (o.format === 'prometheus') process.stdout.write(prom.render());
    else if (o.format !== 'json') process.stdout.write(summary.render({ color, width }));
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
    const { runCheck } = await import('../pipeline.js');
    const report = await runCheck({
      ...common,
      input: o.input,
      probe: o.probe ? { ...o.probe, directTls: o.directTls } : undefined,
      onStage: (text) => {
        if (spinner) spinner.text = text;
      },
    });
    spinner?.stop();
    spinner = null;
    switch (o.format) {
      case 'json': {
        const { renderJson } = await import('../report/render-json.js');
        process.stdout.write(renderJson(report, { includeCerts: o.includeCerts }));
        break;
      }
      case 'nagios': {
        const { renderNagios } = await import('../report/render-nagios.js');
        process.stdout.write(renderNagios(report, { warnDays: o.warnDays, critDays: o.critDays }));
        break;
      }
      case 'prometheus': {
        const { renderPrometheus } = await import('../report/render-prometheus.js');
        process.stdout.write(renderPrometheus(report));
        break;
      }
      default:
        if (report.summary.status !== 'unknown') {
          const { renderTable } = await import('../report/render-table.js');
          process.stdout.write(renderTable(report, { color, width, verbosity: o.verbosity }));
        }
    }
    if (report.summary.status === 'unknown' && report.summary.reason && o.format !== 'nagios') {
      process.stderr.write(`xmpp-check: ${escapeTerminal(report.summary.reason)}\n`);
    }
    process.exitCode = report.summary.exitCode;
  } finally {
    spinner?.stop();
  }
}
