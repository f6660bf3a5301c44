import { describe, expect, it } from 'vitest';
import { sortExecutions } from '../../src/analyse/sort.js';
import { renderSort } from '../../src/render/sort.js';
import { execution as run, rankingRuns } from '../helpers/executions.js';

describe('sort rendering', () => {
  const runs = rankingRuns();

  it('writes JSON rows with execution and one property per key, NaN as null', () => {
    const rows = sortExecutions(runs, 'acc', 'latest', false);
    const json = JSON.parse(renderSort({ rows, key: 'acc', aggregate: 'latest', others: ['loss'], hidden: 0 }, 'json', { color: false, width: 80 }));
    expect(json[3]).toEqual({ execution: 'nan', acc: null, loss: null });
    expect(json[4]).toEqual({ execution: 'none', acc: null, loss: 1 });
  });

  it('escapes hostile execution names and keys in text', () => {
    const hostile = [run('\x1b[2Jevil.log', [{ 'k\u202e': 1 }])];
    const text = renderSort({ rows: sortExecutions(hostile, 'k\u202e', 'latest', false), key: 'k\u202e', aggregate: 'latest', others: [], hidden: 0 }, 'text', { color: false, width: 80 });
    expect(text).not.toMatch(/[\x1b\u202e]/);
    expect(text).toContain('\\x1b[2Jevil.log');
  });
});
