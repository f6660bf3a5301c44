/**
 * ROC curves for people: every curve overlaid on one chart at its true fpr, with the chance
 * diagonal and a table of AUCs, as text or markdown (the chart in a code block); or JSON.
 * Pure: curves in, string out.
 */
import { renderChart, type ChartSeries } from './chart.js';
import { escapeForTerminal } from '../core/escape.js';
import { folderNote, shortNames } from '../core/names.js';
import { displayName } from '../formats/visual-input.js';
import type { FoundCurve, InputCurves } from '../analyse/roc-input.js';
import { markdownText } from './table.js';
import { maxOf } from '../core/numbers.js';

/** How `roc` draws: the format, whether every curve of a log is shown, and the chart's rows (default 16). */
export interface RocRenderOptions {
  format: 'text' | 'json' | 'markdown';
  all?: boolean;
  height?: number;
}

function curveName(item: FoundCurve, result: InputCurves, all: boolean, name = displayName(item.source)): string {
  return all && result.total > 1 && item.line !== undefined ? `${name}:${item.line}` : name;
}

function formatAuc(value: number): string {
  return value.toFixed(4);
}

/** A curve and the name it has in the legend and the AUC table. */
export interface NamedCurve {
  name: string;
  item: FoundCurve;
}

function namedCurves(results: readonly InputCurves[], all: boolean): NamedCurve[] {
  return results.flatMap((result) => result.found.map((item) => ({ name: curveName(item, result, all), item })));
}

/** For people: curves named by the shortest distinct form of their files, and the folder left out. */
function shortNamedCurves(results: readonly InputCurves[], all: boolean): { curves: NamedCurve[]; folder: string | undefined } {
  const short = shortNames(results.map((result) => result.source));
  const curves = results.flatMap((result, i) => result.found.map((item) => ({ name: curveName(item, result, all, short.names[i]), item })));
  return { curves, folder: short.folder };
}

/** The chart: every curve plotted at its true fpr (x) against tpr, with the chance diagonal. */
export function renderRocChart(curves: readonly NamedCurve[], options: { width: number; height: number; color: boolean }): string {
  // The diagonal comes first so the curves are drawn over it; it also pins both axes to [0, 1].
  const series: ChartSeries[] = [{ label: 'chance (AUC 0.5)', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }];
  for (const { name, item } of curves) {
    series.push({
      label: `${name} (AUC ${formatAuc(item.auc)})`,
      points: item.curve.fpr.map((x, i) => ({ x, y: item.curve.tpr[i] as number })),
    });
  }
  // No latest y in the legend: a ROC curve always ends at tpr 1, which says nothing.
  return renderChart(series, { width: options.width, height: options.height, color: options.color, title: 'ROC curve: true-positive rate (y) by false-positive rate (x)', xLabel: 'fpr', legendValue: false });
}

function aucLines(curves: readonly NamedCurve[]): string[] {
  const width = maxOf(curves.map(({ name }) => escapeForTerminal(name).length), 5);
  return [
    `${'curve'.padEnd(width)}  ${'AUC'.padStart(6)}  points`,
    ...curves.map(({ name, item }) => `${escapeForTerminal(name).padEnd(width)}  ${formatAuc(item.auc).padStart(6)}  ${item.curve.fpr.length}`),
  ];
}

/** Everything `roc` prints for people: the overlaid chart and the AUC table, names shortened for text. */
export function renderRoc(results: readonly InputCurves[], options: RocRenderOptions, render: { color: boolean; width: number }): string {
  const height = options.height ?? 16;
  if (options.format === 'markdown') return renderCurves(namedCurves(results, Boolean(options.all)), 'markdown', { ...render, height });
  const { curves, folder } = shortNamedCurves(results, Boolean(options.all));
  const text = renderCurves(curves, 'text', { ...render, height });
  return folder === undefined || text === '' ? text : `${text}${escapeForTerminal(folderNote(folder))}\n`;
}

/** The chart and the AUC table of named curves, as text or markdown (the chart in a code block). */
export function renderCurves(curves: readonly NamedCurve[], format: 'text' | 'markdown', render: { color: boolean; width: number; height: number }): string {
  if (curves.length === 0) return '';
  const chart = renderRocChart(curves, { width: render.width, height: render.height, color: format === 'markdown' ? false : render.color });
  if (format === 'markdown') {
    const rows = curves.map(({ name, item }) => `| ${markdownText(name)} | ${formatAuc(item.auc)} | ${item.curve.fpr.length} |`);
    return ['### ROC curves', '', '| curve | AUC | points |', '|---|---:|---:|', ...rows, '', '```text', chart.replace(/```/g, '`\u200b``'), '```', ''].join('\n');
  }
  return [chart, '', ...aucLines(curves), ''].join('\n');
}

function curveJson(name: string, item: FoundCurve): Record<string, unknown> {
  return {
    name,
    source: item.source,
    line: item.line ?? null,
    form: item.form,
    auc: item.auc,
    fpr: item.curve.fpr,
    tpr: item.curve.tpr,
    // JSON has no Infinity: sklearn's first threshold (+inf) is written as null.
    thresholds: item.curve.thresholds.map((t) => (Number.isFinite(t) ? t : null)),
  };
}

/** `--format json`: one entry per curve with its name, where it came from, its AUC and its points. */
export function renderRocJson(results: readonly InputCurves[], all: boolean): string {
  return JSON.stringify(namedCurves(results, all).map(({ name, item }) => curveJson(name, item))) + '\n';
}
