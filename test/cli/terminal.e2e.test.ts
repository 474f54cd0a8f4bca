/**
 * The report as a user sees it: the real binary in a pseudo-terminal (tmux,
 * or `script`) 60, 80, 120 and 200 columns wide, against lab domains with
 * long target names and long IPv6 addresses. No line may be wider than the
 * terminal, and nothing may be lost: every target, address and finding code
 * the JSON holds is on the screen, whole or cut over consecutive lines.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startLab, type Lab } from '../../fixtures/lab/lab.js';
import { runCli } from '../helpers/cli.js';
import { columns, haveScript, haveTerminal, onScreen, quote, runInTerminal, underScript } from '../helpers/terminal.js';
import type { Report } from '../../src/report/model.js';

let lab: Lab;
before(async () => {
  lab = await startLab();
});
after(() => lab.close());

const WIDTHS = [60, 80, 120, 200];
// Without tmux or script there is no pseudo-terminal to test in: a skip on a workstation, a failure in CI.
const noTerminal = !haveTerminal() && !process.env.CI && 'neither tmux nor script is installed';
const noScript = !haveScript() && !process.env.CI && 'script is not installed';

/** What the screen must show for this report: targets with ports, addresses, finding codes. */
function mustShow(r: Report): string[] {
  const out = new Set<string>();
  for (const s of r.services) {
    for (const c of s.candidates) out.add(`${c.target}:${c.port}`);
    for (const p of s.probes) out.add(p.address);
  }
  if (r.services.every((s) => !s.probes.length)) for (const h of Object.values(r.hosts)) for (const a of [...h.a.addresses, ...h.aaaa.addresses]) out.add(a);
  for (const f of r.findings) if (f.code !== 'WEB_NONE' && f.code !== 'WEB_HOSTMETA_UNREACHABLE') out.add(f.code);
  return [...out];
}

function assertFits(lines: string[], width: number, what: string): void {
  const wide = lines.filter((l) => columns(l) > width);
  assert.deepEqual(wide, [], `${what}: lines wider than ${width} columns`);
}

const CASES: { domain: string; args: string[]; code: number }[] = [
  { domain: 'good.lab.test', args: ['--seed', '1'], code: 0 },
  { domain: 'longnames.lab.test', args: ['--c2s', '--seed', '1'], code: 0 },
  { domain: 'ipv6.lab.test', args: ['--dns-only', '--seed', '1'], code: 0 },
  { domain: 'none.posh.lab.test', args: ['--c2s'], code: 2 },
];

test('every line fits the terminal at 60, 80, 120 and 200 columns, and nothing is lost', { skip: noTerminal }, async () => {
  for (const c of CASES) {
    const json = JSON.parse((await runCli(['--json', ...lab.args, ...c.args, c.domain])).stdout) as Report;
    const want = mustShow(json);
    assert.ok(want.length >= 3, `${c.domain}: something to look for`);
    for (const width of WIDTHS) {
      const run = await runInTerminal([...lab.args, ...c.args, c.domain], width);
      const what = `${c.domain} at ${width} columns (${run.via})`;
      assert.equal(run.code, c.code, `${what}: exit code\n${run.lines.join('\n')}`);
      assertFits(run.lines, width, what);
      for (const s of want) assert.ok(onScreen(run.lines, s), `${what}: "${s}" is not on the screen:\n${run.lines.join('\n')}`);
      // The verdict comes first: one line per service right under the header.
      const first = run.lines.findIndex((l) => /^(c2s|s2s)  [A-Z]/.test(l));
      assert.ok(first > 0 && first <= 3, `${what}: the verdict lines are right under the header`);
      assert.match(run.lines[run.lines.length - 1]!, /^(OK|WARNING|ERROR) — \d+ errors?, \d+ warnings?, \d+ info \(exit \d\)$/, `${what}: the status line is last`);
    }
  }
});

test('--help and -v fit the terminal too; --help never cuts a word', { skip: noTerminal }, async () => {
  for (const width of WIDTHS) {
    const help = await runInTerminal(['--help'], width);
    assert.equal(help.code, 0);
    assertFits(help.lines, width, `--help at ${width}`);
    // Words of the option descriptions are whole: no line ends inside a word the next line continues.
    const text = help.lines.join('\n');
    for (const word of ['reachable', '127.0.0.1:5353', 'dnssec-dsfromkey', '/etc/resolv.conf', 'X-Prometheus-Scrape-Timeout-Seconds', '/probe?target=DOMAIN&module=c2s|s2s', '--authoritative-port', '--https-port']) assert.ok(text.includes(word), `--help at ${width}: "${word}" is whole`);
  }
  const v = await runInTerminal([...lab.args, '-v', '--c2s', 'longnames.lab.test'], 80);
  assertFits(v.lines, 80, '-v at 80');
  assert.ok(v.lines.some((l) => /^DNS queries \(\d+, resolver /.test(l)), '-v lists the DNS queries');
  assert.ok(v.lines.some((l) => /Timings \(ms\)/.test(l)), '-v shows the time of each phase');
});

test('piped, the table fits 80 columns; --wide lifts the limit', async () => {
  const narrow = await runCli([...lab.args, '--c2s', '--seed', '1', 'longnames.lab.test']);
  assert.equal(narrow.code, 0);
  assertFits(narrow.stdout.split('\n'), 80, 'piped');
  const wide = await runCli([...lab.args, '--wide', '--c2s', '--seed', '1', 'longnames.lab.test']);
  assert.ok(wide.stdout.split('\n').some((l) => l.length > 80), '--wide: the long target names stay on one line');
  assert.ok(wide.stdout.includes('a-rather-long-node-name-of-a-cluster-for-the-layout-tests-0123.xmpp-cluster.longnames.lab.test:'));
});

test('colour: off into a pipe, with FORCE_COLOR=0, TERM=dumb or NO_COLOR; --color forces it into a pipe', { skip: noScript }, async () => {
  const ESC = '\u001b[';
  const piped = await runCli([...lab.args, '--c2s', 'good.lab.test'], { FORCE_COLOR: '' });
  assert.ok(!piped.stdout.includes(ESC), 'no colour into a pipe');
  const forced = await runCli([...lab.args, '--c2s', '--color', 'good.lab.test'], { FORCE_COLOR: '0' });
  assert.ok(forced.stdout.includes(`${ESC}32m`), '--color forces colour into a pipe');
  const forceEnv = await runCli([...lab.args, '--c2s', 'good.lab.test'], { FORCE_COLOR: '1' });
  assert.ok(forceEnv.stdout.includes(ESC), 'FORCE_COLOR=1 forces colour into a pipe');
  // On a terminal: colour by default, none with FORCE_COLOR=0, TERM=dumb or NO_COLOR. `script` keeps the escape codes.
  const { BIN } = await import('../helpers/cli.js');
  const tty = (env: Record<string, string | undefined>): Promise<string> =>
    underScript([process.execPath, BIN, ...lab.args, '--c2s', 'good.lab.test'].map(quote).join(' '), { CI: '1', NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm', ...env });
  assert.ok((await tty({})).includes(`${ESC}32m`), 'a terminal gets colour');
  assert.ok(!(await tty({ FORCE_COLOR: '0' })).includes(`${ESC}3`), 'FORCE_COLOR=0 turns it off');
  assert.ok(!(await tty({ TERM: 'dumb' })).includes(`${ESC}3`), 'TERM=dumb turns it off');
  assert.ok(!(await tty({ NO_COLOR: '1' })).includes(`${ESC}3`), 'NO_COLOR turns it off');
});

test('-q: the verdicts, the warnings and errors, the status line; nothing else', async () => {
  const r = await runCli([...lab.args, '-q', '--c2s', 'none.posh.lab.test']);
  assert.equal(r.code, 2);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[2]!, /^c2s  DOWN — /);
  assert.match(r.stdout, /Warnings and errors \(2\)/);
  assert.match(r.stdout, /AUTH_NONE/);
  assert.doesNotMatch(r.stdout, /SRV_NO_DIRECT_TLS|POSH_NONE|First pick|Certificates|What to publish/, 'no info findings, tables or sections');
  assert.match(lines[lines.length - 1]!, /^ERROR — 2 errors/);
});
