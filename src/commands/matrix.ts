/**
 * `vizmeta matrix`: confusion matrices from training logs, Kubeflow CSVs and per-sample
 * predictions, as a heatmap with scikit-learn's classification report.
 *
 * Each input is read on its own (concurrently) into a list of matrices in the order found;
 * the results are printed in argument order.
 */
import type { Command } from 'commander';
import { Option } from 'commander';
import { classificationReport, mostConfusedPairs } from '../analyse/classification.js';
import { ExitCode, InputError, UsageError, type ExitSlot } from '../core/errors.js';
import { resolveColor, warn, write, type CommandIO } from '../core/io.js';
import { flattenValues } from '../parsers/metadata.js';
import {
  confusionFromKubeflowCsv,
  confusionFromPairs,
  confusionFromValue,
  findConfusionMatrices,
  normalizeMatrix,
  pairsFromCsv,
  pairsFromObjects,
  parseCsv,
  parseNumberCell,
  type ConfusionMatrix,
  type Normalization,
  type PairColumns,
  type SamplePair,
} from '../formats/confusion.js';
import { renderMatrixMarkdown, renderMatrixText } from '../render/matrix.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';
import { addInputOptions, concurrentlyInOrder, diagnosticWriter, readOptionsFrom, resolveInputs, type InputOptions } from '../options/input.js';
import { displayName, locateMessage, readVisualInput } from '../formats/visual-input.js';

export type MatrixFormat = 'text' | 'json' | 'markdown';

export interface MatrixOptions extends InputOptions {
  /** Read only this metadata key (dotted paths reach nested keys). Default: any key holding a matrix. */
  key?: string;
  /** Every matrix of each input, in order. Default false: the latest of each input. */
  all?: boolean;
  /** Cell values: counts, or shares of each actual row (`true`), predicted column (`pred`) or of all. Default `none`. */
  normalize: Normalization;
  /** Default `text`. */
  format: MatrixFormat;
  /** Comma-separated labels: the order for CSV and samples; names for a metadata matrix's classes. */
  labels?: string;
  /** Per-sample inputs: the column with the true class. Default: actual, target, y_true or label. */
  actualCol?: string;
  /** Per-sample inputs: the column with the predicted class. Default: predicted, y_pred or prediction. */
  predictedCol?: string;
  /** `--no-color` sets this false. */
  color?: boolean;
}

/** Where a matrix came from. */
export type MatrixForm = 'metadata' | 'kubeflow-csv' | 'samples-csv' | 'samples-jsonl';

export interface FoundMatrix {
  /** The input as given (`-` for stdin). */
  source: string;
  /** Line of the metadata record; undefined for files read whole. */
  line?: number;
  /** The metadata key; null for CSV and per-sample inputs. */
  key: string | null;
  form: MatrixForm;
  matrix: ConfusionMatrix;
}

/** What one input gave: the matrices kept (all, or the latest) and how many there were. */
export interface InputMatrices {
  source: string;
  found: FoundMatrix[];
  total: number;
}

interface NearMiss {
  line: number;
  reason: string;
}

const MAX_NEAR_MISSES = 10;

function parseLabels(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const labels = text.split(',').map((label) => label.trim());
  if (labels.length === 0 || labels.some((label) => label === '')) throw new UsageError(`--labels: expected comma-separated labels, got '${text}'`);
  return labels;
}

function pairColumns(options: MatrixOptions): PairColumns {
  const columns: PairColumns = {};
  if (options.actualCol !== undefined) columns.actual = options.actualCol;
  if (options.predictedCol !== undefined) columns.predicted = options.predictedCol;
  return columns;
}

/** Renames the classes of a metadata matrix (shape 2 has labels 0..n-1). */
function relabel(found: FoundMatrix, labels: string[] | undefined, where: string): FoundMatrix {
  if (labels === undefined) return found;
  const n = found.matrix.labels.length;
  if (labels.length !== n) throw new InputError(`${where}: --labels has ${labels.length} labels but the matrix has ${n} classes`);
  return { ...found, matrix: { labels, matrix: found.matrix.matrix } };
}

/**
 * Reads one input into its confusion matrices. Throws InputError naming `file:line` for a
 * malformed matrix asked for with `--key`, a malformed CSV, or an input without any matrix.
 */
export async function readMatrices(input: string, options: MatrixOptions, io: CommandIO): Promise<InputMatrices> {
  const name = displayName(input);
  const labels = parseLabels(options.labels);
  const wantSamples = options.actualCol !== undefined || options.predictedCol !== undefined;
  const keep = (list: FoundMatrix[], item: FoundMatrix): void => {
    if (options.all) list.push(item);
    else list[0] = item;
  };

  const found: FoundMatrix[] = [];
  let total = 0;
  let fatal: InputError | undefined;
  const pairs: SamplePair[] = [];
  let pairError: string | undefined;
  const nearMisses = new Map<string, NearMiss[]>();
  const matrixKeys = new Set<string>();

  const onRecord = (record: MetadataRecord): void => {
    if (fatal) return;
    const where = `${name}:${record.line}`;
    if (!wantSamples) {
      let matrices;
      try {
        matrices = findConfusionMatrices(record.values, options.key);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        fatal = new InputError(`${where}: ${options.key ?? ''}: ${error.message}`);
        return;
      }
      for (const { key, matrix } of matrices) {
        total++;
        matrixKeys.add(key);
        keep(found, relabel({ source: input, line: record.line, key, form: 'metadata', matrix }, labels, where));
      }
      if (options.key === undefined) noteNearMisses(record, matrices.map((m) => m.key), nearMisses);
    }
    if (pairError === undefined) {
      try {
        pairs.push(...pairsFromObjects([record], pairColumns(options)));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        pairError = error.message;
      }
    }
  };

  let content;
  try {
    content = await readVisualInput(input, io, { record: onRecord, diagnostic: diagnosticWriter(io) }, readOptionsFrom(options));
  } catch (error) {
    // A throw from a label mismatch inside the record callback surfaces here too.
    throw error instanceof InputError ? error : new InputError(`${name}: ${(error as Error).message}`);
  }
  if (fatal) throw fatal;

  if (content.kind === 'csv') {
    const matrix = matrixFromCsv(content.text, name, labels, options);
    return { source: input, found: [{ source: input, key: null, form: matrix.form, matrix: matrix.matrix }], total: 1 };
  }

  if (found.length > 0) {
    for (const [key, misses] of nearMisses) {
      if (!matrixKeys.has(key)) continue;
      for (const miss of misses) warn(io, `${name}:${miss.line}: ${key} is not a confusion matrix (${miss.reason}), skipped`);
    }
    return { source: input, found, total };
  }
  if (pairError !== undefined) throw new InputError(pairError.startsWith('-:') ? `stdin:${pairError.slice(2)}` : pairError);
  if (pairs.length > 0) {
    return { source: input, found: [{ source: input, key: null, form: 'samples-jsonl', matrix: confusionFromPairs(pairs, labels) }], total: 1 };
  }
  throw new InputError(noMatrixMessage(name, options, nearMisses, wantSamples));
}

function noMatrixMessage(name: string, options: MatrixOptions, nearMisses: Map<string, NearMiss[]>, wantSamples: boolean): string {
  if (wantSamples) return `${name}: no records with the columns ${options.actualCol ?? 'actual'} and ${options.predictedCol ?? 'predicted'}`;
  if (options.key !== undefined) return `${name}: no record has the key ${options.key}`;
  const first = [...nearMisses.entries()][0];
  if (first) {
    const [key, misses] = first;
    const miss = misses[0] as NearMiss;
    return `${name}:${miss.line}: ${key} is not a confusion matrix: ${miss.reason}`;
  }
  return `${name}: no confusion matrix found (looked for 2-D arrays under any key, and records with actual/predicted columns)`;
}

/**
 * Remembers values that look like an attempt at a matrix (an array of arrays) but are not one,
 * with the reason, so a typo in a matrix is reported rather than silently ignored.
 */
function noteNearMisses(record: MetadataRecord, matched: readonly string[], nearMisses: Map<string, NearMiss[]>): void {
  for (const [key, value] of flattenValues(record.values)) {
    if (!isArrayOfArrays(value) || matched.includes(key)) continue;
    let misses = nearMisses.get(key);
    if (!misses) {
      if (nearMisses.size >= MAX_NEAR_MISSES) continue;
      misses = [];
      nearMisses.set(key, misses);
    }
    if (misses.length >= MAX_NEAR_MISSES) continue;
    try {
      confusionFromValue(value);
    } catch (error) {
      if (error instanceof InputError) misses.push({ line: record.line, reason: error.message });
    }
  }
}

function isArrayOfArrays(value: JsonValue): value is JsonValue[][] {
  return Array.isArray(value) && value.length > 1 && value.every((row) => Array.isArray(row));
}

/**
 * A CSV input: Kubeflow's `target,predicted,count` when its rows have three fields and the
 * third is a number (or the header names it `count`); otherwise per-sample rows under a header.
 */
function matrixFromCsv(text: string, name: string, labels: string[] | undefined, options: MatrixOptions): { form: MatrixForm; matrix: ConfusionMatrix } {
  try {
    const rows = parseCsv(text).filter((row) => !(row.length === 1 && (row[0] as string).trim() === ''));
    const first = rows[0];
    if (!first) throw new InputError('empty CSV file');
    const third = first[2];
    const kubeflow = options.actualCol === undefined && options.predictedCol === undefined && first.length === 3 && third !== undefined && (parseNumberCell(third) !== undefined || third.trim().toLowerCase() === 'count');
    if (kubeflow) return { form: 'kubeflow-csv', matrix: confusionFromKubeflowCsv(text, labels) };
    return { form: 'samples-csv', matrix: confusionFromPairs(pairsFromCsv(text, pairColumns(options)), labels) };
  } catch (error) {
    if (error instanceof InputError) throw new InputError(locateMessage(name, error.message));
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function titleOf(item: FoundMatrix, inputTotal: number, all: boolean): string {
  const where = item.line === undefined ? displayName(item.source) : `${displayName(item.source)}:${item.line}`;
  const what = item.key ?? (item.form === 'kubeflow-csv' ? 'target,predicted,count' : 'per-sample predictions');
  const latest = !all && inputTotal > 1 ? ` (latest of ${inputTotal})` : '';
  return `${what} · ${where}${latest}`;
}

/** The JSON entry of one matrix: `{key, labels, matrix, metrics}` plus where it came from. */
export function matrixJson(item: FoundMatrix, normalize: Normalization): Record<string, unknown> {
  const report = classificationReport(item.matrix);
  const entry: Record<string, unknown> = {
    key: item.key,
    labels: item.matrix.labels,
    matrix: item.matrix.matrix,
  };
  if (normalize !== 'none') entry['normalized'] = normalizeMatrix(item.matrix.matrix, normalize);
  entry['metrics'] = {
    accuracy: report.accuracy,
    total: report.total,
    classes: report.classes,
    macro: report.macro,
    weighted: report.weighted,
    mostConfused: mostConfusedPairs(item.matrix, 10).map(({ actual, predicted, count, rate }) => ({ actual, predicted, count, rate })),
  };
  entry['source'] = item.source;
  entry['line'] = item.line ?? null;
  entry['form'] = item.form;
  return entry;
}

export function renderMatrices(results: readonly InputMatrices[], options: MatrixOptions, render: { color: boolean; width: number }): string {
  const all = Boolean(options.all);
  const parts: string[] = [];
  for (const result of results) {
    for (const item of result.found) {
      const opts = { color: render.color, width: render.width, normalize: options.normalize, title: titleOf(item, result.total, all) };
      parts.push(options.format === 'markdown' ? renderMatrixMarkdown(item.matrix, opts) : renderMatrixText(item.matrix, opts));
    }
  }
  return parts.map((part) => (part.endsWith('\n') ? part : part + '\n')).join('\n');
}

export async function runMatrix(inputs: string[], options: MatrixOptions, io: CommandIO): Promise<number> {
  let status: number = ExitCode.ok;
  const color = resolveColor(io, options.color);
  const width = Math.max(20, io.columns);
  const results: InputMatrices[] = [];
  let printed = false;
  const onInputError = (error: Error): void => {
    warn(io, error.message);
    status = ExitCode.usage;
  };
  // Every input is read at once; each is printed when it and the ones before it are done.
  for await (const result of concurrentlyInOrder(inputs, (input) => readMatrices(input, options, io), onInputError)) {
    if (options.format === 'json') {
      results.push(result);
      continue;
    }
    const text = renderMatrices([result], options, { color, width });
    await write(io.stdout, (printed ? '\n' : '') + text);
    printed = true;
  }
  if (options.format === 'json') {
    const entries = results.flatMap((result) => result.found.map((item) => matrixJson(item, options.normalize)));
    await write(io.stdout, JSON.stringify(entries, null, 2) + '\n');
  }
  return status;
}

export function registerMatrix(program: Command, io: CommandIO, exit: ExitSlot): void {
  const command = program
    .command('matrix')
    .description('confusion matrices from logs, Kubeflow CSVs or per-sample predictions: heatmap, per-class precision/recall/F1, accuracy')
    .argument('[files...]', 'metadata logs, CSV files (target,predicted,count or per-sample); - or nothing reads stdin')
    .option('--key <key>', 'read only this metadata key (default: any key whose value is a confusion matrix)')
    .option('--all', 'every matrix of each file, in order (default: the latest of each file)')
    .addOption(new Option('--normalize <mode>', 'cell values: counts (none), share of each actual row (true), predicted column (pred), or of all').choices(['none', 'true', 'pred', 'all']).default('none'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .option('--labels <labels>', 'comma-separated labels: their order for CSV and per-sample inputs, names for a metadata matrix\'s classes')
    .option('--actual-col <column>', 'per-sample inputs: the column with the true class (default: actual, target, y_true or label)')
    .option('--predicted-col <column>', 'per-sample inputs: the column with the predicted class (default: predicted, y_pred or prediction)')
    .option('--no-color', 'no colours, even on a terminal');
  addInputOptions(command);
  command.addHelpText('after', `
Examples:
  vizmeta matrix train.log                        the latest matrix the job printed
  vizmeta matrix --all --key val_cm train.log     every val_cm, in order
  vizmeta matrix --normalize true train.log       rows as shares of each actual class (recall)
  vizmeta matrix --labels cat,dog,bird confusion_matrix.csv    Kubeflow's target,predicted,count
  vizmeta matrix --format markdown run.log >> "$GITHUB_STEP_SUMMARY"

Inputs: files ending in .csv are CSV; .jsonl, .ndjson, .json and .log are logs; others
(and stdin) are CSV when their first lines are comma-separated without '{'.`);
  command.action(async (files: string[], options: MatrixOptions) => {
    exit.code = await runMatrix(resolveInputs(files, io, command), options, io);
  });
}
