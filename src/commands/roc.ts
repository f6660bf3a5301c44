/**
 * `vizmeta roc`: ROC curves and their AUC, from metadata holding `fpr`/`tpr`/`thresholds`
 * arrays, from Kubeflow's generated `fpr,tpr,thresholds` CSV, or computed from raw per-sample
 * scores (CSV or JSON lines) the way scikit-learn's `roc_curve` does. Several inputs overlay
 * on one chart whose x axis is fpr on its true scale.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, write, type CommandIO } from '../core/io.js';
import { getPath } from '../parsers/metadata.js';
import { parseCsv, parseCsvObjects, parseNumberCell } from '../formats/confusion.js';
import { renderChart, type ChartSeries } from '../render/chart.js';
import { escapeForTerminal } from '../core/escape.js';
import { auc, rocFromGeneratedCsv, rocFromRows, type RocCurve } from '../analyse/roc.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { addInputOptions, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { displayName, locateMessage, readVisualInput } from '../formats/visual-input.js';
import { folderNote, shortNames } from '../core/names.js';

export type RocFormat = 'text' | 'json' | 'markdown';

export interface RocOptions extends InputOptions {
  /** Metadata key of the false-positive rates. Default `fpr`. */
  fprKey: string;
  /** Metadata key of the true-positive rates. Default `tpr`. */
  tprKey: string;
  /** Metadata key of the thresholds (optional in the data). Default `thresholds`. */
  thresholdsKey: string;
  /** Raw scores: the column with the true class. Default: target, actual, y_true or label. */
  targetCol?: string;
  /** Raw scores: the column with the positive-class score. Default: score, y_score, true, probability, prob or proba. */
  scoreCol?: string;
  /** Raw scores: the target value that is the positive class. Default `1` for 0/1 targets, `true` for true/false. */
  trueClass?: string;
  /** Every curve of each input, in order. Default false: the latest. */
  all?: boolean;
  /** Default `text`. */
  format: RocFormat;
  /** Chart rows. Default 16. */
  height?: number;
  /** `--no-color` sets this false. */
  color?: boolean;
}

export type RocForm = 'metadata' | 'kubeflow-csv' | 'scores-csv' | 'scores-jsonl';

export interface FoundCurve {
  source: string;
  /** Line of the metadata record; undefined for inputs read whole. */
  line?: number;
  form: RocForm;
  curve: RocCurve;
  auc: number;
}

export interface InputCurves {
  source: string;
  found: FoundCurve[];
  total: number;
}

const TARGET_COLUMNS = ['target', 'actual', 'y_true', 'label'];
const SCORE_COLUMNS = ['score', 'y_score', 'true', 'probability', 'prob', 'proba'];

type Row = Record<string, string | number | boolean>;

function pick(names: readonly string[], given: string | undefined, candidates: readonly string[]): string | undefined {
  if (given !== undefined) return names.includes(given) ? given : undefined;
  return candidates.find((candidate) => names.includes(candidate));
}

/** The positive class when none is given: `1` for 0/1 targets, `true` for booleans, else ask. */
function defaultTrueClass(rows: readonly Row[], targetCol: string, where: string): string {
  const classes = new Set(rows.map((row) => String(row[targetCol]).trim()));
  if ([...classes].every((c) => c === '0' || c === '1' || c === '0.0' || c === '1.0')) return classes.has('1.0') ? '1.0' : '1';
  if ([...classes].every((c) => c.toLowerCase() === 'true' || c.toLowerCase() === 'false')) return [...classes].find((c) => c.toLowerCase() === 'true') ?? 'true';
  const shown = [...classes].slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
  throw new UsageError(`${where}: the targets are ${shown}${classes.size > 5 ? ', …' : ''}: name the positive class with --true-class`);
}

function curveFromRows(rows: Row[], targetCol: string, scoreCol: string, options: RocOptions, where: string): RocCurve {
  const trueClass = options.trueClass ?? defaultTrueClass(rows, targetCol, where);
  return rocFromRows(rows, { targetCol, scoreCol, trueClass });
}

function numberArray(value: JsonValue | undefined, allowNull: boolean): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: number[] = [];
  for (const item of value) {
    if (typeof item === 'number') out.push(item);
    // Thresholds: +Infinity written as null by JSON encoders that cannot write Infinity.
    else if (item === null && allowNull) out.push(Infinity);
    else return undefined;
  }
  return out;
}

/** A curve printed as metadata, checked: equal lengths, rates in [0, 1]. */
function curveFromRecord(record: MetadataRecord, options: RocOptions, where: string): RocCurve | undefined {
  const fpr = getPath(record.values, options.fprKey);
  const tpr = getPath(record.values, options.tprKey);
  if (fpr === undefined || tpr === undefined) return undefined;
  const f = numberArray(fpr, false);
  const t = numberArray(tpr, false);
  if (!f) throw new InputError(`${where}: ${options.fprKey} is not an array of numbers`);
  if (!t) throw new InputError(`${where}: ${options.tprKey} is not an array of numbers`);
  if (f.length !== t.length) throw new InputError(`${where}: ${options.fprKey} has ${f.length} values but ${options.tprKey} has ${t.length}`);
  if (f.length < 2) throw new InputError(`${where}: a ROC curve needs at least 2 points, got ${f.length}`);
  for (const [name, values] of [[options.fprKey, f], [options.tprKey, t]] as const) {
    const bad = values.findIndex((v) => !(v >= 0 && v <= 1));
    if (bad >= 0) throw new InputError(`${where}: ${name}[${bad}] is ${String(values[bad])}, expected a rate in [0, 1]`);
  }
  const thresholdsValue = getPath(record.values, options.thresholdsKey);
  let thresholds: number[] = [];
  if (thresholdsValue !== undefined) {
    const th = numberArray(thresholdsValue, true);
    if (!th || th.length !== f.length) throw new InputError(`${where}: ${options.thresholdsKey} must be an array of ${f.length} numbers`);
    thresholds = th;
  }
  return { fpr: f, tpr: t, thresholds };
}

function withAuc(found: Omit<FoundCurve, 'auc'>, where: string): FoundCurve {
  try {
    return { ...found, auc: auc(found.curve.fpr, found.curve.tpr) };
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${where}: ${error.message}`);
    throw error;
  }
}

/** Reads one input into its ROC curves. Throws InputError naming `file:line` on bad data. */
export async function readCurves(input: string, options: RocOptions, io: CommandIO): Promise<InputCurves> {
  const name = displayName(input);
  const found: FoundCurve[] = [];
  let total = 0;
  let fatal: Error | undefined;
  const rows: Row[] = [];
  let columns: { target: string; score: string } | undefined;

  const onRecord = (record: MetadataRecord): void => {
    if (fatal) return;
    const where = `${name}:${record.line}`;
    try {
      const curve = curveFromRecord(record, options, where);
      if (curve) {
        total++;
        const item = withAuc({ source: input, line: record.line, form: 'metadata', curve }, where);
        if (options.all) found.push(item);
        else found[0] = item;
        return;
      }
      // A per-sample record: its target and score are kept (only those two values).
      const names = Object.keys(record.values);
      const target = pick(names, options.targetCol, TARGET_COLUMNS);
      const score = pick(names, options.scoreCol, SCORE_COLUMNS);
      if (target === undefined || score === undefined) return;
      columns ??= { target, score };
      const t = record.values[target];
      const s = record.values[score];
      if (!(typeof t === 'string' || typeof t === 'number' || typeof t === 'boolean')) throw new InputError(`${where}: ${target} is not a class label`);
      if (typeof s !== 'number' && typeof s !== 'string') throw new InputError(`${where}: ${score} is not a number`);
      rows.push({ [columns.target]: t, [columns.score]: s });
    } catch (error) {
      fatal = error as Error;
    }
  };

  const content = await readVisualInput(input, io, { record: onRecord, diagnostic: diagnosticWriter(io) }, readOptionsFrom(options));
  if (fatal) throw fatal;

  if (content.kind === 'csv') {
    let item: Omit<FoundCurve, 'auc'>;
    try {
      item = curveFromCsv(content.text, input, options, name);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(locateMessage(name, error.message));
      throw error;
    }
    return { source: input, found: [withAuc(item, name)], total: 1 };
  }
  if (found.length > 0) return { source: input, found, total };
  if (columns && rows.length > 0) {
    let curve: RocCurve;
    try {
      curve = curveFromRows(rows, columns.target, columns.score, options, name);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${name}: ${error.message}`);
      throw error;
    }
    return { source: input, found: [withAuc({ source: input, form: 'scores-jsonl', curve }, name)], total: 1 };
  }
  throw new InputError(`${name}: no ROC data (no record with ${options.fprKey} and ${options.tprKey} arrays, and none with target and score columns)`);
}

/**
 * A CSV input: Kubeflow's generated curve when the first row is three numbers or a header
 * naming fpr, tpr and a threshold column; otherwise raw rows with a header.
 */
function curveFromCsv(text: string, source: string, options: RocOptions, name: string): Omit<FoundCurve, 'auc'> {
  const first = parseCsv(text).find((row) => !(row.length === 1 && (row[0] as string).trim() === ''));
  if (!first) throw new InputError('empty CSV file');
  const header = first.map((cell) => cell.trim().toLowerCase());
  const generated = (first.length === 3 && first.every((cell) => parseNumberCell(cell) !== undefined)) ||
    (header.includes('fpr') && header.includes('tpr') && header.some((cell) => cell.startsWith('threshold')));
  if (generated) return { source, form: 'kubeflow-csv', curve: rocFromGeneratedCsv(text) };
  const objects = parseCsvObjects(text);
  const names = first.map((cell) => cell.trim());
  const target = pick(names, options.targetCol, TARGET_COLUMNS);
  const score = pick(names, options.scoreCol, SCORE_COLUMNS);
  if (target === undefined || score === undefined) {
    const missing = [target === undefined ? `target column (${options.targetCol ?? TARGET_COLUMNS.join(', ')})` : '', score === undefined ? `score column (${options.scoreCol ?? SCORE_COLUMNS.join(', ')})` : ''].filter(Boolean);
    throw new InputError(`no ${missing.join(' and no ')} in the header ${JSON.stringify(names.join(','))}; name them with --target-col and --score-col`);
  }
  return { source, form: 'scores-csv', curve: curveFromRows(objects, target, score, options, name) };
}

// ---------------------------------------------------------------------------------------------
// Output

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
  const width = Math.max(5, ...curves.map(({ name }) => escapeForTerminal(name).length));
  return [
    `${'curve'.padEnd(width)}  ${'AUC'.padStart(6)}  points`,
    ...curves.map(({ name, item }) => `${escapeForTerminal(name).padEnd(width)}  ${formatAuc(item.auc).padStart(6)}  ${item.curve.fpr.length}`),
  ];
}

export function renderRoc(results: readonly InputCurves[], options: RocOptions, render: { color: boolean; width: number }): string {
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
    const rows = curves.map(({ name, item }) => `| ${markdownCell(name)} | ${formatAuc(item.auc)} | ${item.curve.fpr.length} |`);
    return ['### ROC curves', '', '| curve | AUC | points |', '|---|---:|---:|', ...rows, '', '```text', chart.replace(/```/g, '`\u200b``'), '```', ''].join('\n');
  }
  return [chart, '', ...aucLines(curves), ''].join('\n');
}

function markdownCell(text: string): string {
  return escapeForTerminal(text).replace(/[|\\`*_[\]<>]/g, (ch) => `\\${ch}`);
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

export async function runRoc(inputs: string[], options: RocOptions, io: CommandIO): Promise<number> {
  let status: number = ExitCode.ok;
  const color = resolveColor(io, options.color);
  // Read concurrently; the chart overlays every curve, so it is drawn once all are read.
  const outcomes = await Promise.all(inputs.map((input) => readCurves(input, options, io).then(
    (result) => ({ ok: true as const, result }),
    (error: unknown) => ({ ok: false as const, error }),
  )));
  const results: InputCurves[] = [];
  for (const outcome of outcomes) {
    if (outcome.ok) {
      results.push(outcome.result);
      continue;
    }
    if (!(outcome.error instanceof InputError || outcome.error instanceof UsageError)) throw outcome.error;
    warn(io, outcome.error.message);
    status = ExitCode.usage;
  }
  if (options.format === 'json') {
    const entries = namedCurves(results, Boolean(options.all)).map(({ name, item }) => curveJson(name, item));
    await write(io.stdout, JSON.stringify(entries) + '\n');
  } else if (results.length > 0) {
    await write(io.stdout, renderRoc(results, options, { color, width: Math.max(20, io.columns) }));
  }
  return status;
}

function parseHeight(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 2) throw new UsageError(`--height: expected a whole number of rows (at least 2), got '${text}'`);
  return Number(text);
}

export function registerRoc(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('roc')
    .description('ROC curves and AUC from metadata fpr/tpr arrays, Kubeflow\'s generated CSV, or raw scores; several files overlay')
    .argument('[files...]', 'metadata logs or CSV files; - or nothing reads stdin')
    .option('--fpr-key <key>', 'metadata key of the false-positive rates', 'fpr')
    .option('--tpr-key <key>', 'metadata key of the true-positive rates', 'tpr')
    .option('--thresholds-key <key>', 'metadata key of the thresholds', 'thresholds')
    .option('--target-col <column>', 'raw scores: the column with the true class (default: target, actual, y_true or label)')
    .option('--score-col <column>', 'raw scores: the column with the positive-class score (default: score, y_score, true, probability, prob or proba)')
    .option('--true-class <value>', 'raw scores: the target value of the positive class (default: 1 for 0/1 targets, true for true/false)')
    .option('--all', 'every curve of each log, in order (default: the latest of each)')
    .option('--height <rows>', 'chart rows', parseHeight, 16)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--no-color', 'no colours, even on a terminal');
  addInputOptions(command);
  command.addHelpText('after', `
Examples:
  vizmeta roc train.log                           the latest {"fpr": [...], "tpr": [...]} the job printed
  vizmeta roc roc.csv                             Kubeflow's generated fpr,tpr,thresholds (no header)
  vizmeta roc --score-col p_cat --true-class cat predictions.csv    computed like sklearn's roc_curve
  vizmeta roc runs/a.log runs/b.log               overlay, with each curve's AUC

Inputs: files ending in .csv are CSV; .jsonl, .ndjson, .json and .log are logs; others
(and stdin) are CSV when their first lines are comma-separated without '{'.`);
  command.action(async (files: string[], options: RocOptions) => {
    exit.code = await runRoc(resolveInputs(files, io, command), options, io);
  });
}
