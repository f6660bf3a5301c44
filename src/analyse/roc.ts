/**
 * ROC curves as scikit-learn computes them (`roc_curve` with `drop_intermediate=True`, `auc`),
 * and the two ways Kubeflow's `roc_curve` visualization gets its data: a headerless
 * `fpr,tpr,thresholds` CSV (`is_generated`), or raw rows with a target column compared with a
 * `trueclass` and a score column. Pure.
 */
import { InputError } from '../core/errors.js';
import { parseCsvRecords, parseNumberCell } from '../formats/confusion.js';

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

  // _binary_clf_curve: order by score descending; the order inside a tie cannot matter because
  // only the cumulative counts at the end of each run of equal scores are kept.
  const order = targets.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let fps: number[] = [];
  let tps: number[] = [];
  let thresholds: number[] = [];
  let tp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k] as number;
    tp += targets[i] as number;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[i]) {
      tps.push(tp);
      fps.push(k + 1 - tp);
      thresholds.push(scores[i] as number);
    }
  }

  // drop_intermediate: keep the ends and every point where the curve bends, i.e. where the
  // second difference of fps or tps is non-zero.
  if (fps.length > 2) {
    const keep: number[] = [0];
    for (let k = 1; k < fps.length - 1; k++) {
      const bendF = (fps[k + 1] as number) - 2 * (fps[k] as number) + (fps[k - 1] as number);
      const bendT = (tps[k + 1] as number) - 2 * (tps[k] as number) + (tps[k - 1] as number);
      if (bendF !== 0 || bendT !== 0) keep.push(k);
    }
    keep.push(fps.length - 1);
    fps = keep.map((k) => fps[k] as number);
    tps = keep.map((k) => tps[k] as number);
    thresholds = keep.map((k) => thresholds[k] as number);
  }

  const lastF = fps[fps.length - 1] as number;
  const lastT = tps[tps.length - 1] as number;
  return {
    fpr: [0, ...fps.map((f) => f / lastF)],
    tpr: [0, ...tps.map((t) => t / lastT)],
    thresholds: [Infinity, ...thresholds],
  };
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
  let rows = parseCsvRecords(text).filter((row) => !(row.cells.length === 1 && (row.cells[0] as string).trim() === ''));
  let columns = [0, 1, 2];
  let expected = 3;
  const head = rows[0];
  if (head && head.cells.every((cell) => parseNumberCell(cell) === undefined)) {
    const names = head.cells.map((cell) => cell.trim().toLowerCase());
    columns = [names.indexOf('fpr'), names.indexOf('tpr'), names.findIndex((name) => name.startsWith('threshold'))];
    if (columns.some((c) => c < 0)) {
      throw new InputError(`ROC CSV header ${JSON.stringify(head.cells.join(','))} must name fpr, tpr and threshold columns`);
    }
    expected = names.length;
    rows = rows.slice(1);
  }
  if (rows.length === 0) throw new InputError('ROC CSV has no rows');
  const curve: RocCurve = { fpr: [], tpr: [], thresholds: [] };
  for (const { cells, line } of rows) {
    if (cells.length !== expected) throw new InputError(`ROC CSV line ${line} has ${cells.length} fields, expected ${expected}`);
    const [fText, tText, thText] = columns.map((c) => cells[c] as string) as [string, string, string];
    const rate = (name: string, cell: string): number => {
      const value = parseNumberCell(cell);
      if (value === undefined || !Number.isFinite(value)) throw new InputError(`ROC CSV line ${line}: ${name} ${JSON.stringify(cell)} is not a finite number`);
      if (value < 0 || value > 1) throw new InputError(`ROC CSV line ${line}: ${name} ${value} is outside [0, 1]`);
      return value;
    };
    curve.fpr.push(rate('fpr', fText));
    curve.tpr.push(rate('tpr', tText));
    const threshold = parseNumberCell(thText);
    if (threshold === undefined || Number.isNaN(threshold)) {
      throw new InputError(`ROC CSV line ${line}: threshold ${JSON.stringify(thText)} is not a number`);
    }
    curve.thresholds.push(threshold);
  }
  return curve;
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
