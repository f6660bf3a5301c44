/**
 * ROC curves from what an input holds: metadata records with `fpr`/`tpr`(/`thresholds`) arrays,
 * per-sample records or CSV rows with a target and a score (computed as sklearn's `roc_curve`),
 * or Kubeflow's generated `fpr,tpr,thresholds` CSV; each with its AUC. Pure: records and CSV
 * text in (the reading is formats/visual-input.ts), curves out; bad data throws InputError
 * naming `file:line`.
 */
import { InputError, UsageError } from '../core/errors.js';
import { getPath } from '../core/keys.js';
import { parseCsv, parseCsvObjects, parseNumberCell } from '../formats/confusion.js';
import { displayName, locateMessage, type InputContent } from '../formats/visual-input.js';
import { auc, rocFromGeneratedCsv, rocFromRows, type RocCurve } from './roc.js';
import type { JsonValue, MetadataRecord } from '../core/types.js';

/** Where the curves are found: the metadata keys and the raw-score columns (`roc`'s flags). */
export interface RocReadOptions {
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

function curveFromRows(rows: Row[], targetCol: string, scoreCol: string, options: RocReadOptions, where: string): RocCurve {
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
function curveFromRecord(record: MetadataRecord, options: RocReadOptions, where: string): RocCurve | undefined {
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

/**
 * A CSV input: Kubeflow's generated curve when the first row is three numbers or a header
 * naming fpr, tpr and a threshold column; otherwise raw rows with a header.
 */
function curveFromCsv(text: string, source: string, options: RocReadOptions, name: string): Omit<FoundCurve, 'auc'> {
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

/**
 * Folds one input's records into its ROC curves as they are read (only the latest curve, or
 * every one with `all`; of per-sample records only the target and score), then settles them
 * with what the reader found (`finish`). The first bad record is the error, thrown by `finish`.
 */
export class RocCurveBuilder {
  private readonly name: string;
  private readonly found: FoundCurve[] = [];
  private total = 0;
  private fatal: Error | undefined;
  private readonly rows: Row[] = [];
  private columns: { target: string; score: string } | undefined;

  constructor(private readonly input: string, private readonly options: RocReadOptions) {
    this.name = displayName(input);
  }

  /** A record sink: bound, so it can be handed to a reader as is. */
  readonly add = (record: MetadataRecord): void => {
    if (this.fatal) return;
    const { options } = this;
    const where = `${this.name}:${record.line}`;
    try {
      const curve = curveFromRecord(record, options, where);
      if (curve) {
        this.total++;
        const item = withAuc({ source: this.input, line: record.line, form: 'metadata', curve }, where);
        if (options.all) this.found.push(item);
        else this.found[0] = item;
        return;
      }
      // A per-sample record: its target and score are kept (only those two values).
      const names = Object.keys(record.values);
      const target = pick(names, options.targetCol, TARGET_COLUMNS);
      const score = pick(names, options.scoreCol, SCORE_COLUMNS);
      if (target === undefined || score === undefined) return;
      this.columns ??= { target, score };
      const t = record.values[target];
      const s = record.values[score];
      if (!(typeof t === 'string' || typeof t === 'number' || typeof t === 'boolean')) throw new InputError(`${where}: ${target} is not a class label`);
      if (typeof s !== 'number' && typeof s !== 'string') throw new InputError(`${where}: ${score} is not a number`);
      this.rows.push({ [this.columns.target]: t, [this.columns.score]: s });
    } catch (error) {
      this.fatal = error as Error;
    }
  };

  /** The input's curves, once read: `content` says whether it was a CSV file (read whole) or a log. */
  finish(content: InputContent): InputCurves {
    const { input, name, options } = this;
    if (this.fatal) throw this.fatal;
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
    if (this.found.length > 0) return { source: input, found: this.found, total: this.total };
    if (this.columns && this.rows.length > 0) {
      let curve: RocCurve;
      try {
        curve = curveFromRows(this.rows, this.columns.target, this.columns.score, options, name);
      } catch (error) {
        if (error instanceof InputError) throw new InputError(`${name}: ${error.message}`);
        throw error;
      }
      return { source: input, found: [withAuc({ source: input, form: 'scores-jsonl', curve }, name)], total: 1 };
    }
    throw new InputError(`${name}: no ROC data (no record with ${options.fprKey} and ${options.tprKey} arrays, and none with target and score columns)`);
  }
}
