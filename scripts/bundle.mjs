// Bundles the compiled CLI into one file (dist/xmpp-check.mjs) so that a run
// loads one module instead of hundreds: start-up drops by ~140 ms per process.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: 'dist/xmpp-check.mjs',
  // Some dependencies are CommonJS and call require(): give the bundle one.
  banner: { js: "import { createRequire as __xmppCheckRequire } from 'node:module'; const require = __xmppCheckRequire(import.meta.url);" },
  logLevel: 'warning',
});
