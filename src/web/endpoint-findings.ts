/**
 * Turns an endpoint's result into findings, and into the one-line summary the
 * table shows in its result column. Every network string is escaped here.
 */
import { makeFinding } from '../core/finding.js';
import type { Finding } from '../core/finding.js';
import { escapeTerminal } from '../core/escape.js';
import { WEB_FINDINGS as F } from './findings.js';
import type { WebEndpoint, WebReport } from './types.js';

const T = { websocket: 'WebSocket', bosh: 'BOSH' } as const;

export function endpointFindings(e: WebEndpoint, domain: string): Finding[] {
  const r = e.result;
  const url = escapeTerminal(e.url, 200);
  const what = `The ${T[e.transport]} endpoint ${url}`;
  const detail = r.detail ? `: ${r.detail}` : '';
  const out: Finding[] = [];
  const f = (def: (typeof F)[keyof typeof F], message: string): void => {
    out.push(makeFinding(def, e.url, message));
  };
  switch (r.outcome) {
    case 'ok':
    case 'skipped':
      break;
    case 'insecure':
      f(F.WEB_ENDPOINT_INSECURE, `${what} is not encrypted (${e.transport === 'bosh' ? 'http' : 'ws'}://); use ${e.transport === 'bosh' ? 'https' : 'wss'}://.`);
      break;
    case 'bad-url':
      f(F.WEB_ENDPOINT_BAD_URL, `${what} is not usable${detail}.`);
      break;
    case 'unreachable':
      f(F.WEB_ENDPOINT_UNREACHABLE, `${what} could not be reached${detail}.`);
      break;
    case 'timeout':
      f(F.WEB_ENDPOINT_TIMEOUT, `${what} did not answer in time${detail}.`);
      break;
    case 'tls-error': {
      const t = r.tls;
      const other = e.host !== null && e.host !== domain && !e.host.endsWith(`.${domain}`) ? ` (a host outside ${domain})` : '';
      if (!t) {
        f(F.WEB_ENDPOINT_UNREACHABLE, `${what}: the TLS handshake failed${detail}.`);
        break;
      }
      if (!t.trusted) f(F.WEB_ENDPOINT_CERT_UNTRUSTED, `${what}: the certificate is not trusted (${escapeTerminal(t.trustError ?? '', 100)}).`);
      if (!t.identityOk) {
        const names = t.dnsNames.length ? t.dnsNames.slice(0, 4).map((n) => escapeTerminal(n, 80)).join(', ') : 'no DNS names';
        f(F.WEB_ENDPOINT_CERT_MISMATCH, `${what}: the certificate names ${names}, not ${escapeTerminal(e.host ?? '', 100)}${other}.`);
      }
      break;
    }
    case 'http-error':
      f(e.transport === 'websocket' ? F.WEB_WS_HANDSHAKE_REFUSED : F.WEB_BOSH_HTTP_ERROR, `${what} answered HTTP ${r.httpStatus ?? '?'}${e.transport === 'websocket' ? ' instead of 101' : ''}.`);
      break;
    case 'handshake-invalid':
      f(F.WEB_WS_HANDSHAKE_INVALID, `${what}${detail}.`);
      break;
    case 'no-subprotocol':
      f(F.WEB_WS_NO_SUBPROTOCOL, `${what}${detail}.`);
      break;
    case 'no-open':
      f(F.WEB_WS_NO_OPEN, `${what}${detail}.`);
      break;
    case 'no-features':
      f(e.transport === 'websocket' ? F.WEB_WS_NO_FEATURES : F.WEB_BOSH_NO_FEATURES, `${what}${detail}.`);
      break;
    case 'stream-error':
      f(F.WEB_WS_STREAM_ERROR, `${what}${detail}.`);
      break;
    case 'terminate':
      f(F.WEB_BOSH_TERMINATE, `${what}${detail}.`);
      break;
    case 'malformed':
      f(F.WEB_BOSH_MALFORMED, `${what}${detail}.`);
      break;
  }
  const p = r.bosh?.preflight;
  // Only for an endpoint that works: a failing one has worse problems than CORS.
  if (p && !p.ok && r.httpStatus === 200) {
    const why = p.error
      ? `the preflight failed (${p.error})`
      : p.allowOrigin === null
        ? `the preflight (HTTP ${p.status}) has no Access-Control-Allow-Origin`
        : `the preflight (HTTP ${p.status}) allows origin ${escapeTerminal(p.allowOrigin, 80)}, methods ${escapeTerminal(p.allowMethods ?? '(any)', 80)}, headers ${escapeTerminal(p.allowHeaders ?? '(none)', 80)}`;
    f(F.WEB_BOSH_NO_CORS, `${what}: ${why}.`);
  }
  return out;
}

function mechanisms(e: WebEndpoint): string {
  const m = e.result.features?.mechanisms ?? [];
  return m.length ? `SASL ${m.slice(0, 4).map((x) => escapeTerminal(x, 30)).join(' ')}${m.length > 4 ? ' …' : ''}` : 'no SASL';
}

/** One line for the table's result column. */
export function summarizeEndpoint(e: WebEndpoint): string {
  const r = e.result;
  const ms = `${r.timings.totalMs} ms`;
  if (r.outcome === 'ok') {
    if (e.transport === 'websocket') {
      const from = r.websocket?.open?.from;
      return `ok · subprotocol xmpp · open from ${from ? escapeTerminal(from, 60) : '(no from)'} · ${mechanisms(e)} · ${ms}`;
    }
    const b = r.bosh!;
    const cors = b.preflight ? (b.preflight.ok ? 'CORS ok' : 'no CORS') : 'CORS not checked';
    return `ok · sid ${escapeTerminal(b.sid ?? '', 16)} · wait ${b.wait ?? '?'} · ${mechanisms(e)} · ${cors} · ${ms}`;
  }
  if (r.outcome === 'insecure') return 'not checked: unencrypted URL';
  if (r.outcome === 'skipped') return `not checked${r.detail ? `: ${r.detail}` : ''}`;
  const code = r.outcome === 'http-error' && r.httpStatus !== null ? `HTTP ${r.httpStatus}` : r.outcome;
  return `${code}${r.detail ? `: ${escapeTerminal(r.detail, 160)}` : ''} · ${ms}`;
}

/** One line for the whole stage: what host-meta and TXT publish and how many endpoints work. */
export function summarizeWeb(r: WebReport): string {
  const docs = [r.hostMeta.xrd, r.hostMeta.jrd].filter((d) => d.status === 'found').map((d) => (d.format === 'xrd' ? 'host-meta' : 'host-meta.json'));
  const hm = docs.length ? docs.join(' + ') : [r.hostMeta.xrd, r.hostMeta.jrd].some((d) => d.status === 'error') ? 'host-meta unreachable' : 'no host-meta';
  const count = (t: 'websocket' | 'bosh'): string => {
    const all = r.endpoints.filter((e) => e.transport === t);
    return `${T[t]} ${all.filter((e) => e.result.outcome === 'ok').length}/${all.length} ok`;
  };
  const txt = r.txt.bosh.length + r.txt.websocket.length;
  return `${hm} · ${count('websocket')} · ${count('bosh')}${txt ? ` · TXT ${txt}${r.txt.dnssecSecure === true ? '' : ' (unsigned or unverified)'}` : ''}${r.quicLinks.length ? ` · QUIC links ${r.quicLinks.length}` : ''}`;
}
