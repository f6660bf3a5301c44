/**
 * `vizmeta stats [FILE...]`: per-key statistics over every record of every input, like
 * Kubeflow's TFDV view: types seen, count, missing, NaN/Inf, min, mean, std, median, max,
 * latest and a histogram sparkline.
 *
 * Memory is bounded per key: mean and std are Welford's running values (exact); the median
 * and the histogram come from a uniform reservoir sample of RESERVOIR values per key, so they
 * are exact up to that many values and approximate beyond (the output says so). The sample uses
 * a fixed seed, so the same input always gives the same output.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, type ExitSlot } from '../core/errors.js';
import { warn, write, type CommandIO } from '../core/io.js';
import { flattenValues } from '../parsers/metadata.js';
import { escapeForTerminal } from '../core/escape.js';
import { formatNumber, formatValue, csvValue, jsonValue, renderCsvTable, renderMarkdownTable, renderTextTable, type CellInput, type Column } from '../render/table.js';
import { readInputs } from '../input/read-inputs.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { parseKeyList } from '../core/keys.js';
import { collectKeys } from '../options/parse.js';
import { resolveColor } from '../core/io.js';
import { displayWidth as stringWidth } from '../render/width.js';

/** Values kept per key for the median and the histogram. */
export const RESERVOIR = 4096;
/** Bars in the histogram sparkline. */
export const HISTOGRAM_BINS = 10;

export type ValueType = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object';

function typeOf(value: JsonValue): ValueType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as ValueType;
}

/** A small seeded PRNG (mulberry32): reproducible sampling. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface KeyAccumulator {
  types: Set<ValueType>;
  count: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Finite numbers seen. */
  finite: number;
  min: number;
  max: number;
  mean: number;
  m2: number;
  latest: JsonValue;
  sample: number[];
}

/** Per-key statistics of one key. Plain data. */
export interface KeyStats {
  key: string;
  types: ValueType[];
  count: number;
  /** Records without the key. */
  missing: number;
  nan: number;
  posInf: number;
  negInf: number;
  /** Over finite numbers only; undefined when there were none. */
  min?: number;
  mean?: number;
  /** Sample standard deviation (n − 1); undefined below two values. */
  std?: number;
  median?: number;
  max?: number;
  latest: JsonValue;
  /** Counts of finite values in HISTOGRAM_BINS equal bins from min to max. */
  histogram: number[];
  /** The median and histogram come from a sample. */
  approximate: boolean;
}

/** Folds records into per-key statistics. Pure. */
export class StatsBuilder {
  private readonly keys = new Map<string, KeyAccumulator>();
  private records = 0;
  private readonly rand = random(0x5eed);

  constructor(private readonly only?: readonly string[]) {}

  add(record: MetadataRecord): void {
    this.records++;
    for (const [key, value] of flattenValues(record.values)) {
      if (this.only && this.only.length > 0 && !this.only.includes(key)) continue;
      this.fold(key, value);
    }
  }

  private fold(key: string, value: JsonValue): void {
    let acc = this.keys.get(key);
    if (!acc) {
      acc = { types: new Set(), count: 0, nan: 0, posInf: 0, negInf: 0, finite: 0, min: Infinity, max: -Infinity, mean: 0, m2: 0, latest: value, sample: [] };
      this.keys.set(key, acc);
    }
    acc.types.add(typeOf(value));
    acc.count++;
    acc.latest = value;
    if (typeof value !== 'number') return;
    if (Number.isNaN(value)) { acc.nan++; return; }
    if (value === Infinity) { acc.posInf++; return; }
    if (value === -Infinity) { acc.negInf++; return; }
    acc.finite++;
    if (value < acc.min) acc.min = value;
    if (value > acc.max) acc.max = value;
    const delta = value - acc.mean;
    acc.mean += delta / acc.finite;
    acc.m2 += delta * (value - acc.mean);
    // Reservoir sampling (Algorithm R): every value has the same chance to be kept.
    if (acc.sample.length < RESERVOIR) acc.sample.push(value);
    else {
      const slot = Math.floor(this.rand() * acc.finite);
      if (slot < RESERVOIR) acc.sample[slot] = value;
    }
  }

  finish(): KeyStats[] {
    return [...this.keys.entries()].map(([key, acc]): KeyStats => {
      const stats: KeyStats = {
        key, types: [...acc.types], count: acc.count, missing: this.records - acc.count,
        nan: acc.nan, posInf: acc.posInf, negInf: acc.negInf, latest: acc.latest,
        histogram: [], approximate: acc.finite > acc.sample.length,
      };
      if (acc.finite > 0) {
        stats.min = acc.min;
        stats.max = acc.max;
        stats.mean = acc.mean;
        if (acc.finite > 1) stats.std = Math.sqrt(acc.m2 / (acc.finite - 1));
        const sorted = [...acc.sample].sort((a, b) => a - b);
        const mid = sorted.length >> 1;
        stats.median = sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
        stats.histogram = histogram(sorted, acc.min, acc.max);
      }
      return stats;
    });
  }
}

function histogram(values: readonly number[], min: number, max: number): number[] {
  const bins = new Array<number>(HISTOGRAM_BINS).fill(0);
  const span = max - min;
  for (const value of values) {
    const bin = span > 0 && Number.isFinite(span) ? Math.min(HISTOGRAM_BINS - 1, Math.floor(((value - min) / span) * HISTOGRAM_BINS)) : 0;
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  return span > 0 ? bins : [values.length];
}

export interface StatsOptions extends InputOptions {
  /** Only these keys. Default every key. */
  keys?: string[];
  format?: 'text' | 'json' | 'csv' | 'markdown';
  color?: boolean;
}

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
    body.push(`latest ${latest.length > 30 ? `${latest.slice(0, 29)}…` : latest}`);
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

export function renderStats(all: readonly KeyStats[], format: NonNullable<StatsOptions['format']>, options: { color: boolean; width: number }): string {
  const approximate = all.some((stats) => stats.approximate);
  const note = approximate ? `~ median and histogram from a sample of ${RESERVOIR} values per key` : '';
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

export async function runStats(inputs: string[], options: StatsOptions, io: CommandIO): Promise<number> {
  const builder = new StatsBuilder(parseKeyList(options.keys));
  let status: number = ExitCode.ok;
  await readInputs(inputs, io.stdin, { record: (record) => builder.add(record), diagnostic: diagnosticWriter(io) }, readOptionsFrom(options), {
    onError: (message) => { warn(io, message); status = ExitCode.usage; },
  });
  const all = builder.finish();
  if (all.length === 0 && options.format !== 'json' && options.format !== 'csv') {
    warn(io, 'no metadata records found');
    return status;
  }
  await write(io.stdout, renderStats(all, options.format ?? 'text', { color: resolveColor(io, options.color), width: io.columns }));
  return status;
}

export function registerStats(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('stats')
    .description('per-key statistics over all records: types, count, missing, NaN/Inf, min, mean, std, median, max, latest, histogram')
    .argument('[files...]', 'log files; - or nothing reads stdin')
    .option('--keys <keys>', 'only these keys (comma-separated, repeatable)', collectKeys)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'csv', 'markdown']).default('text'))
    .option('--no-color', 'no colours, even on a terminal');
  addInputOptions(command);
  command.addHelpText('after', `
Statistics cover every record of every file given. min, mean, std (sample), median and max are
over finite numbers; NaN and ±Infinity are counted apart. The median and the histogram are exact
up to ${RESERVOIR} values per key and computed from a uniform sample beyond (marked ~).

Examples:
  vizmeta stats train.log
  vizmeta stats --keys loss,accuracy --format markdown logs/*.log`);
  command.action(async (files: string[], options: StatsOptions) => {
    exit.code = await runStats(resolveInputs(files, io, command), options, io);
  });
}
