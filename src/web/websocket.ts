/**
 * XMPP over WebSocket (RFC 7395) against one wss:// endpoint: the upgrade with
 * the `xmpp` subprotocol (RFC 6455 §4), our <open/>, the server's <open/> and
 * <stream:features/>, then a polite <close/> and a close frame. Each message is
 * parsed as its own XML document, namespace-aware and restricted. Everything
 * runs under one deadline; messages are capped.
 */
import type { Duplex } from 'node:stream';
import { parseFeatures, parseStreamError, NS_STREAMS } from '../xmpp/stream.js';
import { escapeTerminal } from '../core/escape.js';
import { emptyResult, failedRequest, remaining, timingsFrom } from './endpoint-common.js';
import { webRequest, type WebRequestOptions } from '../http/request.js';
import type { EndpointResult, WebSocketDetails } from './types.js';
import { acceptFor, closePayload, encodeFrame, FrameReader, newKey, OP, type WsEvent } from './ws-frame.js';
import { attrNs, parseXmlDocument } from './xml.js';

export const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const MAX_MESSAGE = 65_536;
const POLITE_CLOSE_MS = 500;

function escAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

export const openElement = (domain: string): string => `<open xmlns="${NS_FRAMING}" to="${escAttr(domain)}" version="1.0"/>`;
export const closeElement = `<close xmlns="${NS_FRAMING}"/>`;

/** Connects to one WebSocket endpoint and reads the stream's opening. Never throws. */
export async function checkWebSocket(url: string, domain: string, opts: WebRequestOptions): Promise<EndpointResult> {
  const started = performance.now();
  const deadline = started + opts.timeoutMs;
  const key = newKey();
  let up;
  try {
    up = await webRequest(
      url,
      {
        method: 'GET',
        upgrade: true,
        headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key, 'sec-websocket-protocol': 'xmpp' },
      },
      { ...opts, maxBytes: 16_384 },
    );
  } catch (err) {
    return failedRequest(err, started);
  }
  const r = emptyResult('ok');
  r.address = up.address;
  r.httpStatus = up.status;
  r.tls = up.tls;
  r.timings = timingsFrom(up.times, 0);
  const ws: WebSocketDetails = { subprotocol: null, open: null, seeOtherUri: null, closedPolitely: false };
  r.websocket = ws;
  const total = (): number => Math.round(performance.now() - started);
  if (up.kind === 'response') {
    r.outcome = 'http-error';
    r.detail = `HTTP ${up.status} instead of 101 Switching Protocols`;
    r.timings.totalMs = total();
    return r;
  }
  ws.subprotocol = up.headers['sec-websocket-protocol'] ?? null;
  const accept = up.headers['sec-websocket-accept'];
  if (accept !== acceptFor(key) || (up.headers['upgrade'] ?? '').toLowerCase() !== 'websocket') {
    up.socket.destroy();
    r.outcome = 'handshake-invalid';
    r.detail = accept === undefined ? 'no Sec-WebSocket-Accept header' : `Sec-WebSocket-Accept is ${escapeTerminal(accept, 60)}, expected ${acceptFor(key)}`;
    r.timings.totalMs = total();
    return r;
  }
  if (ws.subprotocol?.trim().toLowerCase() !== 'xmpp') {
    // RFC 6455 §4.1: the client must fail the connection.
    up.socket.end(encodeFrame(OP.close, closePayload(1002), true));
    up.socket.destroy();
    r.outcome = 'no-subprotocol';
    r.detail = ws.subprotocol === null ? 'no Sec-WebSocket-Protocol in the answer' : `the server chose subprotocol "${escapeTerminal(ws.subprotocol, 60)}"`;
    r.timings.totalMs = total();
    return r;
  }
  await converse(up.socket, up.head, domain, deadline, started, r, ws);
  r.timings.totalMs = total();
  return r;
}

/** The XMPP part: open, features, close. Fills `r`. */
function converse(socket: Duplex, head: Buffer, domain: string, deadline: number, started: number, r: EndpointResult, ws: WebSocketDetails): Promise<void> {
  return new Promise((resolve) => {
    const reader = new FrameReader(false, MAX_MESSAGE);
    let phase: 'open' | 'features' | 'closing' | 'done' = 'open';
    let sentCloseFrame = false;
    let timer: NodeJS.Timeout | null = null;
    const since = (): number => Math.round(performance.now() - started);
    const send = (text: string): void => {
      if (!socket.destroyed) socket.write(encodeFrame(OP.text, Buffer.from(text, 'utf8'), true));
    };
    const closeFrame = (code: number): void => {
      if (sentCloseFrame || socket.destroyed) return;
      sentCloseFrame = true;
      socket.write(encodeFrame(OP.close, closePayload(code), true));
    };
    const finish = (): void => {
      if (phase === 'done') return;
      phase = 'done';
      if (timer) clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const failWith = (outcome: EndpointResult['outcome'], detail: string): void => {
      r.outcome = outcome;
      r.detail = detail;
      closeFrame(1000);
      finish();
    };
    const startClosing = (): void => {
      phase = 'closing';
      send(closeElement);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        closeFrame(1000);
        timer = setTimeout(finish, Math.min(200, remaining(deadline + POLITE_CLOSE_MS)));
      }, Math.min(POLITE_CLOSE_MS, remaining(deadline + POLITE_CLOSE_MS)));
    };
    const onMessage = (text: string): void => {
      const doc = parseXmlDocument(text, { restricted: true, maxChars: MAX_MESSAGE });
      if (!doc.ok) return failWith(phase === 'open' ? 'no-open' : 'no-features', `a message that is not XML: ${escapeTerminal(doc.error, 120)}`);
      const el = doc.root;
      if (el.ns === NS_FRAMING && el.name === 'close') {
        ws.seeOtherUri = el.attrs['see-other-uri'] ?? null;
        if (phase === 'closing') {
          ws.closedPolitely = true;
          closeFrame(1000);
          return;
        }
        r.error = { condition: 'close', text: ws.seeOtherUri };
        return failWith('stream-error', ws.seeOtherUri ? `the server closed the stream and points to ${escapeTerminal(ws.seeOtherUri, 120)}` : 'the server closed the stream at once');
      }
      if (el.ns === NS_STREAMS && el.name === 'error') {
        const e = parseStreamError(el);
        r.error = e;
        return failWith('stream-error', `stream error ${escapeTerminal(e.condition, 60)}${e.text ? `: ${escapeTerminal(e.text, 120)}` : ''}`);
      }
      if (phase === 'open') {
        if (el.ns === NS_FRAMING && el.name === 'open') {
          ws.open = { from: el.attrs['from'] ?? null, id: el.attrs['id'] ?? null, version: el.attrs['version'] ?? null, lang: attrNs(el, 'http://www.w3.org/XML/1998/namespace', 'lang') };
          r.timings.openMs = since();
          phase = 'features';
          return;
        }
        return failWith('no-open', `the first message is <${escapeTerminal(el.name, 40)} xmlns="${escapeTerminal(el.ns, 80)}">, not <open/>`);
      }
      if (phase === 'features') {
        if (el.ns === NS_STREAMS && el.name === 'features') {
          r.features = parseFeatures(el);
          r.timings.featuresMs = since();
          r.outcome = 'ok';
          return startClosing();
        }
        return failWith('no-features', `<${escapeTerminal(el.name, 40)}> came where <stream:features/> was expected`);
      }
    };
    const onEvents = (events: WsEvent[]): void => {
      for (const ev of events) {
        if (phase === 'done') return;
        if (ev.type === 'message') {
          if (ev.opcode !== OP.text) return failWith(phase === 'open' ? 'no-open' : 'no-features', 'a binary message (RFC 7395 uses text messages)');
          onMessage(ev.data.toString('utf8'));
        } else if (ev.type === 'ping') {
          if (!socket.destroyed) socket.write(encodeFrame(OP.pong, ev.data, true));
        } else if (ev.type === 'close') {
          closeFrame(1000);
          if (phase === 'closing') return finish();
          return failWith(phase === 'open' ? 'no-open' : 'no-features', `the server closed the WebSocket (code ${ev.code ?? 'none'}${ev.reason ? `, ${escapeTerminal(ev.reason, 80)}` : ''})`);
        } else if (ev.type === 'error') {
          if (phase === 'closing') return finish();
          return failWith(phase === 'open' ? 'no-open' : 'no-features', `WebSocket protocol error: ${ev.message}`);
        }
      }
    };
    socket.on('data', (chunk: Buffer) => onEvents(reader.push(chunk)));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (phase === 'closing') return finish();
      if (phase !== 'done') failWith(phase === 'open' ? 'no-open' : 'no-features', 'the connection closed');
    });
    timer = setTimeout(() => {
      if (phase === 'open') failWith('timeout', `no <open/> within ${Math.round(deadline - started)} ms`);
      // The stream is open and the server alive: the missing features are the finding, not the clock.
      else if (phase === 'features') failWith('no-features', `no <stream:features/> within ${Math.round(deadline - started)} ms`);
    }, remaining(deadline));
    send(openElement(domain));
    if (head.length) onEvents(reader.push(head));
  });
}
