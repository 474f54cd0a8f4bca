/**
 * Findings of the XMPP-over-QUIC probe (XEP-0467): what a QUIC handshake to
 * one candidate showed, from no answer at all to a handshake that reached the
 * server's certificate with the right ALPN.
 */
import { defineFindings } from '../core/finding.js';

export const QUIC_FINDINGS = defineFindings({
  QUIC_NOT_AVAILABLE: {
    severity: 'info',
    title: 'QUIC could not be probed from here: this platform lacks a cipher or key exchange the probe needs.',
    fix: 'Run xmpp-check with a Node.js build whose OpenSSL offers x25519, AES-GCM and AES-ECB.',
    reference: 'RFC 9001 §5; XEP-0467 §2',
  },
  QUIC_NO_ANSWER: {
    severity: 'info',
    title: 'No QUIC answer: nothing came back to our Initial packet (most XMPP servers do not offer QUIC).',
    fix: 'Nothing to do unless you mean to offer XMPP over QUIC; then check that the server listens on this UDP port and the firewall lets UDP through.',
    reference: 'XEP-0467 §2; RFC 9000 §7',
  },
  QUIC_HANDSHAKE_OK: {
    severity: 'info',
    title: 'XMPP over QUIC answers: the handshake reached the certificate with the right ALPN.',
    fix: 'Nothing to do.',
    reference: 'XEP-0467 §2',
  },
  QUIC_VERSION_NO_V1: {
    severity: 'error',
    title: 'The server speaks QUIC, but not version 1: it answered with Version Negotiation.',
    fix: 'Enable QUIC version 1 (RFC 9000) on the server; clients of XEP-0467 use it.',
    reference: 'RFC 9000 §6; RFC 8999',
    dependsOn: 'target',
  },
  QUIC_VERSION_NEGOTIATION_BOGUS: {
    severity: 'warning',
    title: 'The server sent Version Negotiation although it lists QUIC v1, the version we offered.',
    fix: 'Check the server or the load balancer in front of it: a Version Negotiation packet must not list the client\'s version.',
    reference: 'RFC 9000 §6.2',
  },
  QUIC_RETRY: {
    severity: 'info',
    title: 'The server asked for address validation with a Retry packet (one extra round trip).',
    fix: 'Nothing to do if this is meant as DoS protection; otherwise Retry costs every client a round trip.',
    reference: 'RFC 9000 §8.1.2',
  },
  QUIC_RETRY_INVALID: {
    severity: 'error',
    title: 'The server\'s Retry could not be used: a bad integrity tag, or Retry again after our retried Initial.',
    fix: 'Check the server\'s (or load balancer\'s) Retry handling: a client drops such packets and the connection never starts.',
    reference: 'RFC 9000 §17.2.5; RFC 9001 §5.8',
    dependsOn: 'target',
  },
  QUIC_ALPN_REFUSED: {
    severity: 'error',
    title: 'The server speaks QUIC but closed the connection with no_application_protocol: it does not speak XMPP on this port.',
    fix: 'This is typically an HTTP/3 server on UDP 443. Route xmpp-client/xmpp-server ALPN to the XMPP server (e.g. a QUIC proxy that dispatches by ALPN), or publish the XMPP QUIC endpoint in host-meta (XEP-0156).',
    reference: 'XEP-0467 §2 rules 5-7; RFC 7301 §3.2; RFC 9001 §8.1',
    dependsOn: 'target',
  },
  QUIC_WRONG_ALPN: {
    severity: 'error',
    title: 'The server picked an ALPN protocol other than the one XEP-0467 requires for this service.',
    fix: 'Configure the server to accept xmpp-client (c2s) and xmpp-server (s2s) as ALPN on QUIC.',
    reference: 'XEP-0467 §2 rules 6-7; RFC 7301',
    dependsOn: 'target',
  },
  QUIC_NO_ALPN: {
    severity: 'error',
    title: 'The server completed the QUIC handshake without choosing an ALPN protocol, which XEP-0467 makes mandatory.',
    fix: 'Configure the server to negotiate xmpp-client (c2s) and xmpp-server (s2s) as ALPN.',
    reference: 'XEP-0467 §2 rule 5; RFC 9001 §8.1',
    dependsOn: 'target',
  },
  QUIC_CONNECTION_CLOSED: {
    severity: 'error',
    title: 'The server closed the QUIC connection during the handshake.',
    fix: 'Read the error code and reason below; check the server\'s TLS configuration (certificate for this domain, TLS 1.3, x25519).',
    reference: 'RFC 9000 §10.2, §20; RFC 9001 §4.8',
    dependsOn: 'target',
  },
  QUIC_HELLO_RETRY: {
    severity: 'warning',
    title: 'The server asked for another key exchange group (HelloRetryRequest); the probe offers only x25519.',
    fix: 'Enable x25519 on the server: nearly every QUIC client offers it first.',
    reference: 'RFC 8446 §4.1.4, §9.1',
  },
  QUIC_TLS_VERSION: {
    severity: 'error',
    title: 'The server did not select TLS 1.3, which QUIC requires.',
    fix: 'Upgrade the server\'s QUIC stack: QUIC runs only over TLS 1.3.',
    reference: 'RFC 9001 §4.2',
    dependsOn: 'target',
  },
  QUIC_HANDSHAKE_INCOMPLETE: {
    severity: 'error',
    title: 'The QUIC handshake started but did not reach the server\'s certificate before the deadline.',
    fix: 'Check the server\'s logs; a certificate chain too large for the anti-amplification limit or lost packets can cause this.',
    reference: 'RFC 9000 §8.1; RFC 9001 §4',
    dependsOn: 'target',
  },
  QUIC_PROTOCOL_ERROR: {
    severity: 'error',
    title: 'The server sent QUIC packets or TLS messages that are malformed or could not be decrypted.',
    fix: 'Check that a QUIC v1 server (not another UDP service) listens on this port, and that its QUIC stack is up to date.',
    reference: 'RFC 9000 §12, §17; RFC 9001 §5',
    dependsOn: 'target',
  },
  QUIC_HANDSHAKE_SIGNATURE: {
    severity: 'error',
    title: 'The server\'s CertificateVerify signature or Finished MAC does not check: it does not prove it holds the certificate\'s key.',
    fix: 'Check that the server\'s private key matches its certificate.',
    reference: 'RFC 8446 §4.4.3, §4.4.4',
    dependsOn: 'target',
  },
  QUIC_ECH_OFFERED: {
    severity: 'info',
    title: 'The server offers Encrypted Client Hello: it answered the probe\'s GREASE ECH with retry configurations.',
    fix: 'Nothing to do: XEP-0467 asks clients to use ECH where available.',
    reference: 'XEP-0467 §2 rules 4-5; draft-ietf-tls-esni',
  },
  QUIC_MIGRATION_DISABLED: {
    severity: 'warning',
    title: 'The server forbids connection migration (disable_active_migration), which XEP-0467 rule 8 requires clients and servers to use.',
    fix: 'Remove disable_active_migration from the server\'s QUIC transport parameters (check the QUIC stack or load balancer: migration needs connection IDs routed to the same server).',
    reference: 'XEP-0467 §2 rule 8; RFC 9000 §9, §18.2',
  },
  QUIC_DEFAULT_NONE: {
    severity: 'info',
    title: 'No XMPP over QUIC on UDP 443 of the domain, the port XEP-0467 names as the default when nothing else lists a QUIC endpoint.',
    fix: 'Nothing to do unless you mean to offer XMPP over QUIC: then answer QUIC with ALPN xmpp-client/xmpp-server on UDP 443 (a proxy can share the port with HTTP/3 by ALPN), or publish the endpoint in host-meta (XEP-0156).',
    reference: 'XEP-0467 §2 rule 1',
  },
  QUIC_FLOOD: {
    severity: 'warning',
    title: 'The server sent more datagrams or bytes than the probe accepts; the rest were ignored.',
    fix: 'Check for an amplification problem: a server may send at most three times what it received before validating the client\'s address.',
    reference: 'RFC 9000 §8',
  },
});
