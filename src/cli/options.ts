/**
 * The command line, as data: every option once (name, type, default, what it
 * does, its group in --help), and `parseOptions`, a pure function from argv
 * to typed options or a UsageError that says what is wrong (and, for an
 * unknown option, the nearest known one). yargs-parser (from yargs) reads
 * argv, configured from the same table; the checks it does not make are
 * ours. No I/O here: files are read, the resolver found and the terminal
 * asked by `execute` (main.ts).
 */
import { isIP } from 'node:net';
import { Parser } from 'yargs/helpers';
import { parseResolver, type ResolverAddress } from '../dns/address.js';
import type { ReportInput, ServiceKind } from '../core/types.js';
import { CATALOGUE } from '../report/catalogue.js';
import { InputError, parseInput } from './input.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type Format = 'table' | 'json' | 'nagios' | 'prometheus';
export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface HostPort {
  host: string;
  port: number;
}

export interface CliOptions {
  command: 'check' | 'serve';
  /** The one domain to check; null with --domains-file and for serve. */
  input: ReportInput | null;
  domainsFile: string | null;
  /** --probe: one node checked directly, without SRV. */
  probe: HostPort | null;
  directTls: boolean;
  /** Null: the first nameserver of /etc/resolv.conf. */
  resolver: ResolverAddress | null;
  services: ServiceKind[];
  ipFamilies: (4 | 6)[];
  seed: number | null;
  timeoutMs: number;
  warnDays: number;
  critDays: number;
  /** Every --ca-file given, in order (several may be given). */
  caFiles: string[];
  /** Every --trust-anchor given, in order (several may be given). */
  trustAnchors: string[];
  dnssec: 'validate' | 'resolver' | 'off';
  from?: string;
  quic: 'auto' | 'on' | 'off';
  web: boolean;
  authoritative: boolean;
  authoritativePort?: number;
  httpsPort?: number;
  quicPort?: number;
  dnsOnly: boolean;
  concurrency: number;
  format: Format;
  verbosity: Verbosity;
  wide: boolean;
  color: 'auto' | 'always' | 'never';
  includeCerts: boolean;
  ignore: string[];
  failOn: 'warning' | 'error';
  /** serve: where to listen. */
  listen: HostPort | null;
  /** serve: the deadline of one /probe, in ms. */
  deadlineMs: number;
  /** --deadline for a check (each domain of a batch): null when not given. */
  checkDeadlineMs: number | null;
}

export type Parsed = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: CliOptions };

// 'list': repeatable, and each value may hold several items split at commas; 'files': repeatable, one file each.
type OptType = 'boolean' | 'string' | 'integer' | 'choice' | 'list' | 'files';

export interface OptionSpec {
  name: string;
  short?: string;
  type: OptType;
  /** The value's name in --help, e.g. MS. */
  arg?: string;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Booleans that default to on take --no-NAME. */
  negatable?: boolean;
  group: string;
  describe: string;
}

export const GROUPS = ['What to check', 'DNS and trust', 'Output', 'Thresholds and exit codes', 'Many domains', 'serve (Prometheus exporter)', 'For test labs', 'General'] as const;

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'c2s', type: 'boolean', group: 'What to check', describe: 'Client-to-server only (default: c2s and s2s).' },
  { name: 's2s', type: 'boolean', group: 'What to check', describe: 'Server-to-server only (default: c2s and s2s).' },
  { name: '4', short: '4', type: 'boolean', group: 'What to check', describe: 'IPv4 addresses only.' },
  { name: '6', short: '6', type: 'boolean', group: 'What to check', describe: 'IPv6 addresses only.' },
  { name: 'probe', type: 'string', arg: 'HOST:PORT', group: 'What to check', describe: 'Check this one node for the domain, skipping SRV discovery (c2s unless --s2s); STARTTLS unless --direct-tls. HOST may be a name or an IP address ([IPv6]:PORT).' },
  { name: 'direct-tls', type: 'boolean', group: 'What to check', describe: 'With --probe: the node speaks direct TLS (XEP-0368), not STARTTLS.' },
  { name: 'dns-only', type: 'boolean', group: 'What to check', describe: 'Only DNS: no connections, certificates, DANE or POSH.' },
  { name: 'web', type: 'boolean', negatable: true, group: 'What to check', describe: 'Check XEP-0156 host-meta, WebSocket and BOSH (default on; --no-web skips them).' },
  { name: 'quic', type: 'choice', arg: 'MODE', choices: ['auto', 'on', 'off'], group: 'What to check', describe: 'XMPP over QUIC (XEP-0467): auto probes the endpoints host-meta (c2s) or _xmppq SRV records (xmpp-proxy\'s convention) publish, else UDP 443 on the domain, XEP-0467\'s default, with a 1 s deadline of its own; on gives that probe the full --timeout; off. Default auto.' },
  { name: 'authoritative', type: 'boolean', group: 'What to check', describe: "Also ask the zone's authoritative name servers and compare their SRV answers with the resolver's (stale caches, secondaries out of step, lame delegations)." },
  { name: 'from', type: 'string', arg: 'DOMAIN', group: 'What to check', describe: 's2s: the `from` of our stream header (default: none).' },
  { name: 'resolver', type: 'string', arg: 'HOST[:PORT]', group: 'DNS and trust', describe: 'The DNS resolver to ask: an IPv4 address, or [IPv6]:PORT (default: the first nameserver of /etc/resolv.conf).' },
  { name: 'dnssec', type: 'choice', arg: 'MODE', choices: ['validate', 'resolver', 'off'], group: 'DNS and trust', describe: "validate: our own DNSSEC validation from the root's trust anchors (default); resolver: trust the resolver's AD bit; off." },
  { name: 'trust-anchor', type: 'files', arg: 'FILE', group: 'DNS and trust', describe: "DNSSEC trust anchors (DS or DNSKEY lines, as dnssec-dsfromkey prints them) replacing the root's, e.g. for a private zone. May be repeated." },
  { name: 'ca-file', type: 'files', arg: 'FILE', group: 'DNS and trust', describe: "Also trust the CA certificates in FILE (PEM), besides Node's bundled roots, for XMPP and HTTPS. May be repeated." },
  { name: 'json', type: 'boolean', group: 'Output', describe: 'The report as JSON (schema/report.schema.json); NDJSON with --domains-file. Same as --format json.' },
  { name: 'format', type: 'choice', arg: 'FORMAT', choices: ['table', 'json', 'nagios', 'prometheus'], group: 'Output', describe: 'table (default); json; nagios: one status line with perfdata, as monitoring plugins print; prometheus: the text exposition format (node_exporter textfile collector).' },
  { name: 'quiet', short: 'q', type: 'boolean', group: 'Output', describe: 'Only the verdict of each service, the warnings and errors, and the status line.' },
  { name: 'verbose', short: 'v', type: 'boolean', group: 'Output', describe: 'Also every DNS query and the time of each phase of each connection.' },
  { name: 'wide', type: 'boolean', group: 'Output', describe: 'Do not fit the table to 80 columns when stdout is not a terminal (on a terminal it always fits its width).' },
  { name: 'color', type: 'boolean', negatable: true, group: 'Output', describe: 'Colour even into a pipe (e.g. | less -R). --no-color, NO_COLOR, FORCE_COLOR=0 or TERM=dumb turn it off; by default only a terminal gets colour.' },
  { name: 'include-certs', type: 'boolean', group: 'Output', describe: 'JSON: include each certificate as DER/PEM (left out by default; fingerprints, names and dates are always there).' },
  { name: 'seed', type: 'integer', arg: 'N', min: 0, max: 2 ** 31 - 1, group: 'Output', describe: 'Seed of the RFC 2782 draw shown, to reproduce one connection order.' },
  { name: 'timeout', type: 'integer', arg: 'MS', min: 100, max: 120_000, group: 'Thresholds and exit codes', describe: 'Deadline of one network step, in milliseconds (default 5000).' },
  { name: 'deadline', type: 'integer', arg: 'MS', min: 500, max: 600_000, group: 'Thresholds and exit codes', describe: "The whole check ends within MS: one that has not finished by then is reported as unknown (exit 3), as a monitoring plugin must end before its scheduler's timeout; with --domains-file, each domain (a check cut off keeps its place in --concurrency until its connections end). Default: no overall deadline (every network step has --timeout). serve: the deadline of one /probe (default 30000, or the scraper's X-Prometheus-Scrape-Timeout-Seconds when shorter)." },
  { name: 'warn-days', type: 'integer', arg: 'N', min: 0, max: 3650, group: 'Thresholds and exit codes', describe: 'A certificate that expires within N days is a warning (default 14).' },
  { name: 'crit-days', type: 'integer', arg: 'N', min: 0, max: 3650, group: 'Thresholds and exit codes', describe: 'A certificate that expires within N days is an error (default 7).' },
  { name: 'ignore', type: 'list', arg: 'CODE[,CODE]', group: 'Thresholds and exit codes', describe: 'Findings with these codes (docs/findings.md) count in no status or exit code; the JSON keeps them, marked ignored. May be repeated.' },
  { name: 'fail-on', type: 'choice', arg: 'LEVEL', choices: ['warning', 'error'], group: 'Thresholds and exit codes', describe: 'warning (default): exit 1 on warnings, 2 on errors; error: warnings exit 0, for CI jobs that fail only on errors.' },
  { name: 'domains-file', type: 'string', arg: 'FILE', group: 'Many domains', describe: 'Check every domain in FILE (one per line, # comments; - for stdin). Exit code: the worst.' },
  { name: 'concurrency', type: 'integer', arg: 'N', min: 1, max: 1000, group: 'Many domains', describe: 'Checks at once with --domains-file, and probes at once for serve (default 10).' },
  { name: 'listen', type: 'string', arg: 'HOST:PORT', group: 'serve (Prometheus exporter)', describe: 'serve: where to answer GET /probe?target=DOMAIN&module=c2s|s2s and GET /metrics.' },
  { name: 'https-port', type: 'integer', arg: 'PORT', min: 1, max: 65535, group: 'For test labs', describe: 'Port for https:// URLs (POSH, host-meta) instead of 443.' },
  { name: 'quic-port', type: 'integer', arg: 'PORT', min: 1, max: 65535, group: 'For test labs', describe: 'UDP port of XEP-0467\'s default QUIC endpoint instead of 443.' },
  { name: 'authoritative-port', type: 'integer', arg: 'PORT', min: 1, max: 65535, group: 'For test labs', describe: 'Port of the authoritative name servers for --authoritative, instead of 53.' },
  { name: 'help', short: 'h', type: 'boolean', group: 'General', describe: 'This help.' },
  { name: 'version', type: 'boolean', group: 'General', describe: 'The version.' },
];

const BY_NAME = new Map(OPTIONS.map((o) => [o.name, o]));
const ONCE = new Set(['resolver', 'domains-file', 'from', 'probe', 'listen']);
const BY_SHORT = new Map(OPTIONS.filter((o) => o.short).map((o) => [o.short!, o]));

/** Damerau–Levenshtein distance (adjacent transpositions count one). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word nearest to `typed`, when it is near enough to be what was meant. */
export function nearest(typed: string, known: Iterable<string>): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.startsWith(typed) && typed.length >= 3 ? 0.5 : editDistance(typed, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best !== null && bestD <= Math.max(1, Math.min(3, Math.floor(typed.length / 3))) ? best : null;
}

function longNames(): string[] {
  return OPTIONS.filter((o) => o.name.length > 1).flatMap((o) => (o.negatable ? [o.name, `no-${o.name}`] : [o.name]));
}

function unknownOption(raw: string): UsageError {
  const name = raw.replace(/^-+/, '').replace(/=.*$/, '');
  const near = nearest(name, longNames());
  return new UsageError(`unknown option ${raw.replace(/=.*$/, '')}${near ? `; did you mean --${near}?` : ''}`);
}

function parseHostPort(v: string, what: string, minPort = 1): HostPort {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(v) ?? /^([^:[\]\s]+):(\d+)$/.exec(v);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < minPort || port > 65535) throw new UsageError(`${what} "${v}" is not HOST:PORT (or [IPv6]:PORT) with a port from ${minPort} to 65535`);
  return { host: m[1]!.toLowerCase().replace(/\.$/, ''), port };
}

type Values = Map<string, string | boolean | string[]>;

const VALUE_OPTIONS = OPTIONS.filter((o) => o.type !== 'boolean').map((o) => o.name);
// yargs-parser, configured from OPTIONS: every value option takes exactly one argument (nargs 1, so
// `--domains-file -` and `--warn-days ''` are values), values stay strings (our own checks turn them
// into numbers), a repeated option becomes an array (accumulated for lists and for --ca-file and
// --trust-anchor, refused for the other files and addresses, the last one wins otherwise).
const YARGS: Parser.Options = {
  boolean: OPTIONS.filter((o) => o.type === 'boolean').map((o) => o.name),
  string: VALUE_OPTIONS,
  narg: Object.fromEntries(VALUE_OPTIONS.map((n) => [n, 1])),
  alias: Object.fromEntries(OPTIONS.filter((o) => o.short && o.short !== o.name).map((o) => [o.name, [o.short!]])),
  configuration: {
    'boolean-negation': true,
    'camel-case-expansion': false,
    'dot-notation': false,
    'duplicate-arguments-array': true,
    'flatten-duplicate-arrays': true,
    'greedy-arrays': false,
    'halt-at-non-option': false,
    'nargs-eats-options': false,
    'parse-numbers': false,
    'parse-positional-numbers': false,
    'populate--': true,
    'short-option-groups': true,
    'strip-aliased': true,
    'unknown-options-as-args': false,
  },
};

// What yargs-parser reads as a number rather than an option (`-5`, `-46`), and as an option's value.
const NEGATIVE = /^-+([0-9]+|[0-9]*\.[0-9]+)(e[0-9]+)?$/;
const isValue = (t: string | undefined): t is string => t !== undefined && (!/^-[^0-9]/.test(t) || NEGATIVE.test(t));

/**
 * The checks yargs-parser does not make, in argv order: an unknown option (with the nearest known one),
 * a value given to a switch, a value option without its value. Returns argv for yargs-parser, with
 * clusters (-qv) split, the digit switches (-4, -6), which it would take for negative numbers, long,
 * and the few forms it reads otherwise than we always have made explicit (`--from -x`, `-q true`).
 */
function checkShape(argv: readonly string[]): string[] {
  const out: string[] = [];
  // yargs-parser takes a `true` or `false` after a switch as its value; here it is an argument.
  const eatsNext = (i: number): boolean => /^(true|false)$/.test(argv[i + 1] ?? '');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const inline = eq >= 0 ? a.slice(eq + 1) : undefined;
      const spec = BY_NAME.get(name);
      const neg = name.startsWith('no-') ? BY_NAME.get(name.slice(3)) : undefined;
      if (spec && spec.name.length > 1) {
        if (spec.type === 'boolean') {
          if (inline !== undefined) throw new UsageError(`--${spec.name} takes no value (got "${inline}")`);
          out.push(eatsNext(i) ? `${a}=true` : a);
          continue;
        }
        if (inline !== undefined) {
          out.push(a);
          continue;
        }
        // A following long option is not a value: `--timeout --json` lacks the timeout.
        const v = argv[i + 1];
        if (v === undefined || (v.startsWith('--') && v.length > 2)) throw new UsageError(`--${name} needs a value${spec.arg ? ` (${spec.arg})` : ''}`);
        i++;
        // Anything else is the value, even `-x` or `--`, which yargs-parser takes as the value only inline.
        out.push(...(isValue(v) ? [a, v] : [`${a}=${v}`]));
      } else if (neg?.negatable && inline === undefined) out.push(eatsNext(i) ? `--${neg.name}=false` : a);
      else throw unknownOption(a);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // -q, -v, -4, -6, -h, and clusters of them (-qv); every short option is a switch.
      const letters = [...a.slice(1)];
      for (const l of letters) if (!BY_SHORT.has(l)) throw unknownOption(letters.length === 1 ? a : `-${l}`);
      const eats = eatsNext(i);
      out.push(...letters.map((l) => (eats ? `--${BY_SHORT.get(l)!.name}=true` : /[0-9]/.test(l) ? `--${BY_SHORT.get(l)!.name}` : `-${l}`)));
      continue;
    }
    out.push(a);
  }
  return out;
}

/** argv → options, or a UsageError. Pure. */
export function parseOptions(argv: readonly string[]): Parsed {
  const parsed = Parser.detailed(checkShape(argv), YARGS);
  // checkShape has refused what yargs-parser would call an error; should one remain, it is still a usage error.
  if (parsed.error) throw new UsageError(parsed.error.message);
  const values: Values = new Map();
  for (const spec of OPTIONS) {
    const raw: unknown = parsed.argv[spec.name];
    if (raw === undefined) continue;
    const all = (Array.isArray(raw) ? raw : [raw]) as (string | boolean)[];
    if (spec.type === 'boolean') values.set(spec.name, all[all.length - 1] === true);
    else if (spec.type === 'list' || spec.type === 'files') values.set(spec.name, all.map(String));
    // A file or an address given twice would silently use one of them: refused.
    else if (ONCE.has(spec.name) && all.length > 1) throw new UsageError(`--${spec.name} is given more than once`);
    else values.set(spec.name, String(all[all.length - 1]));
  }
  const positional = [...parsed.argv._, ...((parsed.argv['--'] as unknown[] | undefined) ?? [])].map(String);
  if (values.get('help')) return { kind: 'help' };
  if (values.get('version')) return { kind: 'version' };
  return { kind: 'run', options: toOptions(values, positional) };
}

function integer(values: Values, name: string, fallback: number): number;
function integer(values: Values, name: string, fallback?: number): number | undefined;
function integer(values: Values, name: string, fallback?: number): number | undefined {
  const raw = values.get(name);
  if (raw === undefined) return fallback;
  const spec = BY_NAME.get(name)!;
  const s = String(raw).trim();
  const n = /^\d+$/.test(s) ? Number(s) : NaN;
  if (!Number.isSafeInteger(n) || n < spec.min! || n > spec.max!) throw new UsageError(`--${name} takes a whole number from ${spec.min} to ${spec.max} (got "${raw}")`);
  return n;
}

function choice<T extends string>(values: Values, name: string, fallback: T): T {
  const raw = values.get(name);
  if (raw === undefined) return fallback;
  const spec = BY_NAME.get(name)!;
  if (!spec.choices!.includes(String(raw))) {
    const near = nearest(String(raw), spec.choices!);
    throw new UsageError(`--${name} takes ${spec.choices!.join(', ')} (got "${raw}")${near ? `; did you mean ${near}?` : ''}`);
  }
  return raw as T;
}

function str(values: Values, name: string): string | undefined {
  const v = values.get(name);
  return v === undefined ? undefined : String(v);
}

/** The files of a repeatable file option, in order; an empty name is a usage error. */
function files(values: Values, name: string): string[] {
  const all = (values.get(name) as string[] | undefined) ?? [];
  if (all.some((f) => f === '')) throw new UsageError(`--${name} needs a file name`);
  return all;
}

function toOptions(values: Values, positional: string[]): CliOptions {
  // --deadline: serve's per-probe deadline (30 s when not given), and a check's (none when not given).
  const deadline = integer(values, 'deadline');
  const command = positional[0] === 'serve' ? 'serve' : 'check';
  const args = command === 'serve' ? positional.slice(1) : positional;
  const domainsFile = str(values, 'domains-file') ?? null;
  if (domainsFile === '') throw new UsageError('--domains-file needs a file name (or - for stdin)');

  let format = choice<Format>(values, 'format', values.get('json') ? 'json' : 'table');
  if (values.get('json') && format !== 'json') throw new UsageError(`--json and --format ${format} contradict each other`);
  if (values.get('json')) format = 'json';
  if (values.get('quiet') && values.get('verbose')) throw new UsageError('--quiet and --verbose contradict each other');

  const probeRaw = str(values, 'probe');
  const probe = probeRaw === undefined ? null : parseHostPort(probeRaw, '--probe');
  if (values.get('direct-tls') && !probe) throw new UsageError('--direct-tls goes with --probe HOST:PORT');

  let input: ReportInput | null = null;
  let listen: HostPort | null = null;
  const listenRaw = str(values, 'listen');
  if (command === 'serve') {
    if (args.length) throw new UsageError(`serve takes no domain (got "${args[0]}"): the scraper names it in /probe?target=…`);
    if (domainsFile !== null || probe) throw new UsageError('serve checks the domain each /probe names: no --domains-file or --probe');
    if (listenRaw === undefined) throw new UsageError('serve needs --listen HOST:PORT (e.g. --listen 127.0.0.1:9470)');
    // Port 0: any free port (the address is printed on stderr).
    listen = parseHostPort(listenRaw, '--listen', 0);
    // Names would need the system resolver, which this tool never asks.
    if (!isIP(listen.host)) throw new UsageError(`--listen takes an IP address (e.g. 127.0.0.1:9470 or [::1]:9470), not the name "${listen.host}"`);
    if (format !== 'table') throw new UsageError('serve always answers in the Prometheus text format: no --json or --format');
  } else {
    if (listenRaw !== undefined) throw new UsageError('--listen goes with the serve command: xmpp-check serve --listen HOST:PORT');
    if (domainsFile !== null) {
      if (args.length) throw new UsageError('give either a domain or --domains-file, not both');
      if (probe) throw new UsageError('--probe checks one node for one domain: not with --domains-file');
      if (format === 'nagios') throw new UsageError('--format nagios prints the status of one check: give one domain, not --domains-file');
    } else if (args.length !== 1) {
      throw new UsageError(args.length ? `give exactly one domain (got ${args.length}: ${args.slice(0, 3).join(' ')})` : 'no domain given');
    } else {
      try {
        input = parseInput(args[0]!);
      } catch (err) {
        if (err instanceof InputError) throw err;
        throw new UsageError(String(err));
      }
    }
  }

  let resolver: ResolverAddress | null = null;
  const resolverRaw = str(values, 'resolver');
  if (resolverRaw !== undefined) {
    resolver = parseResolver(resolverRaw);
    if (!resolver) throw new UsageError(`--resolver "${resolverRaw}" is not HOST[:PORT] with an IP address`);
  }
  const c2s = values.get('c2s') === true;
  const s2s = values.get('s2s') === true;
  const services: ServiceKind[] = c2s && !s2s ? ['c2s'] : s2s && !c2s ? ['s2s'] : probe ? ['c2s'] : ['c2s', 's2s'];
  if (probe && c2s && s2s) throw new UsageError('--probe checks one node: give --c2s or --s2s, not both');
  const v4 = values.get('4') === true;
  const v6 = values.get('6') === true;
  let from: string | undefined;
  const fromRaw = str(values, 'from');
  if (fromRaw !== undefined) {
    try {
      from = parseInput(fromRaw).domain;
    } catch (err) {
      throw new UsageError(`--from: ${(err as Error).message}`);
    }
  }
  const warnDays = integer(values, 'warn-days', 14);
  const critDays = integer(values, 'crit-days', Math.min(7, warnDays));
  if (critDays > warnDays) throw new UsageError(`--crit-days (${critDays}) cannot be more than --warn-days (${warnDays})`);
  const ignore: string[] = [];
  for (const item of ((values.get('ignore') as string[] | undefined) ?? []).flatMap((v) => v.split(','))) {
    const code = item.trim().toUpperCase();
    if (!code) continue;
    if (!CATALOGUE.has(code)) {
      const near = nearest(code, CATALOGUE.keys());
      throw new UsageError(`--ignore: no finding has the code ${code}${near ? `; did you mean ${near}?` : ' (see docs/findings.md)'}`);
    }
    if (!ignore.includes(code)) ignore.push(code);
  }
  if (values.has('ignore') && !ignore.length) throw new UsageError('--ignore needs finding codes (CODE[,CODE])');
  const color = values.get('color') === true ? 'always' : values.get('color') === false ? 'never' : 'auto';
  return {
    command,
    input,
    domainsFile,
    probe,
    directTls: values.get('direct-tls') === true,
    resolver,
    services,
    ipFamilies: v4 && !v6 ? [4] : v6 && !v4 ? [6] : [4, 6],
    seed: integer(values, 'seed') ?? null,
    timeoutMs: integer(values, 'timeout', 5000),
    warnDays,
    critDays,
    caFiles: files(values, 'ca-file'),
    trustAnchors: files(values, 'trust-anchor'),
    dnssec: choice(values, 'dnssec', 'validate'),
    from,
    quic: choice(values, 'quic', 'auto'),
    web: values.get('web') !== false,
    authoritative: values.get('authoritative') === true,
    authoritativePort: integer(values, 'authoritative-port'),
    httpsPort: integer(values, 'https-port'),
    quicPort: integer(values, 'quic-port'),
    dnsOnly: values.get('dns-only') === true,
    concurrency: integer(values, 'concurrency', 10),
    format,
    verbosity: values.get('quiet') ? 'quiet' : values.get('verbose') ? 'verbose' : 'normal',
    wide: values.get('wide') === true,
    color,
    includeCerts: values.get('include-certs') === true,
    ignore,
    failOn: choice(values, 'fail-on', 'warning'),
    listen,
    deadlineMs: deadline ?? 30_000,
    checkDeadlineMs: deadline ?? null,
  };
}

/** Whether to colour: --color / --no-color win; then NO_COLOR, FORCE_COLOR, TERM=dumb; then whether stdout is a terminal. */
export function useColor(choice: CliOptions['color'], env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (choice !== 'auto') return choice === 'always';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !['0', 'false', 'no'].includes(force.toLowerCase());
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
