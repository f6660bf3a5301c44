import { describe, expect, it } from 'vitest';
import { analyseMatrix, MatrixBuilder } from '../../src/analyse/matrix.js';
import type { JsonObject } from '../../src/core/types.js';

const record = (values: JsonObject, line: number) => ({ values, time: '', source: 'a.log', line });

describe('analyseMatrix', () => {
  it('computes the report, the shown cells and the confused pairs once', () => {
    const analysis = analyseMatrix({ labels: ['a', 'b'], matrix: [[3, 1], [0, 4]] }, 'true', 5);
    expect(analysis.values).toEqual([[0.75, 0.25], [0, 1]]);
    expect(analysis.report.accuracy).toBe(7 / 8);
    expect(analysis.mostConfused.map((p) => [p.actual, p.predicted, p.count])).toEqual([['a', 'b', 1]]);
  });
});

describe('MatrixBuilder', () => {
  it('keeps the latest matrix, or every one with all, and names near misses under a matrix key', () => {
    const records = [record({ cm: [[1, 0], [0, 1]] }, 1), record({ cm: [[1, 2], [3]] }, 2), record({ cm: [[2, 0], [1, 1]] }, 3)];
    const latest = new MatrixBuilder('a.log', {});
    const all = new MatrixBuilder('a.log', { all: true });
    for (const r of records) { latest.add(r); all.add(r); }
    const { result, nearMisses } = latest.finish({ kind: 'log', lines: 3 });
    expect(result.found.map((f) => f.line)).toEqual([3]);
    expect(result.total).toBe(2);
    expect(nearMisses.map((m) => [m.key, m.line])).toEqual([['cm', 2]]);
    expect(all.finish({ kind: 'log', lines: 3 }).result.found.map((f) => f.line)).toEqual([1, 3]);
  });

  it('builds a matrix from per-sample records, and says when there is none', () => {
    const builder = new MatrixBuilder('a.log', {});
    [['cat', 'cat'], ['dog', 'cat']].forEach(([actual, predicted], i) => builder.add(record({ actual: actual as string, predicted: predicted as string }, i + 1)));
    expect(builder.finish({ kind: 'log', lines: 2 }).result.found[0]?.matrix).toEqual({ labels: ['cat', 'dog'], matrix: [[1, 0], [1, 0]] });
    expect(() => new MatrixBuilder('a.log', {}).finish({ kind: 'log', lines: 0 })).toThrow('a.log: no confusion matrix found');
  });
});
