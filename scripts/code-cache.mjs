// Part of `npm run build`: makes V8's code cache of the bundle
// (dist/xmpp-check.cache, read by bin/load-bundle.js). V8 caches what it has
// compiled, and it compiles functions when they first run, so the bundle is
// first run here on real work: a full check of the lab's full domain (JSON
// and table), a two-line batch and a usage error, all on loopback. Their
// output is dropped. Exits non-zero when it cannot; the build then goes on
// without a cache.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../bin/load-bundle.js';
import { startFullDomainLab } from '../dist/fixtures/lab/full-domain.js';

const lab = await startFullDomainLab();
const cli = loadBundle({ useCache: false });
const out = process.stdout.write;
const err = process.stderr.write;
try {
  const list = join(mkdtempSync(join(tmpdir(), 'xmpp-check-cache-')), 'domains.txt');
  writeFileSync(list, `${lab.domain}\n${lab.domain}\n`);
  process.stdout.write = () => true;
  process.stderr.write = () => true;
  await cli.main([...lab.args, '--json', lab.domain]);
  await cli.main([...lab.args, '--seed', '1', '--no-color', lab.domain]);
  await cli.main([...lab.args, '--json', '--domains-file', list]);
  await cli.main([...lab.args, '--domains-file', list]);
  await cli.main(['--no-such-option']);
} finally {
  process.stdout.write = out;
  process.stderr.write = err;
  await lab.close();
}
process.exitCode = 0;
cli.writeCache();
