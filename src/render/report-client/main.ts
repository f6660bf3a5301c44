/**
 * The script inside `vizmeta report`'s HTML page: draws each chart's data (embedded as JSON by
 * src/render/report-html.ts) with uPlot, and adds what a person uses to read it: a hover that
 * names the step and every line's value there, drag to zoom, wheel to zoom, Shift-drag to pan,
 * double-click or Reset to see everything again, a log scale and TensorBoard's smoothing.
 *
 * Bundled with uPlot into one file at build time (scripts/bundle.mjs) and inlined into every
 * report: the page makes no request. Every text from a log reaches the page through textContent,
 * never as markup.
 */
import uPlot from 'uplot';
import { smooth } from '../../analyse/series.js';
import { formatNumber } from '../format.js';
import { legendEntries, type ReportChart, type ReportSeries } from '../../analyse/report-model.js';

interface PageData {
  xLabel: string;
  smoothing: number;
  charts: ReportChart[];
}

/** One colour per run, in run order; the page's CSS uses the same list for its tables. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
const MARK_COLOR = '#c00000';

export function colorOf(run: number): string {
  return PALETTE[((run % PALETTE.length) + PALETTE.length) % PALETTE.length] as string;
}

/** A hex colour at some opacity, for the raw line drawn faint under a smoothed one. */
function faint(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

interface ChartState {
  chart: ReportChart;
  figure: HTMLElement;
  plotHost: HTMLElement;
  tooltip: HTMLElement;
  log: boolean;
  /** Lines hidden from the legend. */
  hidden: Set<number>;
  plot: uPlot | undefined;
  /** The aligned x values and each line's values drawn (after smoothing). */
  xs: number[];
  drawn: Array<Array<number | null>>;
  /** The x range shown, kept across a rebuild (log scale, smoothing). */
  range: [number, number] | undefined;
}

const states: ChartState[] = [];
let smoothing = 0;

/** Every x of every line, sorted, once: uPlot draws lines over one shared x array. */
function unionX(series: readonly ReportSeries[]): number[] {
  const all = new Set<number>();
  for (const line of series) for (const x of line.x) all.add(x);
  return [...all].sort((a, b) => a - b);
}

/** A line's values on the shared x axis: null where it has no point (spanned) or no finite value. */
function alignedValues(line: ReportSeries, index: Map<number, number>, length: number, weight: number, log: boolean): Array<number | null> {
  const values = line.y.map((y) => (y === null ? NaN : y));
  const shown = weight > 0 ? smooth(values, weight) : values;
  const out: Array<number | null> = new Array(length).fill(null);
  for (let i = 0; i < line.x.length; i++) {
    const y = shown[i] as number;
    if (!Number.isFinite(y) || (log && y <= 0)) continue;
    out[index.get(line.x[i] as number) as number] = y;
  }
  return out;
}

/** The index of `line`'s point nearest to x (its x values ascend). */
function nearest(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs((xs[lo - 1] as number) - x) <= Math.abs((xs[lo] as number) - x)) return lo - 1;
  return lo;
}

/** What the hover says of one line at x: its value at its nearest point, or that point's NaN/Infinity. */
export function valueAt(line: ReportSeries, x: number, weight: number): { x: number; text: string } | undefined {
  if (line.x.length === 0) return undefined;
  const i = nearest(line.x, x);
  const at = line.x[i] as number;
  const mark = line.marks.find((m) => m.x === at);
  if (mark) return { x: at, text: mark.kind };
  const raw = line.y[i];
  if (raw === null || raw === undefined) return undefined;
  if (weight > 0) {
    const smoothed = smooth(line.y.map((y) => (y === null ? NaN : y)), weight)[i] as number;
    return { x: at, text: `${formatNumber(smoothed)} (raw ${formatNumber(raw)})` };
  }
  return { x: at, text: formatNumber(raw) };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== undefined) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Marks a line's NaN and ±Infinity at the plot's top (NaN, +Infinity) or bottom (-Infinity) edge. */
function drawMarks(state: ChartState, u: uPlot): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  for (const [i, line] of state.chart.series.entries()) {
    if (state.hidden.has(i) || line.marks.length === 0) continue;
    for (const mark of line.marks) {
      const cx = u.valToPos(mark.x, 'x', true);
      if (cx < left - 1 || cx > left + width + 1) continue;
      const bottom = mark.kind === '-Infinity';
      const y = bottom ? top + height : top;
      const size = 6 * devicePixelRatio;
      ctx.beginPath();
      ctx.moveTo(cx - size, bottom ? y : y);
      ctx.lineTo(cx + size, y);
      ctx.lineTo(cx, bottom ? y - size * 1.6 : y + size * 1.6);
      ctx.closePath();
      ctx.fillStyle = MARK_COLOR;
      ctx.fill();
      ctx.strokeStyle = colorOf(line.run);
      ctx.lineWidth = devicePixelRatio;
      ctx.stroke();
    }
  }
  ctx.restore();
}

function showTooltip(state: ChartState, u: uPlot, data: PageData): void {
  const idx = u.cursor.idx;
  const left = u.cursor.left ?? -1;
  if (idx === null || idx === undefined || left < 0) {
    state.tooltip.hidden = true;
    return;
  }
  const x = u.posToVal(left, 'x');
  const tip = state.tooltip;
  tip.replaceChildren();
  const rows: Array<{ line: ReportSeries; value: { x: number; text: string } }> = [];
  for (const [i, line] of state.chart.series.entries()) {
    if (state.hidden.has(i)) continue;
    const value = valueAt(line, x, smoothing);
    if (value) rows.push({ line, value });
  }
  if (rows.length === 0) {
    tip.hidden = true;
    return;
  }
  // The step named is the nearest point's of the first line; a line whose own nearest point is
  // elsewhere says at which step its value is.
  const step = rows[0]?.value.x as number;
  tip.append(el('div', 'tip-x', `${data.xLabel} ${formatNumber(step)}`));
  for (const { line, value } of rows) {
    const row = el('div', 'tip-row');
    const swatch = el('span', line.dashed ? 'swatch dashed' : 'swatch');
    swatch.style.borderColor = colorOf(line.run);
    row.append(swatch, el('span', 'tip-label', line.label), el('span', value.text === 'NaN' || value.text.endsWith('Infinity') ? 'tip-value bad' : 'tip-value', value.x === step ? value.text : `${value.text} at ${formatNumber(value.x)}`));
    tip.append(row);
  }
  tip.hidden = false;
  const hostWidth = state.plotHost.clientWidth;
  const tipLeft = u.bbox.left / devicePixelRatio + left + 14;
  tip.style.left = `${Math.min(tipLeft, Math.max(0, hostWidth - tip.offsetWidth - 4))}px`;
  tip.style.top = `${Math.max(0, (u.cursor.top ?? 0) - 10)}px`;
}

function buildPlot(state: ChartState, data: PageData): void {
  const { chart } = state;
  state.plot?.destroy();
  const xs = unionX(chart.series);
  const index = new Map(xs.map((x, i) => [x, i]));
  const drawn = chart.series.map((line) => alignedValues(line, index, xs.length, smoothing, state.log));
  state.xs = xs;
  state.drawn = drawn;
  const series: uPlot.Series[] = [{ label: data.xLabel }];
  const columns: Array<Array<number | null>> = [];
  for (const [i, line] of chart.series.entries()) {
    const color = colorOf(line.run);
    const dash = line.dashed ? [6, 4] : undefined;
    if (smoothing > 0) {
      // TensorBoard's way: the raw values faint, the smoothed line over them.
      series.push({ label: `${line.label} (raw)`, stroke: faint(color, 0.25), width: 1, spanGaps: true, show: !state.hidden.has(i), points: { show: false }, ...(dash ? { dash } : {}) });
      columns.push(alignedValues(line, index, xs.length, 0, state.log));
    }
    series.push({ label: line.label, stroke: color, width: 1.6, spanGaps: true, show: !state.hidden.has(i), points: { show: false }, ...(dash ? { dash } : {}) });
    columns.push(drawn[i] as Array<number | null>);
  }
  // A short line (a metric printed a few times, once per epoch) shows its points: one value alone
  // would otherwise draw nothing.
  const dots = xs.length <= 60;
  for (const options of series.slice(1)) options.points = { show: dots, size: 5 };
  const width = Math.max(280, state.plotHost.clientWidth);
  const opts: uPlot.Options = {
    width,
    height: 260,
    series,
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: true }, points: { show: false } },
    scales: { x: { time: false }, y: state.log ? { distr: 3 } : {} },
    axes: [
      { label: data.xLabel, labelSize: 18, size: 36, stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' } },
      {
        stroke: '#555', grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' }, size: 60,
        values: (_u, splits) => splits.map((v) => (v === null ? '' : formatNumber(v, 4))),
        // On a log scale, grid lines and labels at powers of ten only: nine lines a decade are noise.
        ...(state.log ? { filter: (_u: uPlot, splits: number[]) => splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null)) } : {}),
      },
    ],
    hooks: {
      draw: [(u) => drawMarks(state, u)],
      setCursor: [(u) => showTooltip(state, u, data)],
      setScale: [(u, key) => {
        if (key !== 'x') return;
        const { min, max } = u.scales.x as { min?: number; max?: number };
        if (min !== undefined && max !== undefined) state.range = [min, max];
      }],
    },
  };
  const plot = new uPlot(opts, [xs, ...columns] as uPlot.AlignedData, state.plotHost);
  state.plot = plot;
  if (state.range) plot.setScale('x', { min: state.range[0], max: state.range[1] });
  plot.over.addEventListener('mouseleave', () => { state.tooltip.hidden = true; });
  state.figure.dataset.log = state.log ? 'true' : 'false';
  state.figure.dataset.smoothing = String(smoothing);
}

/** The whole x range of a chart, as at first. */
function resetZoom(state: ChartState): void {
  state.range = undefined;
  const { xs, plot } = state;
  if (plot && xs.length > 0) plot.setScale('x', { min: xs[0] as number, max: xs[xs.length - 1] as number });
  state.range = undefined;
}

/** Wheel zooms around the cursor; Shift-drag pans. uPlot gives drag-to-zoom and double-click. */
function addZoomAndPan(state: ChartState): void {
  const host = state.plotHost;
  host.addEventListener('wheel', (event) => {
    const u = state.plot;
    if (!u || !(event.target instanceof Node) || !u.over.contains(event.target)) return;
    event.preventDefault();
    const { min, max } = u.scales.x as { min: number; max: number };
    const at = u.posToVal(event.offsetX, 'x');
    const factor = event.deltaY < 0 ? 0.8 : 1.25;
    u.setScale('x', { min: at - (at - min) * factor, max: at + (max - at) * factor });
  }, { passive: false });
  host.addEventListener('mousedown', (event) => {
    const u = state.plot;
    if (!u || !event.shiftKey || !(event.target instanceof Node) || !u.over.contains(event.target)) return;
    // Before uPlot's own handler: a Shift-drag pans instead of selecting a range to zoom.
    event.stopPropagation();
    event.preventDefault();
    const startX = event.clientX;
    const { min, max } = u.scales.x as { min: number; max: number };
    const perPixel = (max - min) / (u.bbox.width / devicePixelRatio);
    const move = (e: MouseEvent): void => {
      const shift = (startX - e.clientX) * perPixel;
      u.setScale('x', { min: min + shift, max: max + shift });
    };
    const up = (): void => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }, true);
}

function buildLegend(state: ChartState, data: PageData): HTMLElement {
  const legend = el('ul', 'legend');
  const { entries, styles } = legendEntries(state.chart);
  for (const entry of entries) {
    const item = el('li');
    const button = el('button', 'legend-item');
    button.type = 'button';
    button.setAttribute('aria-pressed', 'true');
    const swatch = el('span', entry.dashed ? 'swatch dashed' : 'swatch');
    swatch.style.borderColor = colorOf(entry.run);
    button.append(swatch, el('span', 'legend-label', entry.label));
    for (const [kind, count] of entry.marks) button.append(el('span', 'legend-bad', ` ▲ ${count} ${kind}`));
    button.addEventListener('click', () => {
      const hide = !state.hidden.has(entry.lines[0] as number);
      for (const i of entry.lines) {
        if (hide) state.hidden.add(i);
        else state.hidden.delete(i);
      }
      button.setAttribute('aria-pressed', hide ? 'false' : 'true');
      buildPlot(state, data);
    });
    item.append(button);
    legend.append(item);
  }
  for (const style of styles) {
    const item = el('li', 'legend-style');
    const swatch = el('span', style.dashed ? 'swatch dashed' : 'swatch');
    swatch.style.borderColor = '#555';
    item.append(swatch, el('span', undefined, style.key));
    legend.append(item);
  }
  return legend;
}

function setUpChart(figure: HTMLElement, chart: ReportChart, data: PageData): ChartState {
  const plotHost = figure.querySelector<HTMLElement>('.plot') as HTMLElement;
  plotHost.replaceChildren();
  const tooltip = el('div', 'tooltip');
  tooltip.hidden = true;
  const state: ChartState = { chart, figure, plotHost, tooltip, log: chart.logScale, hidden: new Set(), plot: undefined, xs: [], drawn: [], range: undefined };
  const tools = el('div', 'chart-tools');
  const logLabel = el('label');
  const logBox = el('input');
  logBox.type = 'checkbox';
  logBox.className = 'log-toggle';
  logBox.checked = state.log;
  logBox.addEventListener('change', () => {
    state.log = logBox.checked;
    buildPlot(state, data);
  });
  logLabel.append(logBox, document.createTextNode(' log y'));
  const reset = el('button', 'reset', 'Reset zoom');
  reset.type = 'button';
  reset.addEventListener('click', () => resetZoom(state));
  tools.append(logLabel, reset);
  figure.querySelector('figcaption')?.append(tools);
  // The drawing and legend written for readers without JavaScript give way to the live ones.
  figure.querySelector('.legend-static')?.remove();
  figure.append(buildLegend(state, data));
  plotHost.style.position = 'relative';
  buildPlot(state, data);
  plotHost.append(tooltip);
  addZoomAndPan(state);
  figure.dataset.series = String(chart.series.length);
  return state;
}

function main(): void {
  const source = document.getElementById('vizmeta-data');
  if (!source?.textContent) return;
  const data = JSON.parse(source.textContent) as PageData;
  smoothing = data.smoothing;
  document.documentElement.classList.add('js');
  for (const chart of data.charts) {
    const figure = document.getElementById(chart.id);
    if (figure) states.push(setUpChart(figure, chart, data));
  }
  const slider = document.getElementById('smoothing') as HTMLInputElement | null;
  const shown = document.getElementById('smoothing-value');
  if (slider) {
    slider.value = String(smoothing);
    if (shown) shown.textContent = smoothing.toFixed(2);
    let pending = false;
    slider.addEventListener('input', () => {
      smoothing = Math.min(0.99, Math.max(0, Number(slider.value)));
      if (shown) shown.textContent = smoothing.toFixed(2);
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        for (const state of states) buildPlot(state, data);
      });
    });
  }
  document.getElementById('log-all')?.addEventListener('change', (event) => {
    const on = (event.target as HTMLInputElement).checked;
    for (const state of states) {
      state.log = on;
      const box = state.figure.querySelector<HTMLInputElement>('.log-toggle');
      if (box) box.checked = on;
      buildPlot(state, data);
    }
  });
  document.getElementById('reset-all')?.addEventListener('click', () => states.forEach(resetZoom));
  let resizing = false;
  window.addEventListener('resize', () => {
    if (resizing) return;
    resizing = true;
    requestAnimationFrame(() => {
      resizing = false;
      for (const state of states) state.plot?.setSize({ width: Math.max(280, state.plotHost.clientWidth), height: 260 });
    });
  });
  // For people's scripts and the browser tests: the plots, and a sign that drawing is done.
  (window as unknown as { vizmeta: unknown }).vizmeta = { charts: states };
  document.body.dataset.ready = 'true';
  performance.mark('vizmeta-ready');
}

main();
