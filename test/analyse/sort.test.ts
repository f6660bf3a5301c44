import { describe, expect, it } from 'vitest';
import { compareValues, defaultKeys, sortExecutions, sortOrder, topRows } from '../../src/analyse/sort.js';
import { UsageError } from '../../src/core/errors.js';
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

  it('orders best first by the key\'s direction, highest first for a key with none; --asc and --desc win', () => {
    expect(sortOrder('val_loss', 'latest', {})).toEqual({ ascending: true, tendency: 'min', chosenBy: 'direction' });
    expect(sortOrder('metadata.val_loss', 'min', {})).toEqual({ ascending: true, tendency: 'min', chosenBy: 'direction' });
    expect(sortOrder('eval_accuracy', 'latest', {})).toEqual({ ascending: false, tendency: 'max', chosenBy: 'direction' });
    expect(sortOrder('eval_samples_per_second', 'latest', {})).toMatchObject({ ascending: false, tendency: 'max' });
    expect(sortOrder('lr', 'latest', {})).toEqual({ ascending: false, tendency: 'neutral', chosenBy: 'default' });
    expect(sortOrder('step', 'latest', {})).toEqual({ ascending: false, tendency: 'neutral', chosenBy: 'default' });
    // How often a loss was logged is no better for being lower.
    expect(sortOrder('loss', 'count', {})).toEqual({ ascending: false, tendency: 'neutral', chosenBy: 'default' });
    expect(sortOrder('val_loss', 'latest', { desc: true })).toEqual({ ascending: false, tendency: 'min', chosenBy: 'desc' });
    expect(sortOrder('accuracy', 'latest', { asc: true })).toEqual({ ascending: true, tendency: 'max', chosenBy: 'asc' });
    expect(sortOrder('lr', 'latest', {}, { lower: ['lr'] })).toEqual({ ascending: true, tendency: 'min', chosenBy: 'direction' });
    expect(sortOrder('loss', 'latest', {}, { higher: ['loss'] })).toMatchObject({ ascending: false, tendency: 'max' });
    expect(() => sortOrder('loss', 'latest', { asc: true, desc: true })).toThrow(UsageError);
  });

  it('ranks a numeric string as its number, as gate reads it', () => {
    const runs = [run('text', [{ loss: '0.3' }]), run('number', [{ loss: 0.5 }]), run('word', [{ loss: 'n/a' }]), run('small', [{ loss: ' 1e-3 ' }])];
    const rows = sortExecutions(runs, 'loss', 'latest', true);
    expect(rows.map((r) => r.execution.execution)).toEqual(['small', 'text', 'number', 'word']);
    expect(rows.map((r) => r.value)).toEqual([0.001, 0.3, 0.5, 'n/a']);
  });

  it('keeps the first --top rows and counts the rest', () => {
    const rows = sortExecutions(runs, 'acc', 'latest', false);
    expect(topRows(rows, 2)).toEqual({ rows: rows.slice(0, 2), hidden: 3 });
    expect(topRows(rows, 9)).toEqual({ rows, hidden: 0 });
    expect(topRows(rows, undefined)).toEqual({ rows, hidden: 0 });
  });
});
