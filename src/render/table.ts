/**
 * Tables for `sort`, `compare`, `table`, `stats` and `gate`: aligned text (colour optional),
 * GitHub markdown, CSV (through csv.ts, with its formula guard) and JSON. Pure: rows in, string out.
 *
 * Text cells from input are escaped for the terminal here, so callers pass raw strings; cells a
 * renderer made itself (sparklines) may be marked `safe`. Widths are measured as string-width
 * measures them (width.ts), so wide characters and emoji line up. A table wider than `maxWidth`
 * first truncates its longest cells (with `…`), then drops columns from the right and says which.
 */
import { colors } from './colors.js';
import { displayWidth, truncate } from './width.js';
import { csvRow, type CsvCell } from './csv.js';
import { escapeForTerminal } from '../core/escape.js';
import { maxOf } from '../core/numbers.js';

export type Align = 'left' | 'right';
/** What a cell means, for colour: better, worse, unimportant, attention, emphasis. */
export type Tone = 'good' | 'bad' | 'dim' | 'warn' | 'strong';

export interface Cell {
  text: string;
  tone?: Tone;
  /** Made by vizmeta (a sparkline), not from input: not escaped. */
  safe?: boolean;
}

export type CellInput = Cell | string;

export interface Column {
  header: string;
  align?: Align;
  /** Never truncated or dropped to fit (the row's name, the sort key). */
  keep?: boolean;
  /** May be truncated to fit. Default true; numbers with deltas are better dropped than cut. */
  shrink?: boolean;
  /** Where a truncated cell loses text: `end` (default) or `start`, for paths whose end is telling. */
  cut?: 'start' | 'end';
  /**
   * The row's name (an execution): when space is short, optional columns are dropped before it
   * is cut below {@link NAME_WIDTH} columns or so far that two names would read the same.
   * Default false.
   */
  name?: boolean;
}

/** How narrow a `name` column gets before optional columns give way to it. */
export const NAME_WIDTH = 24;

/**
 * The narrowest width, from `least` up, at which cutting `texts` (as `cut` does) keeps distinct
 * texts distinct; their widest width when none is narrower.
 */
export function distinctWidth(texts: readonly string[], cut: 'start' | 'end', least = 1): number {
  const unique = [...new Set(texts)];
  const widest = maxOf(unique.map((text) => displayWidth(text)), 0);
  for (let width = least; width < widest; width++) {
    if (new Set(unique.map((text) => truncate(text, width, cut))).size === unique.length) return width;
  }
  return Math.max(least, widest);
}

export interface TextTableOptions {
  /** Emit ANSI colours for tones and the header. */
  color: boolean;
  /** Total width available; default unlimited. */
  maxWidth?: number;
  /** Longest cell before truncation with `…`. Default 40. */
  maxCellWidth?: number;
}

function paint(text: string, tone: Tone | undefined, color: boolean): string {
  if (!color || tone === undefined) return text;
  const chalk = colors();
  switch (tone) {
    case 'good': return chalk.green(text);
    case 'bad': return chalk.red(text);
    case 'dim': return chalk.dim(text);
    case 'warn': return chalk.yellow(text);
    case 'strong': return chalk.bold(text);
  }
}

function toCell(input: CellInput): Cell {
  return typeof input === 'string' ? { text: input } : input;
}

/**
 * Breaks text at spaces into lines of at most `width` columns; lines after the first start with
 * `indent`. A word longer than a line is cut with `…`, or with `long: 'keep'` left whole on a line
 * of its own (a URL or a path someone will copy).
 */
export function wrapText(text: string, width: number, indent = '', long: 'cut' | 'keep' = 'cut'): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? `${lines.length > 0 ? indent : ''}${word}` : `${line} ${word}`;
    if (line === '' || displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = `${indent}${word}`;
  }
  lines.push(line);
  return long === 'keep' ? lines : lines.map((item) => truncate(item, width));
}

function pad(text: string, width: number, align: Align): string {
  const gap = Math.max(0, width - displayWidth(text));
  return align === 'right' ? ' '.repeat(gap) + text : text + ' '.repeat(gap);
}

const GAP = 2;

/** A text table's layout, fixed from the rows known so far: streams print later rows with it. */
export interface TextTableLayout {
  /** Header line and rule, each ending in a newline. */
  head: string;
  /** One row line, ending in a newline; cells wider than their column are cut with `…`. */
  row(cells: readonly CellInput[]): string;
  /** The note about columns that did not fit ('' when all fit). */
  foot: string;
}

function prepare(cell: CellInput): { text: string; tone?: Tone | undefined } {
  const c = toCell(cell);
  return { text: c.safe ? c.text : escapeForTerminal(c.text), tone: c.tone };
}

/** Decides column widths (and which columns fit) from `sample` rows. */
export function layoutTextTable(columns: readonly Column[], sample: ReadonlyArray<readonly CellInput[]>, options: TextTableOptions): TextTableLayout {
  const maxCell = options.maxCellWidth ?? 40;
  const headers = columns.map((column) => escapeForTerminal(column.header));
  const body = sample.map((row) => columns.map((_, i) => prepare(row[i] ?? '')));
  // Names are never cut so far that two read the same.
  const distinct = columns.map((column, i) => (column.name ? distinctWidth(body.map((row) => row[i]?.text ?? ''), column.cut ?? 'end', 12) : 0));
  const widths = columns.map((column, i) => {
    let width = displayWidth(headers[i] ?? '');
    for (const row of body) width = Math.max(width, displayWidth(row[i]?.text ?? ''));
    return column.keep || column.shrink === false ? width : Math.min(width, Math.max(maxCell, distinct[i] ?? 0, displayWidth(headers[i] ?? '')));
  });
  const visible = columns.map(() => true);
  if (options.maxWidth !== undefined) {
    const limit = options.maxWidth;
    // The visible width is kept as a running sum, and columns are shrunk widest first from one
    // sorted list: a table of 1M keys (sort --keys all) lays out in O(n log n), not O(n²).
    let sum = 0;
    let count = 0;
    widths.forEach((w) => { sum += w; count++; });
    const total = (): number => sum + GAP * Math.max(0, count - 1);
    // A name keeps NAME_WIDTH columns (less when it is shorter), and always enough to tell names apart.
    const nameFloors = columns.map((column, i) => Math.min(widths[i] ?? 0, Math.max(NAME_WIDTH, distinct[i] ?? 0)));
    // Shrink the widest shrinkable column towards `floor` (a name column towards its name floor),
    // then the next widest, until the table fits: widest first, the leftmost of equal widths first.
    const shrink = (floor: number, nameFloor: boolean): void => {
      if (total() <= limit) return;
      const floorOf = (i: number): number => (columns[i]?.name && nameFloor ? nameFloors[i] ?? floor : floor);
      const order: number[] = [];
      for (let i = 0; i < columns.length; i++) {
        if (columns[i]?.keep || columns[i]?.shrink === false || !visible[i]) continue;
        if ((widths[i] ?? 0) > floorOf(i)) order.push(i);
      }
      order.sort((a, b) => (widths[b] ?? 0) - (widths[a] ?? 0) || a - b);
      for (const i of order) {
        if (total() <= limit) return;
        const before = widths[i] ?? 0;
        const after = Math.max(floorOf(i), before - (total() - limit));
        widths[i] = after;
        sum += after - before;
      }
    };
    const drop = (spareNames: boolean): void => {
      for (let i = columns.length - 1; i >= 0 && total() > limit; i--) {
        if (!visible[i] || columns[i]?.keep || (spareNames && columns[i]?.name)) continue;
        visible[i] = false;
        sum -= widths[i] ?? 0;
        count--;
      }
    };
    // Other columns shrink to 12 and names to NAME_WIDTH; then optional columns are dropped from the
    // right, and only then are names cut further and, last, dropped.
    shrink(12, true);
    drop(true);
    shrink(12, false);
    drop(false);
  }
  const dropped = columns.filter((_, i) => !visible[i]).map((column) => column.header);
  const line = (cells: ReadonlyArray<{ text: string; tone?: Tone | undefined }>, header: boolean): string => {
    const parts: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      if (!visible[i]) continue;
      const cell = cells[i] ?? { text: '' };
      const width = widths[i] ?? 0;
      const text = pad(truncate(cell.text, width, header ? 'end' : columns[i]?.cut), width, columns[i]?.align ?? 'left');
      parts.push(paint(text, header ? 'strong' : cell.tone, options.color));
    }
    return parts.join(' '.repeat(GAP)).trimEnd() + '\n';
  };
  const head = line(headers.map((text) => ({ text })), true)
    + paint(widths.filter((_, i) => visible[i]).map((w) => '─'.repeat(w)).join(' '.repeat(GAP)), 'dim', options.color) + '\n';
  let foot = '';
  if (dropped.length > 0) {
    const names = dropped.length <= 4 ? dropped.map((name) => escapeForTerminal(name)).join(', ') : `${dropped.slice(0, 3).map((name) => escapeForTerminal(name)).join(', ')}, …`;
    const note = `(${dropped.length} more column${dropped.length === 1 ? '' : 's'} not shown: ${names}; widen the terminal, choose fewer keys or use --format csv)`;
    foot = wrapText(note, options.maxWidth ?? Infinity, ' ').map((text) => paint(text, 'dim', options.color) + '\n').join('');
  }
  // Only the cells shown are escaped: a table of 1,000 columns may show ten.
  const hidden = { text: '' };
  return { head, row: (cells) => line(columns.map((_, i) => (visible[i] ? prepare(cells[i] ?? '') : hidden)), false), foot };
}

/** Aligned text with a header and a rule under it. */
export function renderTextTable(columns: readonly Column[], rows: ReadonlyArray<readonly CellInput[]>, options: TextTableOptions): string {
  const layout = layoutTextTable(columns, rows, options);
  return layout.head + rows.map((row) => layout.row(row)).join('') + layout.foot;
}

/**
 * Keeps GitHub from linking a bare URL, `www.` name or email address of log text: `https\://x`,
 * `www\.x` and `user\@example.com` read the same but are no autolink (an escaped `@` is a text
 * node of its own, so GFM's email autolink, which also makes `mailto:` and `xmpp:` links, never
 * sees an address). Runs after backslashes are escaped.
 */
export function breakAutolinks(text: string): string {
  return text.replace(/:\/\//g, '\\://').replace(/\b(www)\./gi, '$1\\.').replace(/@(?=[\w-])/g, '\\@');
}

/**
 * Escapes a cell for a GitHub markdown table: no link, image, raw HTML or code span can come
 * from log text (`[click](https://evil.example)` and `![x](http://evil/t.png)` show as written).
 */
export function markdownCell(text: string): string {
  return breakAutolinks(escapeForTerminal(text)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[`[\]!]/g, (ch) => `\\${ch}`));
}

/**
 * Escapes text for markdown prose (a quote, a note, a name that must not turn into emphasis or a
 * link): every character markdown gives a meaning is backslash-escaped, and URLs are not linked.
 */
export function markdownText(text: string): string {
  return breakAutolinks(escapeForTerminal(text).replace(/[\\`*_[\]<>|!]/g, (ch) => `\\${ch}`));
}

/** A markdown table's header and rule lines. */
export function markdownHead(columns: readonly Column[]): string {
  const head = `| ${columns.map((column) => markdownCell(column.header)).join(' | ')} |`;
  const rule = `|${columns.map((column) => (column.align === 'right' ? '---:' : '---')).join('|')}|`;
  return `${head}\n${rule}\n`;
}

/** One markdown table row line. */
export function markdownRow(columns: readonly Column[], row: readonly CellInput[]): string {
  return `| ${columns.map((_, i) => {
    const cell = toCell(row[i] ?? '');
    const text = cell.safe ? cell.text : markdownCell(cell.text);
    return cell.tone === 'strong' && text !== '' ? `**${text}**` : text;
  }).join(' | ')} |\n`;
}

/** A GitHub-flavoured markdown table (for `$GITHUB_STEP_SUMMARY` and PR comments). */
export function renderMarkdownTable(columns: readonly Column[], rows: ReadonlyArray<readonly CellInput[]>): string {
  return markdownHead(columns) + rows.map((row) => markdownRow(columns, row)).join('');
}

/** CSV with a header row; text cells go through the formula guard. */
export function renderCsvTable(headers: readonly string[], rows: ReadonlyArray<readonly CsvCell[]>): string {
  return [csvRow(headers), ...rows.map((row) => csvRow(row))].join('\n') + '\n';
}

// Values for people are formatted in one place (format.ts); tables are where most of them show.
export { formatDelta, formatNumber, formatValue } from './format.js';

/** A value as a CSV cell: numbers stay numbers, arrays and objects become JSON text. */
export function csvValue(value: unknown): CsvCell {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** A value for JSON output: NaN and ±Infinity become null, so the output stays valid JSON. */
export function jsonValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
