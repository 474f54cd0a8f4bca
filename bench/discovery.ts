/**
 * Benchmark (not a test): full discovery of a lab domain with every DNS answer
 * delayed by D ms. Discovery needs two sequential rounds (all SRV + the
 * domain's A/AAAA at once; then the targets' A/AAAA), so the wall time should
 * be close to 2 × D, not (number of queries) × D. Prints the ratio.
 */
import { DnsClient } from '../src/dns/client.js';
import { parseInput } from '../src/cli/input.js';
import { runCheck } from '../src/pipeline.js';
import { startLab } from '../fixtures/lab/lab.js';

export async function benchDiscovery(delayMs = 50, runs = 5): Promise<void> {
  const lab = await startLab({ dnsDelayMs: delayMs, unsigned: true });
  try {
    const domain = 'good.lab.test';
    const times: number[] = [];
    let queries = 0;
    for (let i = 0; i < runs; i++) {
      const dns = new DnsClient({ server: { host: lab.dns.host, port: lab.dns.port }, timeoutMs: 2000, attempts: 2 });
      const t0 = performance.now();
      const report = await runCheck({
        input: parseInput(domain),
        resolver: { host: lab.dns.host, port: lab.dns.port },
        resolverSource: 'option',
        services: ['c2s', 's2s'],
        seed: 1,
        timeoutMs: 5000,
        ipFamilies: [4, 6],
        dns,
        // Discovery alone: no connections, no DNSSEC chain walk (the latency benchmark covers the full check).
        noProbes: true,
        dnssecMode: 'off',
      });
      times.push(performance.now() - t0);
      queries = report.dns.queries.length;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const rounds = 2;
    const lower = rounds * delayMs;
    console.log(`discovery: ${domain}, ${queries} DNS queries, ${delayMs} ms delay per answer, ${runs} runs`);
    console.log(`  median wall time     ${median.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[times.length - 1]!.toFixed(1)})`);
    console.log(`  lower bound          ${lower} ms = ${rounds} sequential rounds (SRV + domain A/AAAA; then target A/AAAA) × ${delayMs} ms`);
    console.log(`  if sequential        ${queries * delayMs} ms = ${queries} queries × ${delayMs} ms`);
    console.log(`  ratio to lower bound ${(median / lower).toFixed(2)}`);
  } finally {
    await lab.close();
  }
}
