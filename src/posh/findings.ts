/** Findings of POSH (RFC 7711): fetching, parsing and matching the POSH files of a domain. */
import { defineFindings } from '../core/finding.js';

export const POSH_FINDINGS = defineFindings({
  POSH_NONE: {
    severity: 'info',
    title: 'No POSH file is published for this service.',
    fix: 'Only needed when the certificate does not name the domain (hosting): publish /.well-known/posh/xmpp-client.json (and xmpp-server.json) over HTTPS.',
    reference: 'RFC 7711 §3; RFC 7712',
  },
  POSH_UNREACHABLE: {
    severity: 'info',
    title: 'The domain\'s HTTPS server could not be reached, so POSH could not be checked.',
    fix: 'If you rely on POSH, make https://<domain>/ answer on port 443.',
    reference: 'RFC 7711 §3',
  },
  POSH_SERVER_CERT_INVALID: {
    severity: 'warning',
    title: 'The HTTPS server that serves the POSH file has no valid certificate for the domain, so the file cannot be trusted.',
    fix: 'Give the web server a PKIX-valid certificate for the domain; POSH rests on it.',
    reference: 'RFC 7711 §3',
  },
  POSH_LEGACY_LOCATION: {
    severity: 'warning',
    title: 'The POSH file is only at the draft\'s location (/.well-known/posh._xmpp-client._tcp.json); clients look at /.well-known/posh/xmpp-client.json.',
    fix: 'Publish the same file at /.well-known/posh/xmpp-client.json (xmpp-server.json for s2s).',
    reference: 'RFC 7711 §3; RFC 7712 §3',
  },
  POSH_HTTP_ERROR: {
    severity: 'warning',
    title: 'The POSH URL answered with an HTTP error other than 404.',
    fix: 'Serve the file with status 200, or remove it (404) if POSH is not used.',
    reference: 'RFC 7711 §3',
  },
  POSH_REDIRECT_NOT_HTTPS: {
    severity: 'error',
    title: 'The POSH URL redirects to a non-https URL; clients must not follow it.',
    fix: 'Redirect only to https:// URLs, or serve the file directly.',
    reference: 'RFC 7711 §3.1',
    dependsOn: 'posh',
  },
  POSH_TOO_MANY_REDIRECTS: {
    severity: 'error',
    title: 'The POSH URL redirects too many times.',
    fix: 'Serve the file directly or with at most a couple of redirects.',
    reference: 'RFC 7711 §3.1',
    dependsOn: 'posh',
  },
  POSH_MALFORMED: {
    severity: 'error',
    title: 'The POSH file is not valid JSON.',
    fix: 'Serve a JSON object like {"fingerprints":[{"sha-256":"…"}],"expires":604800}.',
    reference: 'RFC 7711 §3.2; RFC 8259',
    dependsOn: 'posh',
  },
  POSH_INVALID: {
    severity: 'error',
    title: 'The POSH file is JSON but not a valid POSH document (missing or wrongly typed members).',
    fix: 'Give either "fingerprints" (an array of objects keyed by hash name) or "url" (an https URL), and "expires" as a number of seconds.',
    reference: 'RFC 7711 §3.2, §3.3',
    dependsOn: 'posh',
  },
  POSH_TOO_LARGE: {
    severity: 'error',
    title: 'The POSH file is larger than any sensible POSH document; it was not read.',
    fix: 'Serve only the POSH JSON document at this URL.',
    reference: 'RFC 7711 §3',
    dependsOn: 'posh',
  },
  POSH_NO_USABLE_FINGERPRINT: {
    severity: 'error',
    title: 'The POSH file has no fingerprint with a hash we know (sha-256, sha-512).',
    fix: 'Add a "sha-256" fingerprint of the certificate.',
    reference: 'RFC 7711 §3.2',
    dependsOn: 'posh',
  },
  POSH_DELEGATION_TOO_LONG: {
    severity: 'error',
    title: 'The delegated POSH file delegates again ("url" twice); clients follow one delegation only.',
    fix: 'Point "url" at the file that holds the fingerprints.',
    reference: 'RFC 7711 §3.3',
    dependsOn: 'posh',
  },
  POSH_MISMATCH: {
    severity: 'error',
    title: 'The POSH file lists no fingerprint of the certificate the server presents (usually: the certificate was renewed, the POSH file was not).',
    fix: 'Publish the fingerprint of the current certificate (printed here), and the next one before you switch.',
    reference: 'RFC 7711 §4.2',
    dependsOn: 'posh',
  },
  POSH_EXPIRES_ZERO: {
    severity: 'info',
    title: 'The POSH file says "expires": 0: clients must not cache it, so they fetch it on every connection.',
    fix: 'Nothing to do if intended; a positive lifetime (e.g. 86400) saves a round trip per connection.',
    reference: 'RFC 7711 §3.2',
  },
});
