import { describe, expect, it } from 'vitest';
import { sortExecutions } from '../../src/analyse/sort.js';
import { renderSort } from '../../src/render/sort.js';
import { summarizeRecords } from '../../src/analyse/summary.js';
import type { JsonObject } from '../../src/core/types.js';

const run = (name: string, values: JsonObject[]) => summarizeRecords(name, values.map((v, i) => ({ values: v, time: '', source: name, line: i + 1 })));

describe('sort rendering', () => {
  const runs = [
    run('a', [{ acc: 0.5 }, { acc: 0.7 }]),
    run('none', [{ loss: 1 }]),
    run('b', [{ acc: 0.9 }, { acc: 0.6 }]),
    run('nan', [{ acc: Number.NaN }]),
    run('c', [{ acc: 0.7 }]),
  ];

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
