/**
 * The report's hosts come in one order, whatever order the answers arrive
 * in: the domain, then each service's targets as published. An IP literal
 * target is "answered" at once, and used to move ahead of the others when the
 * process was quick enough; a slow answer must not move a host either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Answer } from 'dns-packet';
import { DnsClient, netTransport, type DnsTransport } from '../../src/dns/client.js';
import { discover } from '../../src/discovery/discover.js';
import { startDnsServer } from '../../fixtures/lab/dns-server.js';

const d = 'order.example';
const srv = (name: string, target: string, port: number): Answer => ({ name, type: 'SRV', ttl: 300, data: { priority: 0, weight: 0, port, target } }) as Answer;
const a = (name: string): Answer => ({ name, type: 'A', ttl: 300, data: '127.0.0.1' }) as Answer;

test('hosts are listed as published, not as answered', async () => {
  const server = await startDnsServer({
    records: [
      srv(`_xmpp-client._tcp.${d}`, `slow.${d}`, 5222),
      srv(`_xmpp-client._tcp.${d}`, '127.0.0.1', 5223),
      srv(`_xmpps-client._tcp.${d}`, `fast.${d}`, 5224),
      srv(`_xmpp-server._tcp.${d}`, `s2s.${d}`, 5269),
      a(`slow.${d}`),
      a(`fast.${d}`),
      a(`s2s.${d}`),
      a(d),
    ],
  });
  try {
    // Every answer about slow.<d> waits 150 ms: it is asked first and answered last.
    const transport: DnsTransport = {
      udp: async (srvAddr, query, id, ms) => {
        const answer = await netTransport.udp(srvAddr, query, id, ms);
        if (query.includes(Buffer.from('slow'))) await new Promise((ok) => setTimeout(ok, 150));
        return answer;
      },
      tcp: netTransport.tcp,
    };
    const client = new DnsClient({ server: { host: server.host, port: server.port }, timeoutMs: 2000, attempts: 1, transport });
    const r = await discover(client, d, { services: ['c2s', 's2s'] });
    assert.deepEqual(Object.keys(r.hosts), [d, `slow.${d}`, '127.0.0.1', `fast.${d}`, `s2s.${d}`]);
    assert.equal(r.hosts['127.0.0.1']!.ipLiteral, true);
    assert.deepEqual(r.hosts[`slow.${d}`]!.a.addresses, ['127.0.0.1']);
  } finally {
    await server.close();
  }
});
