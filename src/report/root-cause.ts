/**
 * One root cause, one finding. A bogus zone makes the resolver answer
 * SERVFAIL for every name in it, so the stages report a DNS_SERVFAIL per
 * lookup and a DNSSEC_BOGUS per answer; here they become one DNSSEC_BOGUS per
 * broken link of the chain, listing the names it breaks, with the symptoms it
 * absorbed in `related`. SERVFAILs without a DNSSEC explanation are grouped
 * per name. Runs when the report is assembled, so the table, the JSON and a
 * batch's "worst finding" all see the cause rather than its symptoms.
 */
import type { Finding } from '../core/finding.js';
import type { DnssecEntry } from '../dnssec/types.js';

const norm = (name: string): string => name.replace(/\.$/, '').toLowerCase();

/** The DNS question a symptom is about: `owner|SRV` from "owner", `host|A` from "host A", `name|TYPE` from "name/TYPE". */
function questionOf(f: Finding): string | null {
  if (f.code === 'DNS_SERVFAIL') {
    const m = /^(\S+) (A|AAAA|TLSA)$/.exec(f.subject);
    return m ? `${norm(m[1]!)}|${m[2]}` : `${norm(f.subject)}|SRV`;
  }
  if (f.code === 'DNSSEC_BOGUS' || f.code === 'DNSSEC_EDE' || f.code === 'DNSSEC_INDETERMINATE') {
    const m = /^(\S+)\/([A-Z0-9]+)$/.exec(f.subject);
    return m ? `${norm(m[1]!)}|${m[2]}` : null;
  }
  return null;
}

const pretty = (q: string): string => q.replace('|', ' ');

function listed(names: string[], max = 6): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** The service of a group: kept when every member that names one names the same. */
function serviceOf(fs: Finding[]): Finding['service'] {
  const s = new Set(fs.map((f) => f.service).filter((x) => x !== undefined));
  return s.size === 1 ? [...s][0] : undefined;
}

function folded(first: Finding, members: Finding[], subject: string, message: string, affected: string[]): Finding {
  const out: Finding = { ...first, subject, message, affected };
  const service = serviceOf(members);
  if (service) out.service = service;
  else delete out.service;
  const related = members.filter((m) => m !== first).map((m) => ({ code: m.code, subject: m.subject }));
  if (related.length) out.related = related;
  return out;
}

export function groupRootCauses(findings: Finding[], dnssec: DnssecEntry[]): Finding[] {
  // The broken link each bogus answer rests on: answers with the same link share one cause.
  const causeOf = new Map<string, string>();
  for (const e of dnssec) {
    if (e.status !== 'bogus') continue;
    const l = e.brokenLink;
    causeOf.set(`${norm(e.name)}|${e.type}`, l ? `${norm(l.zone)}|${norm(l.name)}|${l.type}|${l.kind}` : `answer|${norm(e.name)}|${e.type}`);
  }
  // A SERVFAIL DNSSEC does not explain: one finding per name (the SRV owners of a domain reduce to it),
  // which also takes the DNSSEC findings about the same questions (indeterminate, EDE): the SERVFAIL is their cause.
  const servfailGroup = new Map<string, string>();
  for (const f of findings) {
    const q = questionOf(f);
    if (f.code === 'DNS_SERVFAIL' && q && !causeOf.has(q)) servfailGroup.set(q, `servfail|${q.split('|')[0]!.replace(/^(_[^.]+\.)+/, '')}`);
  }
  const groups = new Map<string, Finding[]>();
  const slot = new Map<Finding, string>();
  for (const f of findings) {
    const q = questionOf(f);
    if (!q) continue;
    let key: string | null = null;
    if (causeOf.has(q) && f.code !== 'DNSSEC_INDETERMINATE') key = `bogus|${causeOf.get(q)}`;
    else if (servfailGroup.has(q)) key = servfailGroup.get(q)!;
    if (!key) continue;
    groups.set(key, [...(groups.get(key) ?? []), f]);
    slot.set(f, key);
  }
  const out: Finding[] = [];
  const done = new Set<string>();
  for (const f of findings) {
    const key = slot.get(f);
    if (!key) {
      out.push(f);
      continue;
    }
    if (done.has(key)) continue;
    done.add(key);
    const members = groups.get(key)!;
    if (members.length === 1) {
      out.push(f);
      continue;
    }
    const questions = [...new Set(members.map((m) => questionOf(m)!).map(pretty))];
    const failed = [...new Set(members.filter((m) => m.code === 'DNS_SERVFAIL').map((m) => pretty(questionOf(m)!)))];
    if (key.startsWith('bogus|')) {
      const bogus = members.find((m) => m.code === 'DNSSEC_BOGUS');
      if (!bogus) {
        out.push(...members);
        continue;
      }
      const servfails = members.filter((m) => m.code === 'DNS_SERVFAIL').length;
      const [, zone, name, type] = key.split('|');
      const subject = key.startsWith('bogus|answer|') ? bogus.subject : `zone ${zone} (${name}/${type})`;
      const tail = servfails ? `; the resolver answers SERVFAIL for ${servfails === questions.length ? 'each' : `${servfails} of them`}` : '';
      out.push(folded(bogus, members, subject, `${bogus.message}\nIt breaks ${questions.length} answer${questions.length === 1 ? '' : 's'}: ${listed(questions)}${tail}.`, questions));
    } else {
      const host = key.slice('servfail|'.length);
      const first = members.find((m) => m.code === 'DNS_SERVFAIL')!;
      const message =
        failed.length === 1
          ? first.message
          : `SERVFAIL for ${failed.length} lookups under ${host} (${listed(failed)}): the resolver could not get an answer (often a DNSSEC failure).`;
      out.push(folded(first, members, failed.length === 1 ? first.subject : host, message, failed));
    }
  }
  return out;
}
