// Loads the bundled CLI (dist/xmpp-check.cjs, made by `npm run build`) with
// V8's code cache (dist/xmpp-check.cache, made by the build after running a
// few checks against the lab): V8 then reads compiled code instead of
// compiling the bundle and each function it calls, which saved about a fifth
// of the CPU of a full check. The cache is used only when it was made for
// this very bundle (the build id at the top of both) and only if V8 accepts
// it (same V8 version and flags); otherwise the bundle is compiled as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const BUNDLE = fileURLToPath(new URL('../dist/xmpp-check.cjs', import.meta.url));
const CACHE = fileURLToPath(new URL('../dist/xmpp-check.cache', import.meta.url));

/** The build id the bundle starts with (`/* xmpp-check build ID *\/`), or null. */
function buildId(source) {
  const m = /^\/\* xmpp-check build ([0-9a-f]+) \*\//.exec(source);
  return m ? m[1] : null;
}

/** The cached data for this bundle, or undefined. */
function cachedDataFor(id, cache) {
  if (!id) return undefined;
  let file;
  try {
    file = readFileSync(cache);
  } catch {
    return undefined;
  }
  const nl = file.indexOf(0x0a);
  return nl > 0 && file.subarray(0, nl).toString('latin1') === id ? file.subarray(nl + 1) : undefined;
}

/**
 * Runs the bundle and returns its exports ({ main }). With `useCache: false`
 * the cache is ignored; `writeCache()` on the result stores the code compiled
 * so far as the new cache (the build does that after its warm-up checks).
 * `bundle` and `cache` name other files (tests).
 */
export function loadBundle({ useCache = true, bundle = BUNDLE, cache = CACHE } = {}) {
  const source = readFileSync(bundle, 'utf8');
  const id = buildId(source);
  const cachedData = useCache ? cachedDataFor(id, cache) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  return {
    main: module.exports.main,
    cacheUsed: cachedData !== undefined && !script.cachedDataRejected,
    writeCache: () => {
      if (id) writeFileSync(cache, Buffer.concat([Buffer.from(`${id}\n`, 'latin1'), script.createCachedData()]));
    },
  };
}
