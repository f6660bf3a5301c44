import { describe, expect, it } from 'vitest';
import { GroupBuilder, parseAggregates, parseSortSpec } from '../../src/analyse/table.js';

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
});
