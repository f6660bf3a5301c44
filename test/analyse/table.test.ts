import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/types.js';
import { compileExpression } from '../../src/analyse/expr.js';
import { GroupBuilder, parseAggregates, parseSortSpec, rowFilter, sortByKey, sortGroupRows } from '../../src/analyse/table.js';

describe('table grouping', () => {
  it('parses aggregate lists and refuses unknown functions', () => {
    expect(parseAggregates(['mean(loss), max(metadata.accuracy),count()'])).toEqual([
      { fn: 'mean', key: 'loss', label: 'mean(loss)' }, { fn: 'max', key: 'accuracy', label: 'max(accuracy)' }, { fn: 'count', label: 'count()' },
    ]);
    expect(() => parseAggregates(['median(loss)'])).toThrow(/unknown function 'median'/);
    expect(() => parseAggregates(['loss'])).toThrow(/expected FUNCTION\(KEY\)/);
    expect(() => parseAggregates(['mean()'])).toThrow(/needs a key/);
  });

  it('groups in first-seen order; NaN does not poison the mean', () => {
    const groups = new GroupBuilder('epoch', parseAggregates(['mean(loss),count(),latest(note)']));
    groups.add({ epoch: 1, loss: 1 });
    groups.add({ epoch: 2, loss: 4 });
    groups.add({ epoch: 1, loss: Number.NaN, note: 'x' });
    groups.add({ epoch: 1, loss: 3 });
    expect(groups.rows()).toEqual([[1, 2, 3, 'x'], [2, 4, 1, undefined]]);
  });
});

describe('table sorting', () => {
  it('reads KEY as ascending and -KEY as descending, metadata. dropped', () => {
    expect(parseSortSpec('metadata.loss')).toEqual({ key: 'loss', ascending: true });
    expect(parseSortSpec(' -acc')).toEqual({ key: 'acc', ascending: false });
    expect(() => parseSortSpec('-')).toThrow('--sort: expected KEY or -KEY');
  });

  it('--where keeps rows whose expression holds; a row lacking a name it reads is left out', () => {
    const keep = rowFilter(compileExpression('loss < 0.5'));
    expect(([{ loss: 0.4 }, { loss: 0.6 }, { acc: 1 }] as JsonObject[]).map((values) => keep(values))).toEqual([true, false, false]);
    expect(rowFilter(undefined)({})).toBe(true);
  });

  it('sorts records by a key, missing last, ties in their order', () => {
    const rows: Array<{ id: string; v: JsonObject }> = [{ id: 'a', v: { loss: 2 } }, { id: 'b', v: {} }, { id: 'c', v: { loss: 1 } }, { id: 'd', v: { loss: 2 } }];
    expect(sortByKey(rows, (row) => row.v, parseSortSpec('loss')).map((row) => row.id)).toEqual(['c', 'a', 'd', 'b']);
    expect(sortByKey(rows, (row) => row.v, parseSortSpec('-loss')).map((row) => row.id)).toEqual(['a', 'd', 'c', 'b']);
  });

  it('sorts grouped rows by a column, and names the columns when the key is not one', () => {
    const names = ['epoch', 'mean(loss)'];
    expect(sortGroupRows(names, [[1, 3], [2, 1], [3, 3]], parseSortSpec('-mean(loss)'))).toEqual([[1, 3], [3, 3], [2, 1]]);
    expect(() => sortGroupRows(names, [], parseSortSpec('loss'))).toThrow('--by loss: with --group-by, sort by one of epoch, mean(loss)');
  });
});
