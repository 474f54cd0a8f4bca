/** Finds the default resolver: the first `nameserver` line of /etc/resolv.conf. */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import type { ResolverAddress } from './address.js';

export function systemResolver(path = '/etc/resolv.conf'): ResolverAddress | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const host = m[1]!.replace(/%.*$/, '');
    if (net.isIP(host)) return { host, port: 53 };
  }
  return null;
}
