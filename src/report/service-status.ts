/**
 * The answer to an operator's first question, per service: does it work?
 * From the candidates and the verified probes of one service: how many
 * targets work (reachable and authenticated on at least one address), by
 * which prooftypes, and one line that says so ("reachable via 3 of 4
 * targets, authenticated via PKIX+DANE"). The table's verdict lines, the
 * Nagios line and the Prometheus metrics all read this one result.
 */
import type { ServiceReport, ServiceStatus } from './model.js';
import type { CheckedProbe } from '../verify/types.js';
import { verdictFailure, type Prooftype } from '../verify/verdict.js';

const FAILURE_WORDS: Record<string, string> = {
  refused: 'refused',
  'connect-timeout': 'timed out',
  unreachable: 'unreachable',
  'network-error': 'network error',
  silent: 'silent',
  stalled: 'stalled',
  closed: 'closed the connection',
  http: 'speak HTTP',
  'tls-on-starttls-port': 'speak direct TLS, not STARTTLS',
  'plaintext-on-direct-tls': 'speak plaintext, not TLS',
  garbage: 'answer garbage',
  'not-xmpp': 'speak XML, not XMPP',
  'restricted-xml': 'send restricted XML',
  'xml-limit': 'send too much XML',
  'byte-cap': 'send endless data',
  'stream-error': 'close with a stream error',
  'no-version': 'speak pre-1.0 XMPP',
  'no-starttls': 'offer no STARTTLS',
  'starttls-failed': 'fail STARTTLS',
  'tls-failed': 'fail the TLS handshake',
  'wrong-alpn': 'refuse the ALPN',
  'starttls-in-direct-tls': 'ask for STARTTLS inside direct TLS',
  'no-authentication': 'offer no way to authenticate',
  'bad-address': 'have a bad address',
};

/** The verb of a reason agrees with its count: "1 of 3 targets speaks HTTP", "2 of 3 targets speak HTTP". */
const SINGULAR: Record<string, string> = { have: 'has', speak: 'speaks', answer: 'answers', send: 'sends', close: 'closes', offer: 'offers', fail: 'fails', refuse: 'refuses', ask: 'asks' };
function agree(reason: string, n: number): string {
  if (n !== 1) return reason;
  const sp = reason.indexOf(' ');
  const verb = sp < 0 ? reason : reason.slice(0, sp);
  const one = SINGULAR[verb];
  return one ? `${one}${sp < 0 ? '' : reason.slice(sp)}` : reason;
}

/** Why one probe does not count as working. */
function failureOf(p: CheckedProbe): string | null {
  if (p.outcome !== 'ok') return FAILURE_WORDS[p.outcome] ?? p.outcome;
  if (p.verdict && !p.verdict.authenticated) return verdictFailure(p.verdict);
  return null;
}

const works = (p: CheckedProbe): boolean => failureOf(p) === null;
const PROOFS: Prooftype[] = ['pkix', 'dane', 'posh'];

/** "2 of 4 targets refused, 1 not authenticated": the reasons, most frequent first. */
function reasons(items: string[], total: number, noun: string): string {
  const counts = new Map<string, number>();
  for (const r of items) counts.set(r, (counts.get(r) ?? 0) + 1);
  const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (sorted.length === 1) return `${items.length} of ${total} ${noun} ${agree(sorted[0]![0], items.length)}`;
  return `${items.length} of ${total} ${noun} fail (${sorted.map(([r, n]) => `${n} ${agree(r, n)}`).join(', ')})`;
}

export function serviceStatus(s: Omit<ServiceReport, 'status'>, opts: { probed: boolean }): ServiceStatus {
  const total = s.candidates.length;
  const base = { targetsTotal: total, targetsUp: 0, addressesUp: 0, addressesTotal: 0, authenticatedBy: [] as Prooftype[] };
  if (s.mode === 'unavailable') return { ...base, state: 'off', summary: s.srv.xmpp.status === 'nxdomain' ? 'the domain does not exist (NXDOMAIN)' : `the domain says it offers no ${s.service} service (SRV target ".")` };
  if (s.mode === 'unknown') return { ...base, state: 'unknown', summary: 'the SRV lookups failed, so the targets are unknown' };
  if (!total) return { ...base, state: 'down', summary: 'no target to connect to' };
  if (!opts.probed) return { ...base, state: 'unchecked', summary: `${total} target${total === 1 ? '' : 's'} found, not probed (--dns-only)` };

  // Probes by endpoint: two SRV records of one target:port share its probes; the fallback of clients
  // without XEP-0368 (legacyFallback) is no target of the service and counts in none of these numbers.
  const endpointOf = new Map(s.candidates.map((c) => [c.id, `${c.mode}:${c.target}:${c.port}`]));
  const probes = s.probes.filter((p) => endpointOf.has(p.candidateId));
  const byEndpoint = new Map<string, CheckedProbe[]>();
  for (const p of probes) {
    const e = endpointOf.get(p.candidateId)!;
    byEndpoint.set(e, [...(byEndpoint.get(e) ?? []), p]);
  }
  const byCandidate = new Map(s.candidates.map((c) => [c.id, byEndpoint.get(endpointOf.get(c.id)!) ?? []]));
  const failingTargets: string[] = [];
  let up = 0;
  for (const c of s.candidates) {
    const ps = byCandidate.get(c.id) ?? [];
    if (ps.some(works)) up++;
    else if (!ps.length) failingTargets.push('have no address');
    else failingTargets.push(ps.map(failureOf).find((r) => r !== null) ?? 'fail');
  }
  const working = probes.filter(works);
  // Addresses that fail on targets that otherwise work (IPv6 dead, one node of a name down).
  const ofWorking = probes.filter((p) => byCandidate.get(p.candidateId)!.some(works));
  const failingAddresses = ofWorking.filter((p) => !works(p)).map((p) => failureOf(p)!);
  const authenticatedBy = PROOFS.filter((k) => working.length > 0 && working.some((p) => p.verdict?.[k].status === 'pass'));
  const status = { ...base, targetsUp: up, addressesUp: working.length, addressesTotal: probes.length, authenticatedBy };
  const via = authenticatedBy.length ? `, authenticated via ${authenticatedBy.map((k) => k.toUpperCase()).join('+')}` : '';
  const of = `${up} of ${total} target${total === 1 ? '' : 's'}`;
  const targets = `target${total === 1 ? '' : 's'}`;
  if (up === 0) {
    const proofless = failingTargets.every((r) => r === 'not authenticated') ? ' (no PKIX, DANE or POSH proof)' : '';
    return { ...status, state: 'down', summary: `${reasons(failingTargets, total, targets)}${proofless}` };
  }
  if (failingTargets.length || failingAddresses.length) {
    const parts: string[] = [];
    if (failingTargets.length) parts.push(reasons(failingTargets, total, targets));
    if (failingAddresses.length) parts.push(reasons(failingAddresses, ofWorking.length, `addresses of the working target${up === 1 ? '' : 's'}`));
    parts.push(`reachable via ${of}${via}`);
    return { ...status, state: 'degraded', summary: parts.join('; ') };
  }
  return { ...status, state: 'ok', summary: `reachable via ${of}${via}` };
}
