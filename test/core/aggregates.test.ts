import { describe, expect, it } from 'vitest';
import { AGGREGATES, ROW_AGGREGATES, rowAggregateNamed } from '../../src/core/aggregates.js';

describe('aggregates', () => {
  it('are one list; rows add their sum; last and avg are other spellings', () => {
    expect(ROW_AGGREGATES).toEqual([...AGGREGATES, 'sum']);
    expect(['LAST', 'avg', 'Sum', 'count', 'median', 'constructor', '__proto__'].map(rowAggregateNamed)).toEqual(['latest', 'mean', 'sum', 'count', undefined, undefined, undefined]);
  });
});
