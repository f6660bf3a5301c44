import { describe, expect, it } from 'vitest';
import { RocCurveBuilder } from '../../src/analyse/roc-input.js';
import type { JsonObject } from '../../src/core/types.js';

const keys = { fprKey: 'fpr', tprKey: 'tpr', thresholdsKey: 'thresholds' };
const record = (values: JsonObject, line: number) => ({ values, time: '', source: 'a.log', line });

describe('RocCurveBuilder', () => {
  it('keeps the latest curve of a log, or every one with all, each with its AUC', () => {
    const curves = [{ fpr: [0, 1], tpr: [0, 1] }, { fpr: [0, 0, 1], tpr: [0, 1, 1] }];
    const latest = new RocCurveBuilder('a.log', keys);
    const all = new RocCurveBuilder('a.log', { ...keys, all: true });
    curves.forEach((values, i) => { latest.add(record(values, i + 1)); all.add(record(values, i + 1)); });
    const one = latest.finish({ kind: 'log', lines: 2 });
    expect(one.found.map((f) => [f.line, f.auc])).toEqual([[2, 1]]);
    expect(one.total).toBe(2);
    expect(all.finish({ kind: 'log', lines: 2 }).found.map((f) => f.auc)).toEqual([0.5, 1]);
  });

  it('computes a curve from per-sample records, and names file:line for bad data', () => {
    const builder = new RocCurveBuilder('a.log', keys);
    [[0, 0.1], [1, 0.9], [0, 0.4], [1, 0.6]].forEach(([target, score], i) => builder.add(record({ target: target as number, score: score as number }, i + 1)));
    expect(builder.finish({ kind: 'log', lines: 4 }).found[0]?.auc).toBe(1);
    const bad = new RocCurveBuilder('a.log', keys);
    bad.add(record({ fpr: [0, 2], tpr: [0, 1] }, 7));
    expect(() => bad.finish({ kind: 'log', lines: 7 })).toThrow('a.log:7: fpr[1] is 2');
  });

  it('reads Kubeflow\'s generated CSV', () => {
    const found = new RocCurveBuilder('roc.csv', keys).finish({ kind: 'csv', text: '0,0,Infinity\n0,1,0.5\n1,1,0.1\n' }).found;
    expect(found[0]?.form).toBe('kubeflow-csv');
    expect(found[0]?.auc).toBe(1);
  });
});
