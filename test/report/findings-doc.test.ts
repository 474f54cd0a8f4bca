import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOGUE } from '../../src/report/catalogue.js';
import { findingsMarkdown } from '../../src/report/findings-doc.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

test('docs/findings.md is generated from the catalogue and up to date', () => {
  const doc = readFileSync(join(root, 'docs/findings.md'), 'utf8');
  assert.equal(doc, findingsMarkdown(), 'run `npm run docs:findings`');
  for (const code of CATALOGUE.keys()) assert.ok(doc.includes(`\`${code}\``), code);
});

test('every finding has a one-line title, a fix and a reference', () => {
  for (const def of CATALOGUE.values()) {
    assert.ok(def.title.length > 10 && !def.title.includes('\n'), def.code);
    assert.ok(def.fix.length > 5, def.code);
    assert.match(def.reference, /RFC|XEP|draft|ITU|CA\/B/, def.code);
  }
});

test('every code the sources use is in the catalogue', () => {
  const used = new Set<string>();
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.ts') && !f.endsWith('findings.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/\bF\.([A-Z][A-Z0-9_]+)\b/g)) used.add(m[1]!);
      }
    }
  };
  walk(join(root, 'src'));
  for (const code of used) assert.ok(CATALOGUE.has(code), `${code} is used but not defined`);
});
