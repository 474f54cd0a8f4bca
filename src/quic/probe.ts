/**
 * probeQuic: one XMPP-over-QUIC handshake probe (XEP-0467) to one address,
 * over a UDP socket from the seam. Sends the ClientHello Initial (again, at
 * most twice, while nothing answers), follows one Retry, ACKs what arrives
 * so the server may send its whole flight, and stops at the server's
 * Finished, a close, Version Negotiation, a fatal error, the datagram/byte
 * cap or the deadline. Never throws for network trouble or bad packets.
 */
import { withDeadline, type Settler } from '../core/deadline.js';
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import { makeFinding, type FindingDef } from '../core/finding.js';
import { escapeTerminal } from '../core/escape.js';
import type { Finding } from '../core/finding.js';
import { systemClock } from '../core/clock.js';
import { quicAvailable } from './available.js';
import { ClientConnection } from './client.js';
import { QUIC_FINDINGS as F } from './findings.js';
import { errorName, tlsAlertOf } from './frames.js';
import { versionName } from './packet.js';
import type { QuicCloseError, QuicOutcome, QuicProbeOptions, QuicProbeResult, QuicTarget, UdpSocketFactory, UdpSocketLike } from './types.js';

export const QUIC_ALPN = { c2s: 'xmpp-client', s2s: 'xmpp-server' } as const;
export const DEFAULT_MAX_DATAGRAMS = 64;
export const DEFAULT_MAX_BYTES = 262_144;
/** ACK datagrams we send at most (they let the server past its amplification limit). */
const MAX_ACKS = 8;
const MAX_RETRANSMITS = 2;
const TLS_ALERT_NO_APPLICATION_PROTOCOL = 120;

export const defaultUdpSocketFactory: UdpSocketFactory = (family) => dgram.createSocket(family === 6 ? 'udp6' : 'udp4');

const cut = (s: string, n = 120): string => escapeTerminal(s, n);

export function quicSubject(t: QuicTarget): string {
  return cut(`QUIC ${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port} (${t.source})`, 200);
}

interface Wire {
  datagramsSent: number;
  datagramsReceived: number;
  bytesReceived: number;
  flood: boolean;
  sendError: string | null;
  crash: string | null;
  handshakeMs?: number;
}

export async function probeQuic(target: QuicTarget, opts: QuicProbeOptions): Promise<QuicProbeResult> {
  const clock = opts.clock ?? systemClock;
  const t0 = clock.mono();
  const alpnOffered = opts.alpn ?? QUIC_ALPN[target.service];
  const subject = quicSubject(target);
  const findings: Finding[] = [];
  const add = (def: FindingDef, message?: string): void => {
    findings.push(makeFinding(def, subject, message, { service: target.service }));
  };
  const base = (): QuicProbeResult => ({
    target,
    outcome: 'error',
    alpnOffered,
    alpn: null,
    chainDer: [],
    ech: false,
    retry: false,
    reached: 'nothing',
    certificateVerify: null,
    finished: null,
    timings: { totalMs: Math.round(clock.mono() - t0) },
    datagramsSent: 0,
    datagramsReceived: 0,
    bytesReceived: 0,
    findings,
  });

  const avail = quicAvailable();
  if (!avail.available) {
    add(F.QUIC_NOT_AVAILABLE, `QUIC not probed: ${avail.reason}`);
    return { ...base(), error: avail.reason };
  }
  const family = isIP(target.host);
  if (family === 0) {
    const r = base();
    r.error = `not an IP address: ${cut(target.host)}`;
    add(F.QUIC_PROTOCOL_ERROR, `QUIC not probed: ${r.error}`);
    return r;
  }

  const conn = new ClientConnection({ domain: target.domain, alpn: alpnOffered });
  const wire: Wire = { datagramsSent: 0, datagramsReceived: 0, bytesReceived: 0, flood: false, sendError: null, crash: null };
  await exchange(conn, target, family as 4 | 6, opts, wire, () => Math.round(clock.mono() - t0));

  const r = base();
  r.timings = { totalMs: Math.round(clock.mono() - t0), ...(wire.handshakeMs !== undefined ? { handshakeMs: wire.handshakeMs } : {}) };
  r.datagramsSent = wire.datagramsSent;
  r.datagramsReceived = wire.datagramsReceived;
  r.bytesReceived = wire.bytesReceived;
  r.retry = conn.retry !== null || conn.retryInvalid !== null;
  if (conn.retryInvalid && conn.answered) add(F.QUIC_RETRY_INVALID, `A Retry was discarded: ${cut(conn.retryInvalid)}`);
  r.chainDer = conn.chain ?? [];
  r.ech = conn.encryptedExtensions?.ech ?? false;
  r.alpn = conn.encryptedExtensions?.alpn ?? null;
  r.certificateVerify = conn.certificateVerify;
  r.finished = conn.finished;
  if (conn.suite) {
    r.tlsVersion = 'TLSv1.3';
    r.cipher = conn.suite.name;
  }
  r.reached = conn.finished !== null ? 'server-finished' : conn.chain ? 'handshake-reached-certificate' : conn.encryptedExtensions ? 'encrypted-extensions' : conn.suite ? 'server-hello' : 'nothing';
  const fail = (outcome: QuicOutcome, def: FindingDef, detail: string): void => {
    r.outcome = outcome;
    r.error = detail;
    add(def, `${def.title.replace(/[.:]$/, '')}: ${detail}`);
  };

  if (conn.retry) add(F.QUIC_RETRY, opts.followRetry === false ? 'The server sent a Retry; not followed (followRetry is off)' : 'The server sent a Retry; the probe answered with its token');
  if (wire.flood) add(F.QUIC_FLOOD, `Stopped after ${wire.datagramsReceived} datagrams and ${wire.bytesReceived} bytes`);
  if (r.ech) add(F.QUIC_ECH_OFFERED);

  if (wire.crash) fail('error', F.QUIC_PROTOCOL_ERROR, `internal error while reading the answer: ${cut(wire.crash)}`);
  else if (conn.versions) {
    r.versions = conn.versions;
    fail('version-negotiation', F.QUIC_VERSION_NO_V1, `it offers ${conn.versions.map(versionName).join(', ')}`);
  } else if (conn.close) {
    const c = conn.close;
    const alert = tlsAlertOf(c.code);
    const ce: QuicCloseError = {
      code: c.code,
      reason: cut(c.reason.toString('utf8')),
      name: errorName(c.code, c.application),
      application: c.application,
      level: c.level,
    };
    if (c.frameType !== null) ce.frameType = c.frameType;
    if (alert !== null && !c.application) ce.tlsAlert = alert;
    r.closeError = ce;
    const why = `${ce.name}${ce.reason ? `, reason "${ce.reason}"` : ''}`;
    if (ce.tlsAlert === TLS_ALERT_NO_APPLICATION_PROTOCOL) fail('wrong-alpn', F.QUIC_ALPN_REFUSED, `we offered ${alpnOffered}; it answered ${why}`);
    else fail('connection-closed', F.QUIC_CONNECTION_CLOSED, `${why} (in a${c.level === 'initial' ? 'n Initial' : ' Handshake'} packet)`);
  } else if (conn.retry && opts.followRetry === false) {
    r.outcome = 'retry';
    r.error = 'Retry not followed';
  } else if (conn.fatal) {
    const hrr = conn.serverHello?.helloRetryRequest;
    const notTls13 = conn.serverHello && !hrr && conn.serverHello.version !== 0x0304;
    fail('error', hrr ? F.QUIC_HELLO_RETRY : notTls13 ? F.QUIC_TLS_VERSION : F.QUIC_PROTOCOL_ERROR, cut(conn.fatal));
  } else if (conn.chain) {
    if (conn.certificateVerify === false || conn.finished === false) {
      const what = conn.certificateVerify === false ? `CertificateVerify does not verify${conn.certificateVerifyNote ? ` (${cut(conn.certificateVerifyNote)})` : ''}` : 'the Finished MAC is wrong';
      fail('error', F.QUIC_HANDSHAKE_SIGNATURE, what);
    } else if (r.alpn === null) fail('no-alpn', F.QUIC_NO_ALPN, `we offered ${alpnOffered}; EncryptedExtensions has no ALPN`);
    else if (r.alpn !== alpnOffered) fail('wrong-alpn', F.QUIC_WRONG_ALPN, `we offered ${alpnOffered}; it chose "${cut(r.alpn, 60)}"`);
    else {
      r.outcome = 'handshake';
      add(F.QUIC_HANDSHAKE_OK, `QUIC handshake reached the certificate: ${r.cipher}, ALPN ${r.alpn}, ${r.chainDer.length} certificate(s)`);
    }
  } else if (conn.answered) fail('error', F.QUIC_HANDSHAKE_INCOMPLETE, `reached ${r.reached} within ${opts.timeoutMs} ms`);
  else if (conn.bogusVersions) {
    r.versions = conn.bogusVersions;
    fail('version-negotiation', F.QUIC_VERSION_NEGOTIATION_BOGUS, `it lists ${conn.bogusVersions.map(versionName).join(', ')}`);
  } else if (conn.retryInvalid) fail('retry', F.QUIC_RETRY_INVALID, conn.retryInvalid);
  else if (wire.datagramsReceived > 0) {
    fail('error', F.QUIC_PROTOCOL_ERROR, `${wire.datagramsReceived} datagram(s), none a QUIC v1 packet we could open${conn.errors[0] ? ` (${cut(conn.errors[0])})` : ''}`);
  } else {
    r.outcome = 'no-answer';
    r.error = wire.sendError ? `sending failed: ${cut(wire.sendError)}` : `nothing within ${opts.timeoutMs} ms`;
    add(F.QUIC_NO_ANSWER, `No QUIC answer: ${r.error}`);
  }
  return r;
}

/** The datagram exchange, until the handshake got far enough, the deadline, or an error; settles with whether it closed politely. */
function exchange(conn: ClientConnection, target: QuicTarget, family: 4 | 6, opts: QuicProbeOptions, wire: Wire, elapsed: () => number): Promise<boolean> {
  const maxDatagrams = opts.maxDatagrams ?? DEFAULT_MAX_DATAGRAMS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const factory = opts.socketFactory ?? defaultUdpSocketFactory;
  let closed = false;
  let sock: UdpSocketLike | undefined;
  const closeSocket = (): void => {
    if (closed) return;
    closed = true;
    try {
      sock?.close();
    } catch {
      /* already closed */
    }
  };
  const send = (d: Buffer | null, after?: () => void): void => {
    if (!d || closed || !sock) return after?.();
    wire.datagramsSent++;
    try {
      sock.send(d, target.port, target.host, (err) => {
        if (err && !settler.settled) {
          wire.sendError = (err as NodeJS.ErrnoException).code ?? err.message;
          finish(false);
        }
        after?.();
      });
    } catch (err) {
      wire.sendError = err instanceof Error ? err.message : String(err);
      after?.();
      if (!settler.settled) finish(false);
    }
  };
  let retransmitTimer: NodeJS.Timeout | undefined;
  // Settles with whether to close politely (a CONNECTION_CLOSE first) or just drop the socket.
  const cleanup = (o: { ok: true; value: boolean } | { ok: false; error: unknown }): void => {
    clearInterval(retransmitTimer);
    if (o.ok && o.value && opts.polite !== false && !conn.close && !conn.versions) {
      const bye = conn.closeDatagram();
      if (bye) {
        const safety = setTimeout(closeSocket, 100);
        send(bye, () => {
          clearTimeout(safety);
          closeSocket();
        });
        return;
      }
    }
    closeSocket();
  };
  let settler: Settler<boolean> = { resolve() {}, reject() {}, settled: false };
  const finish = (polite: boolean): void => settler.resolve(polite);
  return withDeadline<boolean>({ ms: opts.timeoutMs, onTimeout: () => true, cleanup }, (s) => {
    settler = s;
    let acks = 0;
    let retransmits = 0;
    const interval = Math.max(100, Math.floor(opts.timeoutMs / 4));
    retransmitTimer = setInterval(() => {
      if (s.settled || conn.answered || conn.retry || retransmits >= MAX_RETRANSMITS) return;
      retransmits++;
      send(conn.initialDatagram());
    }, interval);
    let socket: UdpSocketLike;
    try {
      socket = factory(family);
    } catch (err) {
      wire.sendError = err instanceof Error ? err.message : String(err);
      closed = true;
      finish(false);
      return;
    }
    sock = socket;
    socket.on('error', (err) => {
      wire.sendError = (err as NodeJS.ErrnoException).code ?? err.message;
      finish(false);
    });
    socket.on('message', (msg, rinfo) => {
      if (s.settled) return;
      if (rinfo.port !== target.port || !sameAddress(rinfo.address, target.host)) return;
      wire.datagramsReceived++;
      wire.bytesReceived += msg.length;
      if (wire.datagramsReceived > maxDatagrams || wire.bytesReceived > maxBytes) {
        wire.flood = true;
        wire.datagramsReceived--;
        wire.bytesReceived -= msg.length;
        return finish(true);
      }
      const hadChain = conn.reachedCertificate;
      try {
        conn.handleDatagram(msg);
      } catch (err) {
        wire.crash = err instanceof Error ? err.message : String(err);
        return finish(false);
      }
      if (!hadChain && conn.reachedCertificate) wire.handshakeMs = elapsed();
      if (conn.resendNeeded) {
        conn.resendNeeded = false;
        if (opts.followRetry === false) return finish(false);
        send(conn.initialDatagram());
        return;
      }
      if (conn.finishedWaiting) return finish(true);
      if (acks < MAX_ACKS && !conn.reachedCertificate) {
        const ack = conn.ackDatagram();
        if (ack) {
          acks++;
          send(ack);
        }
      }
    });
    send(conn.initialDatagram());
  });
}

function sameAddress(a: string, b: string): boolean {
  const norm = (s: string): string => s.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  return norm(a) === norm(b);
}

