import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classificationReport, mostConfusedPairs } from '../../src/analyse/classification.js';
import type { ConfusionMatrix } from '../../src/formats/confusion.js';

/*
 * The matrix from the Valohai docs, {"data": [[3, 0, 0], [0, 1, 2], [2, 1, 3]]}, rows actual:
 *
 *              pred 0  pred 1  pred 2 | support
 *   actual 0      3       0       0   |   3
 *   actual 1      0       1       2   |   3
 *   actual 2      2       1       3   |   6
 *   predicted     5       2       5   |  12
 *
 * By hand: precision = tp / column sum, recall = tp / row sum, f1 = 2tp / (row + column):
 *   class 0: 3/5 = 0.6,  3/3 = 1,      6/8  = 0.75
 *   class 1: 1/2 = 0.5,  1/3,          2/5  = 0.4
 *   class 2: 3/5 = 0.6,  3/6 = 0.5,    6/11 = 0.545454…
 *   accuracy (3+1+3)/12 = 0.583333…
 *   macro    (0.6+0.5+0.6)/3 = 0.566667, (1+1/3+0.5)/3 = 0.611111, (0.75+0.4+6/11)/3 = 0.565152
 *   weighted (3·0.6+3·0.5+6·0.6)/12 = 0.575, 7/12 = 0.583333, (3·0.75+3·0.4+6·6/11)/12 = 0.560227
 *
 * scikit-learn 1.9.1, classification_report(y_true, y_pred, digits=6) on those 12 samples:
 *
 *                 precision    recall  f1-score   support
 *            0     0.600000  1.000000  0.750000         3
 *            1     0.500000  0.333333  0.400000         3
 *            2     0.600000  0.500000  0.545455         6
 *     accuracy                         0.583333        12
 *    macro avg     0.566667  0.611111  0.565152        12
 * weighted avg     0.575000  0.583333  0.560227        12
 */
const VALOHAI: ConfusionMatrix = {
  labels: ['0', '1', '2'],
  matrix: [
    [3, 0, 0],
    [0, 1, 2],
    [2, 1, 3],
  ],
};

describe('classificationReport', () => {
  it('matches scikit-learn on the 3×3 example', () => {
    const r = classificationReport(VALOHAI);
    expect(r.classes.map((c) => c.label)).toEqual(['0', '1', '2']);
    expect(r.classes.map((c) => c.precision)).toEqual([3 / 5, 1 / 2, 3 / 5]);
    expect(r.classes.map((c) => c.recall)).toEqual([1, 1 / 3, 1 / 2]);
    expect(r.classes.map((c) => c.f1)).toEqual([6 / 8, 2 / 5, 6 / 11]);
    expect(r.classes.map((c) => c.support)).toEqual([3, 3, 6]);
    expect(r.accuracy).toBeCloseTo(0.583333, 6);
    expect(r.total).toBe(12);
    expect(r.macro.precision).toBeCloseTo(0.566667, 6);
    expect(r.macro.recall).toBeCloseTo(0.611111, 6);
    expect(r.macro.f1).toBeCloseTo(0.565152, 6);
    expect(r.weighted.precision).toBeCloseTo(0.575, 12);
    expect(r.weighted.recall).toBeCloseTo(0.583333, 6);
    expect(r.weighted.f1).toBeCloseTo(0.560227, 6);
    expect(r.macro.support).toBe(12);
    expect(r.weighted.support).toBe(12);
  });

  /*
   * zero_division=0. sklearn, classification_report([0,0,1], [0,1,1], labels=[0,1,2], digits=6):
   *            0     1.000000  0.500000  0.666667         2
   *            1     0.500000  1.000000  0.666667         1
   *            2     0.000000  0.000000  0.000000         0
   *     accuracy                         0.666667         3
   *    macro avg     0.500000  0.500000  0.444444         3
   * weighted avg     0.833333  0.666667  0.666667         3
   */
  it('gives 0 where a ratio is undefined, and counts empty classes in the macro average', () => {
    const r = classificationReport({ labels: ['0', '1', '2'], matrix: [[1, 1, 0], [0, 1, 0], [0, 0, 0]] });
    expect(r.classes[2]).toEqual({ label: '2', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.accuracy).toBeCloseTo(2 / 3, 12);
    expect(r.macro.precision).toBeCloseTo(0.5, 12);
    expect(r.macro.recall).toBeCloseTo(0.5, 12);
    expect(r.macro.f1).toBeCloseTo(0.444444, 6);
    expect(r.weighted.precision).toBeCloseTo(0.833333, 6);
    expect(r.weighted.recall).toBeCloseTo(0.666667, 6);
    expect(r.weighted.f1).toBeCloseTo(0.666667, 6);
  });

  it('a class only ever predicted has precision 0 and support 0', () => {
    const r = classificationReport({ labels: ['a', 'b'], matrix: [[1, 2], [0, 0]] });
    expect(r.classes[1]).toEqual({ label: 'b', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.classes[0]?.f1).toBeCloseTo(0.5, 12); // 2·1 / (3 + 1)
  });

  it('empty and all-zero matrices give zeros, not NaN', () => {
    const empty = classificationReport({ labels: [], matrix: [] });
    expect(empty).toEqual({
      classes: [],
      accuracy: 0,
      total: 0,
      macro: { precision: 0, recall: 0, f1: 0, support: 0 },
      weighted: { precision: 0, recall: 0, f1: 0, support: 0 },
    });
    const zeros = classificationReport({ labels: ['a', 'b'], matrix: [[0, 0], [0, 0]] });
    expect(zeros.accuracy).toBe(0);
    expect(zeros.weighted.f1).toBe(0);
  });

  it('a perfect classifier scores 1 everywhere', () => {
    const r = classificationReport({ labels: ['a', 'b'], matrix: [[4, 0], [0, 6]] });
    expect([r.accuracy, r.macro.f1, r.weighted.precision]).toEqual([1, 1, 1]);
  });

  it('accuracy equals weighted recall (a property sklearn also has)', () => {
    const square = fc.integer({ min: 1, max: 6 }).chain((n) =>
      fc.array(fc.array(fc.nat(50), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
    );
    fc.assert(
      fc.property(square, (matrix) => {
        const r = classificationReport({ labels: matrix.map((_, i) => String(i)), matrix });
        expect(r.weighted.recall).toBeCloseTo(r.accuracy, 12);
        for (const c of r.classes) for (const v of [c.precision, c.recall, c.f1]) expect(v >= 0 && v <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('mostConfusedPairs', () => {
  it('sorts off-diagonal cells by count, ties in label order, and skips zeros', () => {
    const pairs = mostConfusedPairs(VALOHAI);
    expect(pairs.map((p) => [p.actual, p.predicted, p.count])).toEqual([
      ['1', '2', 2],
      ['2', '0', 2],
      ['2', '1', 1],
    ]);
    expect(pairs[0]?.rate).toBeCloseTo(2 / 3, 12);
    expect(pairs[1]).toMatchObject({ actualIndex: 2, predictedIndex: 0, rate: 2 / 6 });
  });
  it('keeps the top N', () => {
    expect(mostConfusedPairs(VALOHAI, 1)).toHaveLength(1);
    expect(mostConfusedPairs(VALOHAI, 0)).toEqual([]);
    expect(mostConfusedPairs({ labels: ['a'], matrix: [[9]] })).toEqual([]);
  });
});
