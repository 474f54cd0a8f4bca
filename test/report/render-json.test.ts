/** The JSON renderers: certificate bodies left out unless asked for, the report itself never changed, escapes kept. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson, renderJsonLine } from '../../src/report/render-json.js';
import type { Report } from '../../src/report/model.js';

const sample = (): Report =>
  ({
    schemaVersion: 'x',
    certificates: [{ sha256: 'aa', der: 'MIIB', pem: '-----BEGIN', subject: 'CN=a' }],
    services: [{ probes: [{ tls: { chain: [{ sha256: 'bb', der: 'MIIC', subject: 'CN=b\u202e' }] } }], note: { der: 'kept: no sha256 here' } }],
    list: [1, 'two', null, [{ sha256: 'cc', pem: 'P' }]],
  }) as unknown as Report;

test('certificate bodies (der, pem of objects with a sha256) are left out; everything else is kept, in order; the report is not changed', () => {
  const r = sample();
  const before = JSON.stringify(r);
  const line = JSON.parse(renderJsonLine(r));
  assert.deepEqual(line, {
    schemaVersion: 'x',
    certificates: [{ sha256: 'aa', subject: 'CN=a' }],
    services: [{ probes: [{ tls: { chain: [{ sha256: 'bb', subject: 'CN=b\u202e' }] } }], note: { der: 'kept: no sha256 here' } }],
    list: [1, 'two', null, [{ sha256: 'cc' }]],
  });
  assert.equal(JSON.stringify(r), before, 'the report itself keeps its bodies');
  assert.equal(JSON.parse(renderJson(r, { includeCerts: true })).certificates[0].der, 'MIIB');
  assert.equal(renderJsonLine(r).split('\n').length, 2, 'one line');
  assert.match(renderJsonLine(r), /CN=b\\u202e/, 'bidi controls escaped');
  assert.equal(renderJson(r), `${JSON.stringify(JSON.parse(renderJsonLine(r)), null, 2).replace('\u202e', '\\u202e')}\n`);
});
