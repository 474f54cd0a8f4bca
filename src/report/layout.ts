/**
 * Text layout for the terminal report: the display width of a string, word
 * wrapping of styled text at a given width, and tables whose every line fits
 * that width. Cells wrap at spaces; a cell holding a word too wide for its
 * column moves, whole, to an indented detail line under its row, so no word is
 * ever cut inside a table. Styles (colours) are applied after layout, so widths
 * are always measured on plain text. Pure: no I/O, no globals.
 */

/** Colours a piece of text (a chalk function, or identity). */
export type Style = (s: string) => string;

/** A run of plain text with one style. `\n` inside the text is a hard line break. */
export interface Span {
  text: string;
  style?: Style;
}

export const span = (text: string, style?: Style): Span => (style ? { text, style } : { text });

/** A cell or a paragraph: a string (unstyled) or styled spans. */
export type Rich = string | Span | Span[];

export function spansOf(r: Rich): Span[] {
  if (typeof r === 'string') return [{ text: r }];
  return Array.isArray(r) ? r : [r];
}

export function plainOf(r: Rich): string {
  return spansOf(r)
    .map((s) => s.text)
    .join('');
}

// East Asian wide and fullwidth ranges (two columns), and zero-width marks.
const WIDE: [number, number][] = [
  [0x1100, 0x115f], [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff], [0x20000, 0x3fffd],
];
const ZERO: [number, number][] = [[0x0300, 0x036f], [0x0483, 0x0489], [0x0591, 0x05bd], [0x0610, 0x061a], [0x064b, 0x065f], [0x200b, 0x200f], [0x20d0, 0x20ff], [0xfe00, 0xfe0f], [0xfe20, 0xfe2f]];
const inRanges = (cp: number, ranges: [number, number][]): boolean => ranges.some(([a, b]) => cp >= a && cp <= b);
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (cp < 0x300) return 1;
  if (inRanges(cp, ZERO)) return 0;
  return inRanges(cp, WIDE) ? 2 : 1;
}

/** Columns a string takes on a terminal (colour codes take none). */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(SGR, '')) w += charWidth(ch.codePointAt(0)!);
  return w;
}

/** Cuts a word into pieces of at most `width` columns, preferring to break after `/ . , : - _ =`. */
function breakWord(word: string, width: number): string[] {
  const out: string[] = [];
  let rest = [...word];
  const w = Math.max(1, width);
  while (rest.length) {
    let cols = 0;
    let n = 0;
    while (n < rest.length && cols + charWidth(rest[n]!.codePointAt(0)!) <= w) cols += charWidth(rest[n++]!.codePointAt(0)!);
    if (n === 0) n = 1;
    if (n < rest.length) {
      for (let k = n; k > Math.floor(n * 0.6); k--) {
        if ('/.,:-_=;&?'.includes(rest[k - 1]!)) {
          n = k;
          break;
        }
      }
    }
    out.push(rest.slice(0, n).join(''));
    rest = rest.slice(n);
  }
  return out;
}

interface Token {
  kind: 'word' | 'space' | 'break';
  text: string;
  style?: Style;
  width: number;
}

function tokenize(spans: Span[]): Token[] {
  const out: Token[] = [];
  for (const s of spans) {
    for (const part of s.text.split(/(\n| +)/)) {
      if (!part) continue;
      if (part === '\n') out.push({ kind: 'break', text: '', width: 0 });
      else if (part[0] === ' ') out.push({ kind: 'space', text: part, style: s.style, width: part.length });
      else out.push({ kind: 'word', text: part, style: s.style, width: displayWidth(part) });
    }
  }
  return out;
}

export interface WrapOptions {
  /** Spaces before the first line. */
  indent?: number;
  /** Spaces before every following line (default: indent). */
  hanging?: number;
}

/** One laid-out line: its rendered (styled) text and its width. */
interface Line {
  parts: { text: string; style?: Style }[];
  width: number;
}

/** A line's text with its styles applied, one run per style (not one per word). */
function renderLine(l: Line): string {
  let out = '';
  let run = '';
  let style: Style | undefined;
  for (const p of l.parts) {
    if (p.style !== style) {
      out += style ? style(run) : run;
      run = '';
      style = p.style;
    }
    run += p.text;
  }
  return out + (style ? style(run) : run);
}

/**
 * Wraps styled text to `width` columns at spaces; a word wider than a line is
 * cut (preferring a break after punctuation), so every line fits.
 */
export function wrap(r: Rich, width: number, opts: WrapOptions = {}): string[] {
  const indent = opts.indent ?? 0;
  const hanging = opts.hanging ?? indent;
  return layoutLines(spansOf(r), width, indent, hanging).map((l) => renderLine(l).replace(/ +$/, ''));
}

function layoutLines(spans: Span[], width: number, indent: number, hanging: number): Line[] {
  const lines: Line[] = [];
  const fresh = (n: number): Line => ({ parts: n ? [{ text: ' '.repeat(n) }] : [], width: n });
  let cur = fresh(indent);
  let empty = true;
  // A line started by a soft wrap drops the spaces it begins with; one after a hard break keeps them.
  let soft = false;
  let pending: Token | null = null;
  const emit = (text: string, style: Style | undefined, w: number): void => {
    cur.parts.push(style ? { text, style } : { text });
    cur.width += w;
  };
  const push = (isSoft: boolean): void => {
    lines.push(cur);
    cur = fresh(hanging);
    empty = true;
    soft = isSoft;
    pending = null;
  };
  for (const t of tokenize(spans)) {
    if (t.kind === 'break') {
      push(false);
      continue;
    }
    if (t.kind === 'space') {
      // Spaces from several spans in a row count together (a padded label, then a separator).
      const prev = pending as Token | null;
      pending = prev ? { ...prev, text: prev.text + t.text, width: prev.width + t.width } : t;
      continue;
    }
    const gap: Token | null = pending;
    pending = null;
    if (gap && (!empty || !soft)) {
      if (cur.width + gap.width + t.width <= width) emit(gap.text, gap.style, gap.width);
      else if (!empty) push(true);
    }
    let rest = t.text;
    let restWidth = t.width;
    while (restWidth > width - cur.width) {
      if (!empty) {
        push(true);
        continue;
      }
      const avail = Math.max(1, width - cur.width);
      const piece = breakWord(rest, avail)[0]!;
      emit(piece, t.style, displayWidth(piece));
      rest = rest.slice(piece.length);
      restWidth = displayWidth(rest);
      push(true);
      if (!rest) break;
    }
    if (rest) {
      emit(rest, t.style, restWidth);
      empty = false;
    }
  }
  lines.push(cur);
  return lines;
}

/** Widest word of a cell (what its column needs so that no word is cut). */
function widestWord(r: Rich): number {
  let w = 0;
  for (const t of tokenize(spansOf(r))) if (t.kind === 'word' && t.width > w) w = t.width;
  return w;
}

/** Widest line of a cell, unwrapped. */
function naturalWidth(r: Rich): number {
  return Math.max(0, ...plainOf(r).split('\n').map((l) => displayWidth(l)));
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

export interface TableSpec {
  columns: Column[];
  rows: Rich[][];
  /** Terminal width: no line is wider. */
  width: number;
  /** Spaces before each line (default 2). */
  indent?: number;
  /** Spaces between columns (default 2). */
  gap?: number;
  headStyle?: Style;
  /** Style of the label of a detail line. */
  labelStyle?: Style;
}

/**
 * Lays columns out within `avail` columns; [] when even the narrowest layout
 * does not fit. Each column may take its natural width, its header's widest
 * word, or the width of one of its widest words; the search picks the
 * combination that moves the fewest cells to detail lines, then wraps the
 * fewest lines, and shares what is left among the columns that wrap.
 */
function columnWidths(spec: TableSpec, avail: number): number[] {
  const n = spec.columns.length;
  const cells = spec.columns.map((_, i) => spec.rows.map((r) => spansOf(r[i] ?? '')));
  const natural = spec.columns.map((c, i) => Math.max(naturalWidth(c.header), ...cells[i]!.map((x) => naturalWidth(x))));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  if (sum(natural) <= avail) return natural;
  const head = spec.columns.map((c) => Math.max(1, widestWord(c.header)));
  const wordsOf = cells.map((col) => col.map((x) => widestWord(x)));
  interface Choice {
    width: number;
    moved: number;
    lines: number;
  }
  const choices: Choice[][] = spec.columns.map((_, i) => {
    const ws = [...new Set([natural[i]!, head[i]!, ...wordsOf[i]!.filter((w) => w >= head[i]! && w <= natural[i]!)])].sort((a, b) => b - a).slice(0, 7);
    if (!ws.includes(head[i]!)) ws.push(head[i]!);
    return ws.map((width) => {
      let moved = 0;
      let lines = 0;
      cells[i]!.forEach((x, r) => {
        if (wordsOf[i]![r]! > width) moved++;
        else lines += layoutLines(x, width, 0, 0).length;
      });
      return { width, moved, lines };
    });
  });
  const minRest = choices.map((_, i) => sum(choices.slice(i).map((cs) => Math.min(...cs.map((c) => c.width)))));
  let best: { cost: number; widths: number[] } | null = null;
  const pick: number[] = [];
  const search = (i: number, used: number, cost: number): void => {
    if (best && cost >= best.cost) return;
    if (i === n) {
      best = { cost, widths: [...pick] };
      return;
    }
    if (used + minRest[i]! > avail) return;
    for (const c of choices[i]!) {
      if (used + c.width + (minRest[i + 1] ?? 0) > avail) continue;
      pick.push(c.width);
      search(i + 1, used + c.width, cost + c.moved * 10_000 + c.lines);
      pick.pop();
    }
  };
  search(0, 0, 0);
  if (!best) return [];
  const widths = (best as { widths: number[] }).widths;
  // Share what is left: first to the columns that need least to show their cells unwrapped.
  let spare = avail - sum(widths);
  const order = widths.map((_, i) => i).sort((a, b) => natural[a]! - widths[a]! - (natural[b]! - widths[b]!));
  for (const i of order) {
    const add = Math.min(spare, natural[i]! - widths[i]!);
    widths[i] = widths[i]! + add;
    spare -= add;
  }
  return widths;
}

function pad(s: string, w: number, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - w));
  return align === 'right' ? fill + s : s + fill;
}

/**
 * A table without borders: a header row, then one block per row. Cells wrap
 * at spaces inside their column; a cell with a word wider than its column
 * leaves the row and follows it on an indented `Header: value` line. When even
 * that cannot fit, every row becomes a block of such lines.
 */
export function renderTable(spec: TableSpec): string[] {
  const indent = spec.indent ?? 2;
  const gap = spec.gap ?? 2;
  const n = spec.columns.length;
  const avail = spec.width - indent - gap * (n - 1);
  const widths = avail > 0 ? columnWidths(spec, avail) : [];
  const label = spec.labelStyle ?? ((s: string) => s);
  const detailIndent = indent + 4;
  // A detail line's continuation is indented less when that keeps its widest word whole.
  const detail = (col: Column, cell: Rich): string[] =>
    wrap([span(`${col.header}: `, label), ...spansOf(cell)], spec.width, { indent: detailIndent, hanging: Math.max(2, Math.min(detailIndent + 2, spec.width - widestWord(cell))) });
  if (!widths.length) {
    // Stacked: each row as its first cell, then one line per other column.
    const out: string[] = [];
    for (const row of spec.rows) {
      out.push(...wrap(row[0] ?? '', spec.width, { indent, hanging: indent + 2 }));
      for (let i = 1; i < n; i++) if (plainOf(row[i] ?? '').trim()) out.push(...detail(spec.columns[i]!, row[i]!));
    }
    return out;
  }
  const out: string[] = [];
  const renderRow = (cells: Rich[], style?: Style): void => {
    const cols = cells.map((c, i) => layoutLines(spansOf(c), widths[i]!, 0, 0));
    const height = Math.max(1, ...cols.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        const l = cols[i]![k];
        const text = l ? renderLine(l) : '';
        parts.push(pad(style && text ? style(text) : text, l?.width ?? 0, widths[i]!, spec.columns[i]!.align ?? 'left'));
      }
      out.push((' '.repeat(indent) + parts.join(' '.repeat(gap))).replace(/ +$/, ''));
    }
  };
  renderRow(spec.columns.map((c) => c.header), spec.headStyle);
  for (const row of spec.rows) {
    const moved: number[] = [];
    const cells = spec.columns.map((_, i) => {
      const cell = row[i] ?? '';
      if (widestWord(cell) <= widths[i]!) return cell;
      moved.push(i);
      return i === 0 ? '' : '↓';
    });
    // A first cell too wide for its column heads its row on a line of its own.
    if (moved[0] === 0) out.push(...wrap(row[0]!, spec.width, { indent, hanging: indent + 2 }));
    renderRow(cells);
    for (const i of moved) if (i > 0) out.push(...detail(spec.columns[i]!, row[i]!));
  }
  return out;
}
