/** The CLI's batch mode (--domains-file) end to end against the lab. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '../../fixtures/lab/lab.js';
import { runCli } from '../helpers/cli.js';
import { schemaErrors } from '../helpers/schema.js';
import type { Report } from '../../src/report/model.js';

let lab: Lab;
let file: string;
before(async () => {
  lab = await startLab();
  file = join(mkdtempSync(join(tmpdir(), 'xmpp-check-')), 'domains.txt');
  writeFileSync(file, '# lab domains\ngood.lab.test\nstarttls-optional.probe.lab.test   # a warning\n\nmessy.lab.test\nnot..valid\n');
});
after(() => lab.close());

test('--json writes one schema-valid report per line; exit is the worst', async () => {
  const r = await runCli(['--json', ...lab.args, '--c2s', '--concurrency', '2', '--domains-file', file]);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 4);
  const reports = lines.map((l) => JSON.parse(l) as Report);
  for (const rep of reports) assert.equal(schemaErrors(rep), null);
  const byRaw = new Map(reports.map((x) => [x.input.raw, x]));
  assert.equal(byRaw.get('good.lab.test')!.summary.exitCode, 0);
  assert.equal(byRaw.get('starttls-optional.probe.lab.test')!.summary.exitCode, 1);
  assert.equal(byRaw.get('messy.lab.test')!.summary.exitCode, 2);
  assert.equal(byRaw.get('not..valid')!.summary.status, 'unknown');
  assert.match(byRaw.get('not..valid')!.summary.reason!, /empty label/);
  assert.equal(r.code, 2, 'an error outweighs an unknown');
});

test('the summary table lists every domain with its verdict', async () => {
  const r = await runCli([...lab.args, '--c2s', '--domains-file', file]);
  assert.match(r.stdout, /^good\.lab\.test +ok +0 +0 +c2s 4\/4$/m);
  assert.match(r.stdout, /^messy\.lab\.test +error /m);
  assert.match(r.stdout, /4 domains: 1 ok, 1 warning, 1 error, 1 unknown/);
  assert.ok(r.stdout.split('\n').every((l) => l.length <= 80), 'fits 80 columns when piped');
  assert.equal(r.code, 2);
});

test("the batch summary's worst finding is the root cause, not its symptom", async () => {
  const list = join(mkdtempSync(join(tmpdir(), 'xmpp-check-')), 'bogus.txt');
  writeFileSync(list, 'svc.expired.test\n');
  const r = await runCli([...lab.args, '--domains-file', list]);
  assert.match(r.stdout, /^svc\.expired\.test +error +1 +0 .*DNSSEC_BOGUS/m);
  assert.doesNotMatch(r.stdout, /DNS_SERVFAIL/);
});

test('a missing domains file is a usage error', async () => {
  const r = await runCli(['--resolver', lab.resolver, '--domains-file', '/nonexistent/list']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /--domains-file: \/nonexistent\/list does not exist; give a file with one domain per line/);
});

test('--domains-file - reads stdin; an empty list is an error, not an OK', async () => {
  const { spawn } = await import('node:child_process');
  const { BIN } = await import('../helpers/cli.js');
  const viaStdin = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, '--json', ...lab.args, '--c2s', '--domains-file', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end('good.lab.test\n');
  });
  assert.equal(viaStdin.code, 0);
  assert.equal((JSON.parse(viaStdin.out.trim()) as Report).input.domain, 'good.lab.test');
  const empty = join(mkdtempSync(join(tmpdir(), 'xmpp-check-')), 'empty.txt');
  writeFileSync(empty, '# nothing here\n\n');
  const r = await runCli([...lab.args, '--domains-file', empty]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /no domains in/);
});
