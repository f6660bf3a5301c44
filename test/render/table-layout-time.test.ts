/**
 * Issue 15, item 16: a text table's layout is O(n log n) in its columns. `sort --keys all` over
 * 80,000 keys took 19 s (1M: over two minutes), because fitting the table to the terminal summed
 * every column's width once per column shrunk or dropped. Timed at n and 4n in the same test.
 */
import { describe, expect, it } from 'vitest';
import { layoutTextTable, type Column } from '../../src/render/table.js';
import { growthOf } from '../helpers/limits.js';

function layout(n: number): void {
  const columns: Column[] = [{ header: 'execution', name: true, cut: 'start' }];
  const row: string[] = ['run-1.log'];
  for (let i = 0; i < n; i++) {
    columns.push({ header: `key_${i}` });
    row.push(String(i * 7));
  }
  const { head, foot } = layoutTextTable(columns, [row], { color: false, maxWidth: 100 });
  if (!head.startsWith('execution') || !foot.includes('more columns not shown')) throw new Error('unexpected layout');
}

describe('text table layout time (issue 15, item 16)', () => {
  it('grows linearly (n log n) with the number of columns, not quadratically', () => {
    const { small, large, ratio } = growthOf(layout, 20_000);
    expect(ratio, `20k columns ${small.toFixed(0)} ms, 80k ${large.toFixed(0)} ms`).toBeLessThan(8);
  }, 120_000);

  it('keeps the widest-first order when shrinking: the same widths as before', () => {
    const columns: Column[] = [{ header: 'a' }, { header: 'b' }, { header: 'c' }];
    const text = layoutTextTable(columns, [['x'.repeat(30), 'y'.repeat(20), 'z'.repeat(30)]], { color: false, maxWidth: 50 });
    // 30 + 20 + 30 + 4 = 84 > 50: a (the leftmost widest) goes to 12, then c to 14.
    expect(text.head.split('\n')[1]).toBe(`${'─'.repeat(12)}  ${'─'.repeat(20)}  ${'─'.repeat(14)}`);
  });
});
