/**
 * The live dashboard as text: a header, a table (latest, min, max, count and a sparkline per key)
 * and a chart per key, overlaying executions. Pure: state in, frame out; the caller pins the clock
 * (elapsed seconds come in), the size and colour.
 *
 * With a `height` the frame has exactly that many lines (what a terminal redraws in place);
 * without one it takes the room it needs (the final dashboard printed after a pipe ends, `chart`).
 */
import { Chalk } from 'chalk';
import { displayWidth, truncate } from './width.js';
import type { KeyView, ModelView, TrackView } from '../analyse/dashboard-model.js';
import { renderChart, formatCompact, formatElapsed, type ChartSeries } from './chart.js';
import { escapeForTerminal } from '../core/escape.js';
import { sparkline } from './sparkline.js';

export interface DashboardState {
  model: ModelView;
  /** What is shown, e.g. `vizmeta watch · stdin` (escaped here). */
  title?: string;
  /** A short state word: `running`, `done`, `stopped`. */
  status?: string;
  /** One line under the header, e.g. why an early-stop rule fired (escaped here). */
  notice?: string;
  /** Seconds since the start, from the caller's clock. */
  elapsedSeconds?: number;
  /** Lines of input read. */
  lines?: number;
  /** The input ended with no record: what to show instead of "waiting" (escaped here). */
  empty?: string;
}

export interface DashboardOptions {
  /** Columns; no line is wider. */
  width: number;
  /** Exact number of lines for an in-place frame; undefined lets the frame take what it needs. */
  height?: number;
  color: boolean;
  /** Plot rows per chart when `height` is undefined. Default 10. */
  chartHeight?: number;
  /** Charts side by side: a number, or undefined for one column per 60 terminal columns (at most 3) with a height, 1 without. */
  columns?: number;
  /** Show the table of latest, min, max, count and trend. Default true. */
  table?: boolean;
}

/** Rows a chart needs besides its plot: legend, x-axis, x labels. */
const CHART_OVERHEAD = 3;
const MIN_PLOT_ROWS = 3;

const palette = new Chalk({ level: 1 });

interface Paint {
  dim(text: string): string;
  bold(text: string): string;
  alert(text: string): string;
}

function painter(color: boolean): Paint {
  if (!color) return { dim: (t) => t, bold: (t) => t, alert: (t) => t };
  return { dim: palette.dim, bold: palette.bold, alert: palette.yellow };
}

/** The dashboard frame: lines joined by `\n`, no trailing newline. */
export function renderDashboard(state: DashboardState, options: DashboardOptions): string {
  return dashboardLines(state, options).join('\n');
}

export function dashboardLines(state: DashboardState, options: DashboardOptions): string[] {
  const width = Math.max(10, Math.floor(options.width));
  const paint = painter(options.color);
  const head = headerLines(state, width, paint);
  const keys = state.model.keys;
  const multi = state.model.sources.length > 1;

  if (options.height === undefined) {
    const out = [...head];
    if (keys.length === 0) {
      out.push(paint.dim(emptyMessage(state)));
      return out;
    }
    if (options.table !== false) out.push(...tableLines(keys, multi, width, keys.length * (multi ? state.model.sources.length : 1) + 1, paint));
    const columns = Math.max(1, options.columns ?? 1);
    const plotRows = Math.max(2, options.chartHeight ?? 10);
    const charts = keys.map((k) => chartLines(k, state.model, chartWidth(width, columns), plotRows, undefined, options.color));
    out.push(...grid(charts, width, columns, undefined));
    return out;
  }

  const height = Math.max(1, Math.floor(options.height));
  const out = head.slice(0, height);
  let room = height - out.length;
  if (keys.length === 0) {
    if (room > 0) out.push(paint.dim(emptyMessage(state)));
    return fit(out, height);
  }

  const columns = Math.max(1, options.columns ?? (width >= 180 ? 3 : width >= 100 ? 2 : 1));
  const rowsPerKey = multi ? state.model.sources.length : 1;
  const tableWanted = keys.length * rowsPerKey + 1;
  // The table may take at most a third of the room when charts fit below it, all of it otherwise.
  const minPanel = CHART_OVERHEAD + MIN_PLOT_ROWS + (multi ? 1 : 0);
  const chartRoom = (tableRows: number): number => room - tableRows;
  let tableRows = Math.min(tableWanted, Math.max(2, Math.floor(room / 3)));
  if (chartRoom(tableRows) < minPanel) tableRows = Math.min(tableWanted, room);
  out.push(...tableLines(keys, multi, width, tableRows, paint));
  room = height - out.length;

  const gridRows = Math.min(Math.ceil(keys.length / columns), Math.floor(room / minPanel));
  if (gridRows > 0) {
    const shown = keys.slice(0, gridRows * columns);
    const usedColumns = Math.min(columns, shown.length);
    const panelHeight = Math.floor(room / gridRows);
    const plotRows = Math.max(2, panelHeight - CHART_OVERHEAD - (multi ? 1 : 0));
    const charts = shown.map((k) => chartLines(k, state.model, chartWidth(width, usedColumns), plotRows, panelHeight, options.color));
    out.push(...grid(charts, width, usedColumns, panelHeight));
  }
  return fit(out, height);
}

function emptyMessage(state: DashboardState): string {
  if (state.model.records === 0 && state.empty !== undefined) return escapeForTerminal(state.empty);
  return state.model.records === 0 ? 'waiting for metadata (JSON lines such as {"step": 1, "loss": 0.5})…' : 'no numeric metadata to chart yet';
}

function headerLines(state: DashboardState, width: number, paint: Paint): string[] {
  const out: string[] = [];
  const parts: string[] = [];
  if (state.status !== undefined) parts.push(state.status);
  if (state.elapsedSeconds !== undefined) parts.push(formatElapsed(Math.floor(state.elapsedSeconds)));
  if (state.lines !== undefined) parts.push(plural(state.lines, 'line'));
  parts.push(plural(state.model.records, 'record'));
  if (state.model.droppedKeys > 0) {
    const count = state.model.droppedKeysCapped ? `${formatCount(state.model.droppedKeys)}+ more keys` : plural(state.model.droppedKeys, 'more key');
    parts.push(`${count} not charted`);
  }
  const facts = parts.join(' · ');
  // A long title (a command line) gives way to the facts, not the other way round. It is cut in
  // the middle: the program's name and its last arguments tell runs apart, a long path does not.
  const title = state.title === undefined ? '' : truncate(escapeForTerminal(state.title), Math.max(12, width - displayWidth(facts) - 3), 'middle');
  out.push(paint.dim(truncate(title === '' ? facts : `${title} · ${facts}`, width)));
  if (state.notice !== undefined) out.push(paint.alert(truncate(escapeForTerminal(state.notice), width)));
  return out;
}

function plural(n: number, word: string): string {
  return `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

interface Row {
  label: string;
  track: TrackView;
}

/**
 * `key  latest  min  max  count  sparkline`, at most `rows` lines including the heading; when keys
 * do not fit, the last line says how many were left out.
 */
function tableLines(keys: readonly KeyView[], multi: boolean, width: number, rows: number, paint: Paint): string[] {
  if (rows <= 0) return [];
  const all: Row[] = keys.flatMap((k) =>
    k.tracks.length === 0
      ? [{ label: k.key, track: emptyTrack() }]
      : k.tracks.map((t) => ({ label: multi ? `${k.key} · ${t.source}` : k.key, track: t })),
  );
  let shown = all;
  let more = 0;
  if (all.length + 1 > rows) {
    shown = all.slice(0, Math.max(0, rows - 2));
    more = all.length - shown.length;
  }
  const cells = shown.map((r) => [
    escapeForTerminal(r.label),
    r.track.latest ? formatCompact(r.track.latest.y) : '–',
    r.track.min ? formatCompact(r.track.min.y) : '–',
    r.track.max ? formatCompact(r.track.max.y) : '–',
    formatCount(r.track.count),
  ]);
  const heading = ['key', 'latest', 'min', 'max', 'count'];
  const widths = heading.map((h, i) => Math.max(displayWidth(h), ...cells.map((c) => displayWidth(c[i] as string))));
  widths[0] = Math.min(widths[0] as number, Math.max(8, Math.floor(width / 3)));
  const line = (c: readonly string[]): string =>
    c.map((text, i) => (i === 0 ? padEnd(truncate(text, widths[0] as number), widths[0] as number) : text.padStart(widths[i] as number))).join('  ');
  const fixed = displayWidth(line(heading));
  const noteWidth = shown.some((r) => r.track.nonFinite.nan + r.track.nonFinite.posInf + r.track.nonFinite.negInf > 0) ? 16 : 0;
  const sparkWidth = Math.min(40, width - fixed - 2 - noteWidth);
  const out = [paint.dim(truncate(line(heading) + (sparkWidth >= 4 ? '  trend' : ''), width))];
  shown.forEach((r, i) => {
    let text = line(cells[i] as string[]);
    if (sparkWidth >= 4 && r.track.points.length > 0) text += '  ' + sparkline(r.track.points.map((p) => p.y), sparkWidth);
    const nonFinite = r.track.nonFinite.nan + r.track.nonFinite.posInf + r.track.nonFinite.negInf;
    if (nonFinite > 0) text += `  ${nonFinite} non-finite`;
    out.push(truncate(text, width));
  });
  if (more > 0) out.push(paint.dim(truncate(`… ${more} more`, width)));
  return out.slice(0, rows);
}

function emptyTrack(): TrackView {
  return { source: '', points: [], smoothed: undefined, latest: undefined, min: undefined, max: undefined, count: 0, nonFinite: { nan: 0, posInf: 0, negInf: 0 } };
}

function chartWidth(width: number, columns: number): number {
  return Math.floor((width - 2 * (columns - 1)) / columns);
}

/** One key's chart: one series per execution (smoothed over faint raw when smoothing is on). */
function chartLines(k: KeyView, model: ModelView, width: number, plotRows: number, panelHeight: number | undefined, color: boolean): string[] {
  const multi = model.sources.length > 1;
  const series: ChartSeries[] = k.tracks.map((t) => ({
    label: multi ? t.source : k.key,
    points: t.smoothed ?? t.points,
    ...(t.smoothed ? { raw: t.points } : {}),
    nonFinite: t.nonFinite,
  }));
  const text = renderChart(series, {
    width,
    height: plotRows,
    color,
    xLabel: model.xLabel,
    ...(multi || series.length === 0 ? { title: k.key } : {}),
    ...(model.xIsTime ? { xFormat: formatElapsed } : {}),
  });
  const lines = text.split('\n');
  return panelHeight === undefined ? lines : fit(lines, panelHeight);
}

/** Places panels side by side, `columns` per row, each padded to its column width. */
function grid(panels: readonly string[][], width: number, columns: number, panelHeight: number | undefined): string[] {
  if (columns <= 1) return panels.flatMap((p, i) => (i > 0 && panelHeight === undefined ? ['', ...p] : p));
  const w = chartWidth(width, columns);
  const out: string[] = [];
  for (let i = 0; i < panels.length; i += columns) {
    const row = panels.slice(i, i + columns);
    const h = panelHeight ?? Math.max(...row.map((p) => p.length));
    if (i > 0 && panelHeight === undefined) out.push('');
    for (let r = 0; r < h; r++) {
      out.push(row.map((p, c) => (c === row.length - 1 ? p[r] ?? '' : padEnd(p[r] ?? '', w))).join('  ').trimEnd());
    }
  }
  return out;
}

function padEnd(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

/** Exactly `height` lines: cut, or padded with empty lines. */
function fit(lines: readonly string[], height: number): string[] {
  const out = lines.slice(0, height);
  while (out.length < height) out.push('');
  return out;
}
