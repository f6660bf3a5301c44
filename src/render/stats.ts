/**
 * `stats` as a table (text or markdown; two-line cards per key where a terminal is too narrow),
 * CSV or JSON. Pure: statistics in, string out.
 */
import { escapeForTerminal } from '../core/escape.js';
import { formatNumber, formatValue, csvValue, jsonValue, renderCsvTable, renderMarkdownTable, renderTextTable, type CellInput, type Column } from './table.js';
import { displayWidth as stringWidth, truncate } from './width.js';
import { EXACT_VALUES, RELATIVE_ACCURACY, type KeyStats } from '../analyse/stats.js';

const DIGITS = 4;
const num = (value: number | undefined): string => (value === undefined ? '–' : formatNumber(value, DIGITS));

function nonFinite(stats: KeyStats): string {
  const parts: string[] = [];
  if (stats.nan > 0) parts.push(`${stats.nan} NaN`);
  if (stats.posInf + stats.negInf > 0) parts.push(`${stats.posInf + stats.negInf} Inf`);
  return parts.join(', ');
}

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;

/** Histogram bars from zero (unlike a sparkline, which spans min to max): an empty bin is blank. */
export function histogramText(counts: readonly number[]): string {
  const tallest = Math.max(0, ...counts);
  if (tallest === 0) return '';
  return counts.map((count) => (count === 0 ? ' ' : BARS[Math.max(0, Math.min(7, Math.ceil((count / tallest) * 8) - 1))])).join('');
}

const COLUMNS: Column[] = [
  { header: 'key', keep: true }, { header: 'type' }, { header: 'count', align: 'right' }, { header: 'missing', align: 'right' },
  { header: 'NaN/Inf', align: 'right' }, { header: 'min', align: 'right' }, { header: 'mean', align: 'right' }, { header: 'std', align: 'right' },
  { header: 'median', align: 'right' }, { header: 'max', align: 'right' }, { header: 'latest', align: 'right' }, { header: 'histogram' },
];

function rowOf(stats: KeyStats): CellInput[] {
  const latest = typeof stats.latest === 'number' ? num(stats.latest) : formatValue(stats.latest);
  return [
    stats.key, stats.types.join('|'), String(stats.count),
    stats.missing > 0 ? { text: String(stats.missing), tone: 'warn' } : '0',
    nonFinite(stats) === '' ? '' : { text: nonFinite(stats), tone: 'bad' },
    num(stats.min), num(stats.mean), num(stats.std), `${stats.approximate ? '~' : ''}${num(stats.median)}`, num(stats.max),
    latest, { text: histogramText(stats.histogram), safe: true },
  ];
}

/** Two lines per key, wrapped to the width: for terminals too narrow for the table. */
function renderCards(all: readonly KeyStats[], width: number): string {
  const out: string[] = [];
  for (const stats of all) {
    const head = [`${escapeForTerminal(stats.key)}`, stats.types.join('|'), `count ${stats.count}`, `missing ${stats.missing}`];
    if (nonFinite(stats) !== '') head.push(nonFinite(stats));
    const body = stats.min === undefined ? [] : [
      `min ${num(stats.min)}`, `mean ${num(stats.mean)}`, `std ${num(stats.std)}`, `median ${stats.approximate ? '~' : ''}${num(stats.median)}`, `max ${num(stats.max)}`,
    ];
    const latest = typeof stats.latest === 'number' ? num(stats.latest) : escapeForTerminal(formatValue(stats.latest));
    body.push(`latest ${truncate(latest, 30)}`);
    if (histogramText(stats.histogram) !== '') body.push(histogramText(stats.histogram));
    out.push(head.join('  '));
    let line = ' ';
    for (const piece of body) {
      if (line.trim() !== '' && stringWidth(line) + 2 + stringWidth(piece) > width) {
        out.push(line);
        line = ' ';
      }
      line += ` ${line.trim() === '' ? '' : ' '}${piece}`;
    }
    out.push(line.replace(/^ {2,}/, '  '));
  }
  return out.join('\n') + '\n';
}

export function renderStats(all: readonly KeyStats[], format: 'text' | 'json' | 'csv' | 'markdown', options: { color: boolean; width: number }): string {
  const approximate = all.some((stats) => stats.approximate);
  const note = approximate ? `~ median and histogram from a quantile sketch beyond ${EXACT_VALUES} values per key, within ${RELATIVE_ACCURACY * 100}%` : '';
  if (format === 'json') {
    return JSON.stringify(all.map((stats) => ({
      key: stats.key, types: stats.types, count: stats.count, missing: stats.missing, nan: stats.nan, posInf: stats.posInf, negInf: stats.negInf,
      min: jsonValue(stats.min), mean: jsonValue(stats.mean), std: jsonValue(stats.std), median: jsonValue(stats.median), max: jsonValue(stats.max),
      latest: jsonValue(stats.latest), histogram: stats.histogram, approximate: stats.approximate,
    })), null, 2) + '\n';
  }
  if (format === 'csv') {
    return renderCsvTable(['key', 'types', 'count', 'missing', 'nan', 'inf', 'min', 'mean', 'std', 'median', 'max', 'latest'], all.map((stats) => [
      stats.key, stats.types.join('|'), stats.count, stats.missing, stats.nan, stats.posInf + stats.negInf,
      csvValue(stats.min), csvValue(stats.mean), csvValue(stats.std), csvValue(stats.median), csvValue(stats.max), csvValue(stats.latest),
    ]));
  }
  const rows = all.map(rowOf);
  if (format === 'markdown') return renderMarkdownTable(COLUMNS, rows) + (note === '' ? '' : `\n_${note}_\n`);
  const table = renderTextTable(COLUMNS, rows, { color: options.color, maxCellWidth: 16 });
  const fits = table.split('\n').every((line) => stringWidth(line.replace(/\x1b\[[0-9;]*m/g, '')) <= options.width);
  return (fits ? table : renderCards(all, options.width)) + (note === '' ? '' : `${note}\n`);
}
