/**
 * What `vizmeta report` puts in its HTML page, as plain data: the charts (one per metric,
 * train/validation pairs together, runs overlaid), the settings side by side, and the shapes of
 * confusion matrices and ROC curves. Pure: the dashboard's model view in, JSON-able values out.
 * The page embeds this as JSON and its script draws it; the same values feed the page's static
 * fallbacks (tables and SVG lines readable without JavaScript).
 *
 * Series are already bounded by the dashboard model (min/max buckets, as the terminal draws
 * them), so a report of ten runs of a million steps holds a few thousand points per line.
 */
import { groupKeys, type Tendency } from '../core/vocabulary.js';
import { nonFiniteKind, type Point } from './series.js';
import { keysWantLogScale, type KeyView, type ModelView, type SettingView } from './dashboard-model.js';
import type { JsonValue } from '../core/types.js';

/** A non-finite value's place on a line: drawn as a marker at the chart's edge, listed in the hover. */
export interface NonFiniteMark {
  x: number;
  kind: 'NaN' | '+Infinity' | '-Infinity';
}

/** One line of a chart: one key of one run. */
export interface ReportSeries {
  /** The legend's name: the run, and the key when the chart holds several. */
  label: string;
  key: string;
  /** The run's index in the report (its colour). */
  run: number;
  /** The run's name, for a legend that lists runs. */
  runLabel: string;
  /** A validation/evaluation key of a pair is drawn dashed. */
  dashed: boolean;
  x: number[];
  /** null where the value is not finite (see `marks`). */
  y: Array<number | null>;
  marks: NonFiniteMark[];
  /** Values read for this line (before downsampling). */
  count: number;
}

export interface ReportChart {
  id: string;
  title: string;
  keys: string[];
  /** Which way is better for the chart's first key. */
  tendency: Tendency;
  /** Drawn on a log scale at first: every value positive over more than three decades. */
  logScale: boolean;
  series: ReportSeries[];
}

export interface SettingsTable {
  runs: string[];
  rows: Array<{ key: string; values: Array<string | null>; differs: boolean }>;
}

export interface ReportCharts {
  xLabel: string;
  charts: ReportChart[];
  settings: SettingsTable;
}

/** Significant digits kept of each value: the hover shows six, as the terminal does. */
const DIGITS = 7;

/** A value rounded for the page: fewer characters in the JSON, no visible difference. */
export function compactNumber(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  return Number(value.toPrecision(DIGITS));
}

const SPLIT_WORD = /(^|[-_/.])(val|valid|validation|eval|test|dev)([-_/.]|$)/i;

/** `val_loss`, `eval/accuracy`, `loss/test`: the held-out half of a pair, drawn dashed. */
export function isHeldOut(key: string): boolean {
  return SPLIT_WORD.test(key);
}

function seriesOf(points: readonly Point[], label: string, key: string, run: number, runLabel: string, count: number): ReportSeries {
  const x: number[] = [];
  const y: Array<number | null> = [];
  const marks: NonFiniteMark[] = [];
  for (const point of points) {
    x.push(compactNumber(point.x));
    const kind = nonFiniteKind(point.y);
    if (kind === undefined) {
      y.push(compactNumber(point.y));
      continue;
    }
    y.push(null);
    marks.push({ x: compactNumber(point.x), kind: kind === 'nan' ? 'NaN' : kind === 'posInf' ? '+Infinity' : '-Infinity' });
  }
  return { label, key, run, runLabel: runLabel, dashed: false, x, y, marks, count };
}

/** Longest setting shown whole; a config print or an array of rates is cut there. */
const MAX_SETTING_CHARS = 120;

function settingText(value: JsonValue): string {
  const whole = typeof value === 'string' ? value : JSON.stringify(value);
  return whole.length > MAX_SETTING_CHARS ? `${whole.slice(0, MAX_SETTING_CHARS - 1)}…` : whole;
}

/**
 * A long array (ROC rates, a histogram, a confusion matrix's rows) is data printed once, not a
 * setting to compare. The model keeps arrays as JSON text, cut at 200 characters: an array cut
 * there, or of more than 32 items, is data; a short list (layer sizes) stays a setting.
 */
function isDataArray(value: JsonValue): boolean {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (!text.startsWith('[')) return false;
  return text.endsWith('…') || (text.match(/,/g)?.length ?? 0) >= 32;
}

/** The settings overview as a table: one row per setting, one column per run. */
export function settingsTable(settings: readonly SettingView[], runs: readonly string[]): SettingsTable {
  return {
    runs: [...runs],
    rows: settings.filter((setting) => !setting.values.every((item) => isDataArray(item.value))).map((setting) => ({
      key: setting.key,
      values: runs.map((run) => {
        const found = setting.values.find((item) => item.source === run);
        return found === undefined ? null : settingText(found.value);
      }),
      differs: setting.differs,
    })),
  };
}

/**
 * The report's charts from a dashboard view: one chart per metric, a train/validation pair on one
 * chart (the held-out key dashed), every run overlaid on each.
 */
export function reportCharts(view: ModelView, runNames: readonly string[] = view.sources): ReportCharts {
  const runs = view.sources;
  const byKey = new Map<string, KeyView>(view.keys.map((key) => [key.key, key]));
  // The view splits pairs when there are several runs (a terminal chart cannot tell six lines
  // apart); a page with a legend can, so pairs are put back together, in the view's order.
  const groups = groupKeys(view.keys.map((key) => key.key));
  const several = runs.length > 1;
  const charts = groups.map((names, index): ReportChart => {
    const keys = names.map((name) => byKey.get(name) as KeyView);
    const paired = names.length > 1;
    const series = keys.flatMap((key) => key.tracks.map((track) => {
      const run = runs.indexOf(track.source);
      const name = runNames[run] ?? track.source;
      const label = several && paired ? `${name} · ${key.key}` : several ? name : key.key;
      const line = seriesOf(track.points, label, key.key, run, name, track.count);
      line.dashed = paired && isHeldOut(key.key);
      return line;
    }));
    return {
      id: `chart-${index + 1}`,
      title: names.join(' · '),
      keys: names,
      tendency: keys[0]?.tendency ?? 'neutral',
      logScale: keysWantLogScale(keys),
      series,
    };
  });
  return { xLabel: view.xLabel, charts, settings: settingsTable(view.settings, runs) };
}

/** One legend entry: a run (every line of it) when several runs share the chart, else one line. */
export interface LegendEntry {
  label: string;
  run: number;
  dashed: boolean;
  lines: number[];
  marks: Map<string, number>;
}

/**
 * With several runs a legend entry is a run (its lines toggle together) and a note says which
 * key is solid and which dashed; with one run each line is an entry.
 */
export function legendEntries(chart: ReportChart): { entries: LegendEntry[]; styles: Array<{ key: string; dashed: boolean }> } {
  const runs = new Set(chart.series.map((line) => line.run));
  const byRun = runs.size > 1;
  const entries: LegendEntry[] = [];
  for (const [i, line] of chart.series.entries()) {
    let entry = byRun ? entries.find((e) => e.run === line.run) : undefined;
    if (!entry) {
      entry = { label: byRun ? line.runLabel : line.label, run: line.run, dashed: byRun ? false : line.dashed, lines: [], marks: new Map() };
      entries.push(entry);
    }
    entry.lines.push(i);
    for (const mark of line.marks) entry.marks.set(mark.kind, (entry.marks.get(mark.kind) ?? 0) + 1);
  }
  const styles = byRun && chart.keys.length > 1 ? chart.keys.map((key) => ({ key, dashed: chart.series.some((line) => line.key === key && line.dashed) })) : [];
  return { entries, styles };
}
