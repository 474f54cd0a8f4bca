/**
 * The one entry point the pipeline uses: a DNSSEC checker in the chosen mode
 * (validate — our own validator, the default; resolver — the AD bit; off).
 * Results are cached per (name, type) for the run.
 */
import type { DnsClient } from '../dns/client.js';
import type { Clock } from '../core/clock.js';
import type { TrustAnchor } from './anchors.js';
import { resolverStatus } from './resolver-mode.js';
import type { DnssecMode, DnssecResult } from './types.js';
import { DnssecValidator } from './validator.js';
import { normName } from './wire.js';

export interface DnssecCheckerOptions {
  mode: DnssecMode;
  client: DnsClient;
  /** Validate mode: replaces the built-in root anchors. */
  anchors?: TrustAnchor[];
  clock?: Clock;
  maxQueries?: number;
}

export interface DnssecChecker {
  readonly mode: DnssecMode;
  check(name: string, type: string): Promise<DnssecResult>;
}

export function createDnssecChecker(opts: DnssecCheckerOptions): DnssecChecker {
  if (opts.mode === 'validate') {
    const v = new DnssecValidator({ client: opts.client, anchors: opts.anchors, clock: opts.clock, maxQueries: opts.maxQueries });
    return { mode: 'validate', check: (n, t) => v.validate(n, t) };
  }
  if (opts.mode === 'resolver') {
    const cache = new Map<string, Promise<DnssecResult>>();
    return {
      mode: 'resolver',
      check(n, t) {
        const k = `${normName(n)}|${t}`;
        let p = cache.get(k);
        if (!p) {
          p = resolverStatus(opts.client, n, t);
          cache.set(k, p);
        }
        return p;
      },
    };
  }
  return {
    mode: 'off',
    check: async (n, t) => ({
      name: normName(n),
      type: t,
      mode: 'off',
      status: 'indeterminate',
      outcome: 'error',
      rcode: null,
      records: [],
      zone: null,
      reason: 'DNSSEC checks are off',
      brokenLink: null,
      chain: [],
      wildcard: null,
      ede: [],
      caveat: null,
    }),
  };
}
