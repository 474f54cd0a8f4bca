/**
 * How findings are declared and made. Each stage declares its codes with
 * `defineFindings` in its own `findings.ts`; report/catalogue.ts merges them
 * into the one catalogue that docs/findings.md documents. Code never builds a
 * finding from loose strings: it names a definition and adds the specifics.
 */
import type { ServiceKind } from './types.js';
import { escapeTerminal } from './escape.js';

export interface FindingDef<C extends string = string> {
  code: C;
  severity: Severity;
  /** One line: what is wrong (or notable), in words an operator can act on. */
  title: string;
  /** What to do about it. */
  fix: string;
  /** The spec (and section) it rests on. */
  reference: string;
  /**
   * Set when the severity depends on the rest of the service (docs/findings.md,
   * "Severity in context"): `severity` is what it has when nothing else makes
   * up for it; it drops to a warning when something does.
   * - `target`: one target (or address, or endpoint) of a service fails;
   *   a warning when another one of the same service works, because clients
   *   move on to the next one.
   * - `posh`: the POSH file is broken; a warning when PKIX or DANE
   *   authenticates every connection, because clients then never need it.
   */
  dependsOn?: SeverityContext;
}

export type SeverityContext = 'target' | 'posh';

/** What each context means, in words docs/findings.md prints. */
export const SEVERITY_CONTEXTS: Record<SeverityContext, string> = {
  target:
    'error when no other target of the service works (another SRV target or another address of this one; for a QUIC endpoint, also any TCP target; for a WebSocket or BOSH endpoint, another published web endpoint); a **warning** when another one works, since clients that follow the specs move on to the next target (RFC 6120 §3.2.1, RFC 2782)',
  posh: 'error when POSH is what would have to authenticate the domain (PKIX fails and no DANE record decides); a **warning** when PKIX or DANE authenticates every connection, since clients then never use the POSH file (RFC 7711 §4)',
};

type DefBody = Omit<FindingDef, 'code'>;

/** Declares a stage's findings; the object keys become the codes. */
export function defineFindings<const T extends Record<string, DefBody>>(defs: T): { [K in keyof T & string]: FindingDef<K> } {
  const out: Record<string, FindingDef> = {};
  for (const [code, body] of Object.entries(defs)) {
    if (!/^[A-Z][A-Z0-9_]+$/.test(code)) throw new Error(`bad finding code ${code}`);
    out[code] = { code, ...body };
  }
  return out as { [K in keyof T & string]: FindingDef<K> };
}

/** A message or fix: one line, or our own lines (each escaped on its own, joined by the only newlines a finding keeps). */
export type FindingText = string | string[];

export interface FindingExtras {
  /** Replaces the definition's generic fix with a specific one. */
  fix?: FindingText;
  service?: ServiceKind;
}

/** Longest subject, message or fix line kept (the table cuts shorter). */
const MAX_TEXT = 8000;

/**
 * The one place where text enters a finding, so the one place it is escaped:
 * subjects, messages and fixes quote names, URLs and error texts from the
 * network, and a newline, ESC or bidi override in them must never reach a
 * terminal (or a JSON reader's terminal) raw. Escaping is idempotent, so text
 * escaped earlier is not changed again.
 */
const clean = (text: FindingText): string => (Array.isArray(text) ? text : [text]).map((l) => escapeTerminal(l, MAX_TEXT)).join('\n');

/** One occurrence of a finding: the definition plus its subject and a specific message. */
export function makeFinding<C extends string>(def: FindingDef<C>, subject: string, message?: FindingText, extras: FindingExtras = {}): Finding<C> {
  const f: Finding<C> = {
    code: def.code,
    severity: def.severity,
    subject: clean(subject),
    message: clean(message ?? def.title),
    fix: clean(extras.fix ?? def.fix),
    reference: def.reference,
  };
  if (extras.service) f.service = extras.service;
  return f;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Applies a definition's severity context to one occurrence: a finding whose
 * definition `dependsOn` a context becomes a warning when `madeUpFor` (another
 * target works; PKIX or DANE authenticates). Findings of other codes, and
 * findings already below error, are returned as they are.
 */
export function inContext(f: Finding, defs: Readonly<Record<string, FindingDef>>, context: SeverityContext, madeUpFor: boolean): Finding {
  const def = defs[f.code];
  if (!madeUpFor || !def || def.dependsOn !== context || f.severity !== 'error') return f;
  return { ...f, severity: 'warning' };
}

/** Sorts findings most severe first, keeping the order of discovery within a severity. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
}

/** Drops exact repeats (same code, subject and message). */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.code}\u0000${f.subject}\u0000${f.message}\u0000${f.service ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Folds findings that say the same thing about several subjects (one
 * certificate on two addresses, say) into one finding naming them all.
 */
export function mergeFindings(findings: Finding[], maxSubjects = 3): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.code}\u0000${f.severity}\u0000${f.message}\u0000${f.fix}\u0000${f.service ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].map((list) => {
    if (list.length === 1) return list[0]!;
    const subjects = [...new Set(list.map((f) => f.subject))];
    const subject = subjects.length > maxSubjects ? `${subjects.slice(0, maxSubjects).join('; ')}; and ${subjects.length - maxSubjects} more` : subjects.join('; ');
    return { ...list[0]!, subject };
  });
}

export interface Finding<C extends string = string> {
  /** Stable code from the catalogue (docs/findings.md); the report narrows it to the catalogue's union of codes. */
  code: C;
  severity: Severity;
  /** What the finding is about: a record, a target, an address, a probe. */
  subject: string;
  /** One specific line that explains this occurrence. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** Spec and section it rests on. */
  reference: string;
  service?: ServiceKind;
  /** Set by --ignore: kept in the report, but counted in no status or exit code. */
  ignored?: boolean;
  /** A root cause that several answers share: the names (and types) it breaks. */
  affected?: string[];
  /** Findings folded into this one because they are symptoms of the same cause. */
  related?: { code: string; subject: string }[];
}

export type Severity = 'error' | 'warning' | 'info';

/** The codes of some definitions, as a set to test findings against: built from the definitions, so a misspelt code does not compile. */
export function codeSet(...defs: readonly FindingDef[]): ReadonlySet<string> {
  return new Set(defs.map((d) => d.code));
}
