/**
 * The XMPP-over-QUIC stage's public surface (XEP-0467): the probe, the
 * availability check, candidate discovery, the result types and findings.
 */
export { probeQuic, quicSubject, QUIC_ALPN, defaultUdpSocketFactory } from './probe.js';
export { quicAvailable, type QuicAvailability } from './available.js';
export { candidatesFromHostMeta, candidatesFromSrv, defaultQuicCandidate, quicCandidates, quicSrvOwner, QUIC_DEFAULT_PORT, QUIC_SRV_PREFIX } from './discovery.js';
export type { HostMetaQuicLink, QuicDiscovery, QuicSrvInput } from './discovery.js';
export { quicResultToJson } from './types.js';
export type * from './types.js';
export { QUIC_FINDINGS } from './findings.js';
