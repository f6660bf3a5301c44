import { describe, expect, it } from 'vitest';
import { compareValues, defaultKeys, sortExecutions, topRows } from '../../src/analyse/sort.js';
import { execution as run, rankingRuns } from '../helpers/executions.js';

describe('sort ranking', () => {
  const runs = rankingRuns();

  it('ranks by latest, descending, ties in input order; missing last and unranked, NaN before it', () => {
    const rows = sortExecutions(runs, 'acc', 'latest', false);
    expect(rows.map((r) => r.execution.execution)).toEqual(['a', 'c', 'b', 'nan', 'none']);
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, undefined]);
  });

  it('keeps missing last when ascending, and sorts by other aggregates', () => {
    expect(sortExecutions(runs, 'acc', 'latest', true).map((r) => r.execution.execution)).toEqual(['b', 'a', 'c', 'nan', 'none']);
    expect(sortExecutions(runs, 'acc', 'max', false).map((r) => r.execution.execution).slice(0, 2)).toEqual(['b', 'a']);
  });

  it('orders mixed values numbers first, missing last', () => {
    const values = [undefined, 'x', 2, Number.NaN, 1, null];
    expect([...values].sort((a, b) => compareValues(a, b, true))).toEqual([1, 2, 'x', Number.NaN, null, undefined]);
  });

  it('prefers metrics over one-off settings for default columns', () => {
    const summaries = [run('r', [{ lr0: 0.1, seed: 1 }, { step: 1, loss: 1, f1: 0.1 }, { step: 2, loss: 0.5, f1: 0.2 }])];
    expect(defaultKeys(summaries, ['acc'], 3)).toEqual(['loss', 'f1', 'lr0']);
  });

  it('keeps the first --top rows and counts the rest', () => {
    const rows = sortExecutions(runs, 'acc', 'latest', false);
    expect(topRows(rows, 2)).toEqual({ rows: rows.slice(0, 2), hidden: 3 });
    expect(topRows(rows, 9)).toEqual({ rows, hidden: 0 });
    expect(topRows(rows, undefined)).toEqual({ rows, hidden: 0 });
  });
});
