/**
 * The terminal rendering of a report, laid out for the terminal's width: the
 * header, one verdict line per service (does it work?), then per service the
 * candidates in the order clients try them and one row per connection tried,
 * the other connection methods, the certificates, the findings with their
 * fixes, what to publish, and the final status line. Every line fits
 * `width` (layout.ts). `quiet` keeps the verdicts and the warnings and errors;
 * `verbose` adds the DNS queries and the timings of each phase. Reads the
 * report only. Every string that came from the network goes through
 * escapeTerminal.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { codeSet, type Finding, type Severity } from '../core/finding.js';
import { escapeTerminal as esc } from '../core/escape.js';
import { tlsaOwner } from '../core/names.js';
import type { Candidate } from '../core/types.js';
import type { HostAddresses } from '../dns/lookup.js';
import { probeSummary } from '../probes/summary.js';
import { describeCertificateShort } from '../verify/certificate.js';
import type { CheckedProbe } from '../verify/types.js';
import { verdictShort, type Verdict } from '../verify/verdict.js';
import type { QuicProbeReport } from '../verify/quic.js';
import { summarizeEndpoint } from '../web/endpoint-findings.js';
import { WEB_FINDINGS } from '../web/findings.js';
import type { Report, ServiceReport, ServiceState } from './model.js';
import { renderTable as layoutTable, span, wrap, type Column, type Rich, type Span } from './layout.js';

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export interface TableOptions {
  color: boolean;
  /** Columns of the terminal: no line is wider (default 80). */
  width?: number;
  verbosity?: Verbosity;
}

/** Info findings the table shows as one quiet line instead (they stay in the JSON). */
const QUIET_CODES = codeSet(WEB_FINDINGS.WEB_NONE, WEB_FINDINGS.WEB_HOSTMETA_UNREACHABLE);

const SERVICE_TITLE = { c2s: 'client-to-server (c2s)', s2s: 'server-to-server (s2s)' } as const;

interface Ctx {
  r: Report;
  c: ChalkInstance;
  width: number;
  verbosity: Verbosity;
  /** Certificate number (as listed under Certificates) by SHA-256 of the leaf. */
  certNo: Map<string, number>;
  out: string[];
}

const para = (x: Ctx, r: Rich, indent = 0, hanging = indent + 2): void => {
  x.out.push(...wrap(r, x.width, { indent, hanging }));
};

function pct(share: number): string {
  if (share === 0) return '0 %';
  if (share < 0.001) return '<0.1 %';
  return `${(share * 100).toFixed(1)} %`;
}

/**
 * The first `max` items of a list for one cell or line, then "… and N more":
 * a cell of thousands of lines makes the table layout run away (the JSON has them all).
 */
export function capList<T>(items: T[], max = 6, more: (n: number) => T = (n) => `… and ${n} more` as T): T[] {
  return items.length > max ? [...items.slice(0, max), more(items.length - max)] : items;
}

function addressCell(h: HostAddresses | undefined, c: ChalkInstance): Span[] {
  if (!h) return [span('(not looked up)', c.dim)];
  if (h.ipLiteral) return [span(esc(h.name))];
  const parts: Span[] = [];
  for (const [type, l] of [['A', h.a], ['AAAA', h.aaaa]] as const) {
    if (l.addresses.length) parts.push(...l.addresses.map((x) => span(esc(x))));
    else if (l.status !== 'nodata') parts.push(span(`${type}: ${l.status}`, c.red));
  }
  if (!parts.length) return [span('no address', c.red)];
  return capList(parts, 6, (n) => span(`… and ${n} more`, c.dim)).flatMap((p, i) => (i ? [span('\n'), p] : [p]));
}

function modeLabel(cand: Candidate): string {
  const m = cand.mode === 'directtls' ? 'direct TLS' : 'STARTTLS';
  return cand.source === 'fallback' ? `${m} (fallback)` : m;
}

function modeLine(s: ServiceReport): string {
  const n = s.srv.xmpp.records.length + s.srv.xmpps.records.length;
  switch (s.mode) {
    case 'srv':
      return `${n} SRV record${n === 1 ? '' : 's'} (${s.srv.xmpp.records.length} ${s.srv.xmpp.owner.split('.')[0]}, ${s.srv.xmpps.records.length} ${s.srv.xmpps.owner.split('.')[0]}), ordered as one RFC 2782 set`;
    case 'fallback':
      return "no SRV records: fallback to the domain's A/AAAA";
    case 'unavailable':
      return s.srv.xmpp.status === 'nxdomain' ? 'the domain does not exist (NXDOMAIN)' : 'SRV target "." — service decidedly not available';
    case 'probe': {
      const c = s.candidates[0];
      return c ? `--probe: the one node ${c.target}:${c.port} by ${c.mode === 'directtls' ? 'direct TLS' : 'STARTTLS'}, no SRV lookup` : '--probe';
    }
    default:
      return 'unknown: the SRV lookups failed';
  }
}

const STATE_WORD: Record<ServiceState, string> = { ok: 'OK', degraded: 'DEGRADED', down: 'DOWN', off: 'OFF', unknown: 'UNKNOWN', unchecked: 'NOT PROBED' };

function stateStyle(st: ServiceState, c: ChalkInstance): (s: string) => string {
  return { ok: c.green.bold, degraded: c.yellow.bold, down: c.red.bold, off: c.dim, unknown: c.magenta.bold, unchecked: c.dim }[st];
}

/** One line per service, right under the header: the answer to "does it work?". */
function verdictLines(x: Ctx): void {
  for (const s of x.r.services) {
    const st = s.status;
    para(x, [span(`${s.service}  `, x.c.bold), span(STATE_WORD[st.state], stateStyle(st.state, x.c)), span(` — ${esc(st.summary, 400)}`)], 0, 5);
  }
}

/** The verdict of a connection (verify/verdict.ts verdictShort): "✓ PKIX+DANE", "✗ DANE fails (PKIX ✓)", or "✗ none". */
function authCell(v: Verdict | null, c: ChalkInstance): Span {
  if (!v) return span('-', c.dim);
  return span(verdictShort(v), v.authenticated ? c.green : c.red);
}

/** What one connection gave: "STARTTLS TLSv1.3", "TLSv1.3, ALPN xmpp-client" (direct TLS), or what went wrong. */
function resultCell(p: CheckedProbe, c: ChalkInstance): Span {
  if (p.outcome !== 'ok') return span(esc(probeSummary(p), 200), c.red);
  const version = esc(p.tls?.version ?? 'TLS', 20);
  // Direct TLS says so by its ALPN (or its lack): no need to repeat the mode.
  if (p.mode === 'directtls') return span(`${version}, ${p.tls?.alpn ? `ALPN ${esc(p.tls.alpn, 40)}` : 'no ALPN'}`, c.green);
  const required = p.plainStream?.features?.starttls.required !== false;
  return required ? span(`STARTTLS ${version}`, c.green) : span(`STARTTLS optional, ${version}`, c.yellow);
}

function candidatesTable(x: Ctx, s: ServiceReport): void {
  const { c } = x;
  const withAddresses = s.status.state === 'unchecked';
  const columns: Column[] = [{ header: '#' }, { header: 'Target' }, { header: 'Mode' }, { header: 'Prio', align: 'right' }, { header: 'Weight', align: 'right' }, { header: 'First pick', align: 'right' }];
  if (withAddresses) columns.push({ header: 'Addresses' });
  let prevGroup = 0;
  const rows: Rich[][] = s.candidates.map((cand) => {
    const groupStart = cand.group !== prevGroup;
    prevGroup = cand.group;
    const row: Rich[] = [
      groupStart ? String(cand.group) : '',
      esc(`${cand.target}:${cand.port}`),
      modeLabel(cand),
      cand.source === 'fallback' ? '-' : String(cand.priority),
      cand.source === 'fallback' ? '-' : String(cand.weight),
      pct(cand.share),
    ];
    if (withAddresses) row.push(addressCell(x.r.hosts[cand.target], c));
    return row;
  });
  x.out.push(...layoutTable({ columns, rows, width: x.width, headStyle: c.cyan, labelStyle: c.dim }));
  if (s.draw && s.draw.order.length > 1) {
    const byId = new Map(s.candidates.map((k) => [k.id, k]));
    const order = s.draw.order.map((id) => {
      const k = byId.get(id);
      return k ? esc(`${k.target}:${k.port}${k.mode === 'directtls' ? ' (TLS)' : ''}`) : esc(id);
    });
    para(x, span(`one RFC 2782 draw (--seed ${s.draw.seed}): ${capList(order, 12).join(' → ')}`, c.dim), 2, 4);
  }
  const fb = s.legacyFallback;
  if (fb) {
    const who = s.service === 'c2s' ? 'clients' : 'servers';
    const h = x.r.hosts[fb.target];
    const addrs = h ? [...h.a.addresses, ...h.aaaa.addresses] : [];
    const to = `${esc(`${fb.target}:${fb.port}`)} (STARTTLS, the domain's A/AAAA: ${addrs.length ? addrs.map((a) => esc(a)).join(', ') : 'none'})`;
    para(x, span(`no ${s.srv.xmpp.owner.split('.')[0]} records: ${who} without XEP-0368 fall back to ${to}`, c.yellow), 2, 4);
  }
}

function probesTable(x: Ctx, s: ServiceReport): void {
  const { c } = x;
  const withCert = x.certNo.size > 1;
  const columns: Column[] = [{ header: 'Target' }, { header: 'Address' }, { header: 'Result' }];
  if (withCert) columns.push({ header: 'Cert' });
  columns.push({ header: 'Auth' }, { header: 'ms', align: 'right' });
  const rows: Rich[][] = [];
  // Two SRV records of one endpoint (other priorities) share its probes: one row set for the endpoint.
  const endpoints = new Set<string>();
  for (const cand of s.legacyFallback ? [...s.candidates, s.legacyFallback] : s.candidates) {
    const endpoint = `${cand.mode}:${cand.target}:${cand.port}`;
    if (endpoints.has(endpoint)) continue;
    endpoints.add(endpoint);
    const mine = s.probes.filter((p) => p.candidateId === cand.id);
    const target = esc(`${cand.target}:${cand.port}`) + (cand === s.legacyFallback ? ' (fallback without XEP-0368)' : '');
    if (!mine.length) {
      const row: Rich[] = [target, addressCell(x.r.hosts[cand.target], c), span('not probed', c.dim)];
      if (withCert) row.push('');
      rows.push([...row, '', '']);
      continue;
    }
    mine.forEach((p, i) => {
      const row: Rich[] = [i === 0 ? target : '', esc(p.address), resultCell(p, c)];
      const leaf = p.certificate?.leaf;
      if (withCert) row.push(leaf ? `#${x.certNo.get(leaf.sha256) ?? '?'}` : '-');
      row.push(authCell(p.verdict, c), String(p.timings.totalMs));
      rows.push(row);
    });
  }
  x.out.push(...layoutTable({ columns, rows, width: x.width, headStyle: c.cyan, labelStyle: c.dim }));
  if (x.verbosity === 'verbose') timingsTable(x, s);
}

/** -v: the milliseconds of each phase of each connection. */
function timingsTable(x: Ctx, s: ServiceReport): void {
  if (!s.probes.length) return;
  const ms = (v: number | null): string => (v === null ? '-' : String(v));
  const columns: Column[] = [{ header: 'Timings (ms)' }, { header: 'Address' }, ...['TCP', 'Stream', 'STARTTLS', 'TLS', 'Features', 'Total'].map((h): Column => ({ header: h, align: 'right' }))];
  const rows: Rich[][] = s.probes.map((p) => [esc(`${p.target}:${p.port}`), esc(p.address), ms(p.timings.tcpMs), ms(p.timings.streamMs), ms(p.timings.starttlsMs), ms(p.timings.tlsMs), ms(p.timings.featuresMs), String(p.timings.totalMs)]);
  x.out.push(...layoutTable({ columns, rows, width: x.width, headStyle: x.c.cyan, labelStyle: x.c.dim }));
}

/** POSH matters where a connection is not authenticated by PKIX or DANE, or when a POSH file is there. */
function poshMatters(s: ServiceReport): boolean {
  return s.posh?.status === 'found' || s.probes.some((p) => p.verdict && p.verdict.by !== 'pkix' && p.verdict.by !== 'dane');
}

function securityLine(x: Ctx, s: ServiceReport): void {
  const { r } = x;
  const parts: string[] = [];
  if (r.dnssec.mode === 'off') parts.push('DNSSEC not checked (--dnssec off)');
  else {
    const of = (pred: (e: Report['dnssec']['results'][number]) => boolean): string => {
      const st = [...new Set(r.dnssec.results.filter(pred).map((e) => e.status))];
      return st.length ? st.join('/') : 'n/a';
    };
    const owners = new Set([s.srv.xmpp.owner, s.srv.xmpps.owner]);
    const targets = new Set(s.candidates.map((k) => k.target));
    const tlsaOwners = new Set(s.candidates.map((k) => tlsaOwner(k)));
    const tlsa = r.dnssec.results.filter((e) => e.type === 'TLSA' && tlsaOwners.has(e.name) && e.outcome === 'answer').length;
    const srv = s.mode === 'probe' ? '' : `SRV ${of((e) => e.type === 'SRV' && owners.has(e.name))}, `;
    parts.push(`DNSSEC (${r.dnssec.mode}): ${srv}addresses ${of((e) => (e.type === 'A' || e.type === 'AAAA') && targets.has(e.name))}, TLSA ${tlsa ? `${tlsa} RRset(s) ${of((e) => e.type === 'TLSA' && tlsaOwners.has(e.name))}` : 'none'}`);
  }
  const p = s.posh;
  if (p && poshMatters(s)) {
    const words = { found: `found${p.delegatedTo ? ' (delegated)' : ''}${p.location === 'legacy' ? ' (legacy location)' : ''}`, none: 'none', invalid: 'unusable', error: 'not reachable' } as const;
    parts.push(`POSH: ${words[p.status]}`);
  }
  para(x, span(parts.join('; '), x.c.dim), 2, 4);
}

function serviceSection(x: Ctx, s: ServiceReport): void {
  para(x, [span(`${SERVICE_TITLE[s.service]}: `, x.c.bold), span(modeLine(s))]);
  if (!s.candidates.length) return;
  // One node named on the command line has no order, shares or draw to show.
  if (s.mode !== 'probe') candidatesTable(x, s);
  if (s.status.state !== 'unchecked') probesTable(x, s);
  securityLine(x, s);
}

function quicSummary(q: QuicProbeReport): string {
  if (q.outcome === 'handshake') {
    const migration = q.migration === 'disabled' ? ', migration disabled' : q.migration === 'allowed' ? ', migration allowed' : '';
    return `QUIC handshake, ALPN ${q.alpn ?? 'none'}${q.cipher ? `, ${q.cipher}` : ''}, ${q.ech ? 'ECH offered' : 'no ECH'}${migration}`;
  }
  const close = q.closeError ? ` (${q.closeError.name ?? `0x${q.closeError.code.toString(16)}`})` : '';
  return `${q.outcome}${close}${q.error ? `: ${q.error}` : ''}`;
}

/** Where a QUIC endpoint came from, in words: the _xmppq SRV records are one implementation's convention, not XEP-0467's. */
const QUIC_SOURCE: Record<QuicProbeReport['source'], string> = { srv: '_xmppq SRV (xmpp-proxy)', 'host-meta': 'host-meta', 'default-port': 'XEP-0467 default' };

/** A default-port probe that found no XMPP over QUIC: a fact for the quiet line, not a row of failures. */
const defaultSilence = (q: QuicProbeReport): boolean => q.source === 'default-port' && q.outcome !== 'handshake' && q.alpn !== q.alpnOffered;

/** QUIC, WebSocket and BOSH: one table when any was found, else one quiet line saying what is not offered. */
function alternativesSection(x: Ctx): void {
  const { r, c } = x;
  const rows: Rich[][] = [];
  for (const s of r.services) {
    for (const q of s.quic?.probes ?? []) {
      if (defaultSilence(q)) continue;
      const ok = q.outcome === 'handshake';
      rows.push([`QUIC ${s.service} ${esc(`${q.host}:${q.port}`)}`, esc(q.address), span(esc(quicSummary(q), 200), ok ? c.green : c.red), authCell(q.verdict, c), QUIC_SOURCE[q.source], String(q.timings.totalMs)]);
    }
  }
  for (const e of r.web?.endpoints ?? []) {
    const ok = e.result.outcome === 'ok';
    // The endpoint's summary ends with its time, which has a column of its own here.
    const text = esc(summarizeEndpoint(e), 400).replace(/ · \d+ ms$/, '');
    // Where it was published, short: XRD (host-meta), JRD (host-meta.json), TXT (_xmppconnect).
    const via = e.sources.map((x) => ({ 'host-meta': 'XRD', 'host-meta.json': 'JRD', txt: 'TXT' })[x] ?? x).join('+');
    rows.push([`${e.transport === 'websocket' ? 'WebSocket' : 'BOSH'} ${esc(e.url, 300)}`, esc(e.result.address ?? '-'), span(text, ok ? c.green : c.red), '-', via, String(e.result.timings.totalMs)]);
  }
  const absent: string[] = [];
  const quicWords = { none: 'none published', unavailable: 'SRV "." says no QUIC', off: 'not checked (--quic=off)' } as const;
  const quicNotes = new Map<string, string[]>();
  for (const s of r.services) {
    const q = s.quic;
    const m = q?.mode;
    let why: string | null = m && m !== 'discovered' && m !== 'default' ? quicWords[m] : null;
    if (q && m === 'default' && !q.probes.some((p) => !defaultSilence(p))) {
      const port = q.candidates[0]?.port ?? 443;
      why = q.probes.length ? `no XMPP over QUIC on UDP ${port} (XEP-0467's default)` : `UDP ${port} (XEP-0467's default) not tried: the domain has no address`;
    }
    if (why) quicNotes.set(why, [...(quicNotes.get(why) ?? []), s.service]);
  }
  for (const [why, svcs] of quicNotes) absent.push(`QUIC ${svcs.join('/')}: ${why}`);
  if (r.web && !r.web.endpoints.length) {
    const docs = [r.web.hostMeta.xrd, r.web.hostMeta.jrd];
    const why = docs.some((d) => d.status === 'found') ? 'host-meta lists none' : docs.some((d) => d.status === 'error') ? 'host-meta unreachable' : 'no host-meta';
    absent.push(`WebSocket, BOSH: ${why}`);
  }
  if (rows.length) {
    para(x, span('Other connection methods (XEP-0467 QUIC, XEP-0156 WebSocket and BOSH)', c.bold));
    const columns: Column[] = [{ header: 'Endpoint' }, { header: 'Address' }, { header: 'Result' }, { header: 'Auth' }, { header: 'Via' }, { header: 'ms', align: 'right' }];
    x.out.push(...layoutTable({ columns, rows, width: x.width, headStyle: c.cyan, labelStyle: c.dim }));
    if (absent.length) para(x, span(`not offered: ${absent.join('; ')}`, c.dim), 2, 4);
    x.out.push('');
  } else if (absent.length) {
    para(x, span(`Not offered: ${absent.join('; ')}`, c.dim), 0, 2);
    x.out.push('');
  }
}

/** Every distinct leaf certificate once, numbered; the probes table refers to the numbers. */
function certificatesOf(r: Report): { sha256: string; text: string; where: string[] }[] {
  const seen = new Map<string, { sha256: string; text: string; where: string[] }>();
  for (const s of r.services) {
    for (const p of s.probes) {
      const leaf = p.certificate?.leaf;
      if (!leaf) continue;
      const e = seen.get(leaf.sha256) ?? { sha256: leaf.sha256, text: describeCertificateShort(leaf), where: [] };
      const w = `${s.service} ${p.target}:${p.port}`;
      if (!e.where.includes(w)) e.where.push(w);
      seen.set(leaf.sha256, e);
    }
  }
  return [...seen.values()];
}

function certificatesSection(x: Ctx): void {
  const certs = certificatesOf(x.r);
  if (!certs.length) return;
  para(x, span('Certificates', x.c.bold));
  certs.forEach((cert, i) => {
    const no = `#${i + 1} `;
    para(x, [span(no, x.c.bold), span(esc(cert.text, 1000))], 2, 2 + no.length);
    const w = cert.where;
    para(x, span(`presented by ${esc(w.slice(0, 6).join(', '), 1000)}${w.length > 6 ? ` and ${w.length - 6} more` : ''}`, x.c.dim), 2 + no.length, 4 + no.length);
  });
  x.out.push('');
}

const ICON: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

function severityLabel(sev: Severity, c: ChalkInstance): Span {
  const text = `${ICON[sev]} ${sev.padEnd(7)}`;
  return span(text, sev === 'error' ? c.red.bold : sev === 'warning' ? c.yellow : c.blue);
}

function findingsSection(x: Ctx, findings: Finding[]): void {
  const { c } = x;
  const ignored = x.r.findings.filter((f) => f.ignored);
  if (!findings.length) {
    if (x.verbosity !== 'quiet' && !x.r.findings.length) para(x, span('No findings.', c.green));
  } else {
    para(x, span(x.verbosity === 'quiet' ? `Warnings and errors (${findings.length})` : `Findings (${findings.length})`, c.bold));
    for (const f of findings) {
      const svc = f.service ? ` [${f.service}]` : '';
      para(x, [severityLabel(f.severity, c), span(' '), span(f.code, c.bold), span(`${svc}  `), span(esc(f.subject, 1000), c.dim)], 2, 12);
      // Only our own line breaks break lines: each line is escaped on its own, so text from the network
      // (already escaped where it entered a message) can never start a line of its own.
      for (const line of f.message.split('\n')) para(x, esc(line, 1200), 12, 12);
      if (x.verbosity === 'quiet') continue;
      const fix = f.fix.split('\n').map((l) => esc(l, 1200));
      para(x, [span('fix: ', c.dim), span(fix[0]!), ...(fix.length === 1 ? [span(` (${f.reference})`, c.dim)] : [])], 12, 12);
      for (const [i, line] of fix.slice(1).entries()) para(x, [span(line), ...(i === fix.length - 2 ? [span(` (${f.reference})`, c.dim)] : [])], 12, 12);
    }
  }
  if (ignored.length) para(x, span(`${ignored.length} finding${ignored.length === 1 ? '' : 's'} ignored (--ignore ${[...new Set(ignored.map((f) => f.code))].join(',')}); they are in the JSON, marked ignored.`, c.dim));
  if (findings.length || ignored.length || !x.r.findings.length) x.out.push('');
}

/** A zone-file line that does not fit: the RDATA's hex in parentheses, over several lines (still valid). */
function zoneLine(x: Ctx, line: string, indent: number): void {
  if (indent + line.length <= x.width) {
    x.out.push(' '.repeat(indent) + line);
    return;
  }
  const m = /^(.* IN TLSA \d+ \d+ \d+) ([0-9A-Fa-f]+)$/.exec(line);
  if (!m) {
    para(x, line, indent, indent + 4);
    return;
  }
  para(x, `${m[1]} (`, indent, indent + 4);
  const chunk = Math.max(8, Math.floor((x.width - indent - 6) / 2) * 2);
  const hex = m[2]!;
  for (let i = 0; i < hex.length; i += chunk) x.out.push(`${' '.repeat(indent + 4)}${hex.slice(i, i + chunk)}${i + chunk >= hex.length ? ' )' : ''}`);
}

function publishSection(x: Ctx): void {
  const { c } = x;
  for (const s of x.r.services) {
    const adv = s.publish.advice;
    if (adv.decision === 'none') continue;
    if (adv.decision === 'fix-certificate') {
      para(x, [span(`What to publish for ${s.service}: `, c.bold), span('fix the certificate first', c.red.bold)]);
      para(x, esc(adv.reason, 1000), 2, 2);
      x.out.push('');
      continue;
    }
    para(x, span(`What to publish for ${s.service} (for the certificates the servers present now)`, c.bold));
    if (s.publish.posh) {
      para(x, `POSH file at ${esc(s.publish.poshUrl)}:`, 2, 4);
      // Spaced JSON: it wraps at spaces and stays valid JSON when pasted.
      let doc = s.publish.posh;
      try {
        doc = JSON.stringify(JSON.parse(doc)).replace(/([{[,:])/g, '$1 ').replace(/([}\]])/g, ' $1');
      } catch {
        /* shown as it is */
      }
      para(x, esc(doc, 4000), 4, 6);
    }
    if (s.publish.tlsa.length) {
      para(x, 'TLSA records (the zone must be DNSSEC-signed, SRV records included):', 2, 4);
      for (const l of s.publish.tlsa) zoneLine(x, esc(l, 300), 4);
    }
    x.out.push('');
  }
}

/** -v: every DNS query, as it went on the wire. */
function dnsSection(x: Ctx): void {
  const qs = x.r.dns.queries;
  if (!qs.length) return;
  para(x, span(`DNS queries (${qs.length}, resolver ${esc(x.r.resolver.server)})`, x.c.bold));
  const flags = (q: Report['dns']['queries'][number]): string => (q.flags ? (['aa', 'tc', 'ad', 'cd'] as const).filter((k) => q.flags![k]).join(' ') || '-' : '-');
  const columns: Column[] = [{ header: 'Name' }, { header: 'Type' }, { header: 'Rcode' }, { header: 'Flags' }, { header: 'Answers', align: 'right' }, { header: 'Via' }, { header: 'ms', align: 'right' }];
  const rows: Rich[][] = qs.map((q) => [esc(q.name), esc(q.type), q.rcode ? esc(q.rcode) : span(esc(q.error ?? 'no answer', 200), x.c.red), flags(q), String(q.answers.length), q.transport, String(q.timeMs)]);
  x.out.push(...layoutTable({ columns, rows, width: x.width, headStyle: x.c.cyan, labelStyle: x.c.dim }), '');
}

function statusLine(r: Report, c: ChalkInstance): Span {
  const s = r.summary;
  const counts = `${s.errors} error${s.errors === 1 ? '' : 's'}, ${s.warnings} warning${s.warnings === 1 ? '' : 's'}, ${s.infos} info`;
  switch (s.status) {
    case 'ok':
      return span(`OK — ${counts} (exit ${s.exitCode})`, c.green.bold);
    case 'warning':
      return span(`WARNING — ${counts} (exit ${s.exitCode})`, c.yellow.bold);
    case 'error':
      return span(`ERROR — ${counts} (exit ${s.exitCode})`, c.red.bold);
    default:
      return span(`UNKNOWN — ${esc(s.reason ?? 'the check could not run')} (exit 3)`, c.magenta.bold);
  }
}

export function renderTable(r: Report, opts: TableOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const x: Ctx = { r, c, width: Math.max(20, opts.width ?? 80), verbosity: opts.verbosity ?? 'normal', certNo: new Map(), out: [] };
  certificatesOf(r).forEach((cert, i) => x.certNo.set(cert.sha256, i + 1));
  const name = r.input.unicode !== r.input.domain ? `${esc(r.input.unicode)} (${r.input.domain})` : r.input.domain;
  para(x, [span(`xmpp-check ${name}`, c.bold), span(`  resolver ${esc(r.resolver.server)}, ${r.dns.queries.length} DNS queries, ${r.durationMs} ms`, c.dim)]);
  if (r.input.jid) para(x, span(`(domain part of ${esc(r.input.jid)})`, c.dim), 2);
  if (r.input.note) para(x, span(`note: ${esc(r.input.note)}`, c.yellow), 2);
  x.out.push('');
  if (r.summary.status !== 'unknown') {
    verdictLines(x);
    x.out.push('');
    const shown = r.findings.filter((f) => !f.ignored && !QUIET_CODES.has(f.code) && (x.verbosity !== 'quiet' || f.severity !== 'info'));
    if (x.verbosity !== 'quiet') {
      for (const s of r.services) {
        serviceSection(x, s);
        x.out.push('');
      }
      alternativesSection(x);
      certificatesSection(x);
      if (x.verbosity === 'verbose') dnsSection(x);
    }
    findingsSection(x, shown);
    if (x.verbosity !== 'quiet') publishSection(x);
  }
  para(x, statusLine(r, c));
  return `${x.out.join('\n')}\n`;
}
