/**
 * The schema's compatibility promise: a minor version only adds properties,
 * so the shipped schema accepts properties it does not know (a 2.0 consumer
 * reads a 2.1 report), while the strict copy the tests validate against
 * rejects any property the schema does not describe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unknownReport } from '../../src/pipeline.js';
import { REPORT_SCHEMA_VERSION } from '../../src/report/model.js';
import { SHIPPED_SCHEMA, schemaErrors, shippedSchemaErrors } from '../helpers/schema.js';

const base = () => unknownReport('x.example', 'a reason', { resolver: { host: '127.0.0.1', port: 53 }, resolverSource: 'option', services: ['c2s'], seed: null, timeoutMs: 1000, ipFamilies: [4, 6] });

test('a report is valid against both the shipped schema and the strict copy', () => {
  assert.equal(schemaErrors(base()), null);
  assert.equal(shippedSchemaErrors(base()), null);
});

test('properties a later minor version adds are accepted by the shipped schema, caught by the strict copy', () => {
  const later = { ...base(), addedIn21: { anything: 1 }, summary: { ...base().summary, addedToo: true } };
  assert.equal(shippedSchemaErrors(later), null, 'a 2.x consumer reads a later 2.y report');
  assert.match(schemaErrors(later) ?? '', /must NOT have additional properties/);
  assert.ok(!JSON.stringify(SHIPPED_SCHEMA).includes('"additionalProperties":false'), 'no object of the shipped schema forbids unknown properties');
});

test('schemaVersion matches the schema, and a missing required field still fails both', () => {
  const pattern = new RegExp((SHIPPED_SCHEMA.properties as { schemaVersion: { pattern: string } }).schemaVersion.pattern);
  assert.match(REPORT_SCHEMA_VERSION, pattern);
  const { certificates: _c, ...without } = base();
  assert.notEqual(shippedSchemaErrors(without), null);
  assert.notEqual(schemaErrors(without), null);
});
