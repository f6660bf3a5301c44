/**
 * Line charts for the terminal: a wrapper over asciichart's `plot` that adds what it lacks
 * (it throws on NaN, has no width limit and no x-axis). Pure: data in, string out; colour is a
 * parameter, never detected here.
 *
 * Layout, top to bottom: optional title, legend, `height` plot rows (y labels, axis, lines),
 * the x-axis with marks for non-finite values, the x labels.
 *
 * With `logY` the rows are evenly spaced in log10 of y; only rows near a decade (or 2 and 5 between
 * decades on a short range) are labelled, and values ≤ 0 are handled like NaN: a gap and a mark.
 *
 * Without colour, series are told apart by line style (`─ ━ ═ ┄`). With more series than styles,
 * or when a series' line is hidden under the others, every series also gets letters (`a`, `b`, …
 * `z`, `aa`, `ab`, …) drawn on its line, at its end and every third of the width or so before it,
 * and shown in its legend key (`─a`).
 */
import { plot } from 'asciichart';
import type { ForegroundColorName } from 'chalk';
import { colors } from './colors.js';
import { displayWidth, truncate } from './width.js';
import { countNonFinite, nonFiniteKind, type NonFiniteCounts, type Point } from '../analyse/series.js';
import { escapeForTerminal } from '../core/escape.js';
import { formatValue } from './format.js';

export interface ChartSeries {
  /** Name shown in the legend (escaped before printing). */
  label: string;
  /** Points to draw; y may be NaN/±Infinity (a gap in the line and a mark on the x-axis). */
  points: readonly Point[];
  /** Unsmoothed points, drawn faint behind `points` when colour is on; not drawn without colour. */
  raw?: readonly Point[];
  /** Legend totals when `points` is a downsampled view (e.g. `Series.nonFinite`); default: counted from `points`. */
  nonFinite?: NonFiniteCounts;
}

export interface ChartOptions {
  /** Total columns available, y labels included; no line is wider. */
  width: number;
  /** Plot rows; default 10, at least 2. */
  height?: number;
  /** Emit ANSI colours (one per series). Without it the output holds no escape bytes. */
  color: boolean;
  /** First line, escaped. */
  title?: string;
  /** Name of the x quantity ('step', 'elapsed', ...), shown on the x label line when it fits. */
  xLabel?: string;
  /** Formats x labels; default {@link formatX}. Use {@link formatElapsed} for seconds. */
  xFormat?: (x: number) => string;
  /**
   * Show each series' latest y (and its raw latest when smoothed) after its name in the legend.
   * Default true; off where the last y says nothing (a ROC curve always ends at tpr 1).
   */
  legendValue?: boolean;
  /**
   * Plot y on a log10 scale (a learning rate, a loss over several decades). Tick labels show the
   * values themselves at decades (`1e-6`, `1e-5`, … or `0.01`, `0.1`, `1`), with 2 and 5 (or 2…9)
   * between them when the range is short. Values ≤ 0 have no place on it: like NaN they leave a gap
   * and a {@link NON_POSITIVE_MARK} on the x-axis, and the legend counts them (`▾ 3 ≤ 0 not drawn`;
   * from `raw` when given, as those are the values logged). The title, or the legend when there is
   * no title, ends in `· log y`. When no finite value is > 0 the chart is drawn linear and says
   * `· linear y: no value > 0 for log`. Default false.
   */
  logY?: boolean;
}

/** Marks drawn on the x-axis under columns where a series had non-finite values. */
export const MARKS: Readonly<Record<keyof NonFiniteCounts, string>> = { nan: '×', posInf: '↑', negInf: '↓' };

/** Mark drawn on the x-axis under columns where a series had values ≤ 0 that a log scale cannot show. */
export const NON_POSITIVE_MARK = '▾';

/** What a column's x-axis mark stands for: a non-finite kind, or a value ≤ 0 on a log scale. */
type MarkKind = keyof NonFiniteCounts | 'nonPositive';

/** Row step of a constant series on a log scale: 1 % a row, as the linear scale gives one. */
const LOG_CONSTANT_STEP = Math.log10(1.01);

/** Narrowest log10 span drawn as a range (a ratio of 1 + 1e-9); a narrower one draws as a constant. */
const LOG_MIN_SPAN = Math.log10(1 + 1e-9);

/** Fewer plot columns than this show too little to be worth a chart; a message says so instead. */
const MIN_COLUMNS = 8;

/**
 * Fewest blank columns between two x labels: with one, `500000000 1000000000` reads as a single
 * number, so the middle label is left out rather than crowd its neighbours.
 */
const X_LABEL_GAP = 2;

/** Longest x name (`--x` key) shown under the y labels; longer ones are cut with …. */
const MAX_X_NAME = 13;

type Symbols = [string, string, string, string, string, string, string, string, string, string];

/**
 * asciichart's glyphs, and variants so that series stay distinguishable without colour.
 * Order: ┼ ┤ ╶ ╴ ─ ╰ ╭ ╮ ╯ │ (see asciichart's `defaultSymbols`).
 */
const GLYPHS: readonly Symbols[] = [
  ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  ['┼', '┤', '╶', '╴', '━', '┗', '┏', '┓', '┛', '┃'],
  ['┼', '┤', '╶', '╴', '═', '╚', '╔', '╗', '╝', '║'],
  ['┼', '┤', '╶', '╴', '┄', '╰', '╭', '╮', '╯', '┆'],
];

const PALETTE: readonly ForegroundColorName[] = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red'];

type Paint = (text: string) => string;

interface Cell {
  ch: string;
  paint?: Paint | undefined;
  /** Index of the series drawn here (its line or its marker). */
  owner?: number;
  /** The cell holds (part of) a series' marker, not its line. */
  marker?: boolean;
}

// A cell is replaced when something is drawn on it, never changed, so every blank (and every
// plain axis) cell can be one object: a chart is some thousand cells.
const BLANK_CELL: Cell = Object.freeze({ ch: ' ' });
const AXIS_CELL: Cell = Object.freeze({ ch: '─' });

interface Style {
  glyphs: Symbols;
  paint: Paint | undefined;
  rawPaint: Paint | undefined;
}

function styleFor(index: number, color: boolean): Style {
  const name = PALETTE[index % PALETTE.length] as ForegroundColorName;
  if (color) return { glyphs: GLYPHS[0] as Symbols, paint: colors()[name], rawPaint: colors().dim[name] };
  return { glyphs: GLYPHS[index % GLYPHS.length] as Symbols, paint: undefined, rawPaint: undefined };
}

/**
 * The line glyphs of style `k` that none of the first `used` other styles draws: with all four in
 * use, `─ │` for the first, whose corners `┄` shares.
 */
function ownGlyphs(k: number, used: number): string[] {
  const lines = (glyphs: Symbols): string[] => glyphs.slice(4);
  return lines(GLYPHS[k] as Symbols).filter((ch) => GLYPHS.slice(0, used).every((other, j) => j === k || !lines(other).includes(ch)));
}

/**
 * The letters naming series `index`: `a` … `z`, then `aa`, `ab`, … (bijective base 26), so any
 * number of series have distinct markers. Letters, not numbers: run names often hold numbers
 * (`run-3.log`), and a `3` on run-7's line would mislead.
 */
export function markerOf(index: number): string {
  let n = Math.max(0, Math.floor(index)) + 1;
  let out = '';
  while (n > 0) {
    n--;
    out = String.fromCharCode(0x61 + (n % 26)) + out;
    n = Math.floor(n / 26);
  }
  return out;
}

/**
 * Renders series as one chart `options.width` columns wide. Series share the x range, so they line
 * up by x (step or time), not by index. Each series is reduced to the plot's columns by min/max
 * buckets, so spikes survive; empty buckets between data are bridged; buckets mostly NaN or
 * ±Infinity are gaps, and every bucket holding one gets a mark on the x-axis.
 * Empty input, all-NaN input or a width too small for a plot give a one-line message, never a throw.
 */
export function renderChart(series: readonly ChartSeries[], options: ChartOptions): string {
  const width = Number.isFinite(options.width) ? Math.floor(options.width) : 80;
  if (width <= 0) return '';
  const height = Math.max(2, Number.isFinite(options.height) ? Math.floor(options.height as number) : 10);
  const prefix = options.title === undefined ? '' : `${escapeForTerminal(options.title)}: `;

  // Raw points are drawn only in colour, so only then do they widen the ranges.
  const logY = options.logY === true;
  const drawn = emptyExtent();
  for (const s of series) {
    widenExtent(drawn, s.points, logY);
    if (options.color && s.raw) widenExtent(drawn, s.raw, logY);
  }
  if (drawn.count === 0) return truncate(`${prefix}no data yet`, width);
  if (drawn.finite === 0) {
    const counts = series.map((s) => `${escapeForTerminal(s.label)}: ${describeNonFinite(s.nonFinite ?? countNonFinite(s.points))}`);
    return truncate(`${prefix}no finite values to plot (${counts.join('; ')})`, width);
  }

  // Log only when something can be drawn on it; otherwise linear, and the note says why.
  const log = drawn.positive > 0;
  const yNote = !logY ? '' : log ? 'log y' : 'linear y: no value > 0 for log';
  const scale = log ? logScale(drawn.logLo, drawn.logHi, height) : yScale(drawn.yLo, drawn.yHi, height);
  const labels = log ? logLabels(scale, height) : yLabels(scale, height);
  const title = options.title === undefined ? [] : [withNote(escapeForTerminal(options.title), yNote, width)];
  const yWidth = labels.reduce((w, l) => Math.max(w, displayWidth(l)), 0);
  // The x name ends under the axis corner, so it may widen the label column, by at most 12 columns
  // and only while the plot keeps its minimum width.
  let xName = options.xLabel === undefined ? '' : truncate(escapeForTerminal(options.xLabel), MAX_X_NAME);
  if (width - Math.max(yWidth, displayWidth(xName) - 1) - 2 < MIN_COLUMNS) xName = '';
  const labelWidth = Math.max(yWidth, displayWidth(xName) - 1);
  const columns = width - labelWidth - 2;
  if (columns < MIN_COLUMNS) return truncate(`${prefix}too narrow for a chart (${width} columns)`, width);

  const xr: XRange = { lo: drawn.xLo, hi: drawn.xHi, integers: drawn.integers };
  const grid = newGrid(height, columns);
  const axis: Cell[] = new Array<Cell>(columns).fill(AXIS_CELL);
  const yAxis: Cell[] = labels.map(() => ({ ch: '┤' }));
  const styles = series.map((_, i) => styleFor(i, options.color));
  const paths: Path[] = [];

  // Raw first, so the smoothed lines of every series are drawn over it.
  if (options.color) {
    series.forEach((s, i) => {
      const style = styles[i] as Style;
      if (s.raw) drawSlots(grid, layout(s.raw, xr, columns, scale, height, log).slots, height, style.glyphs, style.rawPaint);
    });
  }
  series.forEach((s, i) => {
    const style = styles[i] as Style;
    const { slots, marks } = layout(s.points, xr, columns, scale, height, log);
    const cells = drawSlots(grid, slots, height, style.glyphs, style.paint, i);
    let end = slots.length - 1;
    while (end > 0 && slots[end] === undefined) end--;
    const last = slots[end];
    paths.push({ cells, endRow: last === undefined ? 0 : rowOf(last, height) });
    const start = slots[0];
    if (start !== undefined) yAxis[rowOf(start, height)] = { ch: '┼', paint: style.paint };
    marks.forEach((kind, col) => (axis[col] = { ch: markOf(kind), paint: style.paint }));
  });

  const markers = options.color || !needsMarkers(grid, paths, series.length) ? undefined : series.map((_, i) => markerOf(i));
  if (markers) placeMarkers(grid, paths, markers);

  const plotRows = grid.map((row, r) => `${(labels[r] as string).padStart(labelWidth)} ${renderCells([yAxis[r] as Cell].concat(row))}`);
  const xLines = xAxis(xr, columns, labelWidth, axis, xName, options.xFormat ?? formatX);
  const legend = legendLines(series, styles, markers, width, { showValue: options.legendValue ?? true, log, note: options.title === undefined ? yNote : '' });
  return [...title, ...legend, ...plotRows, ...xLines].join('\n');
}

interface XRange {
  lo: number;
  hi: number;
  /** Every x is an integer (steps, epochs): the middle label is then rounded to one. */
  integers: boolean;
}

/** What the points a chart draws span: the x range all share and the y range the scale needs. */
interface Extent {
  /** Points with a finite x: drawn, or marked when their y is not finite. */
  count: number;
  xLo: number;
  xHi: number;
  integers: boolean;
  /** Points with a finite x and a finite y, and their lowest and highest y. */
  finite: number;
  yLo: number;
  yHi: number;
  /** For a log scale: points with a positive y, and the lowest and highest log10 of it. */
  positive: number;
  logLo: number;
  logHi: number;
}

function emptyExtent(): Extent {
  return { count: 0, xLo: Infinity, xHi: -Infinity, integers: true, finite: 0, yLo: Infinity, yHi: -Infinity, positive: 0, logLo: Infinity, logHi: -Infinity };
}

/**
 * Widens `extent` by `points`. One indexed pass for every range, with no array of points in
 * between: on a small log a chart runs before V8 has optimised anything, where every pass and
 * every array built costs (and the x range is a loop, not Math.min(...xs), which overflows the
 * stack on big inputs).
 */
function widenExtent(extent: Extent, points: readonly Point[], logY: boolean): void {
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    const x = p.x;
    if (!Number.isFinite(x)) continue;
    extent.count++;
    if (x < extent.xLo) extent.xLo = x;
    if (x > extent.xHi) extent.xHi = x;
    if (extent.integers && !Number.isInteger(x)) extent.integers = false;
    const y = p.y;
    if (!Number.isFinite(y)) continue;
    extent.finite++;
    if (y < extent.yLo) extent.yLo = y;
    if (y > extent.yHi) extent.yHi = y;
    if (logY && y > 0) {
      extent.positive++;
      const l = Math.log10(y);
      if (l < extent.logLo) extent.logLo = l;
      if (l > extent.logHi) extent.logHi = l;
    }
  }
}

interface YScale {
  lo: number;
  hi: number;
}

/**
 * The y scale for finite values from `lo` to `hi`. A constant series gets a small range around its
 * value with the value exactly on the middle row, so it draws as a flat line there, labelled with
 * its value.
 */
function yScale(lo: number, hi: number, height: number): YScale {
  // Values so close that half their difference underflows draw as a constant too.
  if (hi / 2 - lo / 2 > 0) return { lo, hi };
  const v = lo / 2 + hi / 2;
  let step = Math.abs(v) / 100;
  if (v + step === v) step = 1;
  const mid = Math.round((height - 1) / 2);
  return { lo: v - mid * step, hi: v + (height - 1 - mid) * step };
}

/** Position of y in [0, 1] of the scale; halves keep `hi - lo` finite even for ±1e308. */
function fraction(y: number, s: YScale): number {
  const t = (y / 2 - s.lo / 2) / (s.hi / 2 - s.lo / 2);
  return t > 0 ? Math.min(1, t) : 0;
}

/** Row from the top for a value already scaled to [0, height - 1], rounded as asciichart rounds. */
function rowOf(scaled: number, height: number): number {
  return height - 1 - Math.round(scaled);
}

/** Value at each row, top row first. */
function rowValues(s: YScale, height: number): number[] {
  return Array.from({ length: height }, (_, r) => {
    const k = height - 1 - r;
    if (k === height - 1) return s.hi;
    return 2 * (s.lo / 2 + (k / (height - 1)) * (s.hi / 2 - s.lo / 2));
  });
}

/**
 * Labels for each row, top first, with just enough precision that adjacent rows read differently
 * (0.9247 vs 0.9262, not 0.92 twice): decimals come from the row step; exponent form (2.5e-7)
 * from 1e7 up or when more than 6 decimals would be needed.
 */
function yLabels(s: YScale, height: number): string[] {
  const values = rowValues(s, height);
  const step = 2 * ((s.hi / 2 - s.lo / 2) / (height - 1));
  const maxAbs = Math.max(Math.abs(s.lo), Math.abs(s.hi));
  // A last-digit unit of at most half a row step: neighbours always differ, and rounding shifts a
  // label by at most a quarter step, so 1.4-apart rows read 7.0 5.6 4.2, not 7 6 4.
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / 2)));
  const fixed = maxAbs < 1e7 && decimals <= 6;
  const exponent = Math.floor(Math.log10(maxAbs));
  let digits = fixed ? decimals : Math.min(15, Math.max(1, Math.ceil(exponent - Math.log10(step / 2))));
  const render = (): string[] => values.map((v) => cleanZero(fixed ? v.toFixed(digits) : v.toExponential(digits).replace('e+', 'e')));
  let labels = render();
  // Rounding at a boundary can still make neighbours equal; another digit or two settles it.
  while (digits < 15 && labels.some((l, i) => i > 0 && l === labels[i - 1])) {
    digits++;
    labels = render();
  }
  return labels;
}

/** "-0.00" reads like a bug. */
function cleanZero(label: string): string {
  return Number(label) === 0 ? label.replace(/^-/, '') : label;
}

/**
 * The log scale for positive values whose log10 runs from `lo` to `hi`. A constant sits on the middle row as on the linear scale;
 * so do values less than a billionth apart, finer than log10 and row labels can tell apart.
 */
function logScale(lo: number, hi: number, height: number): YScale {
  if (hi - lo > LOG_MIN_SPAN) return { lo, hi };
  const v = lo / 2 + hi / 2;
  const mid = Math.round((height - 1) / 2);
  return { lo: v - mid * LOG_CONSTANT_STEP, hi: v + (height - 1 - mid) * LOG_CONSTANT_STEP };
}

/**
 * Tick sets for a log scale, finest first: mantissas × 10^n, then every `decades`-th decade.
 * The finest set whose ticks land on distinct rows is used, so a short range gets 2 and 5 (or
 * 2…9) between decades and a long one every decade, or every 2nd, 3rd, 5th….
 */
const LOG_TICKS: readonly { mantissas: readonly number[]; decades: number }[] = [
  { mantissas: [1, 2, 3, 4, 5, 6, 7, 8, 9], decades: 1 },
  { mantissas: [1, 2, 5], decades: 1 },
  ...[1, 2, 3, 5, 10, 20, 50, 100].map((decades) => ({ mantissas: [1], decades })),
];

/**
 * Labels for a log scale, top row first, '' on unlabelled rows. A tick goes on the row nearest
 * its value, which is where a point of that value is drawn; ticks up to half a row outside the
 * data still count, since the end rows stand for them. A range too short for two ticks (0.91 to
 * 0.93) labels every row with its value instead, with just enough digits to tell rows apart.
 */
function logLabels(s: YScale, height: number): string[] {
  const half = (s.hi - s.lo) / (height - 1) / 2;
  const rowOfLog = (l: number): number => rowOf(fraction(l, s) * (height - 1), height);
  for (const { mantissas, decades } of LOG_TICKS) {
    const ticks: number[] = [];
    const first = Math.floor((s.lo - half) / decades) - 1;
    const last = Math.ceil((s.hi + half) / decades);
    for (let e = first; e <= last && ticks.length <= height; e++) {
      for (const m of mantissas) {
        // Read from text: m * 10 ** e is 9.999999999999999e-5 for 1e-4.
        const v = Number(`${m}e${e * decades}`);
        const l = Math.log10(v);
        if (l >= s.lo - half && l <= s.hi + half) ticks.push(v);
      }
    }
    const rows = ticks.map((t) => rowOfLog(Math.log10(t)));
    if (ticks.length < 2 || ticks.length > height || new Set(rows).size < rows.length) continue;
    const texts = tickTexts(ticks);
    const labels = new Array<string>(height).fill('');
    rows.forEach((r, i) => (labels[r] = texts[i] as string));
    return labels;
  }
  const values = rowValues(s, height).map((l) => 10 ** l);
  let digits = 2;
  let labels = tickTexts(values.map((v) => Number(v.toPrecision(digits))));
  while (digits < 15 && labels.some((l, i) => i > 0 && l === labels[i - 1])) {
    digits++;
    labels = tickTexts(values.map((v) => Number(v.toPrecision(digits))));
  }
  // Only subnormal values (below 1e-308) can still repeat: label a row once, not twice.
  return labels.map((l, i) => (i > 0 && l === labels[i - 1] ? '' : l));
}

/**
 * Positive values, all in one style: plain (0.01, 0.5, 100) unless exponent form (1e-5, 2e-5,
 * 1e6) is at least two columns narrower for the widest, or plain would need an exponent anyway.
 */
function tickTexts(values: readonly number[]): string[] {
  const exp = values.map((v) => v.toExponential().replace('e+', 'e'));
  const plain = values.map((v) => String(v));
  const widest = (texts: readonly string[]): number => texts.reduce((w, t) => Math.max(w, t.length), 0);
  return plain.some((t) => t.includes('e')) || widest(plain) >= widest(exp) + 2 ? exp : plain;
}

/** A title followed by ` · note`, the title cut first so the note stays readable. */
function withNote(text: string, note: string, width: number): string {
  if (note === '') return truncate(text, width);
  if (text === '') return truncate(note, width);
  const tail = ` · ${note}`;
  const room = width - displayWidth(tail);
  return room >= 2 ? truncate(text, room) + tail : truncate(text + tail, width);
}

interface Layout {
  /** Values scaled to [0, height - 1] at the columns + 1 points asciichart joins; undefined = gap. */
  slots: (number | undefined)[];
  /** Column → what to mark there (NaN first, then +Inf, then -Inf, then ≤ 0 on a log scale). */
  marks: Map<number, MarkKind>;
}

interface XBucket {
  /** Index in the series of the lowest and highest finite point, or -1; `loY`/`hiY` their y as drawn. */
  lo: number;
  hi: number;
  loY: number;
  hiY: number;
  finite: number;
  /** Values not drawn: non-finite, and ≤ 0 on a log scale. */
  nonFiniteCount: number;
  nonFinite?: MarkKind;
}

/**
 * Places a series on the plot's columns. asciichart draws n values in n - 1 columns, each joining
 * two neighbours, so `columns` columns take `columns + 1` slots. The shared x range is cut into
 * buckets of two slots; a bucket's slots hold its lowest and highest finite value in x order, so
 * the column between them spans the bucket's full range and no spike is lost. On a log scale
 * (`log`, `scale` in log10 units) values ≤ 0 count as not drawn, like NaN.
 */
function layout(points: readonly Point[], xr: { lo: number; hi: number }, columns: number, scale: YScale, height: number, log: boolean): Layout {
  const slotsCount = columns + 1;
  const nb = Math.floor(slotsCount / 2);
  const buckets: XBucket[] = Array.from({ length: nb }, () => ({ lo: -1, hi: -1, loY: 0, hiY: 0, finite: 0, nonFiniteCount: 0 }));
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    if (!Number.isFinite(p.x)) continue;
    const b = buckets[bucketOfX(p.x, xr, nb)] as XBucket;
    const kind: MarkKind | undefined = nonFiniteKind(p.y) ?? (log && p.y <= 0 ? 'nonPositive' : undefined);
    if (kind) {
      if (!b.nonFinite || markPriority(kind) < markPriority(b.nonFinite)) b.nonFinite = kind;
      b.nonFiniteCount++;
      continue;
    }
    b.finite++;
    // Indices, not objects: a rising accuracy is a new highest at almost every point.
    const y = log ? Math.log10(p.y) : p.y;
    if (b.lo === -1 || y < b.loY) {
      b.lo = i;
      b.loY = y;
    }
    if (b.hi === -1 || y > b.hiY) {
      b.hi = i;
      b.hiY = y;
    }
  }

  const slots: (number | undefined)[] = new Array<number | undefined>(slotsCount).fill(undefined);
  const marks = new Map<number, MarkKind>();
  const scaled = (y: number): number => fraction(y, scale) * (height - 1);
  let previous = -1; // last slot filled with data, while no gap has followed it
  buckets.forEach((b, k) => {
    if (b.nonFinite) marks.set(Math.min(2 * k, columns - 1), b.nonFinite);
    // A bucket mostly NaN/±Infinity is a gap: a NaN stretch shows as a break, a lone NaN only as a mark.
    if (b.lo === -1 || b.nonFiniteCount > b.finite) {
      if (b.nonFiniteCount > 0) previous = -1;
      return;
    }
    const loX = (points[b.lo] as Point).x;
    const hiX = (points[b.hi] as Point).x;
    const loFirst = loX < hiX || (loX === hiX && b.lo <= b.hi);
    slots[2 * k] = scaled(loFirst ? b.loY : b.hiY);
    slots[2 * k + 1] = scaled(loFirst ? b.hiY : b.loY);
    if (previous >= 0) bridge(slots, previous, 2 * k);
    previous = 2 * k + 1;
  });
  // The odd slot left when columns is even continues the last bucket's line.
  if (slotsCount % 2 === 1) slots[slotsCount - 1] = slots[slotsCount - 2];
  // All points at one x: draw them across the whole width rather than as a dot at the left edge.
  if (xr.hi === xr.lo && slots[1] !== undefined) slots.fill(slots[1], 2);
  return { slots, marks };
}

function markPriority(kind: MarkKind): number {
  return kind === 'nan' ? 0 : kind === 'posInf' ? 1 : kind === 'negInf' ? 2 : 3;
}

function markOf(kind: MarkKind): string {
  return kind === 'nonPositive' ? NON_POSITIVE_MARK : MARKS[kind];
}

/** Finite values ≤ 0: what a log scale leaves out. */
function countNonPositive(points: readonly Point[]): number {
  let n = 0;
  for (const p of points) if (p.y <= 0) n++;
  return n;
}

function bucketOfX(x: number, xr: { lo: number; hi: number }, nb: number): number {
  return Math.min(nb - 1, Math.floor(xFraction(x, xr) * nb));
}

/** Position of x in [0, 1] of the shared range; 0 when the range is a single x (or underflows). */
function xFraction(x: number, xr: { lo: number; hi: number }): number {
  const t = (x / 2 - xr.lo / 2) / (xr.hi / 2 - xr.lo / 2);
  return t > 0 ? Math.min(1, t) : 0;
}

/** Fills the empty slots between two data slots by linear interpolation, so sparse series stay connected. */
function bridge(slots: (number | undefined)[], from: number, to: number): void {
  const a = slots[from] as number;
  const b = slots[to] as number;
  for (let k = from + 1; k < to; k++) slots[k] = a + ((b - a) * (k - from)) / (to - from);
}

function newGrid(height: number, columns: number): Cell[][] {
  return Array.from({ length: height }, () => new Array<Cell>(columns).fill(BLANK_CELL));
}

/**
 * Draws each unbroken run of slots with asciichart (values already scaled to rows, so its own
 * scaling is the identity) and copies the glyphs onto the grid at the run's columns. Returns the
 * cells drawn, `[row, column]`, so markers can be put on the line.
 */
function drawSlots(grid: Cell[][], slots: readonly (number | undefined)[], height: number, glyphs: Symbols, paint: Paint | undefined, owner?: number): [number, number][] {
  const columns = slots.length - 1;
  const drawn: [number, number][] = [];
  for (const [from, to] of runs(slots)) {
    const values = slots.slice(from, to + 1) as number[];
    if (values.length === 1) {
      // A lone value joins nothing; show it as a dash rather than not at all.
      const r = rowOf(values[0] as number, height);
      const col = Math.min(from, columns - 1);
      (grid[r] as Cell[])[col] = { ch: glyphs[4], paint, owner };
      drawn.push([r, col]);
      continue;
    }
    const text = plot(values, { min: 0, max: height - 1, height: height - 1, offset: 1, padding: ' ', format: () => ' ', symbols: glyphs });
    text.split('\n').forEach((line, r) => {
      const chars = Array.from(line);
      const row = grid[r];
      if (!row) return;
      // chars[0] is asciichart's own axis; the run's columns follow it.
      for (let j = 0; j < values.length - 1; j++) {
        const ch = chars[j + 1];
        if (ch !== undefined && ch !== ' ') {
          row[from + j] = { ch, paint, owner };
          drawn.push([r, from + j]);
        }
      }
    });
  }
  return drawn;
}

interface Path {
  /** Cells the series' line was drawn on, `[row, column]`; later series may have drawn over some. */
  cells: [number, number][];
  /** Row of the series' last point. */
  endRow: number;
}

/**
 * Whether line styles alone cannot tell the series apart (without colour): more series than
 * styles, or a series whose line shows no glyph that only its style draws among those in use
 * (the others drew over it). One series needs no telling apart.
 */
function needsMarkers(grid: readonly Cell[][], paths: readonly Path[], count: number): boolean {
  if (count > GLYPHS.length) return true;
  if (count < 2) return false;
  return paths.some((path, i) => {
    const own = ownGlyphs(i, count);
    return path.cells.length > 0 && !path.cells.some(([r, c]) => grid[r]?.[c]?.owner === i && own.includes(grid[r]?.[c]?.ch as string));
  });
}

/** Fewest columns between two markers of one series; on a wide plot they are a third of it apart. */
const MARKER_SPACING = 16;

/**
 * Puts each series' marker on its line: first at its end for every series (its last point, or the
 * nearest cell back along its path where the marker touches no other, even where a later series
 * drew over it: the end is where the run stopped), then back along the line every third of the
 * plot or so, where its own line shows. A marker never touches another horizontally, so each
 * reads as one word. A series with no room on its path is marked in the free cell nearest its
 * end, so every series drawn has its marker in the plot while there is room for them.
 */
function placeMarkers(grid: Cell[][], paths: readonly Path[], markers: readonly string[]): void {
  const columns = grid[0]?.length ?? 0;
  const spacing = Math.max(MARKER_SPACING, Math.floor(columns / 3));
  const fits = (r: number, col: number, marker: string): boolean => {
    const row = grid[r];
    const start = col - marker.length + 1;
    if (row === undefined || start < 0 || col >= columns) return false;
    for (let c = start - 1; c <= col + 1; c++) if (row[c]?.marker === true) return false;
    return true;
  };
  const put = (r: number, col: number, marker: string, owner: number): void => {
    const row = grid[r] as Cell[];
    Array.from(marker).forEach((ch, k) => (row[col - marker.length + 1 + k] = { ch, owner, marker: true }));
  };
  const shows = (i: number) => ([r, c]: [number, number]): boolean => grid[r]?.[c]?.owner === i && grid[r]?.[c]?.marker !== true;
  // Rightmost first, and in the rightmost column the row of the last point first.
  const byEnd = (path: Path) => (a: [number, number], b: [number, number]): number => b[1] - a[1] || Math.abs(a[0] - path.endRow) - Math.abs(b[0] - path.endRow);

  const ends: (number | undefined)[] = paths.map(() => undefined);
  // The series with the least line in view choose first: they have the fewest places to go.
  const visible = paths.map((path, i) => path.cells.filter(shows(i)).length);
  const order = paths.map((_, i) => i).filter((i) => (paths[i] as Path).cells.length > 0);
  order.sort((a, b) => (visible[a] as number) - (visible[b] as number) || a - b);
  for (const i of order) {
    const path = paths[i] as Path;
    const marker = markers[i] as string;
    const along = [...path.cells].sort(byEnd(path));
    const spot = along.find(([r, c]) => fits(r, c, marker)) ?? nearestFree(grid, along[0] as [number, number], (r, c) => fits(r, c, marker));
    if (spot === undefined) continue;
    put(spot[0], spot[1], marker, i);
    ends[i] = spot[1];
  }
  for (const i of order) {
    const path = paths[i] as Path;
    const marker = markers[i] as string;
    const end = ends[i];
    if (end === undefined) continue;
    const own = path.cells.filter(shows(i));
    for (let target = end - spacing; target >= spacing / 2; target -= spacing) {
      const near = own.filter(([, c]) => Math.abs(c - target) <= spacing / 3).sort((a, b) => Math.abs(a[1] - target) - Math.abs(b[1] - target));
      // A cell of `own` may hold a marker put since (two letters cover a neighbour): look again.
      const spot = near.find(([r, c]) => shows(i)([r, c]) && fits(r, c, marker));
      if (spot !== undefined) put(spot[0], spot[1], marker, i);
    }
  }
}

/** The free cell nearest `from` (rows weigh double: a marker beside its line reads better than above it). */
function nearestFree(grid: readonly Cell[][], from: [number, number], fits: (r: number, c: number) => boolean): [number, number] | undefined {
  let best: [number, number] | undefined;
  let bestDistance = Infinity;
  grid.forEach((row, r) =>
    row.forEach((cell, c) => {
      const distance = 2 * Math.abs(r - from[0]) + Math.abs(c - from[1]);
      if (cell.ch === ' ' && distance < bestDistance && fits(r, c)) {
        best = [r, c];
        bestDistance = distance;
      }
    }),
  );
  return best;
}

/** Inclusive [from, to] index ranges of consecutive defined slots. */
function runs(slots: readonly (number | undefined)[]): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  slots.forEach((v, i) => {
    if (v !== undefined && start < 0) start = i;
    if (v === undefined && start >= 0) {
      out.push([start, i - 1]);
      start = -1;
    }
  });
  if (start >= 0) out.push([start, slots.length - 1]);
  return out;
}

/** Joins cells, dropping trailing blanks and colouring runs of the same paint in one escape. */
function renderCells(cells: readonly Cell[]): string {
  let end = cells.length;
  while (end > 0 && (cells[end - 1] as Cell).ch === ' ') end--;
  let out = '';
  let run = '';
  let paint: Paint | undefined;
  // Indexed: every cell of every chart comes through here, in code V8 has not optimised yet.
  for (let i = 0; i < end; i++) {
    const cell = cells[i] as Cell;
    if (cell.paint !== paint && cell.ch !== ' ') {
      out += paint ? paint(run) : run;
      run = '';
      paint = cell.paint;
    }
    run += cell.ch;
  }
  return out + (paint ? paint(run) : run);
}

interface XLabel {
  text: string;
  /** First column of the text within the plot area. */
  start: number;
  /** Column the label describes (gets a tick). */
  col: number;
}

/** The x-axis line (ticks at labelled columns, marks for non-finite values) and the label line. */
function xAxis(xr: XRange, columns: number, labelWidth: number, axis: Cell[], xName: string, format: (x: number) => string): string[] {
  const colOf = (x: number): number => Math.round(xFraction(x, xr) * (columns - 1));
  // Only a range of integers (steps) wants an integer middle: 0..1 in fractional epochs has 0.5,
  // where rounding put the middle label on top of the last one and dropped it.
  const mid = xr.integers ? Math.round(xr.lo / 2 + xr.hi / 2) : xr.lo / 2 + xr.hi / 2;
  const make = (x: number, align: 'left' | 'center' | 'right'): XLabel => {
    const text = escapeForTerminal(format(x));
    const w = displayWidth(text);
    const col = colOf(x);
    const start = align === 'left' ? col : align === 'right' ? col - w + 1 : col - Math.floor(w / 2);
    return { text, start: Math.max(0, Math.min(start, columns - w)), col };
  };
  // First and last matter most; the middle one goes in only where it does not crowd them.
  const candidates = xr.hi === xr.lo ? [make(xr.lo, 'left')] : [make(xr.lo, 'left'), make(xr.hi, 'right'), make(mid, 'center')];
  const placed: XLabel[] = [];
  for (const c of candidates) {
    const w = displayWidth(c.text);
    if (w > columns) continue;
    if (placed.every((p) => c.start + w + X_LABEL_GAP <= p.start || p.start + displayWidth(p.text) + X_LABEL_GAP <= c.start)) placed.push(c);
  }
  placed.sort((a, b) => a.start - b.start);

  const axisCells = axis.map((cell, col) => (cell.ch === '─' && placed.some((p) => p.col === col) ? { ch: '┬' } : cell));
  const axisLine = `${' '.repeat(labelWidth + 1)}${renderCells([{ ch: '└' } as Cell].concat(axisCells))}`;

  let text = '';
  for (const p of placed) text += ' '.repeat(p.start - displayWidth(text)) + p.text;
  const line = `${xName.padStart(labelWidth + 1 + xName.length - displayWidth(xName))} ${text}`;
  return [axisLine, line.trimEnd()];
}

interface LegendOptions {
  showValue: boolean;
  /** Count values ≤ 0 as not drawn. */
  log: boolean;
  /** Said after the last entry (`· log y`), or on a line of its own when it does not fit; '' for none. */
  note: string;
}

/**
 * Legend entries (`── loss 0.2345  × 2 NaN`, or `── loss  × 2 NaN` without values; `─a loss …`
 * when the series has a marker), wrapped to the width, then the note.
 */
function legendLines(series: readonly ChartSeries[], styles: readonly Style[], markers: readonly string[] | undefined, width: number, { showValue, log, note }: LegendOptions): string[] {
  const entries = series.map((s, i) => {
    const style = styles[i] as Style;
    const marker = markers?.[i];
    const key = marker === undefined ? style.glyphs[4].repeat(2) : `${style.glyphs[4]}${marker}`;
    const latest = s.points[s.points.length - 1];
    const rawLatest = s.raw?.[s.raw.length - 1];
    const counts = s.nonFinite ?? countNonFinite(s.points);
    const parts = [escapeForTerminal(s.label)];
    if (showValue) {
      parts.push(latest === undefined ? '–' : formatCompact(latest.y));
      if (rawLatest !== undefined && latest !== undefined && !Object.is(rawLatest.y, latest.y)) parts.push(`(raw ${formatCompact(rawLatest.y)})`);
    }
    const nonPositive = log ? countNonPositive(s.raw ?? s.points) : 0;
    const notDrawn = [describeNonFinite(counts, true), nonPositive > 0 ? `${NON_POSITIVE_MARK} ${nonPositive} ≤ 0 not drawn` : ''].filter((t) => t !== '').join(', ');
    const keyWidth = displayWidth(key) + 1;
    const body = truncate(`${parts.join(' ')}${notDrawn ? `  ${notDrawn}` : ''}`, Math.max(0, width - keyWidth));
    return { text: `${style.paint ? style.paint(key) : key} ${body}`, width: keyWidth + displayWidth(body) };
  });
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const e of entries) {
    if (used > 0 && used + 3 + e.width > width) {
      lines.push(line);
      line = '';
      used = 0;
    }
    line += (used > 0 ? '   ' : '') + e.text;
    used += (used > 0 ? 3 : 0) + e.width;
  }
  if (note !== '') {
    const tail = ` · ${note}`;
    if (used > 0 && used + displayWidth(tail) <= width) {
      line += tail;
    } else {
      if (used > 0) lines.push(line);
      line = note;
    }
    used = 1;
  }
  if (used > 0) lines.push(line);
  return lines.map((l) => (displayWidth(l) > width ? truncate(l, width) : l));
}

/** "2 NaN, 1 +Inf" (with marks: "× 2 NaN, ↑ 1 +Inf"); '' when all finite. */
function describeNonFinite(c: NonFiniteCounts, withMarks = false): string {
  const parts: string[] = [];
  const add = (kind: keyof NonFiniteCounts, name: string): void => {
    if (c[kind] > 0) parts.push(`${withMarks ? `${MARKS[kind]} ` : ''}${c[kind]} ${name}`);
  };
  add('nan', 'NaN');
  add('posInf', '+Inf');
  add('negInf', '-Inf');
  return parts.join(', ');
}

/**
 * A value where room is short (legends, the dashboard's table): 4 significant digits (0.9262,
 * 12.35, 1235), exponent form for tiny or huge values. NaN and ±Infinity are spelled as
 * formatValue spells them everywhere else.
 */
export function formatCompact(v: number): string {
  if (!Number.isFinite(v)) return formatValue(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(3).replace(/\.?0+e/, 'e').replace('e+', 'e');
  if (abs >= 1000) return String(Math.round(v));
  return String(Number(v.toPrecision(4)));
}

/** Default x label: integers as they are (steps), other numbers to 3 significant digits. */
export function formatX(x: number): string {
  if (Number.isInteger(x)) return String(x);
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Number(x.toPrecision(3)));
}

/** Seconds as a compact duration for an elapsed-time axis: 4.5s, 42s, 1m05s, 1h02m, 2d03h. */
export function formatElapsed(seconds: number): string {
  if (!Number.isFinite(seconds)) return String(seconds);
  if (seconds < 0) return `-${formatElapsed(-seconds)}`;
  if (seconds < 10 && !Number.isInteger(seconds)) return `${Number(seconds.toFixed(1))}s`;
  const s = Math.round(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor(s / 3600) % 24)}h`;
}
