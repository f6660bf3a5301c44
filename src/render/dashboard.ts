/**
 * The live dashboard as text: a header, a table (latest, min, max, count and a sparkline per key)
 * and a chart per key, overlaying executions. Pure: state in, frame out; the caller pins the clock
 * (elapsed seconds come in), the size and colour.
 *
 * With a `height` the frame has exactly that many lines (what a terminal redraws in place);
 * without one it takes the room it needs (the final dashboard printed after a pipe ends, `chart`).
 */
import { displayWidth, truncate } from './width.js';
import type { ChartGroup, KeyView, ModelView, TrackView } from '../analyse/dashboard-model.js';
import { ysOf } from '../analyse/series.js';
import { formatValue } from './format.js';
import { formatCount } from '../core/format.js';
import { renderChart, formatCompact, formatElapsed, type ChartSeries } from './chart.js';
import { escapeForTerminal } from '../core/escape.js';
import { sparkline } from './sparkline.js';
import { painter as stylesFor } from './colors.js';
import { maxOf } from '../core/numbers.js';

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
  /** Show the settings overview. Default true. */
  overview?: boolean;
  /** Log scale: `auto` (default) where a chart's values span more than three decades, `log` for every chart, `linear` for none. */
  logScale?: 'auto' | 'log' | 'linear';
  /** Which page of charts a fixed-height frame shows (0-based, clamped). Default 0. */
  page?: number;
  /** The last line of a fixed-height frame: what the keys do now (plain text, dimmed here). */
  footer?: string;
  /** Lines shown instead of the table and charts (the `?` overlay). */
  overlay?: readonly string[];
  /** With several runs, the one selected (Tab): its table rows come first, marked `▸`. */
  selected?: string;
}

/** A fixed-height frame, and how many pages of charts the model fills at that size. */
export interface DashboardFrame {
  lines: string[];
  pages: number;
  /** The page shown, after clamping. */
  page: number;
}

/** Rows a chart needs besides its plot: legend, x-axis, x labels. */
const CHART_OVERHEAD = 3;
const MIN_PLOT_ROWS = 3;
/** Plot rows a chart gets before the frame shows more charts at once: taller charts, fewer of them. */
const PREFERRED_PLOT_ROWS = 8;

/** Settings lines in the dashboard printed once at the end: room for a config, not for a dump of one. */
const FINAL_OVERVIEW_ROWS = 12;

interface Paint {
  dim(text: string): string;
  bold(text: string): string;
  alert(text: string): string;
}

function painter(color: boolean): Paint {
  const styles = stylesFor(color);
  return { dim: styles.dim, bold: styles.bold, alert: styles.yellow };
}

/** The dashboard frame: lines joined by `\n`, no trailing newline. */
export function renderDashboard(state: DashboardState, options: DashboardOptions): string {
  return dashboardLines(state, options).join('\n');
}

export function dashboardLines(state: DashboardState, options: DashboardOptions): string[] {
  return dashboardFrame(state, options).lines;
}

/**
 * The dashboard as lines. Metrics are charted (train/validation pairs on one chart), settings go
 * to one overview line, step keys are the x axis. With a height, charts get
 * {@link PREFERRED_PLOT_ROWS} rows before more of them share the screen, and the rest are on
 * further pages.
 */
export function dashboardFrame(state: DashboardState, options: DashboardOptions): DashboardFrame {
  const width = Math.max(10, Math.floor(options.width));
  const paint = painter(options.color);
  const head = headerLines(state, width, paint);
  const { groups, keys } = state.model;
  const multi = state.model.sources.length > 1;
  const overview = options.overview === false ? [] : overviewLines(state.model, width, options.height === undefined ? FINAL_OVERVIEW_ROWS : options.height >= 40 ? 2 : 1, paint);
  const chart = (group: ChartGroup, chartWidth: number, plotRows: number, panelHeight: number | undefined): string[] =>
    chartLines(group, state.model, chartWidth, plotRows, panelHeight, options.color, options.logScale ?? 'auto');

  if (options.height === undefined) {
    const out = [...head, ...overview];
    if (keys.length === 0) {
      out.push(paint.dim(emptyMessage(state)));
      return { lines: out, pages: 1, page: 0 };
    }
    if (options.table !== false) out.push(...tableLines(keys, multi, width, tableRowsWanted(state.model) + 1, paint, options.selected));
    const columns = Math.max(1, options.columns ?? 1);
    const plotRows = Math.max(2, options.chartHeight ?? 10);
    const charts = groups.map((g) => chart(g, chartWidth(width, columns), plotRows, undefined));
    out.push(...grid(charts, width, columns, undefined));
    return { lines: out, pages: 1, page: 0 };
  }

  const height = Math.max(1, Math.floor(options.height));
  // The footer says which page of charts is shown and what the keys do now.
  const footerRows = options.footer !== undefined && height >= 4 ? 1 : 0;
  const out = [...head, ...overview].slice(0, Math.max(1, height - footerRows));
  let room = height - out.length - footerRows;
  const done = (pages: number, page: number): DashboardFrame => {
    const parts = [pages > 1 ? `charts page ${page + 1}/${pages}` : '', options.footer ?? ''].filter((part) => part !== '');
    const footer = footerRows > 0 ? [paint.dim(truncate(parts.join(' · '), width))] : [];
    return { lines: [...fit(out, height - footerRows), ...footer], pages, page };
  };
  if (options.overlay) {
    out.push(...options.overlay.slice(0, Math.max(0, room)).map((line) => truncate(line, width)));
    return done(1, 0);
  }
  if (keys.length === 0) {
    if (room > 0) out.push(paint.dim(emptyMessage(state)));
    return done(1, 0);
  }

  const columns = Math.max(1, options.columns ?? (width >= 180 ? 3 : width >= 100 ? 2 : 1));
  const tableWanted = tableRowsWanted(state.model) + 1;
  // The table may take at most a third of the room when charts fit below it, all of it otherwise.
  const minPanel = CHART_OVERHEAD + MIN_PLOT_ROWS + (multi ? 1 : 0);
  let tableRows = options.table === false ? 0 : Math.min(tableWanted, Math.max(2, Math.floor(room / 3)));
  if (room - tableRows < minPanel) tableRows = Math.min(tableWanted, room);
  out.push(...tableLines(keys, multi, width, tableRows, paint, options.selected));
  room = height - out.length - footerRows;

  const preferredPanel = CHART_OVERHEAD + PREFERRED_PLOT_ROWS + (multi ? 1 : 0);
  const gridRows = room < minPanel ? 0 : Math.max(1, Math.min(Math.ceil(groups.length / columns), Math.floor(room / preferredPanel)));
  if (gridRows === 0) return done(1, 0);
  const perPage = gridRows * columns;
  const pages = Math.max(1, Math.ceil(groups.length / perPage));
  const page = Math.min(Math.max(0, Math.floor(options.page ?? 0)), pages - 1);
  const shown = groups.slice(page * perPage, (page + 1) * perPage);
  const usedColumns = Math.min(columns, Math.max(1, shown.length));
  const rowsShown = Math.ceil(shown.length / usedColumns);
  const panelHeight = Math.floor(room / Math.max(gridRows, rowsShown));
  const plotRows = Math.max(2, panelHeight - CHART_OVERHEAD - (multi ? 1 : 0));
  const charts = shown.map((g) => chart(g, chartWidth(width, usedColumns), plotRows, panelHeight));
  out.push(...grid(charts, width, usedColumns, panelHeight));
  return done(pages, page);
}

/** Rows the table would take whole: one per key and execution. */
function tableRowsWanted(model: ModelView): number {
  return model.keys.reduce((sum, k) => sum + Math.max(1, k.tracks.length), 0);
}

/**
 * The settings as `key value` pairs on at most `rows` lines, the first led by "settings"; keys
 * whose values differ between executions show each value, separated by `|`.
 */
function overviewLines(model: ModelView, width: number, rows: number, paint: Paint): string[] {
  if (model.settings.length === 0 || rows <= 0) return [];
  const items = model.settings.map((s) => {
    const values = s.differs ? s.values.map((v) => formatValue(v.value)).join(' | ') : formatValue(s.values[0]?.value);
    return escapeForTerminal(`${s.key} ${truncate(values, 40)}`);
  });
  const lead = 'settings ';
  const lines: string[] = [];
  let line = lead;
  let placed = 0;
  let onLine = 0;
  let full = false;
  for (const item of items) {
    if (onLine > 0 && displayWidth(`${line} · ${item}`) > width) {
      lines.push(line);
      full = lines.length === rows;
      if (full) break;
      line = ' '.repeat(lead.length);
      onLine = 0;
    }
    line += (onLine === 0 ? '' : ' · ') + item;
    onLine++;
    placed++;
  }
  if (!full) lines.push(line);
  const left = items.length - placed;
  if (left > 0) {
    const last = lines.length - 1;
    const tail = ` · +${left} more`;
    lines[last] = truncate(lines[last] as string, Math.max(1, width - displayWidth(tail))) + tail;
  }
  return lines.map((l) => paint.dim(truncate(l, width)));
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



interface Row {
  label: string;
  track: TrackView;
}

/**
 * `key  latest  min  max  count  sparkline`, at most `rows` lines including the heading; when keys
 * do not fit, the last line says how many were left out.
 */
function tableLines(keys: readonly KeyView[], multi: boolean, width: number, rows: number, paint: Paint, selected?: string): string[] {
  if (rows <= 0) return [];
  const names = runNames(keys);
  const mark = multi && selected !== undefined;
  const rowsOf = (k: KeyView): Row[] =>
    k.tracks.length === 0
      ? [{ label: k.key, track: emptyTrack() }]
      : k.tracks.map((t) => ({ label: multi ? `${mark ? (t.source === selected ? '▸ ' : '  ') : ''}${k.key} · ${runName(t.source, names)}` : k.key, track: t }));
  const every = keys.flatMap(rowsOf);
  // The selected run's rows first, so they stay in view when the table is cut.
  const all = mark ? [...every.filter((r) => r.track.source === selected), ...every.filter((r) => r.track.source !== selected)] : every;
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
  const widths = heading.map((h, i) => maxOf(cells.map((c) => displayWidth(c[i] as string)), displayWidth(h)));
  widths[0] = Math.min(widths[0] as number, Math.max(8, Math.floor(width / 3)));
  const line = (c: readonly string[]): string =>
    c.map((text, i) => (i === 0 ? padEnd(truncate(text, widths[0] as number), widths[0] as number) : text.padStart(widths[i] as number))).join('  ');
  const fixed = displayWidth(line(heading));
  const noteWidth = shown.some((r) => r.track.nonFinite.nan + r.track.nonFinite.posInf + r.track.nonFinite.negInf > 0) ? 16 : 0;
  const sparkWidth = Math.min(40, width - fixed - 2 - noteWidth);
  const out = [paint.dim(truncate(line(heading) + (sparkWidth >= 4 ? '  trend' : ''), width))];
  shown.forEach((r, i) => {
    let text = line(cells[i] as string[]);
    if (sparkWidth >= 4 && r.track.points.length > 0) text += '  ' + sparkline(ysOf(r.track.points), sparkWidth);
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

/**
 * One group's chart: a series per key and execution (smoothed over faint raw when smoothing is
 * on), on a log scale when `logScale` says so or the group's values span decades.
 */
function chartLines(group: ChartGroup, model: ModelView, width: number, plotRows: number, panelHeight: number | undefined, color: boolean, logScale: 'auto' | 'log' | 'linear'): string[] {
  const multi = model.sources.length > 1;
  const several = group.keys.length > 1;
  const names = runNames(model.keys);
  const series: ChartSeries[] = group.keys.flatMap((k) =>
    k.tracks.map((t) => ({
      label: multi ? (several ? `${k.key} · ${runName(t.source, names)}` : runName(t.source, names)) : k.key,
      points: t.smoothed ?? t.points,
      ...(t.smoothed ? { raw: t.points } : {}),
      nonFinite: t.nonFinite,
    })),
  );
  const logY = logScale === 'log' || (logScale === 'auto' && group.logScale);
  const text = renderChart(series, {
    width,
    height: plotRows,
    color,
    xLabel: model.xLabel,
    ...(multi || series.length === 0 ? { title: group.title } : {}),
    ...(model.xIsTime ? { xFormat: formatElapsed } : {}),
    ...(logY ? { logY: true } : {}),
  });
  const lines = text.split('\n');
  return panelHeight === undefined ? lines : fit(lines, panelHeight);
}

/**
 * Short names for runs: their common folder left out (`/work/logs/run-1.log`, `/work/logs/run-2.log`
 * → `run-1.log`, `run-2.log`), so a cut table label or legend keeps what tells runs apart.
 */
function runNames(keys: readonly KeyView[]): Map<string, string> {
  const sources = [...new Set(keys.flatMap((k) => k.tracks.map((t) => t.source)))];
  let common = sources.length > 1 ? (sources[0] as string) : '';
  for (const source of sources) {
    while (common !== '' && !source.startsWith(common)) common = common.slice(0, common.length - 1);
  }
  const cut = common.lastIndexOf('/') + 1;
  return new Map(sources.map((source) => [source, cut > 0 && source.length > cut ? source.slice(cut) : source]));
}

function runName(source: string, names: ReadonlyMap<string, string>): string {
  return names.get(source) ?? source;
}

/** Places panels side by side, `columns` per row, each padded to its column width. */
function grid(panels: readonly string[][], width: number, columns: number, panelHeight: number | undefined): string[] {
  if (columns <= 1) return panels.flatMap((p, i) => (i > 0 && panelHeight === undefined ? ['', ...p] : p));
  const w = chartWidth(width, columns);
  const out: string[] = [];
  for (let i = 0; i < panels.length; i += columns) {
    const row = panels.slice(i, i + columns);
    const h = panelHeight ?? maxOf(row.map((p) => p.length), 0);
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
