/**
 * One connection probe: one candidate (target, port, mode) at one address.
 *
 * STARTTLS (`_xmpp-`): TCP, plaintext stream header and features, <starttls/>
 * and <proceed/>, TLS with SNI = the domain, the stream again and its
 * features. Direct TLS (`_xmpps-`): TCP, TLS at once with SNI and the XMPP
 * ALPN value, then the stream and its features; STARTTLS is never attempted
 * inside it. Every phase has a deadline, every byte goes through one byte cap,
 * and whatever goes wrong ends the probe with an outcome and a finding. Never
 * throws for network trouble.
 */
import { classifyTlsFailure, cut, headText } from './tls-failure.js';
import { alpnOf } from '../core/names.js';
import { withDeadline } from '../core/deadline.js';
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { makeFinding, type FindingDef } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import { systemClock, type Clock } from '../core/clock.js';
import { PROBE_FINDINGS as F } from './findings.js';
import { Inbox, type InboxEvent } from './inbox.js';
import {
  authenticationMethods,
  contentNamespace,
  isFeatures,
  isStreamError,
  isStreamRoot,
  parseFeatures,
  parseStreamError,
  STARTTLS_COMMAND,
  starttlsAnswer,
  STREAM_CLOSE,
  streamHeader,
  streamInfoOf,
  versionAtLeast1,
} from '../xmpp/stream.js';
import { Tap } from './tap.js';
import { startTls } from './tls.js';
import type { ProbeOutcome, ProbePhase, ProbeReport, ProbeTarget } from './types.js';
import type { StreamInfo } from '../xmpp/stream.js';
import type { XmlLimits } from '../xmpp/xml-stream.js';

/** The seam through which probes open TCP connections (to IP addresses only). */
export type ConnectFn = (opts: { host: string; port: number; family: 4 | 6 }) => net.Socket;

export interface ProbeOptions {
  /** The domain in A-labels: the reference identity, the SNI and the stream's `to`. */
  domain: string;
  /** Deadline of each phase, in ms. */
  timeoutMs: number;
  /** Probes running at once (runProbes). */
  concurrency: number;
  /** s2s only: the stream header's `from`; none is sent without it. */
  from?: string;
  /** Most bytes one probe reads, TLS included. Default 256 KiB. */
  maxBytes?: number;
  xmlLimits?: XmlLimits;
  connect?: ConnectFn;
  clock?: Clock;
}

export interface ProbeResult {
  report: ProbeReport;
  findings: Finding[];
}

export const DEFAULT_MAX_BYTES = 262_144;

const defaultConnect: ConnectFn = ({ host, port, family }) => net.connect({ host, port, family });

const OLD_TLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENETDOWN', 'EHOSTDOWN']);


/** Subject line of a probe's findings. */
export function probeSubject(t: ProbeTarget): string {
  return `${t.candidate.target}:${t.candidate.port} via ${t.address}`;
}

class Run {
  readonly findings: Finding[] = [];
  readonly report: ProbeReport;
  readonly clock: Clock;
  readonly t0: number;
  readonly subject: string;
  private readonly added = new Set<string>();
  tap: Tap | null = null;
  tlsSocket: TLSSocket | null = null;
  socket: net.Socket | null = null;

  constructor(
    readonly target: ProbeTarget,
    readonly opts: ProbeOptions,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.t0 = this.clock.mono();
    this.subject = probeSubject(target);
    const c = target.candidate;
    this.report = {
      id: `${c.id}@${target.address}`,
      candidateId: c.id,
      service: c.service,
      family: c.family,
      mode: c.mode,
      target: c.target,
      port: c.port,
      address: target.address,
      ipFamily: target.ipFamily,
      outcome: 'ok',
      detail: null,
      failedPhase: null,
      timings: { tcpMs: null, streamMs: null, starttlsMs: null, tlsMs: null, featuresMs: null, totalMs: 0 },
      bytesRead: 0,
      bytesWritten: 0,
      tls: null,
      plainStream: null,
      tlsStream: null,
      streamError: null,
    };
  }

  get timeout(): number {
    return this.opts.timeoutMs;
  }

  since(start: number): number {
    return Math.round(this.clock.mono() - start);
  }

  add(def: FindingDef, message?: string): void {
    const key = `${def.code}\u0000${message ?? ''}`;
    if (this.added.has(key)) return;
    this.added.add(key);
    this.findings.push(makeFinding(def, this.subject, message, { service: this.target.candidate.service }));
  }

  /** Ends the probe with a failure outcome and its finding. */
  fail(outcome: ProbeOutcome, phase: ProbePhase, def: FindingDef | null, detail: string): false {
    this.report.outcome = outcome;
    this.report.failedPhase = phase;
    this.report.detail = detail;
    if (def) this.add(def, `${def.title.replace(/\.$/, '')}: ${detail}`);
    return false;
  }

  cleanup(): void {
    this.report.timings.totalMs = this.since(this.t0);
    if (this.tap) {
      this.report.bytesRead = this.tap.bytesIn;
      this.report.bytesWritten = this.tap.bytesOut;
    }
    this.tlsSocket?.destroy();
    this.tap?.destroy();
    this.socket?.destroy();
  }
}

type TcpResult = { ok: true; socket: net.Socket } | { ok: false; outcome: ProbeOutcome; def: FindingDef; detail: string };

function connectTcp(run: Run): Promise<TcpResult> {
  const { address, candidate } = run.target;
  const connect = run.opts.connect ?? defaultConnect;
  let sock: net.Socket | undefined;
  const onTimeout = (): TcpResult => {
    sock?.destroy();
    return { ok: false, outcome: 'connect-timeout', def: F.PROBE_CONNECT_TIMEOUT, detail: `no answer within ${run.timeout} ms` };
  };
  return withDeadline<TcpResult>({ ms: run.timeout, onTimeout }, (s) => {
    try {
      sock = connect({ host: address, port: candidate.port, family: run.target.ipFamily });
    } catch (err) {
      s.resolve({ ok: false, outcome: 'network-error', def: F.PROBE_NETWORK_ERROR, detail: cut(err instanceof Error ? err.message : String(err)) });
      return;
    }
    const socket = sock;
    run.socket = socket;
    // Small writes (stream header, <starttls/>) must not wait for delayed ACKs (Nagle): that costs 40 ms a round.
    socket.setNoDelay(true);
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (code === 'ECONNREFUSED') s.resolve({ ok: false, outcome: 'refused', def: F.PROBE_REFUSED, detail: 'connection refused' });
      else if (UNREACHABLE.has(code)) s.resolve({ ok: false, outcome: 'unreachable', def: F.PROBE_UNREACHABLE, detail: `${code}` });
      else if (code === 'ETIMEDOUT') s.resolve({ ok: false, outcome: 'connect-timeout', def: F.PROBE_CONNECT_TIMEOUT, detail: 'ETIMEDOUT' });
      else s.resolve({ ok: false, outcome: 'network-error', def: F.PROBE_NETWORK_ERROR, detail: cut(code || err.message) });
    });
    if (!socket.connecting && socket.readyState === 'open') s.resolve({ ok: true, socket });
    else socket.once('connect', () => s.resolve({ ok: true, socket }));
  });
}

/** Ends the probe for an event that is not what the phase waited for. */
function failOnEvent(run: Run, ev: InboxEvent, phase: ProbePhase, inbox: Inbox, overTls: boolean): false {
  const tap = run.tap!;
  if (tap.capHit) return run.fail('byte-cap', phase, F.PROBE_BYTE_CAP, `stopped after ${tap.bytesIn} bytes`);
  switch (ev.type) {
    case 'sniff':
      if (ev.kind === 'http') return run.fail('http', phase, F.PROBE_HTTP, `it answered "${headText(ev.head)}"`);
      if (!overTls) {
        return run.fail('tls-on-starttls-port', phase, F.PROBE_TLS_ON_STARTTLS_PORT, `the stream header was answered with TLS record type 0x${ev.head[0]!.toString(16)}`);
      }
      return run.fail('garbage', phase, F.PROBE_GARBAGE, 'a TLS record inside the TLS stream');
    case 'xml-error':
      if (ev.error.kind === 'restricted') return run.fail('restricted-xml', phase, F.STREAM_RESTRICTED_XML, ev.error.message);
      if (ev.error.kind === 'limit') return run.fail('xml-limit', phase, F.STREAM_XML_LIMIT, ev.error.message);
      return run.fail('garbage', phase, F.PROBE_GARBAGE, cut(ev.error.message));
    case 'close':
      return run.fail('closed', phase, F.PROBE_CLOSED, 'the server closed the XMPP stream');
    case 'eof': {
      const code = (ev.error as NodeJS.ErrnoException | null)?.code;
      if (ev.error && code !== 'ERR_STREAM_PREMATURE_CLOSE') {
        return run.fail('network-error', phase, F.PROBE_NETWORK_ERROR, cut(code ?? ev.error.message));
      }
      return run.fail('closed', phase, F.PROBE_CLOSED, inbox.bytes ? `after ${inbox.bytes} bytes` : 'without sending anything');
    }
    case 'timeout':
      if (inbox.bytes === 0) return run.fail('silent', phase, F.PROBE_SILENT, `nothing within ${run.timeout} ms`);
      return run.fail('stalled', phase, F.PROBE_STALLED, `nothing more after ${inbox.bytes} bytes within ${run.timeout} ms`);
    default:
      return run.fail('garbage', phase, F.PROBE_GARBAGE, `unexpected ${ev.type}`);
  }
}

/** Ends the probe with the stream error `el` carries. */
function streamErrorFail(run: Run, el: Parameters<typeof parseStreamError>[0], phase: ProbePhase): false {
  const se = parseStreamError(el);
  run.report.streamError = se;
  const text = se.text ? ` ("${cut(se.text, 100)}")` : '';
  if (se.condition === 'host-unknown') {
    return run.fail('stream-error', phase, F.STREAM_HOST_UNKNOWN, `host-unknown${text}: this server does not serve ${run.opts.domain}`);
  }
  return run.fail('stream-error', phase, F.STREAM_ERROR, `${cut(se.condition, 60)}${text}`);
}

/** Checks a stream header's attributes; adds findings that do not end the probe. */
function checkHeader(run: Run, info: StreamInfo): void {
  const domain = run.opts.domain.toLowerCase().replace(/\.$/, '');
  if (info.from === null) run.add(F.STREAM_FROM_MISSING);
  else if (info.from.toLowerCase().replace(/\.$/, '') !== domain) {
    run.add(F.STREAM_FROM_MISMATCH, `The stream header says from='${cut(info.from, 80)}', not ${domain}`);
  }
  const want = contentNamespace(run.target.candidate.service);
  if (info.contentNs !== want) {
    run.add(F.STREAM_NAMESPACE_MISMATCH, `Asked for ${want}, the server answered ${info.contentNs === null ? 'no namespace' : cut(info.contentNs, 60)}`);
  }
}

/** Sends our stream header over `out` and reads the server's header and features within one deadline. */
async function streamStart(run: Run, out: NodeJS.WritableStream, inbox: Inbox, phase: ProbePhase, overTls: boolean): Promise<StreamInfo | null> {
  const deadline = run.clock.mono() + run.timeout;
  const c = run.target.candidate;
  out.write(streamHeader({ to: run.opts.domain, service: c.service, from: c.service === 's2s' ? run.opts.from : undefined }));
  let info: StreamInfo | null = null;
  for (;;) {
    const ev = await inbox.next(deadline - run.clock.mono());
    if (ev.type === 'open') {
      if (!isStreamRoot(ev.root)) {
        run.fail('not-xmpp', phase, F.STREAM_NOT_XMPP, `root element <${cut(ev.root.name, 40)}> in namespace '${cut(ev.root.ns, 60)}'`);
        return null;
      }
      info = streamInfoOf(ev.root);
      if (overTls) run.report.tlsStream = info;
      else run.report.plainStream = info;
      checkHeader(run, info);
      if (!versionAtLeast1(info.version)) {
        run.fail('no-version', phase, F.STREAM_NO_VERSION, info.version === null ? 'no version attribute' : `version='${cut(info.version, 20)}'`);
        return null;
      }
      continue;
    }
    if (ev.type === 'element' && info) {
      if (isStreamError(ev.el)) return (streamErrorFail(run, ev.el, phase), null);
      if (isFeatures(ev.el)) {
        info.features = parseFeatures(ev.el);
        return info;
      }
      continue; // anything else before the features is ignored
    }
    failOnEvent(run, ev, phase, inbox, overTls);
    return null;
  }
}

/** TLS over the tap; on failure, says what answered the ClientHello. */
async function handshake(run: Run): Promise<boolean> {
  const tap = run.tap!;
  const c = run.target.candidate;
  const alpn = c.mode === 'directtls' ? [alpnOf(c.service)] : [];
  const before = tap.bytesIn;
  tap.resetHead();
  const start = run.clock.mono();
  const r = await startTls({ socket: tap, servername: run.opts.domain, alpn, timeoutMs: run.timeout });
  run.report.timings.tlsMs = run.since(start);
  if (r.ok) {
    run.tlsSocket = r.socket;
    r.socket.on('error', () => {});
    run.report.tls = r.info;
    if (r.info.version && OLD_TLS.has(r.info.version)) run.add(F.TLS_VERSION_OLD, `The server negotiated ${r.info.version}`);
    if (c.mode === 'directtls') {
      if (r.info.alpn === null) run.add(F.TLS_ALPN_NONE);
      else if (r.info.alpn !== alpn[0]) {
        return run.fail('wrong-alpn', 'tls', F.TLS_ALPN_WRONG, `offered ${alpn[0]}, the server chose '${cut(r.info.alpn, 40)}'`);
      }
    }
    return true;
  }
  const why = classifyTlsFailure(r, { mode: c.mode, alpn, head: tap.head, capHit: tap.capHit, bytesIn: tap.bytesIn, bytesSinceHello: tap.bytesIn - before, timeoutMs: run.timeout });
  return run.fail(why.outcome, 'tls', why.def, why.detail);
}

/** STARTTLS: plaintext stream, <starttls/>, <proceed/>. True to go on with TLS. */
async function starttls(run: Run): Promise<boolean> {
  const tap = run.tap!;
  const inbox = new Inbox(tap, run.opts.xmlLimits ?? {});
  let start = run.clock.mono();
  const info = await streamStart(run, tap, inbox, 'stream', false);
  run.report.timings.streamMs = run.since(start);
  if (!info?.features) {
    inbox.detach();
    return false;
  }
  const f = info.features;
  if (!f.starttls.offered) {
    tap.write(STREAM_CLOSE);
    inbox.detach();
    return run.fail('no-starttls', 'stream', F.STREAM_STARTTLS_MISSING, `features offered: ${f.all.map((x) => x.name).join(', ') || 'none'}`);
  }
  if (!f.starttls.required) run.add(F.STREAM_STARTTLS_OPTIONAL);
  start = run.clock.mono();
  const deadline = start + run.timeout;
  tap.write(STARTTLS_COMMAND);
  for (;;) {
    const ev = await inbox.next(deadline - run.clock.mono());
    if (ev.type === 'element') {
      if (isStreamError(ev.el)) {
        inbox.detach();
        return streamErrorFail(run, ev.el, 'starttls');
      }
      const a = starttlsAnswer(ev.el);
      run.report.timings.starttlsMs = run.since(start);
      inbox.detach();
      if (a === 'proceed') return true;
      return run.fail('starttls-failed', 'starttls', F.STREAM_STARTTLS_FAILURE, a === 'failure' ? 'the server answered <failure/>' : `the server answered <${cut(ev.el.name, 40)}>`);
    }
    run.report.timings.starttlsMs = run.since(start);
    inbox.detach();
    return failOnEvent(run, ev, 'starttls', inbox, false);
  }
}

async function probe(run: Run): Promise<void> {
  const c = run.target.candidate;
  if (!net.isIP(run.target.address)) {
    run.fail('bad-address', 'tcp', F.PROBE_BAD_ADDRESS, `'${cut(run.target.address, 60)}'`);
    return;
  }
  const start = run.clock.mono();
  const tcp = await connectTcp(run);
  run.report.timings.tcpMs = run.since(start);
  if (!tcp.ok) {
    run.fail(tcp.outcome, 'tcp', tcp.def, tcp.detail);
    return;
  }
  const maxBytes = run.opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const tap = new Tap(tcp.socket, maxBytes);
  tap.on('error', () => {});
  run.tap = tap;

  if (c.mode === 'starttls' && !(await starttls(run))) return;
  if (!(await handshake(run))) return;

  const sock = run.tlsSocket!;
  const inbox = new Inbox(sock, run.opts.xmlLimits ?? {});
  const fstart = run.clock.mono();
  const info = await streamStart(run, sock, inbox, 'features', true);
  run.report.timings.featuresMs = run.since(fstart);
  inbox.detach();
  if (!info) return;
  sock.write(STREAM_CLOSE);
  const f = info.features!;
  if (c.mode === 'directtls' && f.starttls.offered) {
    // XEP-0368 §3 rule 5: clients never STARTTLS inside direct TLS, so a server that asks for it is unusable here.
    run.fail('starttls-in-direct-tls', 'features', F.STREAM_STARTTLS_IN_DIRECT_TLS, `the features over TLS ${f.starttls.required ? 'require' : 'offer'} <starttls/>`);
    return;
  }
  if (!authenticationMethods(c.service, info, f).length) {
    const offered = `features offered after TLS: ${f.all.map((x) => cut(x.name, 30)).join(', ') || 'none'}`;
    run.fail('no-authentication', 'features', c.service === 'c2s' ? F.STREAM_NO_AUTH_C2S : F.STREAM_NO_AUTH_S2S, offered);
    return;
  }
  run.report.outcome = 'ok';
}

/** Probes one address of one candidate. Never throws for network trouble. */
export async function probeOne(target: ProbeTarget, opts: ProbeOptions): Promise<ProbeResult> {
  const run = new Run(target, opts);
  try {
    await probe(run);
  } catch (err) {
    // A bug must not take the other probes down with it; say so in the report.
    run.fail('network-error', run.report.failedPhase ?? 'tcp', F.PROBE_NETWORK_ERROR, `internal error: ${cut(err instanceof Error ? err.message : String(err))}`);
  } finally {
    run.cleanup();
  }
  return { report: run.report, findings: run.findings };
}
