/**
 * `vizmeta report`'s page: one self-contained HTML file. Pure: the report's data and the built
 * client script in, a string out.
 *
 * Everything a person reads without JavaScript is written here: the header, the gate's results,
 * the ranked runs with SVG sparklines, the settings side by side, each chart as a static SVG
 * drawing, confusion matrices as heatmap tables with their classification reports, ROC curves as
 * SVG, and Kubeflow outputs. The script (report-client/main.ts, inlined) replaces each static
 * chart with an interactive one drawn from the JSON embedded at the end.
 *
 * Text from logs is data: every piece goes through {@link text} (control, C1 and bidi characters
 * shown escaped as on the terminal, then HTML-escaped), the JSON is escaped so no `</script>` can
 * end its element, and a Content-Security-Policy forbids every request and every script but the
 * page's own (allowed by its hash).
 */
import { createHash } from 'node:crypto';
import { escapeForTerminal } from '../core/escape.js';
import { formatCount } from '../core/format.js';
import { formatNumber } from './format.js';
import { legendEntries, type ReportChart, type ReportCharts, type SettingsTable } from '../analyse/report-model.js';
import type { GateReport } from '../analyse/gate.js';
import type { MatrixAnalysis } from '../analyse/matrix.js';
import type { RocCurve } from '../analyse/roc.js';
import type { ViewTable } from '../analyse/view.js';
import { describeCheck, unreadableReason } from './gate.js';

/** The page's palette, in run order: the same as the client's (report-client/main.ts). */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

const colorOf = (run: number): string => PALETTE[((run % PALETTE.length) + PALETTE.length) % PALETTE.length] as string;

/** Text from a log or a file name, safe as HTML text and attribute values. */
export function text(value: string): string {
  return escapeHtml(escapeForTerminal(value));
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/**
 * JSON that can sit inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes
 * (no `</script>` or `<!--` can appear), and the two line separators JavaScript once rejected.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One cell of the ranked table. */
export interface RankedCell {
  text: string;
  tone?: 'missing' | 'bad';
}

export interface RankedTable {
  caption: string;
  /** Column headings after the run's name (the ranked value first). */
  columns: string[];
  /** Which column (into `columns`) the sparkline follows. */
  rows: Array<{ rank: number | undefined; name: string; path: string; run: number; cells: RankedCell[]; spark: number[] }>;
  hidden: number;
  /** The folder the names are short for, when they share one. */
  folder: string | undefined;
}

export interface ReportMatrix {
  title: string;
  analysis: MatrixAnalysis;
}

export interface ReportRoc {
  label: string;
  curve: RocCurve;
  auc: number;
}

export type KubeflowSection =
  | { kind: 'table'; heading: string; table: ViewTable }
  | { kind: 'markdown'; heading: string; html: string }
  | { kind: 'matrix'; heading: string; analysis: MatrixAnalysis }
  | { kind: 'roc'; heading: string; roc: ReportRoc }
  | { kind: 'note'; heading: string; note: string };

export interface ReportPage {
  title: string;
  /** When the report was made (ISO 8601). */
  generated: string;
  version: string;
  inputs: string[];
  runs: string[];
  charts: ReportCharts;
  smoothing: number;
  table: RankedTable | undefined;
  gate: GateReport | undefined;
  matrices: ReportMatrix[];
  rocs: ReportRoc[];
  kubeflow: Array<{ file: string; sections: KubeflowSection[] }>;
  /** Things the reader should know (keys left out, inputs that could not be read). */
  notes: string[];
}

/** The client script and uPlot's stylesheet, built by scripts/bundle.mjs. */
export interface ReportAssets {
  script: string;
  css: string;
}

const PAGE_CSS = `
:root { color-scheme: light; --fg: #1d2127; --muted: #5b6470; --line: #e3e6ea; --bg: #fff; --panel: #f7f8fa; --good: #1a7f37; --bad: #c00000; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; border-bottom: 1px solid var(--line); padding-bottom: 12px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h1 .brand { color: var(--muted); font-weight: 500; }
h2 { font-size: 16px; margin: 28px 0 10px; }
h3 { font-size: 14px; margin: 18px 0 8px; }
.meta, .note, .caption { color: var(--muted); }
.meta { margin: 0; }
nav { margin-top: 8px; display: flex; gap: 14px; flex-wrap: wrap; }
nav a { color: var(--muted); text-decoration: none; border-bottom: 1px dotted var(--muted); }
details.inputs { margin-top: 6px; color: var(--muted); }
details.inputs ul { margin: 4px 0; padding-left: 20px; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
th { font-weight: 600; background: var(--panel); position: sticky; top: 0; }
td.num, th.num { text-align: right; }
.scroll { overflow-x: auto; max-width: 100%; }
.run-name { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
.missing { color: #9a6700; font-style: italic; }
.bad { color: var(--bad); font-weight: 600; }
.differs { background: #fffaeb; }
.differs-mark { color: #9a6700; font-weight: 700; }
.banner { padding: 10px 14px; border-radius: 6px; font-weight: 600; margin: 14px 0 8px; }
.banner.pass { background: #e6f4ea; color: var(--good); }
.banner.fail { background: #fde8e8; color: var(--bad); }
.status { font-weight: 700; }
.status.pass { color: var(--good); }
.status.fail, .status.error { color: var(--bad); }
.controls { display: none; gap: 18px; align-items: center; flex-wrap: wrap; padding: 8px 12px; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; margin-bottom: 12px; }
.js .controls { display: flex; }
.controls input[type=range] { width: 180px; vertical-align: middle; }
.hint { color: var(--muted); font-size: 12px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(520px, 100%), 1fr)); gap: 16px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px 8px; background: var(--bg); min-width: 0; }
figure.chart figcaption { display: flex; justify-content: space-between; align-items: center; font-weight: 600; margin-bottom: 6px; gap: 8px; }
.chart-tools { display: flex; gap: 10px; align-items: center; font-weight: 400; font-size: 12px; }
.chart-tools button, .controls button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid #c9ced6; border-radius: 4px; background: #fff; cursor: pointer; }
.plot { position: relative; min-height: 200px; }
.plot svg { width: 100%; height: auto; display: block; }
.legend { list-style: none; margin: 6px 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 12px; }
.legend-item { font: inherit; border: 0; background: none; padding: 1px 2px; cursor: pointer; color: var(--fg); }
.legend-item[aria-pressed=false] { opacity: 0.35; }
.legend-static li { display: inline-flex; align-items: center; gap: 4px; }
.swatch { display: inline-block; width: 16px; height: 0; border-top: 3px solid; margin-right: 5px; vertical-align: middle; }
.swatch.dashed { border-top-style: dashed; }
.legend-bad { color: var(--bad); }
.legend-style { color: var(--muted); margin-left: 8px; }
.tooltip { position: absolute; z-index: 10; pointer-events: none; background: rgba(255,255,255,0.96); border: 1px solid #c9ced6; border-radius: 4px; padding: 6px 8px; font-size: 12px; box-shadow: 0 2px 6px rgba(0,0,0,0.12); max-width: 420px; }
.tip-x { font-weight: 700; margin-bottom: 2px; }
.tip-row { display: flex; gap: 6px; align-items: center; white-space: nowrap; }
.tip-label { overflow: hidden; text-overflow: ellipsis; max-width: 260px; }
.tip-value { margin-left: auto; font-variant-numeric: tabular-nums; padding-left: 10px; }
.heatmap td.cell { text-align: right; min-width: 44px; }
.heatmap th.label { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.side { display: flex; gap: 24px; flex-wrap: wrap; align-items: flex-start; }
.markdown { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 4px 14px; }
.markdown pre { overflow-x: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #555; }
footer { color: var(--muted); font-size: 12px; padding: 24px; border-top: 1px solid var(--line); margin-top: 32px; }
@media print { .controls, .chart-tools { display: none !important; } }
`;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** A sparkline as a small inline SVG: the shape of a key's history, NaN/Infinity as red dots. */
export function sparklineSvg(values: readonly number[], color: string, width = 120, height = 24): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (values.length === 0) return '';
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of finite) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const xOf = (i: number): number => (values.length === 1 ? width / 2 : (i / (values.length - 1)) * (width - 4) + 2);
  const yOf = (v: number): number => (hi === lo ? height / 2 : height - 3 - ((v - lo) / (hi - lo)) * (height - 6));
  const parts: string[] = [];
  let path = '';
  const bad: string[] = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      bad.push(`<circle cx="${xOf(i).toFixed(1)}" cy="3" r="2.2" fill="#c00000"/>`);
      path += ' ';
      return;
    }
    path += `${path === '' || path.endsWith(' ') ? 'M' : 'L'}${xOf(i).toFixed(1)},${yOf(v).toFixed(1)}`;
  });
  parts.push(`<path d="${path.trim()}" fill="none" stroke="${color}" stroke-width="1.5"/>`);
  parts.push(...bad);
  return `<svg class="spark" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="trend">${parts.join('')}</svg>`;
}

function header(page: ReportPage): string {
  const when = page.generated.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const sections = [
    page.gate ? '<a href="#gate">Gate</a>' : '',
    page.table ? '<a href="#runs">Runs</a>' : '',
    page.charts.settings.rows.length > 0 ? '<a href="#settings">Settings</a>' : '',
    page.charts.charts.length > 0 ? '<a href="#charts">Charts</a>' : '',
    page.matrices.length > 0 ? '<a href="#matrices">Confusion matrices</a>' : '',
    page.rocs.length > 0 ? '<a href="#roc">ROC curves</a>' : '',
    page.kubeflow.length > 0 ? '<a href="#kubeflow">Kubeflow outputs</a>' : '',
  ].filter((link) => link !== '');
  const inputs = page.inputs.map((input) => `<li>${text(input)}</li>`).join('');
  return `<header>
<h1><span class="brand">vizmeta report</span> · ${text(page.title)}</h1>
<p class="meta">${plural(page.runs.length, 'run')} · ${plural(page.inputs.length, 'input')} · generated ${escapeHtml(when)} · vizmeta ${escapeHtml(page.version)}</p>
<details class="inputs"><summary>Inputs</summary><ul>${inputs}</ul></details>
${sections.length > 1 ? `<nav>${sections.join('')}</nav>` : ''}
</header>`;
}

function gateSection(gate: GateReport): string {
  const all = gate.executions.flatMap((execution) => execution.checks.map((check) => ({ execution: execution.execution, check })));
  const failed = all.filter((item) => item.check.status !== 'pass').length;
  const unread = gate.unreadable.length === 0 ? '' : `; ${plural(gate.unreadable.length, 'input')} could not be read`;
  const banner = gate.passed
    ? `<div class="banner pass">✓ Gate passed: ${plural(all.length, 'check')} on ${plural(gate.executions.length, 'execution')}</div>`
    : failed === 0
      ? `<div class="banner fail">! Gate incomplete: ${plural(all.length, 'check')} passed${unread}</div>`
      : `<div class="banner fail">✗ Gate failed: ${formatCount(failed)} of ${plural(all.length, 'check')} did not pass${unread}</div>`;
  const rows = all.map(({ execution, check }) => `<tr><td class="run-name">${text(execution)}</td><td><code>${text(check.condition)}</code></td><td class="status ${check.status}">${check.status === 'pass' ? '✓ pass' : check.status === 'fail' ? '✗ fail' : '! error'}</td><td>${text(describeCheck(check))}</td></tr>`);
  for (const input of gate.unreadable) rows.push(`<tr><td class="run-name">${text(input.execution)}</td><td>(reading it)</td><td class="status error">! error</td><td>${text(`could not be read: ${unreadableReason(input)}`)}</td></tr>`);
  return `<section id="gate"><h2>Gate</h2>${banner}<div class="scroll"><table><thead><tr><th>execution</th><th>condition</th><th>result</th><th>values</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}

function runsSection(table: RankedTable): string {
  const head = `<tr><th class="num">#</th><th>run</th>${table.columns.map((column, i) => `<th class="${i === 0 ? 'num' : 'num'}">${text(column)}</th>${i === 0 ? '<th>trend</th>' : ''}`).join('')}</tr>`;
  const rows = table.rows.map((row) => {
    const cells = row.cells.map((cell, i) => {
      const classes = ['num', cell.tone ?? ''].filter((c) => c !== '').join(' ');
      return `<td class="${classes}">${text(cell.text)}</td>${i === 0 ? `<td>${sparklineSvg(row.spark, colorOf(row.run))}</td>` : ''}`;
    });
    return `<tr><td class="num">${row.rank ?? '–'}</td><td class="run-name" title="${text(row.path)}"><span class="dot" style="background:${colorOf(row.run)}"></span>${text(row.name)}</td>${cells.join('')}</tr>`;
  });
  const folder = table.folder !== undefined ? `<p class="note">Runs in ${text(table.folder)}</p>` : '';
  const hidden = table.hidden > 0 ? `<p class="note">${plural(table.hidden, 'more run')} not shown (--limit)</p>` : '';
  return `<section id="runs"><h2>Runs</h2><p class="caption">${text(table.caption)}</p>${folder}<div class="scroll"><table>${head}${rows.join('')}</table></div>${hidden}</section>`;
}

function settingsSection(settings: SettingsTable, shortRuns: readonly string[]): string {
  if (settings.rows.length === 0) return '';
  const several = settings.runs.length > 1;
  const head = `<tr><th>setting</th>${settings.runs.map((_run, i) => `<th>${several ? `<span class="dot" style="background:${colorOf(i)}"></span>` : ''}${text(shortRuns[i] ?? '')}</th>`).join('')}</tr>`;
  const rows = settings.rows.map((row) => `<tr class="${row.differs ? 'differs' : ''}"><td>${text(row.key)}${row.differs ? ' <span class="differs-mark" title="the runs differ">≠</span>' : ''}</td>${row.values.map((value) => `<td>${value === null ? '<span class="missing">—</span>' : text(value)}</td>`).join('')}</tr>`);
  const note = several && settings.rows.some((row) => row.differs) ? '<p class="note">≠ marks settings the runs differ on.</p>' : '';
  return `<section id="settings"><h2>Settings</h2>${note}<div class="scroll"><table>${head}${rows.join('')}</table></div></section>`;
}

const CHART_W = 640;
const CHART_H = 240;

/** A chart drawn once as SVG: what a reader without JavaScript sees, replaced by the live chart. */
export function staticChartSvg(chart: ReportChart): string {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const line of chart.series) {
    for (let i = 0; i < line.x.length; i++) {
      const x = line.x[i] as number;
      const y = line.y[i];
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y === null || y === undefined) continue;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
    }
  }
  if (!Number.isFinite(xMin) || !Number.isFinite(yMin)) return '<p class="note">No finite values to draw.</p>';
  const pad = { l: 56, r: 10, t: 10, b: 24 };
  const w = CHART_W - pad.l - pad.r;
  const h = CHART_H - pad.t - pad.b;
  const xOf = (x: number): number => pad.l + (xMax === xMin ? w / 2 : ((x - xMin) / (xMax - xMin)) * w);
  const yOf = (y: number): number => pad.t + (yMax === yMin ? h / 2 : h - ((y - yMin) / (yMax - yMin)) * h);
  const lines = chart.series.map((line) => {
    let d = '';
    let open = false;
    for (let i = 0; i < line.x.length; i++) {
      const y = line.y[i];
      if (y === null || y === undefined) continue;
      d += `${open ? 'L' : 'M'}${xOf(line.x[i] as number).toFixed(1)},${yOf(y).toFixed(1)}`;
      open = true;
    }
    // A short line shows its points, as the live chart does: one value alone draws no line.
    const dots = line.x.length <= 60
      ? line.x.map((x, i) => { const y = line.y[i]; return y === null || y === undefined ? '' : `<circle cx="${xOf(x).toFixed(1)}" cy="${yOf(y).toFixed(1)}" r="2.5" fill="${colorOf(line.run)}"/>`; }).join('')
      : '';
    return `<path d="${d}" fill="none" stroke="${colorOf(line.run)}" stroke-width="1.4"${line.dashed ? ' stroke-dasharray="6 4"' : ''}/>${dots}`;
  });
  const axes = `<line x1="${pad.l}" y1="${pad.t + h}" x2="${pad.l + w}" y2="${pad.t + h}" stroke="#ccc"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${pad.t + h}" stroke="#ccc"/>`;
  const labels = [
    `<text x="${pad.l - 4}" y="${pad.t + 8}" text-anchor="end">${escapeHtml(formatNumber(yMax, 4))}</text>`,
    `<text x="${pad.l - 4}" y="${pad.t + h}" text-anchor="end">${escapeHtml(formatNumber(yMin, 4))}</text>`,
    `<text x="${pad.l}" y="${CHART_H - 6}">${escapeHtml(formatNumber(xMin, 6))}</text>`,
    `<text x="${pad.l + w}" y="${CHART_H - 6}" text-anchor="end">${escapeHtml(formatNumber(xMax, 6))}</text>`,
  ];
  return `<svg viewBox="0 0 ${CHART_W} ${CHART_H}" role="img" aria-label="${text(chart.title)}">${axes}${lines.join('')}${labels.join('')}</svg>`;
}

function staticLegend(chart: ReportChart): string {
  const { entries, styles } = legendEntries(chart);
  const items = entries.map((entry) => {
    const bad = [...entry.marks].map(([kind, count]) => ` <span class="legend-bad">▲ ${formatCount(count)} ${kind}</span>`).join('');
    return `<li><span class="swatch${entry.dashed ? ' dashed' : ''}" style="border-color:${colorOf(entry.run)}"></span>${text(entry.label)}${bad}</li>`;
  });
  const keys = styles.map((style) => `<li class="legend-style"><span class="swatch${style.dashed ? ' dashed' : ''}" style="border-color:#555"></span>${text(style.key)}</li>`);
  return `<ul class="legend legend-static">${items.join('')}${keys.join('')}</ul>`;
}

function chartsSection(page: ReportPage): string {
  const { charts } = page.charts;
  if (charts.length === 0) return '';
  const figures = charts.map((chart) => `<figure class="chart" id="${chart.id}" data-series="${chart.series.length}"><figcaption><span class="chart-title">${text(chart.title)}</span></figcaption><div class="plot">${staticChartSvg(chart)}</div>${staticLegend(chart)}</figure>`);
  const controls = `<div class="controls"><label>Smoothing <input id="smoothing" type="range" min="0" max="0.99" step="0.01" value="${page.smoothing}"> <span id="smoothing-value">${page.smoothing.toFixed(2)}</span></label><label><input id="log-all" type="checkbox"> log y on every chart</label><button id="reset-all" type="button">Reset zoom</button><span class="hint">Drag to zoom · wheel to zoom · Shift-drag to pan · double-click to reset · click a legend entry to hide it. ▲ marks NaN or Infinity.</span></div>`;
  return `<section id="charts"><h2>Charts <span class="caption">by ${text(page.charts.xLabel)}</span></h2>${controls}<div class="grid">${figures.join('')}</div></section>`;
}

/** Background of a heatmap cell: white to deep blue by its share of the largest cell. */
function heat(value: number, max: number): { background: string; color: string } {
  const t = max > 0 ? Math.max(0, Math.min(1, value / max)) : 0;
  const r = Math.round(255 - t * (255 - 8));
  const g = Math.round(255 - t * (255 - 69));
  const b = Math.round(255 - t * (255 - 148));
  return { background: `rgb(${r},${g},${b})`, color: t > 0.55 ? '#fff' : '#1d2127' };
}

function cellText(value: number, normalized: boolean): string {
  return normalized ? value.toFixed(2) : formatNumber(value);
}

export function matrixHtml(analysis: MatrixAnalysis): string {
  const { labels } = analysis.matrix;
  const values = analysis.values;
  let max = 0;
  for (const row of values) for (const v of row) if (v > max) max = v;
  const normalized = analysis.normalize !== 'none';
  const head = `<tr><th>actual ↓ predicted →</th>${labels.map((label) => `<th class="label">${text(label)}</th>`).join('')}</tr>`;
  const rows = values.map((row, i) => `<tr><th class="label">${text(labels[i] ?? '')}</th>${row.map((v, j) => {
    const { background, color } = heat(v, max);
    return `<td class="cell" style="background:${background};color:${color}" title="${text(`${labels[i] ?? ''} → ${labels[j] ?? ''}`)}">${cellText(v, normalized)}</td>`;
  }).join('')}</tr>`);
  const report = analysis.report;
  const metricRows = report.classes.map((c) => `<tr><td class="run-name">${text(c.label)}</td><td class="num">${c.precision.toFixed(3)}</td><td class="num">${c.recall.toFixed(3)}</td><td class="num">${c.f1.toFixed(3)}</td><td class="num">${formatCount(c.support)}</td></tr>`);
  metricRows.push(`<tr><td><b>accuracy</b></td><td></td><td></td><td class="num"><b>${report.accuracy.toFixed(3)}</b></td><td class="num">${formatCount(report.total)}</td></tr>`);
  for (const [name, avg] of [['macro avg', report.macro], ['weighted avg', report.weighted]] as const) {
    metricRows.push(`<tr><td>${name}</td><td class="num">${avg.precision.toFixed(3)}</td><td class="num">${avg.recall.toFixed(3)}</td><td class="num">${avg.f1.toFixed(3)}</td><td class="num">${formatCount(avg.support)}</td></tr>`);
  }
  return `<div class="side"><div class="scroll"><table class="heatmap">${head}${rows.join('')}</table></div><div class="scroll"><table><tr><th>class</th><th class="num">precision</th><th class="num">recall</th><th class="num">f1-score</th><th class="num">support</th></tr>${metricRows.join('')}</table></div></div>`;
}

function matricesSection(matrices: readonly ReportMatrix[]): string {
  if (matrices.length === 0) return '';
  const items = matrices.map((item) => `<h3>${text(item.title)}</h3>${matrixHtml(item.analysis)}`);
  return `<section id="matrices"><h2>Confusion matrices</h2>${items.join('')}</section>`;
}

const ROC_SIZE = 320;

/** ROC curves on one square plot with the chance diagonal, AUC in the legend. */
export function rocSvg(rocs: readonly ReportRoc[]): string {
  const pad = 34;
  const s = ROC_SIZE - 2 * pad;
  const px = (v: number): number => pad + v * s;
  const py = (v: number): number => pad + s - v * s;
  const curves = rocs.map((roc, i) => {
    const d = roc.curve.fpr.map((f, k) => `${k === 0 ? 'M' : 'L'}${px(f).toFixed(1)},${py(roc.curve.tpr[k] ?? 0).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${colorOf(i)}" stroke-width="1.8"/>`;
  });
  const frame = `<rect x="${pad}" y="${pad}" width="${s}" height="${s}" fill="none" stroke="#ccc"/><line x1="${px(0)}" y1="${py(0)}" x2="${px(1)}" y2="${py(1)}" stroke="#bbb" stroke-dasharray="4 4"/>`;
  const ticks = `<text x="${pad}" y="${pad + s + 14}" text-anchor="middle">0</text><text x="${pad + s}" y="${pad + s + 14}" text-anchor="middle">1</text><text x="${pad - 6}" y="${pad + 4}" text-anchor="end">1</text><text x="${pad + s / 2}" y="${pad + s + 28}" text-anchor="middle">false-positive rate</text><text x="12" y="${pad + s / 2}" text-anchor="middle" transform="rotate(-90 12 ${pad + s / 2})">true-positive rate</text>`;
  const legend = rocs.map((roc, i) => `<li><span class="swatch" style="border-color:${colorOf(i)}"></span>${text(roc.label)} · AUC ${roc.auc.toFixed(4)}</li>`);
  return `<div class="side"><svg viewBox="0 0 ${ROC_SIZE} ${ROC_SIZE}" width="${ROC_SIZE}" height="${ROC_SIZE}" role="img" aria-label="ROC curves">${frame}${curves.join('')}${ticks}</svg><ul class="legend legend-static" style="flex-direction:column">${legend.join('')}</ul></div>`;
}

function rocSection(rocs: readonly ReportRoc[]): string {
  if (rocs.length === 0) return '';
  return `<section id="roc"><h2>ROC curves</h2>${rocSvg(rocs)}</section>`;
}

function viewTableHtml(table: ViewTable): string {
  const head = `<tr>${table.names.map((name, i) => `<th class="${table.numeric[i] ? 'num' : ''}">${text(name)}</th>`).join('')}</tr>`;
  const rows = table.rows.map((row) => `<tr>${table.names.map((_name, i) => `<td class="${table.numeric[i] ? 'num' : ''}">${text(row[i] ?? '')}</td>`).join('')}</tr>`);
  return `<div class="scroll"><table>${head}${rows.join('')}</table></div>`;
}

function kubeflowSection(files: ReportPage['kubeflow']): string {
  if (files.length === 0) return '';
  const parts = files.map(({ file, sections }) => {
    const body = sections.map((section) => {
      const heading = `<h3>${text(section.heading)}</h3>`;
      switch (section.kind) {
        case 'table': return heading + viewTableHtml(section.table);
        // Already safe HTML: rendered by render/markdown-html.ts with raw HTML and images off.
        case 'markdown': return `${heading}<div class="markdown">${section.html}</div>`;
        case 'matrix': return heading + matrixHtml(section.analysis);
        case 'roc': return heading + rocSvg([section.roc]);
        case 'note': return `${heading}<p class="note">${text(section.note)}</p>`;
      }
    });
    return `<h3 class="run-name">${text(file)}</h3>${body.join('')}`;
  });
  return `<section id="kubeflow"><h2>Kubeflow outputs</h2>${parts.join('')}</section>`;
}

function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64');
}

/** The whole page. */
export function renderReportHtml(page: ReportPage, assets: ReportAssets, shortRuns: readonly string[]): string {
  // Labels reach the page through textContent, never as markup; control and bidi characters are
  // shown escaped there as everywhere else.
  const charts = page.charts.charts.map((chart) => ({
    ...chart,
    title: escapeForTerminal(chart.title),
    keys: chart.keys.map(escapeForTerminal),
    series: chart.series.map((line) => ({ ...line, label: escapeForTerminal(line.label), runLabel: escapeForTerminal(line.runLabel), key: escapeForTerminal(line.key) })),
  }));
  const data = { xLabel: escapeForTerminal(page.charts.xLabel), smoothing: page.smoothing, charts };
  const script = assets.script;
  if (/<\/script|<!--/i.test(script)) throw new Error('report: the built client script holds </script or <!--, which would end its element early');
  const style = `${assets.css}\n${PAGE_CSS}`;
  // Nothing may leave the page: no connection, no image, font or frame from anywhere; only this
  // page's own script (by its hash) runs. Inline styles are allowed: the heatmap's cells and
  // uPlot's layout use them, and a style cannot fetch anything when every source is 'none'.
  const csp = `default-src 'none'; script-src 'sha256-${sha256(script)}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  const notes = page.notes.length > 0 ? `<section id="notes"><ul class="note">${page.notes.map((note) => `<li>${text(note)}</li>`).join('')}</ul></section>` : '';
  const empty = page.charts.charts.length === 0 && !page.table && page.matrices.length === 0 && page.rocs.length === 0 && page.kubeflow.length === 0
    ? '<p class="note">No metadata found in the inputs.</p>' : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vizmeta ${escapeHtml(page.version)}">
<title>vizmeta report · ${text(page.title)}</title>
<style>${style}</style>
</head>
<body>
${header(page)}
<main>
${page.gate ? gateSection(page.gate) : ''}
${page.table ? runsSection(page.table) : ''}
${settingsSection(page.charts.settings, shortRuns)}
${chartsSection(page)}
${matricesSection(page.matrices)}
${rocSection(page.rocs)}
${kubeflowSection(page.kubeflow)}
${notes}${empty}
</main>
<footer>Made by vizmeta ${escapeHtml(page.version)} from local files. This page makes no network request; its charts use uPlot (MIT licence).</footer>
<script type="application/json" id="vizmeta-data">${jsonForScript(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}
