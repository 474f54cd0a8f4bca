/**
 * The severity of every code in the catalogue, written out: a change of
 * severity is a deliberate edit of this table, reviewed with the rule in
 * docs/findings.md ("How severities are chosen"). `in context X` marks the
 * codes whose severity per occurrence depends on the rest of the service.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUE } from '../../src/report/catalogue.js';
import { inContext, makeFinding } from '../../src/core/finding.js';
import { PROBE_FINDINGS } from '../../src/probes/findings.js';
import { POSH_FINDINGS } from '../../src/posh/findings.js';

const SEVERITIES: Record<string, string> = {
  // Discovery (DNS and SRV records)
  DNS_DOMAIN_NXDOMAIN: 'error',
  DNS_SERVFAIL: 'error',
  DNS_QUERY_FAILED: 'warning',
  // Our resolver refused us: a fact about the check's path, not about the service.
  DNS_REFUSED: 'warning',
  DNS_STALE_ANSWER: 'warning',
  DNS_AUTH_DISAGREE: 'warning',
  DNS_LAME_DELEGATION: 'warning',
  DNS_AUTH_UNREACHABLE: 'warning',
  // RFC 6120 §3.2.2 makes the fallback part of the protocol: advice to publish SRV records.
  SRV_NONE_FALLBACK: 'info',
  SRV_NO_SERVICE: 'info',
  // "." alone is the domain's own statement that there is no service: not an outage, but rarely meant.
  SRV_SERVICE_UNAVAILABLE: 'warning',
  // Clients skip the "." record and use the others.
  SRV_DOT_MIXED: 'warning',
  SRV_OWNER_CNAME: 'warning',
  SRV_TARGET_CNAME: 'warning',
  SRV_TARGET_NO_ADDRESS: 'error, in context target',
  SRV_TARGET_NXDOMAIN: 'error, in context target',
  SRV_TARGET_IP_LITERAL: 'error, in context target',
  SRV_TARGET_LOCALHOST: 'error, in context target',
  ADDR_LOOPBACK: 'error, in context target',
  ADDR_PRIVATE: 'warning',
  SRV_PORT_ZERO: 'error, in context target',
  // A target that is not a host name at all (control characters, bad UTF-8): a broken zone, whatever else works.
  SRV_TARGET_INVALID_NAME: 'error',
  // The domain is too long for SRV owner names: clients find no SRV record and use the A/AAAA fallback.
  DNS_NAME_TOO_LONG: 'warning',
  SRV_DUPLICATE: 'warning',
  // One of the two records is wrong; the other works (the probes say which).
  SRV_BOTH_MODES_SAME_PORT: 'warning',
  SRV_XMPPS_ON_STARTTLS_PORT: 'warning',
  SRV_XMPP_ON_TLS_PORT: 'warning',
  SRV_WEIGHT_ZERO_MIXED: 'info',
  SRV_NO_DIRECT_TLS: 'info',
  // Software without XEP-0368 reaches the service only by a fallback nobody published (the message says whether
  // it works): part of the service is risky or broken for some clients (issue 14 asks for a warning).
  SRV_XMPPS_ONLY: 'warning',
  SRV_LEGACY_JABBER: 'info',
  // DNSSEC
  DNSSEC_BOGUS: 'error',
  DNSSEC_INDETERMINATE: 'warning',
  DNSSEC_EDE: 'info',
  DNSSEC_RESOLVER_MODE: 'info',
  // A line of our own --trust-anchor file: the check's input, not the service.
  DNSSEC_TRUST_ANCHOR_ERROR: 'warning',
  // DANE (TLSA)
  DANE_TLSA_NOT_SECURE: 'info',
  // Which TLSA owner counts for a CNAME target (RFC 7671 §7): a fact; SRV_TARGET_CNAME is the warning.
  DANE_TLSA_CNAME_BASE: 'info',
  DANE_TLSA_BOGUS: 'error',
  DANE_TLSA_MISMATCH: 'error',
  DANE_TLSA_UNUSABLE: 'warning',
  // Few XMPP clients do DANE: most refuse a certificate that fails PKIX.
  DANE_PKIX_FAIL_C2S: 'warning',
  DANE_PKIX_FAIL_S2S: 'info',
  // Connection probes (TCP, XMPP streams, STARTTLS, direct TLS)
  PROBE_REFUSED: 'error, in context target',
  // The caps on hostile zones: part of the service was not checked, which the operator should know.
  PROBE_CAPPED: 'warning',
  PROBE_CONNECT_TIMEOUT: 'error, in context target',
  PROBE_UNREACHABLE: 'error, in context target',
  PROBE_NETWORK_ERROR: 'error, in context target',
  PROBE_BAD_ADDRESS: 'error',
  PROBE_SILENT: 'error, in context target',
  PROBE_STALLED: 'error, in context target',
  PROBE_CLOSED: 'error, in context target',
  PROBE_HTTP: 'error, in context target',
  PROBE_TLS_ON_STARTTLS_PORT: 'error, in context target',
  PROBE_PLAINTEXT_ON_DIRECT_TLS: 'error, in context target',
  PROBE_GARBAGE: 'error, in context target',
  PROBE_BYTE_CAP: 'error, in context target',
  STREAM_NOT_XMPP: 'error, in context target',
  STREAM_XML_LIMIT: 'error, in context target',
  STREAM_RESTRICTED_XML: 'error, in context target',
  STREAM_ERROR: 'error, in context target',
  STREAM_HOST_UNKNOWN: 'error, in context target',
  STREAM_NO_VERSION: 'error, in context target',
  STREAM_NAMESPACE_MISMATCH: 'error, in context target',
  STREAM_FROM_MISMATCH: 'warning',
  STREAM_FROM_MISSING: 'info',
  STREAM_STARTTLS_MISSING: 'error, in context target',
  STREAM_STARTTLS_OPTIONAL: 'warning',
  STREAM_STARTTLS_FAILURE: 'error, in context target',
  TLS_HANDSHAKE_FAILED: 'error, in context target',
  TLS_VERSION_OLD: 'warning',
  TLS_ALPN_WRONG: 'error, in context target',
  STREAM_STARTTLS_IN_DIRECT_TLS: 'error, in context target',
  STREAM_NO_AUTH_C2S: 'error, in context target',
  STREAM_NO_AUTH_S2S: 'error, in context target',
  TLS_ALPN_NONE: 'info',
  PROBE_SERVICE_DOWN: 'error',
  // Not one address to connect to (in the IP versions asked for): nobody can connect.
  PROBE_NOTHING_TO_TRY: 'error',
  PROBE_SERVICE_DEGRADED: 'warning',
  PROBE_IPV6_BROKEN: 'warning',
  // Certificates (PKIX, identity, consistency)
  CERT_NONE: 'error',
  CERT_UNPARSEABLE: 'error',
  CERT_CHAIN_INCOMPLETE: 'error',
  CERT_SELF_SIGNED: 'error',
  CERT_UNTRUSTED_ROOT: 'error',
  CERT_BAD_SIGNATURE: 'error',
  CERT_ISSUER_NOT_CA: 'error',
  CERT_EXPIRED: 'error',
  CERT_NOT_YET_VALID: 'error',
  CERT_EXPIRING_SOON: 'warning',
  // The threshold an operator sets for paging (--crit-days, as check_ssl_cert's -c): an error by request.
  CERT_EXPIRING_CRITICAL: 'error',
  CERT_WEAK_RSA_KEY: 'error',
  CERT_SHA1_SIGNATURE: 'error',
  CERT_MD5_SIGNATURE: 'error',
  CERT_NO_SERVER_AUTH_EKU: 'error',
  CERT_NO_CLIENT_AUTH_EKU: 'warning',
  CERT_CHAIN_EXTRA: 'info',
  CERT_NAME_MISMATCH: 'error',
  CERT_NAME_HOSTING_PROVIDER: 'error',
  CERT_NAME_CN_ONLY: 'warning',
  CERT_NAME_NO_DNS_ID: 'info',
  // A valid delegation for DNSSEC-aware clients; those that check only the domain refuse it.
  CERT_NAME_SRV_TARGET_SECURE: 'warning',
  CERT_SAN_BAD_ENCODING: 'warning',
  CERT_DIFFERS_ACROSS_TARGETS: 'info',
  CERT_EXPIRY_DIFFERS_ACROSS_TARGETS: 'warning',
  CERT_DIFFERS_BY_IP_FAMILY: 'warning',
  CERT_DIFFERS_BY_ADDRESS: 'warning',
  CERT_DIFFERS_BY_MODE: 'warning',
  // POSH (RFC 7711)
  POSH_NONE: 'info',
  POSH_UNREACHABLE: 'info',
  POSH_SERVER_CERT_INVALID: 'warning',
  POSH_LEGACY_LOCATION: 'warning',
  POSH_HTTP_ERROR: 'warning',
  POSH_REDIRECT_NOT_HTTPS: 'error, in context posh',
  POSH_TOO_MANY_REDIRECTS: 'error, in context posh',
  POSH_MALFORMED: 'error, in context posh',
  POSH_INVALID: 'error, in context posh',
  POSH_TOO_LARGE: 'error, in context posh',
  POSH_NO_USABLE_FINGERPRINT: 'error, in context posh',
  POSH_DELEGATION_TOO_LONG: 'error, in context posh',
  POSH_MISMATCH: 'error, in context posh',
  POSH_EXPIRES_ZERO: 'info',
  // Verdict (which prooftype authenticates each connection)
  AUTH_NONE: 'error',
  AUTH_VIA_POSH: 'info',
  AUTH_VIA_DANE: 'info',
  // Web connection methods (XEP-0156: host-meta, BOSH, WebSocket)
  WEB_NONE: 'info',
  WEB_HOSTMETA_UNREACHABLE: 'info',
  WEB_HOSTMETA_CERT_INVALID: 'error',
  WEB_HOSTMETA_HTTP_ERROR: 'warning',
  WEB_HOSTMETA_NO_CORS: 'warning',
  WEB_HOSTMETA_CORS_RESTRICTED: 'info',
  WEB_HOSTMETA_REDIRECT_NOT_HTTPS: 'error',
  WEB_HOSTMETA_REDIRECT_FAILED: 'error',
  WEB_HOSTMETA_REDIRECTED: 'info',
  WEB_HOSTMETA_HTTP_REDIRECT: 'info',
  WEB_HOSTMETA_MALFORMED: 'error',
  WEB_HOSTMETA_TOO_LARGE: 'error',
  WEB_HOSTMETA_MISMATCH: 'warning',
  WEB_HOSTMETA_NO_ENDPOINTS: 'info',
  WEB_ENDPOINT_INSECURE: 'error, in context target',
  WEB_ENDPOINT_BAD_URL: 'error, in context target',
  WEB_ENDPOINT_UNREACHABLE: 'error, in context target',
  WEB_ENDPOINT_TIMEOUT: 'error, in context target',
  WEB_ENDPOINT_CERT_UNTRUSTED: 'error, in context target',
  WEB_ENDPOINT_CERT_MISMATCH: 'error, in context target',
  WEB_WS_HANDSHAKE_REFUSED: 'error, in context target',
  WEB_WS_HANDSHAKE_INVALID: 'error, in context target',
  WEB_WS_NO_SUBPROTOCOL: 'error, in context target',
  WEB_WS_NO_OPEN: 'error, in context target',
  WEB_WS_NO_FEATURES: 'error, in context target',
  WEB_WS_STREAM_ERROR: 'error, in context target',
  WEB_BOSH_HTTP_ERROR: 'error, in context target',
  WEB_BOSH_MALFORMED: 'error, in context target',
  WEB_BOSH_TERMINATE: 'error, in context target',
  WEB_BOSH_NO_FEATURES: 'warning',
  WEB_BOSH_NO_CORS: 'warning',
  WEB_TXT_INSECURE: 'warning',
  WEB_TXT_UNVERIFIED: 'info',
  WEB_TXT_ONLY: 'warning',
  // XMPP over QUIC (XEP-0467)
  QUIC_NOT_AVAILABLE: 'info',
  QUIC_NO_ANSWER: 'info',
  QUIC_HANDSHAKE_OK: 'info',
  QUIC_VERSION_NO_V1: 'error, in context target',
  QUIC_VERSION_NEGOTIATION_BOGUS: 'warning',
  QUIC_RETRY: 'info',
  QUIC_RETRY_INVALID: 'error, in context target',
  QUIC_ALPN_REFUSED: 'error, in context target',
  QUIC_WRONG_ALPN: 'error, in context target',
  QUIC_NO_ALPN: 'error, in context target',
  QUIC_CONNECTION_CLOSED: 'error, in context target',
  QUIC_HELLO_RETRY: 'warning',
  QUIC_TLS_VERSION: 'error, in context target',
  QUIC_HANDSHAKE_INCOMPLETE: 'error, in context target',
  QUIC_PROTOCOL_ERROR: 'error, in context target',
  QUIC_HANDSHAKE_SIGNATURE: 'error, in context target',
  QUIC_ECH_OFFERED: 'info',
  // QUIC works, but the connection migration XEP-0467 rule 8 requires is forbidden.
  QUIC_MIGRATION_DISABLED: 'warning',
  // Nothing published, nothing XMPP on UDP 443: a fact, never a warning (issue 14).
  QUIC_DEFAULT_NONE: 'info',
  QUIC_FLOOD: 'warning',
};

test('every code of the catalogue has the severity this table gives it, and the table has no code the catalogue lacks', () => {
  for (const def of CATALOGUE.values()) {
    const want = SEVERITIES[def.code];
    assert.ok(want, `${def.code} is not in the severity table: add it after checking it against the rule`);
    assert.equal(`${def.severity}${def.dependsOn ? `, in context ${def.dependsOn}` : ''}`, want, def.code);
  }
  for (const code of Object.keys(SEVERITIES)) assert.ok(CATALOGUE.has(code), `${code} is in the table but not in the catalogue`);
});

test('the codes named by the severity rule of issue 13 have the severity it gives them', () => {
  const sev = (code: string): string => CATALOGUE.get(code)!.severity;
  // Service works, part of it broken or risky.
  for (const code of ['SRV_TARGET_CNAME', 'STREAM_STARTTLS_OPTIONAL', 'CERT_EXPIRING_SOON', 'PROBE_IPV6_BROKEN', 'PROBE_SERVICE_DEGRADED']) assert.equal(sev(code), 'warning', code);
  // Nobody can connect or authenticate; bogus or SERVFAIL.
  for (const code of ['PROBE_SERVICE_DOWN', 'DANE_TLSA_MISMATCH', 'DANE_TLSA_BOGUS', 'DNSSEC_BOGUS', 'DNS_SERVFAIL', 'AUTH_NONE']) assert.equal(sev(code), 'error', code);
  // A dead, refused or address-less target: an error alone, a warning beside a working one.
  for (const code of ['PROBE_REFUSED', 'PROBE_CONNECT_TIMEOUT', 'SRV_TARGET_NO_ADDRESS', 'SRV_TARGET_NXDOMAIN']) assert.equal(CATALOGUE.get(code)!.dependsOn, 'target', code);
});

test('in context: an error becomes a warning only when something makes up for it, and only for codes that say so', () => {
  const refused = makeFinding(PROBE_FINDINGS.PROBE_REFUSED, 'x:5222 via 192.0.2.1');
  assert.equal(inContext(refused, PROBE_FINDINGS, 'target', true).severity, 'warning');
  assert.equal(inContext(refused, PROBE_FINDINGS, 'target', false).severity, 'error');
  assert.equal(inContext(refused, PROBE_FINDINGS, 'posh', true).severity, 'error', 'another context does not apply');
  const down = makeFinding(PROBE_FINDINGS.PROBE_SERVICE_DOWN, 'c2s service');
  assert.equal(inContext(down, PROBE_FINDINGS, 'target', true).severity, 'error', 'a code without a context keeps its severity');
  const stale = makeFinding(POSH_FINDINGS.POSH_MISMATCH, 'https://example.test/.well-known/posh/xmpp-client.json');
  assert.equal(inContext(stale, POSH_FINDINGS, 'posh', true).severity, 'warning');
  const legacy = makeFinding(POSH_FINDINGS.POSH_LEGACY_LOCATION, 'u');
  assert.equal(inContext(legacy, POSH_FINDINGS, 'posh', true).severity, 'warning', 'a warning stays a warning');
  assert.equal(inContext(makeFinding(POSH_FINDINGS.POSH_NONE, 'u'), POSH_FINDINGS, 'posh', true).severity, 'info', 'never raised');
});

test('every code whose severity depends on its context is an error by default (the severity when nothing makes up for it)', () => {
  for (const def of CATALOGUE.values()) if (def.dependsOn) assert.equal(def.severity, 'error', def.code);
});
