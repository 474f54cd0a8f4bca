/**
 * The probes stage's public surface: run the probes, read their findings,
 * summarize one probe in a line.
 */
export { runProbes, serviceFindings, mapLimit, type ProbeRunResult } from './run.js';
export { probeOne, probeSubject, ALPN_VALUES, DEFAULT_MAX_BYTES, type ConnectFn, type ProbeOptions, type ProbeResult } from './probe.js';
export { probeSummary } from './summary.js';
export { capFinding, planProbes, targetsFor, MAX_ADDRESSES_PER_FAMILY, MAX_PROBES_PER_SERVICE } from './targets.js';
export { PROBE_FINDINGS } from './findings.js';
export type * from './types.js';
