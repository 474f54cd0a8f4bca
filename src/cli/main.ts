/**
 * The command line: parses arguments, runs the pipeline with a spinner on a
 * TTY, prints the table or the JSON, and sets the exit code (0 OK, 1 warnings,
 * 2 errors, 3 unknown). Usage errors print the gist of the help on stderr and
 * exit 3; no stack trace ever reaches the user.
 */
import yargs from 'yargs';
import { formatResolver, parseResolver, unicastProblem, type ResolverAddress } from '../dns/address.js';
import { systemResolver } from '../dns/resolv-conf.js';
import type { Report } from '../report/model.js';
import type { ServiceKind } from '../core/types.js';
import { escapeTerminal } from '../core/escape.js';
import { VERSION } from '../core/version.js';
import { InputError, parseInput } from './input.js';
import { FileRefused } from './files.js';

// The pipeline, renderers and the spinner are imported lazily, so that
// --version and --help load nothing they do not need.

class UsageError extends Error {}

const USAGE = 'Usage: xmpp-check [options] <domain|jid>   (try --help)';

function buildParser(argv: string[]) {
  return yargs(argv)
    .scriptName('xmpp-check')
    .usage('$0 [options] <domain|jid>\n\nShows how the XMPP service of a domain is reachable, and what is wrong.')
    .option('resolver', { type: 'string', describe: 'DNS resolver to ask, HOST[:PORT] or [IPv6]:PORT (default: first nameserver in /etc/resolv.conf)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON (schema/report.schema.json)' })
    .option('c2s', { type: 'boolean', describe: 'Check client-to-server only (default: both)' })
    .option('s2s', { type: 'boolean', describe: 'Check server-to-server only (default: both)' })
    // Numbers are read as strings and checked by validNumber, so that `--seed` without a value is refused like `--seed ''`.
    .option('seed', { type: 'string', describe: 'Seed of the RFC 2782 draw shown, to reproduce one order' })
    // No yargs defaults here: yargs would give a valueless option its default (the defaults are applied below).
    .option('timeout', { type: 'string', defaultDescription: '5000', describe: 'Deadline of one network step, in ms' })
    .option('4', { type: 'boolean', describe: 'IPv4 only' })
    .option('6', { type: 'boolean', describe: 'IPv6 only' })
    .option('ca-file', { type: 'string', describe: 'Also trust the CA certificates in FILE (PEM), besides Node\'s bundled roots' })
    .option('warn-days', { type: 'string', defaultDescription: '14', describe: 'Warn when a certificate expires within this many days' })
    .option('dnssec', { choices: ['validate', 'resolver', 'off'] as const, default: 'validate' as const, describe: 'DNSSEC: validate ourselves from the trust anchors, trust the resolver\'s AD bit, or skip' })
    .option('trust-anchor', { type: 'string', describe: 'DNSSEC trust anchors (DS or DNSKEY lines) replacing the root\'s, e.g. for a private zone' })
    .option('from', { type: 'string', describe: 's2s: the `from` of the stream header (default: none)' })
    .option('quic', { choices: ['auto', 'on', 'off'] as const, default: 'auto' as const, describe: 'XMPP over QUIC: probe discovered endpoints (auto), also UDP 443 on the domain (on), or none' })
    .option('web', { type: 'boolean', default: true, describe: 'Check XEP-0156 host-meta, WebSocket and BOSH (--no-web to skip)' })
    .option('authoritative', { type: 'boolean', default: false, describe: 'Also ask the zone\'s authoritative servers and compare (stale caches, out-of-step secondaries)' })
    .option('authoritative-port', { type: 'string', hidden: true, describe: 'Port of the authoritative servers; for test labs' })
    .option('dns-only', { type: 'boolean', default: false, describe: 'Only DNS: no connections, certificates, DANE or POSH' })
    .option('https-port', { type: 'string', hidden: true, describe: 'Port for https:// URLs (POSH); for test labs' })
    .option('domains-file', { type: 'string', describe: 'Check every domain in FILE (one per line, # comments; - for stdin)' })
    .option('concurrency', { type: 'string', defaultDescription: '10', describe: 'With --domains-file: checks at once' })
    .option('color', { type: 'boolean', default: true, describe: 'Colour output (--no-color, NO_COLOR, or a non-TTY turn it off)' })
    .example('$0 example.com', 'Check c2s and s2s of example.com')
    .example('$0 --json --resolver 127.0.0.1:5353 user@example.com', 'JSON report for the domain of a JID, via a given resolver')
    .epilog('Exit codes: 0 OK, 1 warnings, 2 errors, 3 unknown (the check could not run).')
    .version(VERSION)
    .help()
    .alias('h', 'help')
    .strictOptions()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw new UsageError(msg || (err ? err.message : 'invalid arguments'));
    });
}

/** A whole number option; given without a value (or twice, or as anything but digits) it is refused. */
function validNumber(v: unknown, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\s*\d{1,12}\s*$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(n) || n < min || n > max || !Number.isInteger(n)) {
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}`);
  }
  return n;
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
  watchOutput();
  try {
    await run(argv);
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError || err instanceof FileRefused) {
      process.stderr.write(`xmpp-check: ${escapeTerminal(err.message)}\n${USAGE}\n`);
    } else {
      process.stderr.write(`xmpp-check: internal error: ${escapeTerminal(err instanceof Error ? err.message : String(err))}\n`);
      if (process.env.XMPP_CHECK_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    }
    process.exitCode = 3;
  }
}

async function run(argv: string[]): Promise<void> {
  let printedHelp = false;
  const parser = buildParser(argv);
  const args = await parser.parseAsync(argv, {}, (_err, _argv, output) => {
    if (output) {
      printedHelp = true;
      out(`${output}\n`);
    }
  });
  if (printedHelp || args.help || args.version) return;
  // A file or address option given twice would silently use one of them (or neither): refused.
  for (const name of ['resolver', 'ca-file', 'trust-anchor', 'domains-file', 'from']) {
    if (Array.isArray(args[name])) throw new UsageError(`--${name} is given more than once`);
  }
  const positional = args._.map(String);
  let domainsFile = args['domains-file'] as string | undefined;
  // yargs reads a bare `-` as a positional: `--domains-file -` means stdin.
  if (domainsFile === '' && positional.length === 1 && positional[0] === '-') {
    domainsFile = '-';
    positional.length = 0;
  }
  if (domainsFile === '') throw new UsageError('--domains-file needs a file name (or - for stdin)');
  if (domainsFile !== undefined) {
    if (positional.length) throw new UsageError('give either a domain or --domains-file, not both');
  } else if (positional.length !== 1) {
    throw new UsageError(positional.length ? `give exactly one domain (got ${positional.length})` : 'no domain given');
  }
  const input = domainsFile === undefined ? parseInput(positional[0]!) : null;

  let resolver: ResolverAddress | null;
  let resolverSource: 'option' | 'resolv.conf' = 'option';
  if (args.resolver !== undefined) {
    resolver = parseResolver(String(args.resolver));
    if (!resolver) throw new UsageError(`--resolver "${args.resolver}" is not HOST[:PORT] with an IP address`);
  } else {
    resolver = systemResolver();
    resolverSource = 'resolv.conf';
    if (!resolver) throw new UsageError('no resolver: /etc/resolv.conf names none; give --resolver');
  }
  // A query to a broadcast, multicast or unspecified address goes nowhere useful (or everywhere): refused before any socket.
  const notUnicast = unicastProblem(resolver.host);
  if (notUnicast) {
    throw new UsageError(`${resolverSource === 'option' ? '--resolver' : 'the resolver in /etc/resolv.conf'} ${formatResolver(resolver)}: ${resolver.host} is not a unicast address (${notUnicast})`);
  }
  let services: ServiceKind[] = ['c2s', 's2s'];
  if (args.c2s && !args.s2s) services = ['c2s'];
  if (args.s2s && !args.c2s) services = ['s2s'];
  const ipFamilies: (4 | 6)[] = args['4'] && !args['6'] ? [4] : args['6'] && !args['4'] ? [6] : [4, 6];
  const timeoutMs = validNumber(args.timeout, 'timeout', 100, 120_000) ?? 5000;
  const seed = validNumber(args.seed, 'seed', 0, 2 ** 31 - 1) ?? null;

  const concurrency = validNumber(args.concurrency, 'concurrency', 1, 1000) ?? 10;
  const warnDays = validNumber(args['warn-days'], 'warn-days', 0, 3650) ?? 14;
  const httpsPort = validNumber(args['https-port'], 'https-port', 1, 65535);
  let from: string | undefined;
  if (args.from !== undefined) {
    try {
      from = parseInput(String(args.from)).domain;
    } catch (err) {
      throw new UsageError(`--from: ${(err as Error).message}`);
    }
  }
  const { loadTrust } = await import('./trust.js');
  const trust = loadTrust({ caFile: args['ca-file'] as string | undefined, trustAnchor: args['trust-anchor'] as string | undefined });
  if ('error' in trust) throw new UsageError(trust.error);
  const color = Boolean(args.color) && !('NO_COLOR' in process.env && process.env.NO_COLOR !== '') && Boolean(process.stdout.isTTY);
  // A terminal that reports no width makes the spinner redraw forever: no spinner there.
  const spin = Boolean(process.stderr.isTTY) && (process.stderr.columns ?? 0) > 0 && !process.env.CI;
  const common = {
    resolver,
    resolverSource,
    services,
    seed,
    timeoutMs,
    ipFamilies,
    warnDays,
    from,
    httpsPort,
    dnssecMode: args.dnssec as 'validate' | 'resolver' | 'off',
    noProbes: Boolean(args['dns-only']),
    quic: args.quic as 'auto' | 'on' | 'off',
    web: Boolean(args.web),
    authoritative: Boolean(args.authoritative),
    authoritativePort: validNumber(args['authoritative-port'], 'authoritative-port', 1, 65535),
    ...trust,
  };

  if (input === null) {
    const { runBatch } = await import('./batch.js');
    const { renderJsonLine } = await import('../report/render-json.js');
    const { BatchSummary } = await import('../report/render-summary.js');
    const summary = new BatchSummary();
    let code: number;
    try {
      code = await runBatch({
        ...common,
        file: domainsFile!,
        concurrency,
        json: Boolean(args.json),
        stop: () => !stdoutOpen,
        onReport: (r: Report) => {
          if (args.json) out(renderJsonLine(r));
          else summary.add(r);
        },
      });
    } catch (err) {
      if (err instanceof FileRefused) throw err;
      const e = err as NodeJS.ErrnoException;
      throw new UsageError(e.code === 'ENOENT' ? `--domains-file: no such file: ${domainsFile}` : `--domains-file: ${e.message}`);
    }
    if (!args.json) out(summary.render({ color }));
    process.exitCode = code;
    return;
  }

  let spinner: { text: string; stop(): void } | null = null;
  if (spin) {
    const { default: ora } = await import('ora');
    spinner = ora({ text: `Checking ${input.domain}`, stream: process.stderr }).start();
  }
  try {
    const { runCheck } = await import('../pipeline.js');
    const report = await runCheck({
      ...common,
      input,
      onStage: (text) => {
        if (spinner) spinner.text = text;
      },
    });
    spinner?.stop();
    spinner = null;
    if (args.json) {
      const { renderJson } = await import('../report/render-json.js');
      out(renderJson(report));
    } else if (report.summary.status !== 'unknown') {
      const { renderTable } = await import('../report/render-table.js');
      out(renderTable(report, { color }));
    }
    if (report.summary.status === 'unknown' && report.summary.reason) {
      process.stderr.write(`xmpp-check: ${escapeTerminal(report.summary.reason)}\n`);
    }
    process.exitCode = report.summary.exitCode;
  } finally {
    spinner?.stop();
  }
}
