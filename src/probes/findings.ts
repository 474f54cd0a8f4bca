/**
 * Findings of the probes stage: what connecting to each address showed, per
 * probe (PROBE_ connection, STREAM_ XMPP stream, TLS_ handshake) and per
 * service (no target works, some fail, IPv6 dead while IPv4 works).
 */
import { defineFindings } from '../core/finding.js';

export const PROBE_FINDINGS = defineFindings({
  PROBE_CAPPED: {
    severity: 'warning',
    title: 'The service publishes more SRV records or addresses than one check looks at: only the first ones (in the order clients try them) were looked up and probed, so this check is incomplete.',
    fix: 'Publish fewer SRV records and addresses (a handful per service is plenty); clients give up long before they reach the end of a list this long.',
    reference: 'RFC 2782; RFC 6120 §3.2',
  },
  PROBE_REFUSED: {
    severity: 'warning',
    title: 'The connection was refused: nothing listens on this address and port.',
    fix: 'Start the server on this port (and address family), open the firewall, or stop publishing the address or SRV record.',
    reference: 'RFC 6120 §3.2; RFC 793',
  },
  PROBE_CONNECT_TIMEOUT: {
    severity: 'warning',
    title: 'The TCP connection timed out: packets to this address and port are dropped.',
    fix: 'Check the firewall and that the server listens on this address; clients wait for this timeout before trying the next target.',
    reference: 'RFC 6120 §3.2',
  },
  PROBE_UNREACHABLE: {
    severity: 'warning',
    title: 'This address is unreachable from here (no route to host or network).',
    fix: 'Check routing for this address; if it cannot be reached from the Internet, do not publish it.',
    reference: 'RFC 6120 §3.2',
  },
  PROBE_NETWORK_ERROR: {
    severity: 'warning',
    title: 'The connection failed with a network error.',
    fix: 'Check the server and any middlebox on the path (load balancer, proxy).',
    reference: 'RFC 6120 §3.2',
  },
  PROBE_BAD_ADDRESS: {
    severity: 'error',
    title: 'The address to probe is not an IP address; it was not probed.',
    fix: 'This is a bug in xmpp-check: please report it.',
    reference: 'RFC 6120 §3.2',
  },
  PROBE_SILENT: {
    severity: 'error',
    title: 'The server accepted the TCP connection and then said nothing.',
    fix: 'Check that an XMPP server (not another service or a stuck proxy) listens on this port.',
    reference: 'RFC 6120 §4.2',
  },
  PROBE_STALLED: {
    severity: 'error',
    title: 'The server started to answer, then stopped before the step finished.',
    fix: 'Check the server\'s logs; a proxy or load balancer in front of it may be holding the connection.',
    reference: 'RFC 6120 §4.2',
  },
  PROBE_CLOSED: {
    severity: 'error',
    title: 'The server closed the connection before the step finished.',
    fix: 'Check the server\'s logs for why it drops connections for this domain.',
    reference: 'RFC 6120 §4.2',
  },
  PROBE_HTTP: {
    severity: 'error',
    title: 'An HTTP server answered on this XMPP port.',
    fix: 'Point the SRV record at the XMPP port, or route XMPP past the web server (e.g. ALPN or sslh in front of both).',
    reference: 'RFC 6120 §3.2; XEP-0368 §3',
  },
  PROBE_TLS_ON_STARTTLS_PORT: {
    severity: 'error',
    title: 'This STARTTLS (_xmpp-) port speaks TLS at once: it answered the plaintext stream header with a TLS record.',
    fix: 'Publish this port as _xmpps- (direct TLS), or point the _xmpp- record at the STARTTLS port.',
    reference: 'XEP-0368 §3; RFC 6120 §5',
  },
  PROBE_PLAINTEXT_ON_DIRECT_TLS: {
    severity: 'error',
    title: 'This direct-TLS (_xmpps-) port speaks plaintext XMPP: it answered the TLS ClientHello with XML.',
    fix: 'Publish this port as _xmpp- (STARTTLS), or enable direct TLS on it.',
    reference: 'XEP-0368 §3',
  },
  PROBE_GARBAGE: {
    severity: 'error',
    title: 'The server sent bytes that are not XML (or not UTF-8).',
    fix: 'Check that an XMPP server listens on this port and not some other service.',
    reference: 'RFC 6120 §11',
  },
  PROBE_BYTE_CAP: {
    severity: 'error',
    title: 'The server kept sending far more than an XMPP stream start needs; the probe stopped at its byte cap.',
    fix: 'Check what listens on this port; an XMPP server sends a stream header and features of a few kilobytes.',
    reference: 'RFC 6120 §13.12',
  },
  STREAM_NOT_XMPP: {
    severity: 'error',
    title: 'The server sent XML, but not an XMPP stream (<stream:stream> in http://etherx.jabber.org/streams).',
    fix: 'Check that an XMPP server listens on this port.',
    reference: 'RFC 6120 §4.7',
  },
  STREAM_XML_LIMIT: {
    severity: 'error',
    title: 'The server sent an element too large or too deeply nested.',
    fix: 'Check the server\'s stream features and header; they should be small.',
    reference: 'RFC 6120 §13.12',
  },
  STREAM_RESTRICTED_XML: {
    severity: 'error',
    title: 'The server sent restricted XML (a DOCTYPE, comment or processing instruction); clients must close such a stream.',
    fix: 'Fix the server (or proxy) so it sends none of these in the stream.',
    reference: 'RFC 6120 §11.1',
  },
  STREAM_ERROR: {
    severity: 'error',
    title: 'The server closed the stream with a stream error.',
    fix: 'Read the condition and text; the server\'s logs say more.',
    reference: 'RFC 6120 §4.9',
  },
  STREAM_HOST_UNKNOWN: {
    severity: 'error',
    title: 'The server answered host-unknown: it does not serve this domain.',
    fix: 'Add the domain (VirtualHost) to the server\'s configuration, or point the SRV record at a server that serves it.',
    reference: 'RFC 6120 §4.9.3.6',
  },
  STREAM_NO_VERSION: {
    severity: 'error',
    title: 'The stream header lacks version=\'1.0\': the server speaks pre-RFC XMPP and sends no stream features.',
    fix: 'Upgrade the server to one that implements RFC 6120.',
    reference: 'RFC 6120 §4.7.5',
  },
  STREAM_NAMESPACE_MISMATCH: {
    severity: 'error',
    title: 'The stream\'s content namespace is not the one asked for (jabber:client on c2s, jabber:server on s2s): the SRV record may point at the other service\'s port.',
    fix: 'Point _xmpp-client at the client port and _xmpp-server at the server port.',
    reference: 'RFC 6120 §4.8.2',
  },
  STREAM_FROM_MISMATCH: {
    severity: 'warning',
    title: 'The stream header\'s from is not the domain asked for.',
    fix: 'Configure the server to answer for this domain as itself (check VirtualHost names and the case of the domain).',
    reference: 'RFC 6120 §4.7.1',
  },
  STREAM_FROM_MISSING: {
    severity: 'info',
    title: 'The stream header has no from attribute.',
    fix: 'Servers should include from (their domain) in the response stream header.',
    reference: 'RFC 6120 §4.7.1',
  },
  STREAM_STARTTLS_MISSING: {
    severity: 'error',
    title: 'STARTTLS is not offered: this port offers no encryption.',
    fix: 'Enable TLS on the server, with a certificate for the domain.',
    reference: 'RFC 6120 §5.3.1; RFC 7590 §3.1',
  },
  STREAM_STARTTLS_OPTIONAL: {
    severity: 'warning',
    title: 'STARTTLS is offered but not required: a man in the middle can strip it and clients may go on in plaintext.',
    fix: 'Require TLS (e.g. c2s_require_encryption / s2s_require_encryption in Prosody, starttls_required in ejabberd).',
    reference: 'RFC 7590 §3.1; RFC 6120 §5.3.1',
  },
  STREAM_STARTTLS_FAILURE: {
    severity: 'error',
    title: 'The server answered <starttls/> with <failure/> (or anything but <proceed/>).',
    fix: 'Check the server\'s TLS configuration (certificate and key files readable, TLS library).',
    reference: 'RFC 6120 §5.4.2.2',
  },
  TLS_HANDSHAKE_FAILED: {
    severity: 'error',
    title: 'The TLS handshake failed.',
    fix: 'Check the server\'s certificate, key and TLS settings; the detail says what the TLS library reported.',
    reference: 'RFC 6120 §5.4.3; RFC 8446',
  },
  TLS_VERSION_OLD: {
    severity: 'warning',
    title: 'The server negotiated a TLS version below 1.2.',
    fix: 'Enable TLS 1.2 and 1.3 and disable older versions.',
    reference: 'RFC 8996; RFC 9325 §3.1.1',
  },
  TLS_ALPN_WRONG: {
    severity: 'error',
    title: 'Direct TLS: the server refused the XMPP ALPN protocol or chose another one.',
    fix: 'Accept ALPN xmpp-client on _xmpps-client ports and xmpp-server on _xmpps-server ports (or none at all); on a multiplexed port 443 route these ALPN values to the XMPP server.',
    reference: 'XEP-0368 §3 rules 7 to 9; RFC 7301 §3.2',
  },
  TLS_ALPN_NONE: {
    severity: 'info',
    title: 'Direct TLS: the server chose no ALPN protocol. This is allowed, but ALPN is needed to share a port (e.g. 443) with HTTPS.',
    fix: 'Optionally configure ALPN xmpp-client / xmpp-server on the direct-TLS port.',
    reference: 'XEP-0368 §3 rule 7',
  },
  PROBE_NOTHING_TO_TRY: {
    severity: 'error',
    title: 'Nothing could be tried for this service: no target has an address (in the IP versions asked for) to connect to.',
    fix: 'Publish A/AAAA records for the targets (or fix the lookups that fail); with -4 or -6, check that the targets have addresses of that version.',
    reference: 'RFC 6120 §3.2; RFC 2782 (Target)',
  },
  PROBE_SERVICE_DOWN: {
    severity: 'error',
    title: 'No target of this service works: nobody can connect.',
    fix: 'Fix the failures reported for each target.',
    reference: 'RFC 6120 §3.2',
  },
  PROBE_SERVICE_DEGRADED: {
    severity: 'warning',
    title: 'Some targets of this service fail while others work: some connections fail or are slow.',
    fix: 'Fix the failing targets, or stop publishing them.',
    reference: 'RFC 6120 §3.2; RFC 2782',
  },
  PROBE_IPV6_BROKEN: {
    severity: 'warning',
    title: 'An AAAA record is published but nothing works on IPv6 while IPv4 works: clients with IPv6 time out or fail first.',
    fix: 'Make the server listen on IPv6 (and open the firewall for it), or remove the AAAA record.',
    reference: 'RFC 8305; RFC 6120 §3.2',
  },
});
