/**
 * `--help` alone into a pipe is answered by the bin script from the text the
 * build made (dist/help.txt), without loading the CLI: it must be byte for
 * byte what the CLI itself prints, for --help and -h, whatever the locale.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../helpers/cli.js';

const LOADER = fileURLToPath(new URL('../../../bin/load-bundle.js', import.meta.url));
const HELP = fileURLToPath(new URL('../../../dist/help.txt', import.meta.url));

/** The CLI's main(['--help']) run directly. */
function yargsHelp(env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const code = `const { loadBundle } = await import(${JSON.stringify(LOADER)}); await loadBundle().main(['--help']);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('exit', (c) => resolve({ code: c, stdout, stderr }));
  });
}

test('the build made the help text', () => {
  assert.ok(existsSync(HELP));
});

for (const env of [{}, { LC_ALL: 'de_DE.UTF-8' }, { LC_ALL: '', LANG: 'fr_FR' }] as Record<string, string>[]) {
  test(`--help and -h from the bin script are what the CLI prints (${JSON.stringify(env)})`, async () => {
    const reference = await yargsHelp(env);
    assert.equal(reference.code, 0, reference.stderr);
    assert.match(reference.stdout, /^Usage:\n  xmpp-check /);
    assert.match(reference.stdout, /--domains-file/);
    for (const flag of ['--help', '-h']) {
      const r = await runCli([flag], env);
      assert.equal(r.code, 0);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, reference.stdout, flag);
    }
  });
}
