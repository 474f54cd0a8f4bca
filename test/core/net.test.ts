/** ipVersion says what net.isIP says, for addresses, names and junk alike. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { classifyAddress, ipVersion } from '../../src/core/net.js';

test('ipVersion agrees with net.isIP', () => {
  const cases = ['127.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '01.2.3.4', '::1', '::', 'fe80::1%lo', '::ffff:192.0.2.1', '2001:db8::1', '2001:db8:::1', ':', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', 'example.com', 'xmpp.lab.test', '', ' 127.0.0.1', '127.0.0.1 ', '[::1]', 'lab.test:5222', '1.2.3.4:53'];
  for (const c of cases) assert.equal(ipVersion(c), net.isIP(c), c);
});

test('classifyAddress uses it: loopback, mapped IPv4, names are not addresses', () => {
  assert.equal(classifyAddress('127.0.0.2'), 'loopback');
  assert.equal(classifyAddress('::1'), 'loopback');
  assert.equal(classifyAddress('::ffff:10.0.0.1'), 'private');
  assert.equal(classifyAddress('example.com'), 'reserved');
});
