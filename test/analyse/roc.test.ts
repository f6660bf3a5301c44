import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { auc, rocCurve, rocFromGeneratedCsv, rocFromRows } from '../../src/analyse/roc.js';
import { inputError } from '../helpers/errors.js';


describe('rocCurve (sklearn roc_curve, drop_intermediate=True)', () => {
  it('the sklearn docs example', () => {
    // roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) in scikit-learn 1.9.1
    const curve = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(curve).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1],
    });
    expect(auc(curve.fpr, curve.tpr)).toBe(0.75);
  });

  it('ties: equal scores form one step', () => {
    // y = [0,1,0,1,1,0,1,0], scores [0.9,0.9,0.5,0.5,0.5,0.2,0.1,0.1]; 4 positives, 4 negatives.
    // Score groups, descending: 0.9 {0,1} → tp 1 fp 1; 0.5 {0,1,1} → tp 3 fp 2;
    // 0.2 {0} → tp 3 fp 3; 0.1 {1,0} → tp 4 fp 4. No point lies on a straight run, so all stay.
    // sklearn: fpr [0, .25, .5, .75, 1], tpr [0, .25, .75, .75, 1], thresholds [inf, .9, .5, .2, .1];
    // auc = .25·(0+.25)/2 + .25·(.25+.75)/2 + .25·(.75+.75)/2 + .25·(.75+1)/2 = 0.5625 (= roc_auc_score).
    const curve = rocCurve([0, 1, 0, 1, 1, 0, 1, 0], [0.9, 0.9, 0.5, 0.5, 0.5, 0.2, 0.1, 0.1]);
    expect(curve).toEqual({
      fpr: [0, 0.25, 0.5, 0.75, 1],
      tpr: [0, 0.25, 0.75, 0.75, 1],
      thresholds: [Infinity, 0.9, 0.5, 0.2, 0.1],
    });
    expect(auc(curve.fpr, curve.tpr)).toBe(0.5625);
  });

  it('drops intermediate points on straight runs', () => {
    // sklearn: fpr [0,0,0,.75,.75,1], tpr [0,.25,.75,.75,1,1], thresholds [inf,.9,.7,.4,.3,.2]
    // (9 points with drop_intermediate=False); auc 0.8125.
    const curve = rocCurve([1, 1, 1, 0, 0, 0, 1, 0], [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]);
    expect(curve).toEqual({
      fpr: [0, 0, 0, 0.75, 0.75, 1],
      tpr: [0, 0.25, 0.75, 0.75, 1, 1],
      thresholds: [Infinity, 0.9, 0.7, 0.4, 0.3, 0.2],
    });
    expect(auc(curve.fpr, curve.tpr)).toBe(0.8125);
  });

  it('all scores equal: the diagonal', () => {
    expect(rocCurve([0, 1, 1], [0.5, 0.5, 0.5])).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 0.5] });
  });

  it('errors: empty, mismatched, one class, non-finite scores, bad targets', () => {
    expect(inputError(() => rocCurve([], []))).toBe('ROC input is empty');
    expect(inputError(() => rocCurve([0, 1], [0.5]))).toMatch(/2 targets but 1 scores/);
    expect(inputError(() => rocCurve([1, 1], [0.2, 0.5]))).toMatch(/only positive samples \(2\); a ROC curve needs both classes/);
    expect(inputError(() => rocCurve([0], [0.2]))).toMatch(/only negative samples/);
    expect(inputError(() => rocCurve([0, 1], [NaN, 0.5]))).toMatch(/score 1 is NaN/);
    expect(inputError(() => rocCurve([0, 1], [0.1, Infinity]))).toMatch(/score 2 is Infinity/);
    expect(inputError(() => rocCurve([0, 2], [0.1, 0.2]))).toMatch(/target 2 is 2, expected 0 or 1/);
  });

  it('AUC equals the Mann–Whitney probability (ties count half), as roc_auc_score', () => {
    const samples = fc.array(fc.tuple(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 8 })), { minLength: 2, maxLength: 40 });
    fc.assert(
      fc.property(samples, (pairs) => {
        const targets = pairs.map((p) => p[0]);
        const scores = pairs.map((p) => p[1] / 8);
        const pos = pairs.filter((p) => p[0] === 1);
        const neg = pairs.filter((p) => p[0] === 0);
        fc.pre(pos.length > 0 && neg.length > 0);
        let wins = 0;
        for (const [, a] of pos) for (const [, b] of neg) wins += a > b ? 1 : a === b ? 0.5 : 0;
        const curve = rocCurve(targets, scores);
        expect(auc(curve.fpr, curve.tpr)).toBeCloseTo(wins / (pos.length * neg.length), 12);
        for (let i = 1; i < curve.fpr.length; i++) {
          expect(curve.fpr[i]! >= curve.fpr[i - 1]! && curve.tpr[i]! >= curve.tpr[i - 1]!).toBe(true);
          expect(curve.thresholds[i]! < curve.thresholds[i - 1]!).toBe(true);
        }
        expect([curve.fpr.at(-1), curve.tpr.at(-1)]).toEqual([1, 1]);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('auc', () => {
  it('trapezoids, either direction of x', () => {
    expect(auc([0, 1], [1, 1])).toBe(1);
    expect(auc([1, 0.5, 0], [1, 1, 0])).toBe(0.75);
  });
  it('errors like sklearn', () => {
    expect(inputError(() => auc([0], [1]))).toMatch(/at least 2 points/);
    expect(inputError(() => auc([0, 1, 0.5], [0, 1, 1]))).toMatch(/neither increasing nor decreasing/);
    expect(inputError(() => auc([0, 1], [0]))).toMatch(/2 x values but 1 y values/);
    expect(inputError(() => auc([0, NaN], [0, 1]))).toMatch(/point 2 is not finite/);
  });
});

describe('rocFromGeneratedCsv (Kubeflow is_generated)', () => {
  it('reads headerless fpr,tpr,thresholds, including inf', () => {
    const text = '0.0,0.0,inf\n0.0,0.5,0.8\r\n0.5,0.5,0.4\n0.5,1.0,0.35\n1.0,1.0,0.1\n';
    expect(rocFromGeneratedCsv(text)).toEqual({
      fpr: [0, 0, 0.5, 0.5, 1],
      tpr: [0, 0.5, 0.5, 1, 1],
      thresholds: [Infinity, 0.8, 0.4, 0.35, 0.1],
    });
  });
  it('a header row names the columns in any order', () => {
    expect(rocFromGeneratedCsv('thresholds,tpr,fpr\nInfinity,0,0\n0.5,1,1\n')).toEqual({ fpr: [0, 1], tpr: [0, 1], thresholds: [Infinity, 0.5] });
  });
  it('errors name the line', () => {
    expect(inputError(() => rocFromGeneratedCsv(''))).toBe('ROC CSV has no rows');
    expect(inputError(() => rocFromGeneratedCsv('0,0,inf\n0.5,0.5\n'))).toMatch(/line 2 has 2 fields, expected 3/);
    expect(inputError(() => rocFromGeneratedCsv('0,0,inf\n0.5,x,1\n'))).toMatch(/line 2: tpr "x" is not a finite number/);
    expect(inputError(() => rocFromGeneratedCsv('0,0,inf\n1.5,1,1\n'))).toMatch(/line 2: fpr 1.5 is outside \[0, 1\]/);
    expect(inputError(() => rocFromGeneratedCsv('0,0,nan\n'))).toMatch(/line 1: threshold "nan" is not a number/);
    expect(inputError(() => rocFromGeneratedCsv('a,b,c\n0,0,1\n'))).toMatch(/must name fpr, tpr and threshold columns/);
  });
});

describe('rocFromRows (Kubeflow trueclass)', () => {
  it('target equal to trueClass (as strings) is positive', () => {
    const rows = [
      { target: 'cat', score: '0.1' },
      { target: 'dog', score: '0.4' },
      { target: 'cat', score: 0.35 },
      { target: 'cat', score: '0.8' },
    ];
    // cat is the positive class: y = [1,0,1,1].
    const curve = rocFromRows(rows, { targetCol: 'target', scoreCol: 'score', trueClass: 'cat' });
    expect(curve).toEqual(rocCurve([1, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]));
  });
  it('defaults to Kubeflow\'s target / "true" column / trueclass "true"', () => {
    const rows = [
      { target: 'true', true: 0.9 },
      { target: 'false', true: 0.2 },
      { target: true, true: 0.7 },
    ];
    expect(rocFromRows(rows)).toEqual(rocCurve([1, 0, 1], [0.9, 0.2, 0.7]));
    expect(rocFromRows([{ target: 1, true: 0.9 }, { target: 0, true: 0.1 }], { trueClass: '1' }).fpr).toEqual([0, 0, 1]);
  });
  it('errors name the row', () => {
    expect(inputError(() => rocFromRows([{ target: 'true' }]))).toMatch(/ROC row 1 has no score column "true"/);
    expect(inputError(() => rocFromRows([{ y: 'true', true: 1 }]))).toMatch(/ROC row 1 has no target column "target"/);
    expect(inputError(() => rocFromRows([{ target: 'true', true: 1 }, { target: 'x', true: 'high' }]))).toMatch(/ROC row 2: score "high"/);
    expect(inputError(() => rocFromRows([{ target: 'true', true: 'inf' }]))).toMatch(/ROC row 1: score "inf" in column "true" is not a finite number/);
    expect(inputError(() => rocFromRows([]))).toBe('ROC input is empty');
  });
});
