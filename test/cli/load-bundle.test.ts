/**
 * The bundle loader: V8's code cache is used only for the bundle it was made
 * for (the build id), a cache from another build or a broken one is ignored,
 * and the bundle works without any cache. Run on copies in a temporary folder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const DIST = fileURLToPath(new URL('../../../dist/', import.meta.url));
const LOADER = fileURLToPath(new URL('../../../bin/load-bundle.js', import.meta.url));

/** Loads the bundle in a fresh process (V8 also keeps compiled code within one), says whether the cache was used. */
function loadIn(o: { useCache?: boolean; bundle: string; cache: string; write?: boolean }): { main: string; cacheUsed: boolean } {
  const code = `const { loadBundle } = await import(${JSON.stringify(LOADER)}); const b = loadBundle(${JSON.stringify({ useCache: o.useCache ?? true, bundle: o.bundle, cache: o.cache })}); ${o.write ? 'b.writeCache();' : ''} console.log(JSON.stringify({ main: typeof b.main, cacheUsed: b.cacheUsed }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { main: string; cacheUsed: boolean };
}

function copy(): { dir: string; bundle: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xmpp-check-bundle-'));
  const bundle = join(dir, 'xmpp-check.cjs');
  copyFileSync(join(DIST, 'xmpp-check.cjs'), bundle);
  return { dir, bundle, cache: join(dir, 'xmpp-check.cache') };
}

test('the bundle starts with a build id', () => {
  assert.match(readFileSync(join(DIST, 'xmpp-check.cjs'), 'utf8'), /^\/\* xmpp-check build [0-9a-f]{16} \*\//);
});

test('no cache: the bundle loads and exports main', () => {
  const c = copy();
  assert.deepEqual(loadIn(c), { main: 'function', cacheUsed: false });
});

test('a cache made for this bundle is used; one from another build or a broken one is not', () => {
  const c = copy();
  loadIn({ ...c, useCache: false, write: true });
  assert.deepEqual(loadIn(c), { main: 'function', cacheUsed: true });
  assert.deepEqual(loadIn({ ...c, useCache: false }), { main: 'function', cacheUsed: false });
  // Another build: same code, another id (the cache file still names the old one).
  const source = readFileSync(c.bundle, 'utf8');
  writeFileSync(c.bundle, source.replace(/^\/\* xmpp-check build [0-9a-f]+/, '/* xmpp-check build 0123456789abcdef'));
  assert.deepEqual(loadIn(c), { main: 'function', cacheUsed: false });
  // A cache with the right id but garbage data: V8 rejects it, the bundle still loads.
  writeFileSync(c.cache, Buffer.concat([Buffer.from('0123456789abcdef\n'), Buffer.alloc(4096, 7)]));
  assert.deepEqual(loadIn(c), { main: 'function', cacheUsed: false });
});
