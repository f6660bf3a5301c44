import { describe, expect, it } from 'vitest';
import { sortExecutions, sortOrder, type SortView } from '../../src/analyse/sort.js';
import { renderSort, sortCaption } from '../../src/render/sort.js';
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

  it('says under the text table which way it sorted and why, and nothing of it in json, csv or markdown', () => {
    const order = sortOrder('acc', 'latest', {});
    const view: SortView = { rows: sortExecutions(runs, 'acc', 'latest', order.ascending), key: 'acc', aggregate: 'latest', others: [], hidden: 0, order };
    const text = renderSort(view, 'text', { color: false, width: 100 });
    expect(text.split('\n')).toContain('sorted by acc, highest first: higher is better');
    expect(text.indexOf('sorted by')).toBeGreaterThan(text.indexOf('nan'));
    const coloured = renderSort(view, 'text', { color: true, width: 100 });
    expect(coloured).toContain('\x1b[2msorted by acc, highest first: higher is better\x1b[22m');
    for (const format of ['json', 'csv', 'markdown'] as const) expect(renderSort(view, format, { color: false, width: 100 })).not.toContain('sorted by');
  });

  it('words every reason for an order', () => {
    expect(sortCaption('min(val_loss)', 'val_loss', sortOrder('val_loss', 'min', {}))).toBe('sorted by min(val_loss), lowest first: lower is better');
    expect(sortCaption('lr', 'lr', sortOrder('lr', 'latest', {}))).toBe('sorted by lr, highest first: no direction known for lr; --asc, --higher-is-better or --lower-is-better to choose');
    expect(sortCaption('loss', 'loss', sortOrder('loss', 'latest', { desc: true }))).toBe('sorted by loss, highest first (--desc); lower is better');
    expect(sortCaption('lr', 'lr', sortOrder('lr', 'latest', { asc: true }))).toBe('sorted by lr, lowest first (--asc)');
  });
});
