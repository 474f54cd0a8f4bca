/**
 * What the WebSocket and BOSH checks share: an empty result to fill in, the
 * mapping of a failed request to an outcome, and a small deadline helper.
 */
import type { EndpointOutcome, EndpointResult, EndpointTimings } from './types.js';
import { WebRequestError, type PhaseTimes } from '../http/request.js';
import { escapeTerminal } from '../core/escape.js';

export function emptyResult(outcome: EndpointOutcome, detail: string | null = null): EndpointResult {
  return {
    outcome,
    address: null,
    httpStatus: null,
    tls: null,
    features: null,
    error: null,
    websocket: null,
    bosh: null,
    timings: { dnsMs: null, connectMs: null, tlsMs: null, responseMs: null, openMs: null, featuresMs: null, totalMs: 0 },
    detail,
  };
}

export function timingsFrom(times: PhaseTimes | null, totalMs: number): EndpointTimings {
  return {
    dnsMs: times?.dnsMs ?? null,
    connectMs: times?.connectMs ?? null,
    tlsMs: times?.tlsMs ?? null,
    responseMs: times?.responseMs ?? null,
    openMs: null,
    featuresMs: null,
    totalMs,
  };
}

/** The result of a request that never got an HTTP answer. */
export function failedRequest(err: unknown, started: number): EndpointResult {
  const e = err instanceof WebRequestError ? err : new WebRequestError('connect', String(err));
  const outcome: EndpointOutcome =
    e.kind === 'timeout' ? 'timeout' : e.kind === 'certificate' ? 'tls-error' : e.kind === 'url' ? 'bad-url' : e.kind === 'tls' ? 'tls-error' : 'unreachable';
  const r = emptyResult(outcome, escapeTerminal(e.message, 200));
  r.address = e.address;
  r.tls = e.tls;
  r.timings = timingsFrom(e.times, Math.round(performance.now() - started));
  return r;
}

/** Milliseconds left until `deadline` (performance.now() based), at least 1. */
export const remaining = (deadline: number): number => Math.max(1, Math.round(deadline - performance.now()));
