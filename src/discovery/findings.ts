/**
 * Findings of the discovery stage: the domain's DNS, its SRV records and the
 * addresses of their targets.
 */
import { defineFindings } from '../core/finding.js';

export const DISCOVERY_FINDINGS = defineFindings({
  DNS_DOMAIN_NXDOMAIN: {
    severity: 'error',
    title: 'The domain does not exist in DNS (NXDOMAIN).',
    fix: 'Check the spelling; if it is right, publish the zone (or its delegation at the parent).',
    reference: 'RFC 6120 §3.2',
  },
  DNS_SERVFAIL: {
    severity: 'error',
    title: 'The resolver answered SERVFAIL: it could not get an answer. A DNSSEC validation failure is a common cause.',
    fix: 'Check the zone\'s DNSSEC chain (expired signatures, a DS at the parent that matches no key) and that its name servers answer.',
    reference: 'RFC 1035 §4.1.1; RFC 4035 §5.5',
  },
  DNS_QUERY_FAILED: {
    severity: 'warning',
    title: 'A DNS query got no usable answer (timeout, refused or malformed).',
    fix: 'Check that the zone\'s name servers answer for this name over UDP and TCP.',
    reference: 'RFC 1035 §4.2',
  },
  DNS_REFUSED: {
    severity: 'warning',
    title: 'The resolver refused the query.',
    fix: 'Use a resolver that serves you (--resolver), or allow this client on it.',
    reference: 'RFC 1035 §4.1.1',
  },
  DNS_NAME_TOO_LONG: {
    severity: 'warning',
    title: 'A name the check needs is longer than DNS allows (255 octets on the wire, 63 per label), so it cannot exist in DNS: the domain is too long for SRV records.',
    fix: 'Use a shorter domain for the XMPP service: _xmpp-client._tcp.<domain> and _xmpps-server._tcp.<domain> must fit in 253 characters.',
    reference: 'RFC 1035 §2.3.4; RFC 2782',
  },
  DNS_STALE_ANSWER: {
    severity: 'warning',
    title: 'The resolver\'s answer differs from what the zone\'s authoritative servers serve now: a cached, stale answer (a recent change has not reached everyone yet).',
    fix: 'Wait for the TTL to run out (lower TTLs before planned changes), or flush the resolver\'s cache; clients of other resolvers see the old records until then.',
    reference: 'RFC 1035 §7.4; RFC 2181 §8',
  },
  DNS_AUTH_DISAGREE: {
    severity: 'warning',
    title: 'The zone\'s authoritative servers give different answers: a secondary is out of step with the primary.',
    fix: 'Check zone transfers (serial numbers, NOTIFY, allow-transfer) so that every name server serves the same data.',
    reference: 'RFC 1996; RFC 5936',
  },
  DNS_LAME_DELEGATION: {
    severity: 'warning',
    title: 'A name server listed for the zone does not answer authoritatively for it (lame delegation).',
    fix: 'Remove the server from the NS records (at the parent too) or configure the zone on it.',
    reference: 'RFC 1912 §2.8; RFC 8499',
  },
  DNS_AUTH_UNREACHABLE: {
    severity: 'warning',
    title: 'A name server of the zone did not answer.',
    fix: 'Check that every name server in the NS records answers on UDP and TCP port 53.',
    reference: 'RFC 1035 §4.2; RFC 7766',
  },
  SRV_NONE_FALLBACK: {
    severity: 'info',
    title: 'No SRV records: clients and servers fall back to the domain\'s own addresses on the default port.',
    fix: 'Publish _xmpp-client._tcp / _xmpp-server._tcp SRV records (and _xmpps-* for direct TLS), even when they point at the domain itself.',
    reference: 'RFC 6120 §3.2.2',
  },
  SRV_NO_SERVICE: {
    severity: 'info',
    title: 'A single SRV record with target "." says this service is decidedly not available here.',
    fix: 'Nothing to do if that is intended; otherwise replace the "." record with real targets.',
    reference: 'RFC 2782 (Target); RFC 6120 §3.2.1',
  },
  SRV_SERVICE_UNAVAILABLE: {
    severity: 'warning',
    title: 'The "." target says the service is not offered, and no other SRV record offers it: nobody can connect.',
    fix: 'If the service should be reachable, replace the "." record with real SRV targets.',
    reference: 'RFC 2782 (Target); RFC 6120 §3.2.1',
  },
  SRV_DOT_MIXED: {
    severity: 'warning',
    title: 'The "." target stands next to other records in the same SRV RRset; it is only meaningful alone.',
    fix: 'Remove the "." record, or remove the other records if the service is really not offered.',
    reference: 'RFC 2782 (Target)',
  },
  SRV_OWNER_CNAME: {
    severity: 'warning',
    title: 'The SRV owner name is an alias (CNAME); some clients do not follow it.',
    fix: 'Publish the SRV records directly at the _service._tcp name.',
    reference: 'RFC 2181 §10.1; RFC 2782',
  },
  SRV_TARGET_CNAME: {
    severity: 'warning',
    title: 'The SRV target is an alias (CNAME); RFC 2782 forbids it and some clients fail on it.',
    fix: 'Point the SRV record at the canonical host name the CNAME leads to.',
    reference: 'RFC 2782 (Target); RFC 2181 §10.3',
  },
  SRV_TARGET_NO_ADDRESS: {
    severity: 'error',
    title: 'The SRV target has no A or AAAA record: nobody can connect to it.',
    fix: 'Publish A and/or AAAA records for the target, or remove the SRV record.',
    reference: 'RFC 2782 (Target)',
    dependsOn: 'target',
  },
  SRV_TARGET_NXDOMAIN: {
    severity: 'error',
    title: 'The SRV target does not exist in DNS (NXDOMAIN).',
    fix: 'Fix the target name (a missing trailing dot in the zone file is a common cause), or publish the host.',
    reference: 'RFC 2782 (Target)',
    dependsOn: 'target',
  },
  SRV_TARGET_INVALID_NAME: {
    severity: 'error',
    title: 'The SRV target is not a valid host name: it holds control characters, spaces, bytes that are not UTF-8 or labels too long for DNS. Clients cannot use it.',
    fix: 'Publish the target as a plain host name in A-labels (letters, digits, hyphens), ending with a dot in the zone file.',
    reference: 'RFC 2782 (Target); RFC 1123 §2.1; RFC 5890 §2.3.2.1',
  },
  SRV_TARGET_IP_LITERAL: {
    severity: 'error',
    title: 'The SRV target is an IP address, not a host name.',
    fix: 'Give the host a name with A/AAAA records and use that name as the SRV target.',
    reference: 'RFC 2782 (Target)',
    dependsOn: 'target',
  },
  SRV_TARGET_LOCALHOST: {
    severity: 'error',
    title: 'The SRV target is "localhost": it points every client at itself.',
    fix: 'Use the server\'s public host name; this was probably copied from a test setup.',
    reference: 'RFC 6761 §6.3',
    dependsOn: 'target',
  },
  ADDR_LOOPBACK: {
    severity: 'error',
    title: 'A public name resolves to a loopback address.',
    fix: 'Publish the server\'s public address; this was probably copied from a test setup.',
    reference: 'RFC 6890',
    dependsOn: 'target',
  },
  ADDR_PRIVATE: {
    severity: 'warning',
    title: 'A public name resolves to a private, link-local or otherwise non-global address: only some networks can reach it.',
    fix: 'Publish the server\'s public address, or keep this name in a private view of the zone.',
    reference: 'RFC 6890; RFC 1918; RFC 4193',
  },
  SRV_PORT_ZERO: {
    severity: 'error',
    title: 'The SRV record has port 0: nothing can connect to it.',
    fix: 'Give the real port (5222/5269 for STARTTLS, 5223/5270 or 443 for direct TLS are usual).',
    reference: 'RFC 2782 (Port)',
    dependsOn: 'target',
  },
  SRV_DUPLICATE: {
    severity: 'warning',
    title: 'The same SRV record (target and port) is published more than once for this service.',
    fix: 'Remove the duplicate; it skews the weights.',
    reference: 'RFC 2181 §5; RFC 2782',
  },
  SRV_BOTH_MODES_SAME_PORT: {
    severity: 'warning',
    title: 'One host:port is published both as STARTTLS (_xmpp-) and as direct TLS (_xmpps-); a port speaks one or the other, so one record is wrong.',
    fix: 'Find out which mode the port speaks (the probes tell) and remove the other record.',
    reference: 'XEP-0368 §3 rules 2 and 3',
  },
  SRV_XMPPS_ON_STARTTLS_PORT: {
    severity: 'warning',
    title: 'A direct-TLS (_xmpps-) record points at 5222 or 5269, the usual STARTTLS ports.',
    fix: 'Check that the port really speaks TLS at once; direct TLS usually runs on 5223, 5270 or 443.',
    reference: 'XEP-0368 §3',
  },
  SRV_XMPP_ON_TLS_PORT: {
    severity: 'warning',
    title: 'A STARTTLS (_xmpp-) record points at 5223, 5270 or 443, ports usually used for direct TLS.',
    fix: 'Check that the port really speaks plain XMPP with STARTTLS; otherwise publish it as _xmpps-.',
    reference: 'XEP-0368 §3',
  },
  SRV_WEIGHT_ZERO_MIXED: {
    severity: 'info',
    title: 'A record of weight 0 stands next to records with weights in the same priority: it is picked first only very rarely.',
    fix: 'If the record should take a share of connections, give it a non-zero weight.',
    reference: 'RFC 2782 (Weight)',
  },
  SRV_NO_DIRECT_TLS: {
    severity: 'info',
    title: 'No _xmpps- records: direct TLS (XEP-0368) is not offered.',
    fix: 'Optionally offer direct TLS (e.g. on 5223 or 443 with ALPN) and publish _xmpps-client / _xmpps-server records.',
    reference: 'XEP-0368',
  },
  SRV_LEGACY_JABBER: {
    severity: 'info',
    title: 'A legacy _jabber._tcp SRV record is published; current software ignores it.',
    fix: 'Remove it once no old client needs it; keep _xmpp-client._tcp.',
    reference: 'RFC 6120 §3.2.1',
  },
});
