/**
 * Per-class metrics from a confusion matrix, computed exactly as scikit-learn's
 * `classification_report(y_true, y_pred, labels=<all labels>, zero_division=0)` would for the
 * samples the matrix counts, and the most-confused pairs of classes. Pure.
 */
import type { ConfusionMatrix } from '../formats/confusion.js';

/** One row of the report. */
export interface ClassMetrics {
  label: string;
  /** tp / (tp + fp): of the samples predicted as this class, the share that were. 0 when none was predicted. */
  precision: number;
  /** tp / (tp + fn): of the samples of this class, the share found. 0 when the class has no samples. */
  recall: number;
  /** 2·tp / (2·tp + fp + fn), the harmonic mean of precision and recall; 0 when undefined. */
  f1: number;
  /** Samples of this class (the row sum). */
  support: number;
}

/** An averaged row (`macro avg`, `weighted avg`); its support is the total sample count. */
export interface AverageMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface ClassificationReport {
  /** One entry per label, in the matrix's label order. */
  classes: ClassMetrics[];
  /** trace / total; 0 for an empty matrix. */
  accuracy: number;
  /** Sum of all cells. */
  total: number;
  /** Unweighted mean over every label, including labels with no samples (as sklearn does when given `labels`). */
  macro: AverageMetrics;
  /** Mean weighted by support; 0 when there are no samples. */
  weighted: AverageMetrics;
}

/** sklearn's `_prf_divide` with zero_division=0. */
function divide(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Computes the classification report of a confusion matrix (rows actual, columns predicted). */
export function classificationReport(m: ConfusionMatrix): ClassificationReport {
  const n = m.labels.length;
  const predictedSums = new Array<number>(n).fill(0);
  const actualSums = new Array<number>(n).fill(0);
  let total = 0;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const row = m.matrix[i] ?? [];
    for (let j = 0; j < n; j++) {
      const v = row[j] ?? 0;
      actualSums[i] = (actualSums[i] as number) + v;
      predictedSums[j] = (predictedSums[j] as number) + v;
      total += v;
      if (i === j) correct += v;
    }
  }
  const classes: ClassMetrics[] = m.labels.map((label, i) => {
    const tp = m.matrix[i]?.[i] ?? 0;
    const support = actualSums[i] as number;
    const predicted = predictedSums[i] as number;
    return {
      label,
      precision: divide(tp, predicted),
      recall: divide(tp, support),
      // sklearn ≥ 1.3 computes F from counts, not from the rounded precision and recall.
      f1: divide(2 * tp, support + predicted),
      support,
    };
  });
  const mean = (pick: (c: ClassMetrics) => number): number => divide(classes.reduce((sum, c) => sum + pick(c), 0), classes.length);
  const weightedMean = (pick: (c: ClassMetrics) => number): number => divide(classes.reduce((sum, c) => sum + pick(c) * c.support, 0), total);
  return {
    classes,
    accuracy: divide(correct, total),
    total,
    macro: { precision: mean((c) => c.precision), recall: mean((c) => c.recall), f1: mean((c) => c.f1), support: total },
    weighted: {
      precision: weightedMean((c) => c.precision),
      recall: weightedMean((c) => c.recall),
      f1: weightedMean((c) => c.f1),
      support: total,
    },
  };
}

/** An off-diagonal cell: samples of `actual` predicted as `predicted`. */
export interface ConfusedPair {
  actual: string;
  predicted: string;
  actualIndex: number;
  predictedIndex: number;
  count: number;
  /** count ÷ the actual class's support: the share of that class lost to this mistake. */
  rate: number;
}

/**
 * The `top` largest off-diagonal cells (zero cells never), largest first; ties keep label
 * order (actual row, then predicted column).
 */
export function mostConfusedPairs(m: ConfusionMatrix, top = 10): ConfusedPair[] {
  const pairs: ConfusedPair[] = [];
  const n = m.labels.length;
  for (let i = 0; i < n; i++) {
    const row = m.matrix[i] ?? [];
    const support = row.reduce((a, b) => a + b, 0);
    for (let j = 0; j < n; j++) {
      const count = row[j] ?? 0;
      if (i === j || !(count > 0)) continue;
      pairs.push({ actual: m.labels[i] as string, predicted: m.labels[j] as string, actualIndex: i, predictedIndex: j, count, rate: divide(count, support) });
    }
  }
  // Array.prototype.sort is stable, and pairs were pushed in label order.
  pairs.sort((a, b) => b.count - a.count);
  return pairs.slice(0, Math.max(0, top));
}
