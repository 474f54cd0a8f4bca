/**
 * `npm run bench`: runs every benchmark against the offline lab and prints
 * their figures. Benchmarks are never run as tests. Pass names to run a subset.
 */
import { benchDiscovery } from './discovery.js';
import { benchStartup } from './startup.js';
import { benchScale } from './scale.js';
import { benchLatency, benchTargets } from './latency.js';
import { benchPeer } from './peer.js';
import { benchProfile } from './profile.js';

const all: Record<string, () => Promise<void>> = {
  discovery: () => benchDiscovery(50, 5),
  latency: () => benchLatency(50, 5),
  targets: () => benchTargets(100, 10, 3),
  startup: async () => benchStartup(21),
  scale: () => benchScale(1000, [1, 10, 100]),
  peer: () => benchPeer(7),
  profile: () => benchProfile(5),
};

const wanted = process.argv.slice(2);
for (const [name, fn] of Object.entries(all)) {
  if (wanted.length && !wanted.includes(name)) continue;
  await fn();
}
