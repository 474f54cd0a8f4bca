/** Hostile XMPP servers, through the real binary: endless data, XML bombs, deep nesting, 10,000 features, control characters in stream errors and certificates, cut TLS. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { HOSTILE, INJECTED, startHostileLab, type HostileLab } from '../../fixtures/hostile/lab.js';
import { runMeasured } from '../helpers/measured.js';
import { assertHostile } from './expect.js';
import type { Report } from '../../src/report/model.js';

const X = HOSTILE.xmpp;
let lab: HostileLab;
const base = (): string[] => [...lab.args, '--dnssec', 'off', '--no-web', '--c2s', '--timeout', '1500'];

describe('hostile XMPP servers', { concurrency: 4 }, () => {
  before(async () => {
    lab = await startHostileLab();
  });
  after(() => lab.close());

  const cases: { name: string; domain: string; codes?: string[] }[] = [
    { name: 'endless stanzas, never features', domain: X.endless },
    { name: 'endless bytes that are not XML', domain: X.endlessRaw },
    { name: 'endless whitespace after the header', domain: X.whitespace },
    { name: 'a billion-laughs DOCTYPE', domain: X.bomb },
    { name: 'a stream header with 30,000 attributes', domain: X.attrBomb },
    { name: '100,000 nested elements', domain: X.deep },
    { name: '10,000 stream features', domain: X.features10k },
    { name: 'a stream error with a newline, C1 controls and bidi overrides', domain: X.streamErrorControls },
    { name: 'a TLS handshake cut after STARTTLS', domain: X.cutTls },
    { name: 'a direct-TLS handshake cut short', domain: X.cutDirectTls },
    { name: 'a certificate whose names carry a newline, C1 controls and bidi overrides', domain: X.certControls, codes: ['CERT_NAME_MISMATCH'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runMeasured([...base(), c.domain]);
      assertHostile(r, { exit: 2, maxMs: 15_000 }, c.name);
      for (const code of c.codes ?? []) assert.match(r.stdout, new RegExp(code), `${c.name}: ${code} in the table`);
    });
    it(`${c.name} (JSON)`, async () => {
      const r = await runMeasured([...base(), '--json', c.domain]);
      assertHostile(r, { exit: 2, maxMs: 15_000, json: true }, `${c.name} (JSON)`);
      const report = JSON.parse(r.stdout) as Report;
      for (const code of c.codes ?? []) assert.ok(report.findings.some((f) => f.code === code), `${c.name}: ${code} in the JSON`);
    });
  }

  it('the stream error and certificate names stay visible, escaped, in the table', async () => {
    const [se, cert] = await Promise.all([runMeasured([...base(), X.streamErrorControls]), runMeasured([...base(), X.certControls])]);
    assert.match(se.stdout, new RegExp(`bye\\\\x0a${INJECTED}-STREAM`));
    assert.match(cert.stdout, new RegExp(`evil\\\\x0a${INJECTED}-SAN`));
  });

  it('--format nagios and prometheus carry no raw control character or forged line either', async () => {
    for (const format of ['nagios', 'prometheus']) {
      for (const domain of [X.streamErrorControls, X.certControls]) {
        const r = await runMeasured([...base(), '--format', format, domain]);
        assertHostile(r, { exit: 2, maxMs: 15_000 }, `${format} ${domain}`);
      }
    }
  });
});
