/**
 * Our own DNS client on dns-packet, so the report sees what the system
 * resolver hides: rcodes, AD/TC flags, TTLs, RRSIGs, TLSA, Extended DNS Errors.
 *
 * UDP first, TCP when the answer is truncated; EDNS0 with the DO bit and AD in
 * the query (RFC 6840 §5.7); a deadline and a bounded number of attempts per
 * query; answers with the wrong ID or question are ignored (RFC 5452); one
 * network query per (name, type, CD) per client, shared by every caller.
 * Every query that went on the wire is kept in `log` for the report.
 */
import { optOptionsOf, ttlOf } from './records.js';
import dgram from 'node:dgram';
import net from 'node:net';
import { randomInt } from 'node:crypto';
import packet from 'dns-packet';
import type { Answer, OptAnswer, Packet, RecordType } from 'dns-packet';
import type { DnsFlags, DnsQueryLog } from '../core/types.js';
import { withDeadline } from '../core/deadline.js';
import { systemClock, type Clock } from '../core/clock.js';
import { rdataToString } from './present.js';
import { formatResolver, unicastProblem, type ResolverAddress } from './address.js';

export { formatResolver, parseResolver, unicastProblem, type ResolverAddress } from './address.js';

export type DnsErrorKind = 'timeout' | 'refused' | 'malformed' | 'network' | 'too-large' | 'invalid-name';

/** A query that got no usable answer. */
export class DnsError extends Error {
  constructor(
    readonly kind: DnsErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}

export interface DnsResponse {
  name: string;
  type: RecordType;
  rcode: string;
  flags: DnsFlags;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
  transport: 'udp' | 'tcp';
  ede: { code: number; text: string }[];
}

/** The seam through which the client reaches the network; tests may wrap it. */
export interface DnsTransport {
  udp(server: ResolverAddress, query: Buffer, id: number, timeoutMs: number): Promise<Buffer>;
  tcp(server: ResolverAddress, query: Buffer, timeoutMs: number): Promise<Buffer>;
}

export interface DnsClientOptions {
  server: ResolverAddress;
  /** Deadline of one attempt, in ms. */
  timeoutMs?: number;
  /** Attempts over UDP before giving up (TCP after truncation gets one). */
  attempts?: number;
  /** Set the CD bit (checking disabled) on every query. */
  checkingDisabled?: boolean;
  clock?: Clock;
  transport?: DnsTransport;
  /** Share answers with other clients (a batch of domains); each client keeps its own log. */
  cache?: DnsCache;
}

const MAX_TCP_MESSAGE = 65535;

/** The real network: one fresh socket (and source port) per attempt. */
export const netTransport: DnsTransport = {
  udp(server, query, id, timeoutMs) {
    const bad = unicastProblem(server.host);
    if (bad) return Promise.reject(new DnsError('network', `${server.host} is not a unicast address (${bad})`));
    let sock: dgram.Socket | null = null;
    const onTimeout = (): never => {
      throw new DnsError('timeout', `no answer within ${timeoutMs} ms`);
    };
    const closeQuietly = (): void => {
      try {
        sock?.close();
      } catch {
        /* already closed */
      }
    };
    return withDeadline<Buffer>({ ms: timeoutMs, onTimeout, cleanup: closeQuietly }, (s) => {
      const failed = (err: NodeJS.ErrnoException): void => {
        if (err.code === 'ECONNREFUSED') s.reject(new DnsError('refused', 'connection refused (nothing listens on that port)'));
        else s.reject(new DnsError('network', err.code ?? err.message));
      };
      // Any socket error (a connect() the kernel refuses, a send on a socket that never connected) is a failed query.
      const sk = dgram.createSocket(net.isIPv6(server.host.split('%')[0]!) ? 'udp6' : 'udp4');
      sock = sk;
      sk.on('error', failed);
      sk.on('message', (msg) => {
        // Anything that does not carry our ID is ignored: a spoofed or late answer.
        if (msg.length < 2 || msg.readUInt16BE(0) !== id) return;
        s.resolve(msg);
      });
      // The callback gets connect()'s error (EACCES for a broadcast address, EINVAL for an unscoped link-local one…).
      sk.connect(server.port, server.host, (err?: Error) => {
        if (err) return failed(err as NodeJS.ErrnoException);
        if (s.settled) return;
        try {
          sk.send(query, (e) => {
            if (e) failed(e as NodeJS.ErrnoException);
          });
        } catch (e) {
          failed(e as NodeJS.ErrnoException);
        }
      });
    });
  },
  tcp(server, query, timeoutMs) {
    const bad = unicastProblem(server.host);
    if (bad) return Promise.reject(new DnsError('network', `${server.host} is not a unicast address (${bad})`));
    let sock: net.Socket | null = null;
    const onTimeout = (): never => {
      throw new DnsError('timeout', `no answer over TCP within ${timeoutMs} ms`);
    };
    return withDeadline<Buffer>({ ms: timeoutMs, onTimeout, cleanup: () => sock?.destroy() }, (s) => {
      const sk = net.connect({ host: server.host, port: server.port });
      sock = sk;
      let buf = Buffer.alloc(0);
      sk.on('connect', () => {
        const len = Buffer.alloc(2);
        len.writeUInt16BE(query.length);
        sk.write(Buffer.concat([len, query]));
      });
      sk.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        if (buf.length > MAX_TCP_MESSAGE + 2) return s.reject(new DnsError('too-large', 'TCP answer exceeds 65535 bytes'));
        if (buf.length >= 2) {
          const need = buf.readUInt16BE(0);
          if (buf.length >= need + 2) s.resolve(buf.subarray(2, need + 2));
        }
      });
      sk.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') s.reject(new DnsError('refused', 'TCP connection refused'));
        else s.reject(new DnsError('network', err.code ?? err.message));
      });
      sk.on('close', () => s.reject(new DnsError('malformed', 'TCP connection closed before a whole answer arrived')));
    });
  },
};

const normName = (n: string): string => n.replace(/\.$/, '').toLowerCase();

/**
 * Why `name` cannot be asked at all, or null: on the wire a name is at most
 * 255 octets and each label 1 to 63 octets (RFC 1035 §2.3.4). Counted in the
 * octets the query would carry (UTF-8), so a label that only looks short is
 * caught too.
 */
export function dnsNameProblem(name: string): string | null {
  const n = name.replace(/\.$/, '');
  if (n === '') return null;
  let wire = 1;
  for (const label of n.split('.')) {
    const octets = Buffer.byteLength(label, 'utf8');
    if (octets === 0) return 'it has an empty label';
    if (octets > 63) return `its label "${label.slice(0, 20)}…" is ${octets} octets long (at most 63)`;
    wire += octets + 1;
  }
  return wire > 255 ? `it is ${wire} octets long on the wire (at most 255)` : null;
}

function flagsOf(p: Packet): DnsFlags {
  const f = p.flags ?? 0;
  return {
    aa: (f & packet.AUTHORITATIVE_ANSWER) !== 0,
    tc: (f & packet.TRUNCATED_RESPONSE) !== 0,
    rd: (f & packet.RECURSION_DESIRED) !== 0,
    ra: (f & packet.RECURSION_AVAILABLE) !== 0,
    ad: (f & packet.AUTHENTIC_DATA) !== 0,
    cd: (f & packet.CHECKING_DISABLED) !== 0,
  };
}

function edeOf(p: Packet): { code: number; text: string }[] {
  const out: { code: number; text: string }[] = [];
  for (const rr of p.additionals ?? []) {
    for (const opt of optOptionsOf(rr)) {
      if (opt.code === 15 && opt.data && opt.data.length >= 2) {
        out.push({ code: opt.data.readUInt16BE(0), text: opt.data.subarray(2).toString('utf8') });
      }
    }
  }
  return out;
}

function rcodeOf(p: Packet): string {
  return (p as { rcode?: string }).rcode ?? 'NOERROR';
}

/**
 * The answers of a run (or of a batch of runs), keyed by question, with their
 * log entries. Bounded: the least recently used questions are forgotten
 * first, so a batch of thousands of domains keeps flat memory, and an answer
 * older than maxAgeMs is asked again (a batch of hours sees today's zones;
 * every TTL we could honour would be at least as long as a single check).
 */
export class DnsCache {
  private readonly map = new Map<string, { answer: Promise<DnsResponse>; entry: DnsQueryLog; at: number }>();
  constructor(
    readonly maxEntries = 5000,
    readonly maxAgeMs = 300_000,
    private readonly now: () => number = () => performance.now(),
  ) {}
  get(key: string): { answer: Promise<DnsResponse>; entry: DnsQueryLog } | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    this.map.delete(key);
    if (this.now() - hit.at > this.maxAgeMs) return undefined;
    this.map.set(key, hit);
    return hit;
  }
  set(key: string, value: { answer: Promise<DnsResponse>; entry: DnsQueryLog }): void {
    this.map.delete(key);
    this.map.set(key, { ...value, at: this.now() });
    while (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}

export interface QueryOptions {
  /** Overrides the client's CD setting for this query. */
  cd?: boolean;
}

export class DnsClient {
  readonly server: ResolverAddress;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly log: DnsQueryLog[] = [];
  private readonly cd: boolean;
  private readonly clock: Clock;
  private readonly transport: DnsTransport;
  private readonly cache: DnsCache;
  private readonly logged = new Set<string>();
  private readonly origin: number;

  constructor(opts: DnsClientOptions) {
    this.server = opts.server;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.attempts = Math.max(1, opts.attempts ?? 2);
    this.cd = opts.checkingDisabled ?? false;
    this.clock = opts.clock ?? systemClock;
    this.transport = opts.transport ?? netTransport;
    this.origin = this.clock.mono();
    this.cache = opts.cache ?? new DnsCache();
  }

  /** Worst-case time one query can take, for callers that plan deadlines. */
  get worstCaseMs(): number {
    return this.timeoutMs * (this.attempts + 1);
  }

  /**
   * Asks one question; concurrent and later callers of the same question share
   * one network query. Resolves with any rcode (NXDOMAIN, SERVFAIL are answers);
   * rejects with DnsError only when no usable answer arrived.
   */
  query(name: string, type: RecordType, opts: QueryOptions = {}): Promise<DnsResponse> {
    // A name no query can carry is never sent (nor logged): the resolver is not to blame for it.
    const bad = dnsNameProblem(name);
    if (bad) return Promise.reject(new DnsError('invalid-name', `${name} cannot be looked up: ${bad}`));
    const cd = opts.cd ?? this.cd;
    const key = `${formatResolver(this.server)}|${normName(name)}|${type}|${cd ? 1 : 0}`;
    let hit = this.cache.get(key);
    if (!hit) {
      const entry = this.newEntry(normName(name), type);
      hit = { answer: this.run(entry, cd), entry };
      this.cache.set(key, hit);
    }
    // Each client's log lists every question it needed, once, even when another client asked it first.
    if (!this.logged.has(key)) {
      this.logged.add(key);
      this.log.push(hit.entry);
    }
    return hit.answer;
  }

  private newEntry(name: string, type: RecordType): DnsQueryLog {
    return {
      name,
      type,
      server: formatResolver(this.server),
      transport: 'udp',
      rcode: null,
      flags: null,
      answers: [],
      ede: [],
      error: null,
      attempts: 0,
      startMs: Math.round(this.clock.mono() - this.origin),
      timeMs: 0,
    };
  }

  private async run(entry: DnsQueryLog, cd: boolean): Promise<DnsResponse> {
    const start = this.clock.mono();
    const name = entry.name;
    const type = entry.type as RecordType;
    try {
      const res = await this.exchange(name, type, cd, entry);
      entry.transport = res.transport;
      entry.rcode = res.rcode;
      entry.flags = res.flags;
      entry.ede = res.ede;
      entry.answers = res.answers.map((rr) => ({
        name: normName(rr.name),
        type: rr.type,
        ttl: ttlOf(rr),
        data: rdataToString(rr),
      }));
      return res;
    } catch (err) {
      entry.error = err instanceof DnsError ? `${err.kind}: ${err.message}` : String(err);
      throw err instanceof DnsError ? err : new DnsError('network', String(err));
    } finally {
      entry.timeMs = Math.round(this.clock.mono() - start);
    }
  }

  private encode(id: number, name: string, type: RecordType, cd: boolean): Buffer {
    let flags = packet.RECURSION_DESIRED | packet.AUTHENTIC_DATA;
    if (cd) flags |= packet.CHECKING_DISABLED;
    // EDNS0 with the DO bit (RFC 4035 §3.2.1); dns-packet's encoder fills in what the type marks required.
    const opt = { type: 'OPT', name: '.', udpPayloadSize: 1232, flags: packet.DNSSEC_OK } as Partial<OptAnswer> as OptAnswer;
    return packet.encode({
      type: 'query',
      id,
      flags,
      questions: [{ name, type, class: 'IN' }],
      additionals: [opt],
    });
  }

  private decode(buf: Buffer, id: number, name: string, type: RecordType, transport: 'udp' | 'tcp'): DnsResponse | null {
    let p: Packet;
    try {
      p = packet.decode(buf);
    } catch {
      throw new DnsError('malformed', `the resolver sent an answer that is not a valid DNS message (${buf.length} bytes)`);
    }
    if (p.id !== id || p.type !== 'response') return null;
    const q = p.questions?.[0];
    if (!q || normName(q.name) !== name || q.type !== type) return null;
    return {
      name,
      type,
      rcode: rcodeOf(p),
      flags: flagsOf(p),
      answers: p.answers ?? [],
      authorities: p.authorities ?? [],
      additionals: (p.additionals ?? []).filter((rr) => rr.type !== 'OPT'),
      transport,
      ede: edeOf(p),
    };
  }

  private async exchange(name: string, type: RecordType, cd: boolean, entry: DnsQueryLog): Promise<DnsResponse> {
    // Made only when needed: an Error captures a stack trace, which cost more than a query's own work in a batch.
    let lastErr: DnsError | null = null;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      entry.attempts++;
      const id = randomInt(0, 0x10000);
      const q = this.encode(id, name, type, cd);
      let buf: Buffer;
      try {
        buf = await this.transport.udp(this.server, q, id, this.timeoutMs);
      } catch (err) {
        lastErr = err instanceof DnsError ? err : new DnsError('network', String(err));
        if (lastErr.kind === 'malformed') throw lastErr;
        continue;
      }
      const res = this.decode(buf, id, name, type, 'udp');
      if (!res) {
        lastErr = new DnsError('malformed', 'the answer did not match the question');
        continue;
      }
      if (!res.flags.tc) return res;
      // Truncated: ask again over TCP (RFC 7766).
      entry.attempts++;
      const tid = randomInt(0, 0x10000);
      const tbuf = await this.transport.tcp(this.server, this.encode(tid, name, type, cd), this.timeoutMs);
      const tres = this.decode(tbuf, tid, name, type, 'tcp');
      if (!tres) throw new DnsError('malformed', 'the TCP answer did not match the question');
      // Truncated over TCP too: what came is not the whole answer, so it is no answer.
      if (tres.flags.tc) throw new DnsError('malformed', 'the answer is truncated over TCP too');
      return tres;
    }
    throw lastErr ?? new DnsError('timeout', 'no answer');
  }
}
