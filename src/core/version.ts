/** The tool's version, read once from package.json. */
import { readFileSync } from 'node:fs';

/** dist/src/version.js and the bundle dist/xmpp-check.cjs sit at different depths: look for our own package.json. */
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'xmpp-check' && pkg.version) return pkg.version;
    } catch {
      /* try the next place */
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
