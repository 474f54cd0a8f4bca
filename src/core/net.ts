/**
 * Address and name classification: loopback, private, link-local and other
 * non-global ranges (RFC 6890), and special-use domain names (RFC 6761) where
 * such addresses are expected.
 */
import net from 'node:net';

export type AddressClass = 'global' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'documentation' | 'multicast' | 'reserved';

const ranges: [AddressClass, string, number, 'ipv4' | 'ipv6'][] = [
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['loopback', '::1', 128, 'ipv6'],
  ['unspecified', '0.0.0.0', 8, 'ipv4'],
  ['unspecified', '::', 128, 'ipv6'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'],
  ['private', 'fc00::', 7, 'ipv6'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['documentation', '192.0.2.0', 24, 'ipv4'],
  ['documentation', '198.51.100.0', 24, 'ipv4'],
  ['documentation', '203.0.113.0', 24, 'ipv4'],
  ['documentation', '2001:db8::', 32, 'ipv6'],
  ['multicast', '224.0.0.0', 4, 'ipv4'],
  ['multicast', 'ff00::', 8, 'ipv6'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
];

const lists = new Map<AddressClass, net.BlockList>();
for (const [cls, addr, prefix, type] of ranges) {
  if (!lists.has(cls)) lists.set(cls, new net.BlockList());
  lists.get(cls)!.addSubnet(addr, prefix, type);
}

/**
 * 4, 6 or 0, as net.isIP says, but without trying the IPv6 pattern on what has
 * no colon: its first use compiles a large regular expression (3-4 ms), which a
 * check of names and IPv4 addresses never needs.
 */
export function ipVersion(s: string): 0 | 4 | 6 {
  if (s.includes(':')) return net.isIPv6(s) ? 6 : 0;
  return net.isIPv4(s) ? 4 : 0;
}

export function classifyAddress(address: string): AddressClass {
  const v = ipVersion(address);
  if (!v) return 'reserved';
  let a = address;
  let type: 'ipv4' | 'ipv6' = v === 4 ? 'ipv4' : 'ipv6';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) {
    a = mapped[1]!;
    type = 'ipv4';
  }
  for (const [cls, list] of lists) if (list.check(a, type)) return cls;
  return 'global';
}

const SPECIAL_TLDS = new Set(['test', 'localhost', 'invalid', 'example', 'local', 'onion', 'internal', 'alt', 'lan', 'home', 'corp']);
const SPECIAL_SUFFIXES = ['home.arpa', 'example.com', 'example.net', 'example.org'];

/** True for names under special-use or private-use suffixes, where non-global addresses are expected. */
export function isSpecialUseName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const tld = n.split('.').pop()!;
  if (SPECIAL_TLDS.has(tld)) return true;
  return SPECIAL_SUFFIXES.some((s) => n === s || n.endsWith(`.${s}`));
}
