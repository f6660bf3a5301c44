/**
 * ROC curves from what an input holds: metadata records with `fpr`/`tpr`(/`thresholds`) arrays,
 * per-sample records or CSV rows with a target and a score (computed as sklearn's `roc_curve`),
 * or Kubeflow's generated `fpr,tpr,thresholds` CSV; each with its AUC. Pure: records and CSV
 * text in (the reading is formats/visual-input.ts), curves out; bad data throws InputError
 * naming `file:line`.
 */
import { InputError, UsageError } from '../core/errors.js';
import { getPath } from '../core/keys.js';
import { parseNumberCell, type CsvRecord } from '../formats/confusion.js';
import { CsvRecordStream } from '../formats/csv-stream.js';
import { displayName, locateMessage, type InputContent } from '../formats/visual-input.js';
import { auc, GeneratedRocReader, ScoreColumns, type RocCurve } from './roc.js';
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
  /** `--max-rows`: per-sample rows (or rows of a generated curve) one input may hold. Default DEFAULT_MAX_ROWS. */
  maxRows?: number;
  /** CSV records longer than this many characters are an error (`--max-line-bytes`). Default unlimited. */
  maxLineBytes?: number;
}

/**
 * Rows of per-sample scores one input may hold by default: an exact curve (sklearn's) needs every
 * score sorted, kept at 8 bytes a row (16 while an array grows), so 10M rows take 80-160 MB.
 */
export const DEFAULT_MAX_ROWS = 10_000_000;

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

function pick(names: readonly string[], given: string | undefined, candidates: readonly string[]): string | undefined {
  if (given !== undefined) return names.includes(given) ? given : undefined;
  return candidates.find((candidate) => names.includes(candidate));
}

/** The positive class when none is given: `1` for 0/1 targets, `true` for booleans, else ask. */
function defaultTrueClass(labels: readonly string[], where: string): string {
  const classes = new Set(labels);
  if ([...classes].every((c) => c === '0' || c === '1' || c === '0.0' || c === '1.0')) return classes.has('1.0') ? '1.0' : '1';
  if ([...classes].every((c) => c.toLowerCase() === 'true' || c.toLowerCase() === 'false')) return [...classes].find((c) => c.toLowerCase() === 'true') ?? 'true';
  const shown = [...classes].slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
  throw new UsageError(`${where}: the targets are ${shown}${classes.size > 5 ? ', …' : ''}: name the positive class with --true-class`);
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

/** Labels kept apart before the positive class must be named: 0/1 and true/false in any case fit. */
const MAX_LABELS = 64;

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
  /** Per-sample scores (JSON lines or CSV rows), by target label. */
  private readonly scores = new ScoreColumns();
  private columns: { target: string; score: string } | undefined;
  private readonly maxRows: number;
  /** CSV read as it arrives: the record stream, and what the first record said the file is. */
  private csv: CsvRecordStream | undefined;
  private generated: GeneratedRocReader | undefined;
  private header: { names: string[]; target: number; score: number } | undefined;

  constructor(private readonly input: string, private readonly options: RocReadOptions) {
    this.name = displayName(input);
    this.maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
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
      const value = typeof s === 'number' ? s : parseNumberCell(s);
      if (value === undefined || !Number.isFinite(value)) throw new InputError(`${where}: score ${JSON.stringify(s)} in column ${JSON.stringify(this.columns.score)} is not a finite number`);
      this.sample(String(t).trim(), value);
    } catch (error) {
      this.fatal = error as Error;
    }
  };

  /**
   * Text of a CSV input as it arrives (readVisualInput's `csv` sink): its records are folded as
   * read, so memory is the scores' 8 bytes a row, not the file. @throws InputError naming `file:line`.
   */
  readonly csvText = (text: string): void => {
    this.csv ??= new CsvRecordStream((record) => this.csvRecord(record), this.options.maxLineBytes);
    this.located(() => this.csv?.push(text));
  };

  private located(work: () => void): void {
    try {
      work();
    } catch (error) {
      if (error instanceof InputError && !error.message.startsWith(`${this.name}:`)) throw new InputError(locateMessage(this.name, error.message));
      throw error;
    }
  }

  /** One sample; the label is the target as written (trimmed), or 1/0 once the positive class is named. */
  private sample(label: string, score: number): void {
    const { trueClass } = this.options;
    const kept = trueClass === undefined ? label : label === trueClass.trim() ? '1' : '0';
    if (trueClass === undefined && this.scores.labelCount >= MAX_LABELS && !this.scores.has(kept)) {
      defaultTrueClass([...this.scores.labels(), kept], this.name);
    }
    this.scores.add(kept, score);
    if (this.scores.rows > this.maxRows) this.tooManyRows();
  }

  private tooManyRows(): never {
    throw new InputError(`${this.name}: more than ${this.maxRows} rows of ROC data (the --max-rows limit: an exact curve keeps every score, 8 bytes a row); raise it with --max-rows N`);
  }

  private csvRecord(record: CsvRecord): void {
    const { cells } = record;
    if (this.generated) {
      this.generated.add(record);
      if (this.generated.rows > this.maxRows) this.tooManyRows();
      return;
    }
    if (cells.length === 1 && (cells[0] as string).trim() === '') return;
    if (this.header === undefined) {
      // The first record says what the file is: Kubeflow's generated curve when it is three
      // numbers or a header naming fpr, tpr and a threshold column; otherwise raw rows with a header.
      const lower = cells.map((cell) => cell.trim().toLowerCase());
      if ((cells.length === 3 && cells.every((cell) => parseNumberCell(cell) !== undefined)) ||
        (lower.includes('fpr') && lower.includes('tpr') && lower.some((cell) => cell.startsWith('threshold')))) {
        this.generated = new GeneratedRocReader();
        this.generated.add(record);
        return;
      }
      const names = cells.map((cell) => cell.trim());
      const target = pick(names, this.options.targetCol, TARGET_COLUMNS);
      const score = pick(names, this.options.scoreCol, SCORE_COLUMNS);
      if (target === undefined || score === undefined) {
        const missing = [target === undefined ? `target column (${this.options.targetCol ?? TARGET_COLUMNS.join(', ')})` : '', score === undefined ? `score column (${this.options.scoreCol ?? SCORE_COLUMNS.join(', ')})` : ''].filter(Boolean);
        throw new InputError(`no ${missing.join(' and no ')} in the header ${JSON.stringify(names.join(','))}; name them with --target-col and --score-col`);
      }
      this.header = { names, target: names.indexOf(target), score: names.indexOf(score) };
      return;
    }
    const { names, target, score } = this.header;
    if (cells.length !== names.length) throw new InputError(`CSV line ${record.line} has ${cells.length} fields, the header has ${names.length}`);
    const raw = cells[score] as string;
    const value = parseNumberCell(raw);
    if (value === undefined || !Number.isFinite(value)) {
      throw new InputError(`CSV line ${record.line}: score ${JSON.stringify(raw)} in column ${JSON.stringify(names[score])} is not a finite number`);
    }
    this.sample((cells[target] as string).trim(), value);
  }

  /** The curve of the per-sample scores read. */
  private scoresCurve(): RocCurve {
    const labels = this.scores.labels();
    const trueClass = this.options.trueClass !== undefined ? '1' : defaultTrueClass(labels, this.name);
    return this.scores.curve(trueClass);
  }

  /** The input's curves, once read: `content` says whether it was a CSV file (read whole or streamed to `csvText`) or a log. */
  finish(content: InputContent): InputCurves {
    const { input, name, options } = this;
    if (this.fatal) throw this.fatal;
    if (content.kind === 'csv') {
      if (content.text !== '' || this.csv === undefined) this.csvText(content.text);
      this.located(() => this.csv?.end());
      let item: Omit<FoundCurve, 'auc'>;
      try {
        if (this.generated) item = { source: input, form: 'kubeflow-csv', curve: this.generated.finish() };
        else if (this.header) item = { source: input, form: 'scores-csv', curve: this.scoresCurve() };
        else throw new InputError('empty CSV file');
      } catch (error) {
        if (error instanceof InputError && !error.message.startsWith(`${name}:`)) throw new InputError(locateMessage(name, error.message));
        throw error;
      }
      return { source: input, found: [withAuc(item, name)], total: 1 };
    }
    if (this.found.length > 0) return { source: input, found: this.found, total: this.total };
    if (this.columns && this.scores.rows > 0) {
      let curve: RocCurve;
      try {
        curve = this.scoresCurve();
      } catch (error) {
        if (error instanceof InputError && !error.message.startsWith(`${name}:`)) throw new InputError(`${name}: ${error.message}`);
        throw error;
      }
      return { source: input, found: [withAuc({ source: input, form: 'scores-jsonl', curve }, name)], total: 1 };
    }
    throw new InputError(`${name}: no ROC data (no record with ${options.fprKey} and ${options.tprKey} arrays, and none with target and score columns)`);
  }
}
