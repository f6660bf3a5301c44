/**
 * Confusion-matrix renderers: a heatmap with axes `actual` (rows) and `predicted` (columns),
 * the per-class classification report, accuracy, macro and weighted averages, and the most
 * confused pairs. Pure: data in, string out; colour is a parameter.
 *
 * The text heatmap picks the richest layout that fits `width`:
 * 1. numbers: each cell a shade glyph (or background colour) and its count or percentage,
 *    columns headed by the labels, or by class numbers when a label would not fit;
 * 2. compact: one shade glyph (or coloured cell) per cell, rows numbered, a ruler over the columns;
 * 3. compact over the classes with the most samples (actual + predicted), saying so.
 * The report and the confused pairs always cover every class.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { displayWidth, truncate } from './width.js';
import type { ClassificationReport, ConfusedPair } from '../analyse/classification.js';
import { analyseMatrix, type FoundMatrix, type InputMatrices, type MatrixAnalysis } from '../analyse/matrix.js';
import { displayName } from '../formats/visual-input.js';
import type { ConfusionMatrix, Normalization } from '../formats/confusion.js';
import { escapeForTerminal } from '../core/escape.js';
import { breakAutolinks } from './table.js';

export interface MatrixRenderOptions {
  /** Colour the heatmap with background shades (text) — markdown ignores it. */
  color: boolean;
  /** No text line is wider than this many terminal columns. */
  width: number;
  /** Usually the metadata key; shown in the heading. */
  title?: string;
  /** Labels longer than this are cut with `…`. Default 20. */
  maxLabelWidth?: number;
  /** Markdown only: the matrix table keeps at most this many classes (the ones with most samples). Default 30. */
  maxClasses?: number;
  /** Chalk colour level when `color` is on: 1 = 16 colours, 2 = 256, 3 = truecolor. Default 2. */
  colorLevel?: 1 | 2 | 3;
}

const RAMP = [' ', '░', '▒', '▓', '█'] as const;
const AXIS_ROWS = 'actual';
const AXIS_COLUMNS = 'predicted';

// ------------------------------------------------------------------------------------------
// Text

/** The heatmap (cells as `analysis.normalize` says), the classification report and the most confused pairs. */
export function renderMatrixText(analysis: MatrixAnalysis, opts: MatrixRenderOptions): string {
  const { matrix: m, report } = analysis;
  const width = Math.max(1, Math.floor(opts.width));
  const maxLabel = Math.max(4, opts.maxLabelWidth ?? 20);
  const paint = opts.color ? new Chalk({ level: opts.colorLevel ?? 2 }) : undefined;
  const labels = m.labels.map((label) => escapeForTerminal(label));
  const lines: string[] = [];

  const heading = `Confusion matrix${opts.title !== undefined ? `: ${escapeForTerminal(opts.title)}` : ''}`;
  lines.push(...wrap(heading, width).map((line) => bold(paint, line)));
  lines.push(...wrap(`${plural(m.labels.length, 'class', 'classes')}, ${plural(report.total, 'sample', 'samples', formatCount)}; ${valueNote(analysis.normalize)}`, width));
  lines.push('');
  if (m.labels.length === 0) {
    lines.push('(no classes)');
    return finish(lines, width);
  }
  const map = heatmap(analysis, labels, width, maxLabel, paint);
  lines.push(...map.lines);
  lines.push('');
  lines.push(...reportTable(report, labels, map.numbered, width, maxLabel, paint));
  lines.push('');
  lines.push(...confusedPairs(analysis.mostConfused, analysis.topPairs, labels, width, maxLabel, paint));
  return finish(lines, width);
}

function finish(lines: string[], width: number): string {
  // A last guard: every layout decision above already fits; this only catches rounding slips.
  return lines.map((line) => truncate(line, width).trimEnd()).join('\n') + '\n';
}

function valueNote(mode: Normalization): string {
  switch (mode) {
    case 'true':
      return 'cells: % of each actual class (rows sum to 100)';
    case 'pred':
      return 'cells: % of each predicted class (columns sum to 100)';
    case 'all':
      return 'cells: % of all samples';
    default:
      return 'cells: counts';
  }
}

interface Heatmap {
  lines: string[];
  /** Whether rows and columns are identified by class number, so the report should show numbers too. */
  numbered: boolean;
}

function heatmap(analysis: MatrixAnalysis, labels: string[], width: number, maxLabel: number, paint: ChalkInstance | undefined): Heatmap {
  const { matrix: m, values, normalize: mode } = analysis;
  const n = labels.length;
  const max = maxOf(values.map(maxOf));
  const labelWidth = Math.min(maxLabel, maxOf(labels.map((l) => displayWidth(l))));
  const numberWidth = String(n - 1).length;
  const bare = labelsAreNumbers(labels);
  const numberedRowWidth = Math.max(AXIS_ROWS.length, bare ? numberWidth : numberWidth + 1 + labelWidth);
  const gridWidth = (cell: number, rowLabel: number): number => rowLabel + n * (cell + 1);

  // 1. Numbers. A cell is glyph, space, right-aligned value; columns one space apart. Cell
  // texts are only made when a one-digit grid could fit, since a big matrix has n² of them.
  if (gridWidth(3, Math.min(AXIS_ROWS.length, numberedRowWidth)) <= width) {
    const texts = cellTexts(values, mode);
    const minCell = maxOf(texts.map((row) => maxOf(row.map((t) => t.length)))) + 2;
    // Columns headed by the labels when every label fits a cell and the grid fits the width…
    const labelCell = Math.max(minCell, labelWidth);
    const rowLabelWidth = Math.max(AXIS_ROWS.length, labelWidth);
    if (gridWidth(labelCell, rowLabelWidth) <= width && labels.every((l) => displayWidth(l) <= labelCell)) {
      return { lines: numberGrid(labels, labels, values, texts, max, labelCell, rowLabelWidth, paint), numbered: false };
    }
    // …else by class numbers, each row label prefixed with its number.
    const numberedCell = Math.max(minCell, numberWidth);
    const numberedLabels = bare ? labels.map((l) => l.padStart(numberWidth)) : labels.map((l, i) => `${String(i).padStart(numberWidth)} ${l}`);
    if (gridWidth(numberedCell, numberedRowWidth) <= width) {
      const keys = labels.map((_, i) => String(i));
      return { lines: numberGrid(numberedLabels, keys, values, texts, max, numberedCell, numberedRowWidth, paint), numbered: true };
    }
  }

  // 2 and 3. Shade only, one or two columns per cell; row labels may shrink to 8 columns of text.
  let rowLabel = numberedRowWidth;
  const room = (): number => width - rowLabel - 1;
  if (room() < n) rowLabel = Math.max(Math.min(rowLabel, bare ? numberWidth : numberWidth + 1 + 8), width - 1 - n);
  const lines: string[] = [];
  let shown = labels.map((_, i) => i);
  if (room() < n) {
    shown = busiestClasses(m, Math.max(1, room()));
    lines.push(...wrap(`Showing the ${shown.length} of ${n} classes with the most samples (actual + predicted); the table below lists all.`, width));
  }
  const cellWidth = room() >= 2 * shown.length ? 2 : 1;
  lines.push(...compactGrid(shown, bare ? undefined : labels, values, max, rowLabel, numberWidth, cellWidth, width, paint));
  return { lines, numbered: true };
}

function numberGrid(
  rowLabels: string[],
  columnKeys: string[],
  values: number[][],
  texts: string[][],
  max: number,
  cell: number,
  rowLabelWidth: number,
  paint: ChalkInstance | undefined,
): string[] {
  const lines: string[] = [];
  lines.push(note(rowLabelWidth + 1, AXIS_COLUMNS, Infinity, paint));
  lines.push(`${bold(paint, padEnd(AXIS_ROWS, rowLabelWidth))}${columnKeys.map((key) => ' ' + bold(paint, padStart(truncate(key, cell), cell))).join('')}`);
  values.forEach((row, i) => {
    const cells = row.map((value, j) => ' ' + shadeCell(value, max, padStart((texts[i] as string[])[j] as string, cell - 2), paint));
    lines.push(padEnd(truncate(rowLabels[i] as string, rowLabelWidth), rowLabelWidth) + cells.join(''));
  });
  return lines;
}

/** Shade-only grid over the classes `shown` (indices into `labels`), `cellWidth` columns per cell. */
function compactGrid(
  shown: number[],
  labels: string[] | undefined,
  values: number[][],
  max: number,
  rowLabelWidth: number,
  numberWidth: number,
  cellWidth: number,
  width: number,
  paint: ChalkInstance | undefined,
): string[] {
  const lines: string[] = [];
  const axis = rowLabelWidth + 1 + `${AXIS_COLUMNS} (columns in row order)`.length <= width ? `${AXIS_COLUMNS} (columns in row order)` : AXIS_COLUMNS;
  lines.push(note(rowLabelWidth + 1, axis, width, paint));
  // Ruler: the class number of every 5th or 10th column, placed over that column.
  const step = shown.length * cellWidth <= 40 ? 5 : 10;
  const span = shown.length * cellWidth;
  let ruler = '';
  for (let p = 0; p < shown.length; p += step) {
    const mark = String(shown[p]);
    const at = p * cellWidth;
    if ((at > 0 && ruler.length >= at) || at + mark.length > span) continue;
    ruler = ruler.padEnd(at) + mark;
  }
  lines.push(`${bold(paint, padEnd(AXIS_ROWS, rowLabelWidth))} ${ruler}`);
  const textWidth = Math.max(1, rowLabelWidth - numberWidth - 1);
  for (const i of shown) {
    const number = String(i).padStart(numberWidth);
    const label = labels ? `${number} ${truncate(labels[i] as string, textWidth)}` : number;
    const row = values[i] as number[];
    lines.push(`${padEnd(label, rowLabelWidth)} ${compactCells(shown.map((j) => row[j] as number), max, cellWidth, paint)}`);
  }
  lines.push(note(rowLabelWidth + 1, `shade ${RAMP.slice(1).join('')} = value ÷ largest`, width, paint));
  return lines;
}

/** A dim note over (or under) the grid columns, moved to the left edge when it would not fit there. */
function note(indent: number, text: string, width: number, paint: ChalkInstance | undefined): string {
  const at = indent + displayWidth(text) <= width ? indent : 0;
  return ' '.repeat(at) + dim(paint, text);
}

/** Labels "0".."n-1" (a bare numeric matrix) need no number in front of them. */
function labelsAreNumbers(labels: string[]): boolean {
  return labels.every((label, i) => label === String(i));
}

/**
 * One compact row. Without colour, a glyph per column; with colour, runs of equal background
 * share one escape sequence, since a 100-class row would otherwise carry 100 of them.
 */
function compactCells(values: number[], max: number, cellWidth: number, paint: ChalkInstance | undefined): string {
  if (!paint) return values.map((v) => glyph(v, max).repeat(cellWidth)).join('');
  let out = '';
  let runColor: string | undefined;
  let run = 0;
  const flush = (): void => {
    if (run === 0) return;
    const spaces = ' '.repeat(run);
    if (runColor === undefined) out += spaces;
    else {
      const [r, g, b] = runColor.split(',').map(Number) as [number, number, number];
      out += paint.bgRgb(r, g, b)(spaces);
    }
    run = 0;
  };
  for (const v of values) {
    const color = level(v, max) === 0 ? undefined : heatColor(v / max).join(',');
    if (color !== runColor) {
      flush();
      runColor = color;
    }
    run += cellWidth;
  }
  flush();
  return out;
}

/** A white-to-blue ramp like matplotlib's "Blues", for t in [0, 1]. */
function heatColor(t: number): [number, number, number] {
  const u = Math.max(0, Math.min(1, t));
  return [Math.round(222 - u * (222 - 8)), Math.round(235 - u * (235 - 48)), Math.round(247 - u * (247 - 107))];
}

/** Greedy word wrap for prose lines; a word longer than the width is cut. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = truncate(word, width);
  }
  lines.push(line);
  return lines;
}

function maxOf(values: number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The `count` classes with most samples as actual plus as predicted, in label order. */
function busiestClasses(m: ConfusionMatrix, count: number): number[] {
  const n = m.labels.length;
  const weight = new Array<number>(n).fill(0);
  m.matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      weight[i] = (weight[i] as number) + v;
      weight[j] = (weight[j] as number) + v;
    }),
  );
  const order = weight.map((_, i) => i).sort((a, b) => (weight[b] as number) - (weight[a] as number) || a - b);
  return order.slice(0, count).sort((a, b) => a - b);
}

function cellTexts(values: number[][], mode: Normalization): string[][] {
  if (mode !== 'none') return values.map((row) => row.map((v) => (v === 0 ? '0' : (v * 100).toFixed(1))));
  const integers = values.every((row) => row.every((v) => Number.isInteger(v)));
  return values.map((row) => row.map((v) => (integers ? String(v) : v.toFixed(2))));
}

function level(value: number, max: number): number {
  if (!(value > 0) || !(max > 0)) return 0;
  return 1 + Math.min(3, Math.floor((value / max) * 4));
}

function glyph(value: number, max: number): string {
  return RAMP[level(value, max)] as string;
}

/**
 * A numbers cell: shade glyph, space, text without colour; the same width on a background
 * shade with colour. A compact cell (`text` undefined) is one glyph or one coloured space.
 */
function shadeCell(value: number, max: number, text: string | undefined, paint: ChalkInstance | undefined): string {
  if (!paint) return text === undefined ? glyph(value, max) : `${glyph(value, max)} ${text}`;
  const body = text === undefined ? ' ' : `  ${text}`;
  if (level(value, max) === 0) return paint.dim(body);
  // Light cells take dark text, dark cells white.
  const t = Math.min(1, value / max);
  const [r, g, b] = heatColor(t);
  return paint.bgRgb(r, g, b)[t > 0.5 ? 'whiteBright' : 'black'](body);
}

// ------------------------------------------------------------------------------------------
// Report and pairs (text)

function reportTable(report: ClassificationReport, labels: string[], numbered: boolean, width: number, maxLabel: number, paint: ChalkInstance | undefined): string[] {
  const supports = [...report.classes.map((c) => formatCount(c.support)), formatCount(report.total)];
  // With a numbered heatmap, the report carries the same numbers so rows can be looked up.
  const numberWidth = numbered && !labelsAreNumbers(labels) ? String(labels.length - 1).length + 1 : 0;
  const names = labels.map((label, i) => (numberWidth > 0 ? `${String(i).padStart(numberWidth - 1)} ${label}` : label));
  const indent = ' '.repeat(numberWidth);
  const wanted = Math.max(numberWidth + 'weighted avg'.length, Math.min(numberWidth + maxLabel, maxOf(names.map((l) => displayWidth(l)))));
  // sklearn's column titles when they fit beside a readable class column, short ones otherwise.
  const wide = { titles: ['precision', 'recall', 'f1-score', 'support'], metric: 9, gap: 2 };
  const narrow = { titles: ['prec', 'recall', 'f1', 'n'], metric: 6, gap: 1 };
  const fixedFor = (style: typeof wide): number => {
    const supportWidth = Math.max((style.titles[3] as string).length, maxOf(supports.map((s) => s.length)));
    return 3 * (style.metric + style.gap) + style.gap + supportWidth;
  };
  const style = width - fixedFor(wide) >= Math.min(wanted, 12) ? wide : narrow;
  const supportWidth = Math.max((style.titles[3] as string).length, maxOf(supports.map((s) => s.length)));
  const classWidth = Math.max(4, Math.min(wanted, width - fixedFor(style)));
  const gap = ' '.repeat(style.gap);
  const row = (name: string, cells: string[], support: string): string =>
    padEnd(truncate(name, classWidth), classWidth) + cells.map((c) => gap + c.padStart(style.metric)).join('') + gap + support.padStart(supportWidth);
  const header = numberWidth > 0 ? `${'#'.padStart(numberWidth - 1)} class` : 'class';
  const lines = [bold(paint, row(header, style.titles.slice(0, 3), style.titles[3] as string))];
  report.classes.forEach((c, i) => lines.push(row(names[i] as string, [c.precision, c.recall, c.f1].map(fixed3), formatCount(c.support))));
  lines.push('');
  lines.push(row(indent + 'accuracy', ['', '', fixed3(report.accuracy)], formatCount(report.total)));
  lines.push(row(indent + 'macro avg', [report.macro.precision, report.macro.recall, report.macro.f1].map(fixed3), formatCount(report.total)));
  lines.push(row(indent + 'weighted avg', [report.weighted.precision, report.weighted.recall, report.weighted.f1].map(fixed3), formatCount(report.total)));
  if (style === narrow) lines.push(dim(paint, 'prec = precision, n = support'));
  return lines;
}

function confusedPairs(pairs: readonly ConfusedPair[], top: number, labels: string[], width: number, maxLabel: number, paint: ChalkInstance | undefined): string[] {
  if (pairs.length === 0) return [top > 0 ? 'No confusions: every sample is on the diagonal.' : ''];
  const counts = pairs.map((p) => formatCount(p.count));
  const rates = pairs.map((p) => `${(p.rate * 100).toFixed(1)}%`);
  const countWidth = Math.max('count'.length, maxOf(counts.map((c) => c.length)));
  const rateWidth = Math.max('of actual'.length, maxOf(rates.map((r) => r.length)));
  const fixed = 2 + 3 + 2 + countWidth + 2 + rateWidth;
  let actualWidth = Math.max(AXIS_ROWS.length, Math.min(maxLabel, maxOf(pairs.map((p) => displayWidth(labels[p.actualIndex] as string)))));
  let predictedWidth = Math.max(AXIS_COLUMNS.length, Math.min(maxLabel, maxOf(pairs.map((p) => displayWidth(labels[p.predictedIndex] as string)))));
  // Share what is left between the two label columns when the line would be too wide.
  while (fixed + actualWidth + predictedWidth > width && (actualWidth > 6 || predictedWidth > 6)) {
    if (actualWidth >= predictedWidth) actualWidth--;
    else predictedWidth--;
  }
  const line = (a: string, arrow: string, p: string, c: string, r: string): string =>
    `  ${padEnd(truncate(a, actualWidth), actualWidth)} ${arrow} ${padEnd(truncate(p, predictedWidth), predictedWidth)}  ${c.padStart(countWidth)}  ${r.padStart(rateWidth)}`;
  const title = pairs.length === 1 ? 'Most confused pair' : `Most confused pairs (top ${pairs.length})`;
  const lines = [bold(paint, title), dim(paint, line(AXIS_ROWS, ' ', AXIS_COLUMNS, 'count', 'of actual'))];
  pairs.forEach((p, i) => lines.push(line(labels[p.actualIndex] as string, '→', labels[p.predictedIndex] as string, counts[i] as string, rates[i] as string)));
  return lines;
}

// ------------------------------------------------------------------------------------------
// Markdown

/** The same for a CI summary: the matrix as a table (the busiest `maxClasses` classes), the report, the pairs. */
export function renderMatrixMarkdown(analysis: MatrixAnalysis, opts: MatrixRenderOptions): string {
  const { matrix: m, report } = analysis;
  const labels = m.labels.map(markdownText);
  const out: string[] = [];
  out.push(`### Confusion matrix${opts.title !== undefined ? `: ${markdownText(opts.title)}` : ''}`);
  out.push('');
  out.push(`${plural(m.labels.length, 'class', 'classes')}, ${plural(report.total, 'sample', 'samples', formatCount)}. Rows: actual class; columns: predicted class; ${valueNote(analysis.normalize)}.`);
  if (m.labels.length === 0) return out.join('\n') + '\n';
  out.push('');

  const limit = Math.max(1, opts.maxClasses ?? 30);
  const shown = m.labels.length > limit ? busiestClasses(m, limit) : m.labels.map((_, i) => i);
  if (shown.length < m.labels.length) {
    out.push(`Showing the ${shown.length} classes with the most samples (actual + predicted) of ${m.labels.length}; the report below lists all.`);
    out.push('');
  }
  const values = analysis.values;
  const texts = cellTexts(values, analysis.normalize);
  const suffix = analysis.normalize === 'none' ? '' : '%';
  out.push(`| actual ↓ predicted → | ${shown.map((j) => labels[j]).join(' | ')} |`);
  out.push(`|---|${shown.map(() => '--:').join('|')}|`);
  for (const i of shown) {
    const cells = shown.map((j) => {
      const text = ((texts[i] as string[])[j] as string) + ((values[i] as number[])[j] === 0 ? '' : suffix);
      return i === j ? `**${text}**` : text;
    });
    out.push(`| **${labels[i]}** | ${cells.join(' | ')} |`);
  }
  out.push('');

  out.push('| class | precision | recall | f1-score | support |');
  out.push('|---|--:|--:|--:|--:|');
  report.classes.forEach((c, i) => out.push(`| ${labels[i]} | ${fixed3(c.precision)} | ${fixed3(c.recall)} | ${fixed3(c.f1)} | ${formatCount(c.support)} |`));
  out.push(`| **accuracy** | | | ${fixed3(report.accuracy)} | ${formatCount(report.total)} |`);
  out.push(`| **macro avg** | ${fixed3(report.macro.precision)} | ${fixed3(report.macro.recall)} | ${fixed3(report.macro.f1)} | ${formatCount(report.total)} |`);
  out.push(`| **weighted avg** | ${fixed3(report.weighted.precision)} | ${fixed3(report.weighted.recall)} | ${fixed3(report.weighted.f1)} | ${formatCount(report.total)} |`);
  out.push('');

  const pairs = analysis.mostConfused;
  if (pairs.length === 0) {
    out.push('No confusions: every sample is on the diagonal.');
  } else {
    out.push('**Most confused pairs**');
    out.push('');
    out.push('| actual | predicted | count | % of actual |');
    out.push('|---|---|--:|--:|');
    for (const p of pairs) out.push(`| ${labels[p.actualIndex]} | ${labels[p.predictedIndex]} | ${formatCount(p.count)} | ${(p.rate * 100).toFixed(1)}% |`);
  }
  return out.join('\n') + '\n';
}

/** Text safe inside a markdown table cell: controls made visible, markdown punctuation escaped, never empty. */
function markdownText(text: string): string {
  const safe = breakAutolinks(escapeForTerminal(text).replace(/[\\`*_[\]<>|~&!]/g, (ch) => '\\' + ch));
  return safe === '' ? '""' : safe;
}

// ------------------------------------------------------------------------------------------
// Small helpers

function fixed3(value: number): string {
  return value.toFixed(3);
}

function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function plural(count: number, one: string, many: string, format: (n: number) => string = String): string {
  return `${format(count)} ${count === 1 ? one : many}`;
}

function bold(paint: ChalkInstance | undefined, text: string): string {
  return paint ? paint.bold(text) : text;
}

function dim(paint: ChalkInstance | undefined, text: string): string {
  return paint ? paint.dim(text) : text;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

// ------------------------------------------------------------------------------------------
// `matrix`'s output: every matrix of every input, each analysed once

function titleOf(item: FoundMatrix, inputTotal: number, all: boolean): string {
  const where = item.line === undefined ? displayName(item.source) : `${displayName(item.source)}:${item.line}`;
  const what = item.key ?? (item.form === 'kubeflow-csv' ? 'target,predicted,count' : 'per-sample predictions');
  const latest = !all && inputTotal > 1 ? ` (latest of ${inputTotal})` : '';
  return `${what} · ${where}${latest}`;
}

/** The JSON entry of one matrix: `{key, labels, matrix, metrics}` plus where it came from. */
export function matrixJson(item: FoundMatrix, analysis: MatrixAnalysis): Record<string, unknown> {
  const { report } = analysis;
  const entry: Record<string, unknown> = {
    key: item.key,
    labels: item.matrix.labels,
    matrix: item.matrix.matrix,
  };
  if (analysis.normalize !== 'none') entry['normalized'] = analysis.values;
  entry['metrics'] = {
    accuracy: report.accuracy,
    total: report.total,
    classes: report.classes,
    macro: report.macro,
    weighted: report.weighted,
    mostConfused: analysis.mostConfused.map(({ actual, predicted, count, rate }) => ({ actual, predicted, count, rate })),
  };
  entry['source'] = item.source;
  entry['line'] = item.line ?? null;
  entry['form'] = item.form;
  return entry;
}

/** How `matrix` prints: the format, how cells are shown, whether every matrix of a log is shown. */
export interface MatricesRenderOptions {
  format: 'text' | 'json' | 'markdown';
  normalize: Normalization;
  all?: boolean;
  color: boolean;
  width: number;
}

/** Every matrix of the inputs as text or markdown, one after another; or, for `json`, one array of entries. */
export function renderMatrices(results: readonly InputMatrices[], options: MatricesRenderOptions): string {
  const all = Boolean(options.all);
  if (options.format === 'json') {
    const entries = results.flatMap((result) => result.found.map((item) => matrixJson(item, analyseMatrix(item.matrix, options.normalize))));
    return JSON.stringify(entries, null, 2) + '\n';
  }
  const parts: string[] = [];
  for (const result of results) {
    for (const item of result.found) {
      const analysis = analyseMatrix(item.matrix, options.normalize);
      const opts = { color: options.color, width: options.width, title: titleOf(item, result.total, all) };
      parts.push(options.format === 'markdown' ? renderMatrixMarkdown(analysis, opts) : renderMatrixText(analysis, opts));
    }
  }
  return parts.map((part) => (part.endsWith('\n') ? part : part + '\n')).join('\n');
}
