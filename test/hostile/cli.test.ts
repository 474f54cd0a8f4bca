/**
 * A hostile command line, through the real binary: resolvers that are not
 * unicast addresses, a closed stdout, endless and huge files, binary and
 * UTF-16 domain lists, 10,000-line lists, options without a value.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE, startHostileLab, type HostileLab } from '../../fixtures/hostile/lab.js';
import { runMeasured } from '../helpers/measured.js';
import { assertHostile } from './expect.js';

let lab: HostileLab;
let dir: string;
const file = (name: string, data: string | Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const oneLine = (stderr: string): string => stderr.split('\n').filter(Boolean)[0] ?? '';
const fast = (): string[] => [...lab.args, '--dnssec', 'off', '--no-web', '--c2s', '--timeout', '1000', '--dns-only'];
/** The lab's arguments without its --ca-file (for tests of --ca-file) and without --timeout (for tests of --timeout). */
const without = (opt: string): string[] => {
  const a = fast();
  const i = a.indexOf(opt);
  return i >= 0 ? [...a.slice(0, i), ...a.slice(i + 2)] : a;
};

describe('hostile command line', { concurrency: 4 }, () => {
  before(async () => {
    lab = await startHostileLab();
    dir = mkdtempSync(join(tmpdir(), 'xmpp-check-hostile-cli-'));
  });
  after(() => lab.close());

  // None of these sends a packet: 255.255.255.255 and fe80::1%lo fail at connect() (EACCES, ENETUNREACH)
  // even without the check, and 0.0.0.0 means this host; the check refuses all three before any socket.
  for (const resolver of ['255.255.255.255:5399', '[fe80::1%lo]:53', '[fe80::1]:53', '0.0.0.0:5399', '[::]:5399']) {
    it(`--resolver ${resolver} is refused with one line, exit 3`, async () => {
      for (const json of [false, true]) {
        const r = await runMeasured(['--resolver', resolver, '--dnssec', 'off', '--timeout', '500', ...(json ? ['--json'] : []), 'example.com']);
        assertHostile(r, { exit: 3, maxMs: 8_000, json }, `--resolver ${resolver}`);
        assert.match(oneLine(r.stderr), /^xmpp-check: --resolver .*(not a unicast|broadcast|unspecified|link-local)/, r.stderr);
        // With --json, the refusal is a JSON report too (status unknown); the table says nothing.
        if (json) assert.equal(JSON.parse(r.stdout).summary.status, 'unknown');
        else assert.equal(r.stdout, '');
      }
    });
  }

  it('a closed stdout (| true) ends output quietly and keeps the exit code', async () => {
    const r = await runMeasured([...fast(), HOSTILE.dns.controlTargets], { closeStdoutAfter: 0 });
    assertHostile(r, { exit: 2, maxMs: 10_000 }, '| true');
    assert.equal(r.stderr, '');
  });

  it('a reader that goes away mid-stream (--json --domains-file … | head -c 1000) ends output quietly', async () => {
    const list = file('many.txt', `${Array.from({ length: 30 }, () => HOSTILE.dns.controlTargets).join('\n')}\n`);
    const r = await runMeasured([...fast(), '--json', '--domains-file', list], { closeStdoutAfter: 1000 });
    assertHostile(r, { exit: 2, maxMs: 20_000, json: false }, '| head -c 1000');
    assert.equal(r.stderr, '');
  });

  for (const opt of ['--ca-file', '--trust-anchor', '--domains-file']) {
    it(`${opt} /dev/zero is refused with one line, exit 3, in bounded memory`, async () => {
      const r = await runMeasured([...without(opt), opt, '/dev/zero', ...(opt === '--domains-file' ? [] : ['example.com'])], { killAfterMs: 20_000 });
      assertHostile(r, { exit: 3, maxMs: 10_000, maxMb: 150 }, `${opt} /dev/zero`);
      assert.match(oneLine(r.stderr), new RegExp(`^xmpp-check: ${opt}: /dev/zero is not a regular file`), r.stderr);
    });
    it(`${opt} on a directory and a FIFO is refused with one line, exit 3`, async () => {
      const fifo = join(dir, `fifo${opt}`);
      execFileSync('mkfifo', [fifo]);
      for (const p of [dir, fifo]) {
        const r = await runMeasured([...without(opt), opt, p, ...(opt === '--domains-file' ? [] : ['example.com'])], { killAfterMs: 20_000 });
        assertHostile(r, { exit: 3, maxMs: 10_000 }, `${opt} ${p}`);
        assert.match(oneLine(r.stderr), /is not a regular file/, r.stderr);
      }
    });
  }

  it('--ca-file and --trust-anchor larger than their cap are refused with one line, exit 3', async () => {
    const big = file('big.pem', Buffer.alloc(12 * 1024 * 1024, 'A'));
    for (const opt of ['--ca-file', '--trust-anchor']) {
      const r = await runMeasured([...without(opt), opt, big, 'example.com']);
      assertHostile(r, { exit: 3, maxMs: 10_000, maxMb: 150 }, `${opt} 12 MB`);
      assert.match(oneLine(r.stderr), new RegExp(`^xmpp-check: ${opt}: .* is larger than`), r.stderr);
    }
  });

  it('--domains-file: a line longer than the cap is refused with one line, exit 3 (a file and stdin)', async () => {
    const long = file('longline.txt', `good.example\n${'x'.repeat(2_000_000)}\n`);
    const r = await runMeasured([...fast(), '--domains-file', long]);
    assertHostile(r, { exit: 3, maxMs: 10_000, maxMb: 150 }, 'long line');
    assert.match(oneLine(r.stderr), /^xmpp-check: --domains-file: line 2 is longer than/, r.stderr);
    const z = await runMeasured([...fast(), '--domains-file', '-'], { stdinFile: '/dev/zero', killAfterMs: 20_000 });
    assertHostile(z, { exit: 3, maxMs: 10_000, maxMb: 150 }, 'stdin /dev/zero');
    assert.match(oneLine(z.stderr), /^xmpp-check: --domains-file: line 1 is longer than/, z.stderr);
  });

  it('--domains-file: a binary file gives one unknown line per line, exit 3, nothing raw in the table', async () => {
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
    const bin = file('binary.bin', bytes);
    const r = await runMeasured([...fast(), '--domains-file', bin]);
    assertHostile(r, { exit: 3, maxMs: 20_000 }, 'binary list');
    const j = await runMeasured([...fast(), '--json', '--domains-file', bin]);
    assertHostile(j, { exit: 3, maxMs: 20_000, json: true }, 'binary list --json');
  });

  it('--domains-file: a UTF-16 file is refused with one line that says so', async () => {
    const u16 = file('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('good.example\nother.example\n', 'utf16le')]));
    const r = await runMeasured([...fast(), '--domains-file', u16]);
    assertHostile(r, { exit: 3, maxMs: 10_000 }, 'UTF-16 list');
    assert.match(oneLine(r.stderr), /UTF-16/, r.stderr);
  });

  it('--domains-file: 10,000 lines in flat memory', async () => {
    const lines = (n: number): string => Array.from({ length: n }, (_, i) => (i % 2 ? `# comment ${i}` : `bad..name${i}.example`)).join('\n');
    const small = await runMeasured([...fast(), '--json', '--domains-file', file('1k.txt', lines(1_000))]);
    const large = await runMeasured([...fast(), '--json', '--domains-file', file('10k.txt', lines(10_000))]);
    assertHostile(small, { exit: 3, maxMs: 20_000, json: true }, '1,000 lines');
    assertHostile(large, { exit: 3, maxMs: 30_000, json: true }, '10,000 lines');
    assert.equal(large.stdout.trim().split('\n').length, 5_000);
    assert.ok(large.peakMb < small.peakMb + 60, `peak ${small.peakMb.toFixed(0)} MB for 1,000 lines, ${large.peakMb.toFixed(0)} MB for 10,000`);
  });

  for (const opt of ['--timeout', '--seed', '--warn-days', '--concurrency']) {
    it(`${opt} without a value is refused like ${opt} ''`, async () => {
      const empty = await runMeasured([...without(opt), 'example.com', opt, '']);
      assertHostile(empty, { exit: 3, maxMs: 8_000 }, `${opt} ''`);
      const none = await runMeasured([...without(opt), 'example.com', opt]);
      assertHostile(none, { exit: 3, maxMs: 8_000 }, `${opt} (no value)`);
      assert.match(oneLine(none.stderr), new RegExp(`^xmpp-check: ${opt} (needs a value|takes a whole number)`), none.stderr);
      const before = await runMeasured([...without(opt), opt, '--json', 'example.com']);
      assertHostile(before, { exit: 3, maxMs: 8_000 }, `${opt} --json`);
    });
  }
});
