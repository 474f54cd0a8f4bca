import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { DnsClient, DnsError, parseResolver } from '../../src/dns/client.js';
import { startDnsServer, type RunningDnsServer } from '../../fixtures/lab/dns-server.js';

const records: Answer[] = [
  { name: 'ok.example', type: 'A', ttl: 42, data: '192.0.2.7' } as Answer,
  ...Array.from({ length: 60 }, (_, i) => ({ name: 'big.example', type: 'TXT', ttl: 60, data: `record number ${i} with some padding to make it long` }) as Answer),
];

let server: RunningDnsServer;
before(async () => {
  server = await startDnsServer({
    records,
    misbehave: {
      'fail.example': 'servfail',
      'silent.example': 'drop',
      'garbage.example': 'malformed',
      'spoofed.example': 'wrong-id',
      'trunc.example': 'truncate',
      'ede.example': 'ede-servfail',
      'refused.example': 'refused',
    },
  });
});
after(() => server.close());

const client = (timeoutMs = 400): DnsClient => new DnsClient({ server: { host: server.host, port: server.port }, timeoutMs, attempts: 2 });

test('an A answer carries rcode, flags, TTL and is logged', async () => {
  const c = client();
  const res = await c.query('ok.example', 'A');
  assert.equal(res.rcode, 'NOERROR');
  assert.equal(res.transport, 'udp');
  assert.equal(res.answers.length, 1);
  assert.equal((res.answers[0] as { ttl: number }).ttl, 42);
  assert.equal(c.log.length, 1);
  assert.equal(c.log[0]!.answers[0]!.data, '192.0.2.7');
  assert.equal(c.log[0]!.flags!.ra, true);
});

test('the query has EDNS0 with DO and the AD bit set', async () => {
  const c = client();
  await c.query('ok.example', 'AAAA');
  const q = server.queries.find((x) => x.name === 'ok.example' && x.type === 'AAAA');
  assert.ok(q);
  assert.equal(q.dnssecOk, true);
  assert.equal(q.ad, true);
  assert.equal(q.cd, false);
  await c.query('ok.example', 'AAAA', { cd: true });
  assert.ok(server.queries.some((x) => x.name === 'ok.example' && x.type === 'AAAA' && x.cd));
});

test('NXDOMAIN is an answer, not an error', async () => {
  const res = await client().query('nothing.example', 'A');
  assert.equal(res.rcode, 'NXDOMAIN');
  assert.equal(res.answers.length, 0);
});

test('SERVFAIL and REFUSED are answers with their rcode', async () => {
  assert.equal((await client().query('fail.example', 'A')).rcode, 'SERVFAIL');
  assert.equal((await client().query('refused.example', 'A')).rcode, 'REFUSED');
});

test('a truncated UDP answer is asked again over TCP', async () => {
  const c = client();
  const res = await c.query('trunc.example', 'A');
  assert.equal(res.transport, 'tcp');
  const big = await c.query('big.example', 'TXT');
  assert.equal(big.transport, 'tcp');
  assert.equal(big.answers.length, 60);
  assert.ok(server.queries.some((q) => q.name === 'big.example' && q.transport === 'tcp'));
});

test('a resolver that never answers times out after every attempt', async () => {
  const c = client(200);
  await assert.rejects(c.query('silent.example', 'A'), (err: unknown) => err instanceof DnsError && err.kind === 'timeout');
  assert.equal(c.log[0]!.attempts, 2);
  assert.match(c.log[0]!.error!, /^timeout/);
});

test('an answer with the wrong ID is ignored (so the query times out)', async () => {
  const c = client(200);
  await assert.rejects(c.query('spoofed.example', 'A'), (err: unknown) => err instanceof DnsError && err.kind === 'timeout');
});

test('a malformed answer is an error of its own kind', async () => {
  await assert.rejects(client().query('garbage.example', 'A'), (err: unknown) => err instanceof DnsError && err.kind === 'malformed');
});

test('Extended DNS Errors are read from the OPT record', async () => {
  const res = await client().query('ede.example', 'A');
  assert.equal(res.rcode, 'SERVFAIL');
  assert.deepEqual(res.ede, [{ code: 7, text: 'signature expired' }]);
});

test('one network query per (name, type), shared by concurrent callers', async () => {
  const c = client();
  const before = server.queries.filter((q) => q.name === 'ok.example' && q.type === 'TXT').length;
  const [a, b] = await Promise.all([c.query('OK.example.', 'TXT'), c.query('ok.example', 'TXT')]);
  await c.query('ok.example', 'TXT');
  assert.equal(a, b);
  assert.equal(server.queries.filter((q) => q.name === 'ok.example' && q.type === 'TXT').length - before, 1);
  assert.equal(c.log.length, 1);
});

test('a closed port gives "refused" quickly', async () => {
  const c = new DnsClient({ server: { host: '127.0.0.1', port: 9 }, timeoutMs: 2000, attempts: 2 });
  await assert.rejects(c.query('x.example', 'A'), (err: unknown) => err instanceof DnsError && err.kind === 'refused');
});

test('parseResolver accepts IPv4, IPv6 and ports, and refuses names', () => {
  assert.deepEqual(parseResolver('127.0.0.1'), { host: '127.0.0.1', port: 53 });
  assert.deepEqual(parseResolver('127.0.0.1:5300'), { host: '127.0.0.1', port: 5300 });
  assert.deepEqual(parseResolver('[::1]:5300'), { host: '::1', port: 5300 });
  assert.deepEqual(parseResolver('::1'), { host: '::1', port: 53 });
  assert.equal(parseResolver('dns.example:53'), null);
  assert.equal(parseResolver('127.0.0.1:99999'), null);
  assert.equal(parseResolver(''), null);
});

test('clients that share a cache ask once, and each logs what it needed', async () => {
  const { DnsCache } = await import('../../src/dns/client.js');
  const cache = new DnsCache(100);
  const mk = (): DnsClient => new DnsClient({ server: { host: server.host, port: server.port }, timeoutMs: 400, cache });
  const one = mk();
  const two = mk();
  const before = server.queries.filter((q) => q.name === 'ok.example' && q.type === 'MX').length;
  await one.query('ok.example', 'MX');
  await two.query('ok.example', 'MX');
  assert.equal(server.queries.filter((q) => q.name === 'ok.example' && q.type === 'MX').length - before, 1);
  assert.equal(one.log.length, 1);
  assert.equal(two.log.length, 1);
  assert.equal(two.log[0]!.rcode, 'NOERROR');
});

test('the shared cache is bounded: the oldest questions are forgotten', async () => {
  const { DnsCache } = await import('../../src/dns/client.js');
  const cache = new DnsCache(3);
  const c = new DnsClient({ server: { host: server.host, port: server.port }, timeoutMs: 400, cache });
  for (const t of ['A', 'AAAA', 'MX', 'TXT', 'SRV'] as const) await c.query('ok.example', t);
  assert.equal(cache.size, 3);
});

test('the shared cache: a question used again stays, an old answer is asked again', async () => {
  const { DnsCache } = await import('../../src/dns/client.js');
  let now = 0;
  const cache = new DnsCache(2, 1000, () => now);
  const c = new DnsClient({ server: { host: server.host, port: server.port }, timeoutMs: 400, cache });
  const asked = (t: string): number => server.queries.filter((q) => q.name === 'ok.example' && q.type === t).length;
  const a0 = asked('A');
  await c.query('ok.example', 'A');
  await c.query('ok.example', 'MX');
  await c.query('ok.example', 'A'); // used again: now the most recent
  await c.query('ok.example', 'TXT'); // pushes out MX, not A
  await c.query('ok.example', 'A');
  assert.equal(asked('A') - a0, 1, 'A asked once while it is fresh and in use');
  now = 1500;
  await c.query('ok.example', 'A');
  assert.equal(asked('A') - a0, 2, 'older than maxAgeMs: asked again');
});
