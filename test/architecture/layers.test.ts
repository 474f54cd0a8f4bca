/**
 * One direction through the code: every import in src/ goes to the same
 * folder or to a lower layer, in the order docs/architecture.md draws. A new
 * upward import (a stage reaching into report/, core/ importing a stage)
 * fails here with the file and the import named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** Bottom to top. A module may import its own layer's modules and any layer below. */
export const LAYERS = ['core', 'dns', 'http', 'xmpp', 'discovery', 'ordering', 'dnssec', 'probes', 'posh', 'web', 'quic', 'verify', 'report', 'pipeline.ts', 'cli'] as const;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layerOf = (file: string): string => relative(SRC, file).split('/')[0]!;

/** Relative specifiers of static imports, re-exports and dynamic import() calls. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'(\.[^']+)'/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)) out.push(m[1]!);
  return out;
}

test('the layer list names every top-level part of src/', () => {
  const tops = [...new Set(files(SRC).map(layerOf))].sort();
  assert.deepEqual(tops, [...LAYERS].sort());
});

test('importsOf finds static, type-only, re-export and dynamic imports', () => {
  const text = "import a from './a.js';\nimport type { B } from '../b.js';\nexport { c } from './c.js';\nconst d = await import('../d.js');\nimport x from 'node:fs';";
  assert.deepEqual(importsOf(text), ['./a.js', '../b.js', './c.js', '../d.js']);
});

test('no import in src/ runs upward', () => {
  const rank = new Map<string, number>(LAYERS.map((l, i) => [l, i]));
  const upward: string[] = [];
  let count = 0;
  for (const file of files(SRC)) {
    const from = layerOf(file);
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      count++;
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      const to = layerOf(target);
      if (to !== from && (rank.get(to) ?? Infinity) > (rank.get(from) ?? -1)) upward.push(`${relative(SRC, file)} imports ${spec} (${from} → ${to})`);
    }
  }
  assert.ok(count > 200, `expected to read the project's imports, read ${count}`);
  assert.deepEqual(upward, []);
});
