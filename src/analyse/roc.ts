/**
 * ROC curves as scikit-learn computes them (`roc_curve` with `drop_intermediate=True`, `auc`),
 * and the two ways Kubeflow's `roc_curve` visualization gets its data: a headerless
 * `fpr,tpr,thresholds` CSV (`is_generated`), or raw rows with a target column compared with a
 * `trueclass` and a score column. Pure.
 */
import { InputError } from '../core/errors.js';
import { parseCsvRecords, parseNumberCell, type CsvRecord } from '../formats/confusion.js';

export interface RocCurve {
  /** False-positive rate at each threshold, non-decreasing from 0 to 1. */
  fpr: number[];
  /** True-positive rate at each threshold, non-decreasing from 0 to 1. */
  tpr: number[];
  /** Decreasing; the first is +Infinity (no sample predicted positive), as in sklearn ≥ 1.3. */
  thresholds: number[];
}

/**
 * sklearn's `roc_curve(y_true, y_score)` with default `drop_intermediate=True`: scores sorted
 * descending, one point per distinct score (ties form one step), points on a straight
 * horizontal or vertical run dropped, then (0, 0) prepended with threshold +Infinity.
 *
 * A curve needs both classes: sklearn only warns and returns NaN rates when one is missing;
 * vizmeta throws, because a chart of NaN says nothing.
 *
 * @throws InputError on empty or mismatched input, a target other than 0/1, a non-finite
 *   score, or a single class.
 */
export function rocCurve(targets: readonly number[], scores: readonly number[]): RocCurve {
  if (targets.length !== scores.length) {
    throw new InputError(`ROC input has ${targets.length} targets but ${scores.length} scores`);
  }
  if (targets.length === 0) throw new InputError('ROC input is empty');
  targets.forEach((t, i) => {
    if (t !== 0 && t !== 1) throw new InputError(`ROC target ${i + 1} is ${String(t)}, expected 0 or 1`);
  });
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw new InputError(`ROC score ${i + 1} is ${String(s)}, expected a finite number`);
  });
  const positives = targets.reduce<number>((a, b) => a + b, 0);
  if (positives === 0 || positives === targets.length) {
    const only = positives === 0 ? 'negative' : 'positive';
    throw new InputError(`ROC input has only ${only} samples (${targets.length}); a ROC curve needs both classes`);
  }
  const pos = new Float64Array(positives);
  const neg = new Float64Array(targets.length - positives);
  let p = 0;
  let n = 0;
  targets.forEach((t, i) => {
    if (t === 1) pos[p++] = scores[i] as number;
    else neg[n++] = scores[i] as number;
  });
  return rocCurveOfClasses(pos, neg);
}

/**
 * `rocCurve` over the scores of the positive and of the negative samples, each in a typed array
 * that is sorted in place: 8 bytes a sample and no index array, so ten million samples take
 * 80 MB where objects per row took gigabytes. Exactly sklearn's curve: the two sorted arrays are
 * merged from the highest score down, one point per distinct score (ties form one step, whichever
 * class they hold), and drop_intermediate keeps the points where the curve bends, decided from
 * each point's raw neighbours as they stream past. Both arrays must be non-empty and finite.
 */
export function rocCurveOfClasses(positives: Float64Array, negatives: Float64Array): RocCurve {
  positives.sort();
  negatives.sort();
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  // The last two raw points, for the second difference at the middle one.
  let f1 = 0, t1 = 0, s1 = 0, f2 = 0, t2 = 0;
  let seen = 0;
  let i = positives.length - 1;
  let j = negatives.length - 1;
  let tp = 0;
  let fp = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? negatives[j] as number : j < 0 ? positives[i] as number : Math.max(positives[i] as number, negatives[j] as number);
    while (i >= 0 && positives[i] === v) { tp++; i--; }
    while (j >= 0 && negatives[j] === v) { fp++; j--; }
    // drop_intermediate: the middle of the last three raw points stays where fps or tps bends.
    if (seen === 0) {
      fps.push(fp); tps.push(tp); thresholds.push(v);
    } else if (seen >= 2 && (fp - 2 * f1 + f2 !== 0 || tp - 2 * t1 + t2 !== 0)) {
      fps.push(f1); tps.push(t1); thresholds.push(s1);
    }
    f2 = f1; t2 = t1;
    f1 = fp; t1 = tp; s1 = v;
    seen++;
  }
  // The last point always stays (the first was pushed when seen).
  if (seen > 1) { fps.push(f1); tps.push(t1); thresholds.push(s1); }
  const lastF = fp;
  const lastT = tp;
  const fpr = new Array<number>(fps.length + 1);
  const tpr = new Array<number>(tps.length + 1);
  fpr[0] = 0;
  tpr[0] = 0;
  for (let k = 0; k < fps.length; k++) {
    fpr[k + 1] = (fps[k] as number) / lastF;
    tpr[k + 1] = (tps[k] as number) / lastT;
  }
  return { fpr, tpr, thresholds: [Infinity, ...thresholds] };
}

/**
 * Per-sample scores kept for an exact ROC curve in bounded memory: one growing Float64Array per
 * target label (8 bytes a sample, at most twice that while an array grows), so the positive class
 * can be chosen once every label is known (`--true-class`, or 1 for 0/1 targets).
 */
export class ScoreColumns {
  private readonly byLabel = new Map<string, { values: Float64Array; length: number }>();
  /** Samples added. */
  rows = 0;

  add(label: string, score: number): void {
    let column = this.byLabel.get(label);
    if (column === undefined) {
      column = { values: new Float64Array(1024), length: 0 };
      this.byLabel.set(label, column);
    }
    if (column.length === column.values.length) {
      const grown = new Float64Array(column.values.length * 2);
      grown.set(column.values);
      column.values = grown;
    }
    column.values[column.length++] = score;
    this.rows++;
  }

  get labelCount(): number {
    return this.byLabel.size;
  }

  has(label: string): boolean {
    return this.byLabel.has(label);
  }

  /** The labels seen, in first-seen order. */
  labels(): string[] {
    return [...this.byLabel.keys()];
  }

  /**
   * The curve with `trueClass` as the positive class and every other label negative.
   * @throws InputError with no samples or a single class, as `rocCurve`.
   */
  curve(trueClass: string): RocCurve {
    if (this.rows === 0) throw new InputError('ROC input is empty');
    const positive = this.byLabel.get(trueClass);
    const positives = positive ? positive.values.subarray(0, positive.length) : new Float64Array(0);
    const negatives = new Float64Array(this.rows - positives.length);
    let at = 0;
    for (const [label, column] of this.byLabel) {
      if (label === trueClass) continue;
      negatives.set(column.values.subarray(0, column.length), at);
      at += column.length;
    }
    if (positives.length === 0 || negatives.length === 0) {
      const only = positives.length === 0 ? 'negative' : 'positive';
      throw new InputError(`ROC input has only ${only} samples (${this.rows}); a ROC curve needs both classes`);
    }
    return rocCurveOfClasses(positives, negatives);
  }
}

/**
 * Area under a curve by the trapezoidal rule, as sklearn's `auc(x, y)`: x must be monotonic
 * (either direction).
 * @throws InputError for fewer than 2 points, mismatched lengths, non-finite or non-monotonic x.
 */
export function auc(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new InputError(`AUC input has ${x.length} x values but ${y.length} y values`);
  if (x.length < 2) throw new InputError(`AUC needs at least 2 points, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new InputError(`AUC point ${i + 1} is not finite`);
  }
  let direction = 1;
  let rising = false;
  let falling = false;
  for (let i = 1; i < x.length; i++) {
    const dx = (x[i] as number) - (x[i - 1] as number);
    if (dx > 0) rising = true;
    if (dx < 0) falling = true;
  }
  if (falling) {
    if (rising) throw new InputError('AUC: x is neither increasing nor decreasing');
    direction = -1;
  }
  let area = 0;
  for (let i = 1; i < x.length; i++) {
    area += (((x[i] as number) - (x[i - 1] as number)) * ((y[i] as number) + (y[i - 1] as number))) / 2;
  }
  return direction * area;
}

/**
 * Reads Kubeflow's generated ROC data: CSV rows `fpr,tpr,thresholds`, no header. A first row
 * that is not numeric is taken as a header and then names the columns (`fpr`, `tpr`, and one
 * starting with `threshold`, as the v1 `roc` viewer's schema). Thresholds may be `inf`.
 * Rows are kept in file order.
 * @throws InputError on ragged or non-numeric rows, rates outside [0, 1], or no rows.
 */
export function rocFromGeneratedCsv(text: string): RocCurve {
  const reader = new GeneratedRocReader();
  for (const record of parseCsvRecords(text)) reader.add(record);
  return reader.finish();
}

/** `rocFromGeneratedCsv` a record at a time, for CSV read as it arrives. */
export class GeneratedRocReader {
  private columns: number[] | undefined;
  private expected = 3;
  private readonly curve: RocCurve = { fpr: [], tpr: [], thresholds: [] };

  /** Rows of the curve read so far. */
  get rows(): number {
    return this.curve.fpr.length;
  }

  /** @throws InputError naming the record's line. */
  add(record: CsvRecord): void {
    const { cells, line } = record;
    if (cells.length === 1 && (cells[0] as string).trim() === '') return;
    if (this.columns === undefined) {
      this.columns = [0, 1, 2];
      if (cells.every((cell) => parseNumberCell(cell) === undefined)) {
        const names = cells.map((cell) => cell.trim().toLowerCase());
        this.columns = [names.indexOf('fpr'), names.indexOf('tpr'), names.findIndex((name) => name.startsWith('threshold'))];
        if (this.columns.some((c) => c < 0)) {
          throw new InputError(`ROC CSV header ${JSON.stringify(cells.join(','))} must name fpr, tpr and threshold columns`);
        }
        this.expected = names.length;
        return;
      }
    }
    if (cells.length !== this.expected) throw new InputError(`ROC CSV line ${line} has ${cells.length} fields, expected ${this.expected}`);
    const [fText, tText, thText] = this.columns.map((c) => cells[c] as string) as [string, string, string];
    const rate = (name: string, cell: string): number => {
      const value = parseNumberCell(cell);
      if (value === undefined || !Number.isFinite(value)) throw new InputError(`ROC CSV line ${line}: ${name} ${JSON.stringify(cell)} is not a finite number`);
      if (value < 0 || value > 1) throw new InputError(`ROC CSV line ${line}: ${name} ${value} is outside [0, 1]`);
      return value;
    };
    const fpr = rate('fpr', fText);
    const tpr = rate('tpr', tText);
    const threshold = parseNumberCell(thText);
    if (threshold === undefined || Number.isNaN(threshold)) {
      throw new InputError(`ROC CSV line ${line}: threshold ${JSON.stringify(thText)} is not a number`);
    }
    this.curve.fpr.push(fpr);
    this.curve.tpr.push(tpr);
    this.curve.thresholds.push(threshold);
  }

  finish(): RocCurve {
    if (this.curve.fpr.length === 0) throw new InputError('ROC CSV has no rows');
    return this.curve;
  }
}

/** Which columns of raw rows hold the class and the score, as Kubeflow's `roc_curve` arguments. */
export interface RocColumns {
  /** Column with the true class. Default `target`. */
  targetCol?: string;
  /** Column with the positive-class score. Default `true` (Kubeflow's `true_score_column`). */
  scoreCol?: string;
  /** A target equal to this (compared as strings, trimmed) is positive. Default `true` (Kubeflow's `trueclass`). */
  trueClass?: string;
}

/**
 * ROC curve from raw per-sample rows (parsed CSV or JSON objects): target = trueClass → 1,
 * anything else → 0 (a JSON `true` compares as `"true"`), then `rocCurve`. Scores given as strings are parsed strictly.
 * @throws InputError naming the row (1-based) with a missing column or bad score.
 */
export function rocFromRows(rows: ReadonlyArray<Readonly<Record<string, string | number | boolean>>>, columns: RocColumns = {}): RocCurve {
  const targetCol = columns.targetCol ?? 'target';
  const scoreCol = columns.scoreCol ?? 'true';
  const trueClass = (columns.trueClass ?? 'true').trim();
  const targets: number[] = [];
  const scores: number[] = [];
  rows.forEach((row, i) => {
    const where = `ROC row ${i + 1}`;
    if (!Object.hasOwn(row, targetCol)) throw new InputError(`${where} has no target column ${JSON.stringify(targetCol)}`);
    if (!Object.hasOwn(row, scoreCol)) throw new InputError(`${where} has no score column ${JSON.stringify(scoreCol)}`);
    const target = row[targetCol] as string | number | boolean;
    const raw = row[scoreCol] as string | number | boolean;
    const score = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumberCell(raw) : undefined;
    if (score === undefined || !Number.isFinite(score)) {
      throw new InputError(`${where}: score ${JSON.stringify(raw)} in column ${JSON.stringify(scoreCol)} is not a finite number`);
    }
    targets.push(String(target).trim() === trueClass ? 1 : 0);
    scores.push(score);
  });
  return rocCurve(targets, scores);
}
