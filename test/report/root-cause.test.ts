/** One root cause, one finding: the grouping of symptoms under their cause, on findings as the stages make them. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupRootCauses } from '../../src/report/root-cause.js';
import type { Finding } from '../../src/core/finding.js';
import type { DnssecEntry } from '../../src/dnssec/types.js';

const f = (code: string, subject: string, service?: 'c2s' | 's2s', severity: Finding['severity'] = 'error'): Finding => ({ code, severity, subject, message: `${code} ${subject}`, fix: 'fix', reference: 'ref', ...(service ? { service } : {}) });
const bogus = (name: string, type: string, zone = 'expired.test'): DnssecEntry => ({
  name, type, status: 'bogus', outcome: 'error', zone, reason: 'expired', wildcard: null, ede: [],
  brokenLink: { zone, name: zone, type: 'DNSKEY', kind: 'signature-expired', detail: 'x' },
});

test('a bogus zone: the SERVFAILs and bogus answers of one broken link become one DNSSEC_BOGUS naming what it breaks', () => {
  const owners = ['_xmpp-client._tcp.svc.expired.test', '_xmpps-client._tcp.svc.expired.test', '_xmpp-server._tcp.svc.expired.test', '_xmpps-server._tcp.svc.expired.test'];
  const findings = [
    ...owners.map((o, i) => f('DNS_SERVFAIL', o, i < 2 ? 'c2s' : 's2s')),
    f('SRV_NO_DIRECT_TLS', 'other', 'c2s', 'info'),
    ...owners.map((o) => f('DNSSEC_BOGUS', `${o}/SRV`)),
    f('DNSSEC_EDE', `${owners[0]}/SRV`, undefined, 'info'),
  ];
  const out = groupRootCauses(findings, owners.map((o) => bogus(o, 'SRV')));
  assert.deepEqual(out.map((x) => x.code), ['DNSSEC_BOGUS', 'SRV_NO_DIRECT_TLS'], 'the cause takes the place of its first symptom; unrelated findings stay');
  const root = out[0]!;
  assert.equal(root.subject, 'zone expired.test (expired.test/DNSKEY)');
  assert.deepEqual(root.affected, owners.map((o) => `${o} SRV`));
  assert.equal(root.related!.length, 8, 'four SERVFAILs, three other bogus answers, one EDE');
  assert.equal(root.service, undefined, 'both services: no single one');
  assert.match(root.message, /It breaks 4 answers: .*; the resolver answers SERVFAIL for each\./);
});

test('two broken links stay two causes; a lone SERVFAIL stays as it is', () => {
  const out = groupRootCauses(
    [f('DNS_SERVFAIL', 'a.one.test A', 'c2s'), f('DNSSEC_BOGUS', 'a.one.test/A'), f('DNSSEC_BOGUS', 'b.two.test/A'), f('DNS_SERVFAIL', 'lonely.example A', 'c2s')],
    [bogus('a.one.test', 'A', 'one.test'), bogus('b.two.test', 'A', 'two.test')],
  );
  assert.deepEqual(out.map((x) => [x.code, x.subject]), [
    ['DNSSEC_BOGUS', 'zone one.test (one.test/DNSKEY)'],
    ['DNSSEC_BOGUS', 'b.two.test/A'],
    ['DNS_SERVFAIL', 'lonely.example A'],
  ]);
  assert.equal(out[0]!.service, 'c2s', 'every member is about c2s');
});

test('SERVFAILs that DNSSEC does not explain: one finding per name, taking the indeterminate statuses of the same questions', () => {
  const out = groupRootCauses(
    [
      f('DNS_SERVFAIL', '_xmpp-client._tcp.sf.test', 'c2s'),
      f('DNS_SERVFAIL', '_xmpps-client._tcp.sf.test', 'c2s'),
      f('DNSSEC_INDETERMINATE', '_xmpp-client._tcp.sf.test/SRV', undefined, 'warning'),
      f('DNSSEC_INDETERMINATE', 'elsewhere.test/A', undefined, 'warning'),
    ],
    [],
  );
  assert.deepEqual(out.map((x) => [x.code, x.subject]), [['DNS_SERVFAIL', 'sf.test'], ['DNSSEC_INDETERMINATE', 'elsewhere.test/A']]);
  assert.deepEqual(out[0]!.affected, ['_xmpp-client._tcp.sf.test SRV', '_xmpps-client._tcp.sf.test SRV']);
  assert.deepEqual(out[0]!.related!.map((r) => r.code), ['DNS_SERVFAIL', 'DNSSEC_INDETERMINATE']);
  assert.match(out[0]!.message, /^SERVFAIL for 2 lookups under sf\.test/);
});
