/** parseOptions: argv → typed options or a usage error that says what is wrong. Pure, so tested without a process. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistance, nearest, OPTIONS, parseOptions, UsageError, useColor, type CliOptions } from '../../src/cli/options.js';
import { InputError } from '../../src/cli/input.js';
import { renderHelp } from '../../src/cli/help.js';

const run = (...argv: string[]): CliOptions => {
  const p = parseOptions(argv);
  assert.equal(p.kind, 'run');
  return (p as { options: CliOptions }).options;
};
const usage = (argv: string[], message: RegExp): void => {
  assert.throws(() => parseOptions(argv), (err: unknown) => err instanceof UsageError && message.test(err.message), `${argv.join(' ')} → ${message}`);
};

test('defaults for a bare domain', () => {
  const o = run('example.com');
  assert.equal(o.command, 'check');
  assert.equal(o.input!.domain, 'example.com');
  assert.deepEqual(o.services, ['c2s', 's2s']);
  assert.deepEqual(o.ipFamilies, [4, 6]);
  assert.equal(o.resolver, null);
  assert.equal(o.timeoutMs, 5000);
  assert.equal(o.warnDays, 14);
  assert.equal(o.critDays, 7);
  assert.equal(o.format, 'table');
  assert.equal(o.verbosity, 'normal');
  assert.equal(o.color, 'auto');
  assert.equal(o.web, true);
  assert.equal(o.quic, 'auto');
  assert.equal(o.failOn, 'warning');
  assert.deepEqual(o.ignore, []);
  assert.equal(o.includeCerts, false);
});

test('values: --name value and --name=value; booleans and --no-; short flags and clusters', () => {
  const o = run('--resolver', '[::1]:5353', '--timeout=800', '--c2s', '-4', '-q', '--no-web', '--quic', 'off', 'user@Example.COM/res');
  assert.deepEqual(o.resolver, { host: '::1', port: 5353 });
  assert.equal(o.timeoutMs, 800);
  assert.deepEqual(o.services, ['c2s']);
  assert.deepEqual(o.ipFamilies, [4]);
  assert.equal(o.verbosity, 'quiet');
  assert.equal(o.web, false);
  assert.equal(o.quic, 'off');
  assert.equal(o.input!.domain, 'example.com');
  assert.equal(o.input!.jid, 'user@Example.COM/res');
  assert.deepEqual(run('-46', 'x.example').ipFamilies, [4, 6]);
  assert.equal(run('-v', 'x.example').verbosity, 'verbose');
  assert.equal(run('--color', 'x.example').color, 'always');
  assert.equal(run('--no-color', 'x.example').color, 'never');
  assert.equal(run('--', 'x.example').input!.domain, 'x.example');
  usage(['x.example', '--', '--json'], /give exactly one domain \(got 2: x\.example --json\)/);
});

test('unknown options suggest the nearest', () => {
  usage(['--jsno', 'x.example'], /^unknown option --jsno; did you mean --json\?$/);
  usage(['--resolvr', '1.1.1.1', 'x.example'], /did you mean --resolver\?/);
  usage(['--no-colour', 'x.example'], /did you mean --no-color\?/);
  usage(['--verb', 'x.example'], /did you mean --verbose\?/);
  usage(['--xyzzy', 'x.example'], /^unknown option --xyzzy$/);
  usage(['-z', 'x.example'], /^unknown option -z/);
  usage(['--format', 'nagois', 'x.example'], /--format takes table, json, nagios, prometheus \(got "nagois"\); did you mean nagios\?/);
});

test('an address given twice is refused; CA and anchor files add up; a number given twice takes the last', () => {
  usage(['--resolver', '127.0.0.1', '--resolver', '127.0.0.2', 'x.example'], /^--resolver is given more than once$/);
  usage(['--domains-file', 'a', '--domains-file', 'b'], /^--domains-file is given more than once$/);
  const twice = run('--ca-file', 'a.pem', '--ca-file=b,c.pem', '--trust-anchor', 'k1', '--trust-anchor', 'k2', 'x.example');
  assert.deepEqual(twice.caFiles, ['a.pem', 'b,c.pem']);
  assert.deepEqual(twice.trustAnchors, ['k1', 'k2']);
  assert.deepEqual(run('x.example').caFiles, []);
  usage(['--ca-file', 'a.pem', '--ca-file=', 'x.example'], /^--ca-file needs a file name$/);
  assert.equal(run('--timeout', '800', '--timeout', '900', 'x.example').timeoutMs, 900);
});

test('a value option without its value is refused, not defaulted', () => {
  usage(['x.example', '--timeout'], /--timeout needs a value \(MS\)/);
  usage(['--seed', '--json', 'x.example'], /--seed needs a value/);
  usage(['--warn-days', '', 'x.example'], /--warn-days takes a whole number from 0 to 3650 \(got ""\)/);
  usage(['--timeout', '50', 'x.example'], /from 100 to 120000/);
  usage(['--timeout', '1e3', 'x.example'], /whole number/);
  usage(['--json=yes', 'x.example'], /--json takes no value/);
});

test('input forms: one domain, --domains-file (- for stdin), --probe, serve', () => {
  usage([], /no domain given/);
  usage(['a.example', 'b.example'], /give exactly one domain \(got 2/);
  assert.throws(() => parseOptions(['a..b']), InputError);
  assert.equal(run('--domains-file', '-').domainsFile, '-');
  assert.equal(run('--domains-file', 'list.txt').input, null);
  usage(['--domains-file', 'list.txt', 'x.example'], /either a domain or --domains-file/);
  usage(['--domains-file', 'l', '--format', 'nagios'], /nagios prints the status of one check/);
  const p = run('--probe', 'xmpp1.example.org:5223', '--direct-tls', 'example.org');
  assert.deepEqual(p.probe, { host: 'xmpp1.example.org', port: 5223 });
  assert.equal(p.directTls, true);
  assert.deepEqual(p.services, ['c2s'], '--probe checks c2s unless --s2s');
  assert.deepEqual(run('--probe', '[::1]:5269', '--s2s', 'example.org').services, ['s2s']);
  usage(['--probe', 'host', 'x.example'], /--probe "host" is not HOST:PORT/);
  usage(['--probe', 'h:5222', '--c2s', '--s2s', 'x.example'], /give --c2s or --s2s, not both/);
  usage(['--direct-tls', 'x.example'], /--direct-tls goes with --probe/);
  const s = run('serve', '--listen', '127.0.0.1:0', '--resolver', '127.0.0.1:53');
  assert.equal(s.command, 'serve');
  assert.deepEqual(s.listen, { host: '127.0.0.1', port: 0 });
  usage(['serve'], /serve needs --listen HOST:PORT/);
  usage(['serve', '--listen', 'localhost:9000'], /--listen takes an IP address/);
  usage(['serve', '--listen', '127.0.0.1:9', 'x.example'], /serve takes no domain/);
  usage(['--listen', '127.0.0.1:9', 'x.example'], /--listen goes with the serve command/);
});

test('formats, verbosity and thresholds that contradict each other are refused', () => {
  assert.equal(run('--json', 'x.example').format, 'json');
  assert.equal(run('--format', 'prometheus', 'x.example').format, 'prometheus');
  usage(['--json', '--format', 'nagios', 'x.example'], /--json and --format nagios contradict/);
  usage(['-q', '-v', 'x.example'], /--quiet and --verbose contradict/);
  const t = run('--warn-days', '30', '--crit-days', '10', 'x.example');
  assert.deepEqual([t.warnDays, t.critDays], [30, 10]);
  assert.equal(run('--warn-days', '3', 'x.example').critDays, 3, 'critical never later than warning');
  usage(['--warn-days', '5', '--crit-days', '10', 'x.example'], /--crit-days \(10\) cannot be more than --warn-days \(5\)/);
});

test('--ignore takes known codes, comma-separated or repeated; --fail-on error|warning', () => {
  assert.deepEqual(run('--ignore', 'srv_no_direct_tls,TLS_ALPN_NONE', '--ignore', 'WEB_NONE', 'x.example').ignore, ['SRV_NO_DIRECT_TLS', 'TLS_ALPN_NONE', 'WEB_NONE']);
  usage(['--ignore', 'SRV_NO_DIRECT_TSL', 'x.example'], /no finding has the code SRV_NO_DIRECT_TSL; did you mean SRV_NO_DIRECT_TLS\?/);
  usage(['--ignore', ',', 'x.example'], /--ignore needs finding codes/);
  assert.equal(run('--fail-on', 'error', 'x.example').failOn, 'error');
  usage(['--fail-on', 'info', 'x.example'], /--fail-on takes warning, error/);
});

test('help and version', () => {
  assert.deepEqual(parseOptions(['--help']), { kind: 'help' });
  assert.deepEqual(parseOptions(['-h', 'x.example']), { kind: 'help' });
  assert.deepEqual(parseOptions(['--version']), { kind: 'version' });
});

test('--help documents every option and every input form, lab options as such', () => {
  const help = renderHelp(100);
  for (const o of OPTIONS) assert.ok(help.includes(o.name.length === 1 ? `-${o.name}` : `--${o.negatable ? '[no-]' : ''}${o.name}`), `--help lists ${o.name}`);
  for (const form of ['<domain | jid | xmpp:uri>', '--probe HOST:PORT <domain>', '--domains-file FILE', 'serve --listen HOST:PORT']) assert.ok(help.includes(form), form);
  assert.match(help, /For test labs[^\n]*\n\s+--https-port PORT[^]*--authoritative-port PORT/);
  assert.match(help, /Exit codes: 0 OK, 1 warnings, 2 errors, 3 unknown/);
});

test('useColor: the flags win, then NO_COLOR, FORCE_COLOR, TERM=dumb, then the terminal', () => {
  assert.equal(useColor('always', { NO_COLOR: '1' }, false), true);
  assert.equal(useColor('never', { FORCE_COLOR: '1' }, true), false);
  assert.equal(useColor('auto', {}, true), true);
  assert.equal(useColor('auto', {}, false), false);
  assert.equal(useColor('auto', { NO_COLOR: '1' }, true), false);
  assert.equal(useColor('auto', { NO_COLOR: '' }, true), true, 'an empty NO_COLOR does not count');
  assert.equal(useColor('auto', { FORCE_COLOR: '0' }, true), false);
  assert.equal(useColor('auto', { FORCE_COLOR: '1' }, false), true);
  assert.equal(useColor('auto', { TERM: 'dumb' }, true), false);
});

test('editDistance and nearest', () => {
  assert.equal(editDistance('jsno', 'json'), 1, 'a transposition is one edit');
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearest('jsno', ['json', 'seed']), 'json');
  assert.equal(nearest('zzzzzz', ['json', 'seed']), null);
});
