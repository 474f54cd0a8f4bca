/**
 * `--help`, made from the option table (options.ts) and wrapped at the
 * terminal's width on word boundaries: the usage forms, then every option by
 * group, its value and what it does; the lab-only options say so.
 */
import { wrap } from '../report/layout.js';
import { GROUPS, OPTIONS, type OptionSpec } from './options.js';

export const USAGE_FORMS = [
  ['xmpp-check [options] <domain | jid | xmpp:uri>', 'check one domain'],
  ['xmpp-check [options] --probe HOST:PORT <domain>', 'check one node for the domain, without SRV'],
  ['xmpp-check [options] --domains-file FILE', 'check every domain in FILE (- for stdin)'],
  ['xmpp-check serve --listen HOST:PORT [options]', 'Prometheus exporter: GET /probe, /metrics'],
] as const;

/** One line for usage errors. */
export const USAGE_LINE = 'Usage: xmpp-check [options] <domain | jid | xmpp:uri>   (--help lists every option and input form)';

function flags(o: OptionSpec): string {
  const long = o.name.length === 1 ? `-${o.name}` : o.negatable ? `--[no-]${o.name}` : `--${o.name}`;
  const both = o.short && o.name.length > 1 ? `-${o.short}, ${long}` : long;
  return o.arg ? `${both} ${o.arg}` : both;
}

export function renderHelp(width: number): string {
  const w = Math.max(40, width);
  const out: string[] = [];
  out.push('Usage:');
  const formWidth = Math.max(...USAGE_FORMS.map(([f]) => f.length));
  const whatWidth = Math.max(...USAGE_FORMS.map(([, x]) => x.length));
  // Each form with what it does beside it when both fit, else the forms alone, each on its line(s).
  for (const [form, what] of USAGE_FORMS) {
    if (w >= 2 + formWidth + 3 + whatWidth) out.push(`  ${form.padEnd(formWidth)}   ${what}`);
    else out.push(...wrap(form, w, { indent: 2, hanging: 6 }));
  }
  out.push('');
  out.push(...wrap('Shows how the XMPP service of a domain is reachable, and what is wrong with it: SRV discovery (XEP-0368), RFC 2782 order, STARTTLS, direct TLS and QUIC probes, PKIX and RFC 6125 identity, DNSSEC and DANE, POSH. The input may be a domain, a JID (user@example.com/res checks example.com), an xmpp: URI, or an IDN.', w));
  const col = Math.min(30, Math.max(...OPTIONS.map((o) => flags(o).length)) + 4);
  const side = w >= col + 30;
  for (const group of GROUPS) {
    const opts = OPTIONS.filter((o) => o.group === group);
    if (!opts.length) continue;
    out.push('', ...wrap(group === 'For test labs' ? 'For test labs (to point the tool at servers on other ports; not needed on the internet):' : `${group}:`, w, { indent: 0, hanging: 2 }));
    for (const o of opts) {
      const f = flags(o);
      // Beside the option when it fits without cutting a word, else below it, across the width.
      const longest = Math.max(...o.describe.split(/\s+/).map((x) => x.length));
      if (side && f.length + 4 <= col && longest <= w - col) out.push(...wrap(`${`  ${f}`.padEnd(col)}${o.describe}`, w, { indent: 0, hanging: col }));
      else out.push(...wrap(f, w, { indent: 2, hanging: 6 }), ...wrap(o.describe, w, { indent: side && longest <= w - col ? col : 6 }));
    }
  }
  out.push('');
  out.push(...wrap('Exit codes: 0 OK, 1 warnings, 2 errors, 3 unknown (the check could not run). With --format nagios the same codes mean OK, WARNING, CRITICAL, UNKNOWN.', w));
  out.push('');
  out.push('Examples:');
  for (const [cmd, what] of [
    ['xmpp-check example.com', 'check c2s and s2s of example.com'],
    ['xmpp-check --json --resolver 127.0.0.1:5353 user@example.com', 'JSON report for the domain of a JID, through a given resolver'],
    ['xmpp-check --format nagios --warn-days 21 example.com', 'a monitoring plugin line'],
    ['xmpp-check --probe xmpp1.example.com:5222 example.com', 'one node, skipping SRV'],
    ['xmpp-check serve --listen 127.0.0.1:9470', 'a Prometheus exporter'],
  ]) {
    out.push(...wrap(cmd!, w, { indent: 2, hanging: 6 }), ...wrap(what!, w, { indent: 6 }));
  }
  return `${out.join('\n')}\n`;
}
