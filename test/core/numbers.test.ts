import { describe, expect, it } from 'vitest';
import { maxOf, numberFromText } from '../../src/core/numbers.js';

describe('numberFromText: a numeric string as Python float() reads it', () => {
  it.each([
    ['0.6931', 0.6931], ['5e-05', 5e-5], ['+1', 1], ['.5', 0.5], ['1.', 1], [' 42 ', 42], ['-0', -0], ['1E3', 1000],
    ['inf', Infinity], ['-Infinity', -Infinity], ['INF', Infinity],
  ])('%j is %d', (text, value) => {
    expect(numberFromText(text)).toBe(value);
  });

  it('reads nan as NaN, and leaves non-finite words alone when asked', () => {
    expect(numberFromText('nan')).toBeNaN();
    expect(numberFromText('nan', false)).toBeUndefined();
    expect(numberFromText('inf', false)).toBeUndefined();
    expect(numberFromText('2.5', false)).toBe(2.5);
  });

  it.each(['', 'adam', '1_000', '0x1f', '1e', '--1', 'nan1', '1 2', 'e5'])('%j is no number', (text) => {
    expect(numberFromText(text)).toBeUndefined();
  });
});

describe('maxOf', () => {
  it('is the largest value, or the floor', () => {
    expect(maxOf([3, 9, 2])).toBe(9);
    expect(maxOf([3, 9, 2], 10)).toBe(10);
    expect(maxOf([], 5)).toBe(5);
    expect(maxOf([])).toBe(-Infinity);
  });

  it('takes inputs far past what Math.max(...values) can spread (issue 15, item 14)', () => {
    const values = Array.from({ length: 1_000_000 }, (_, i) => i % 977);
    expect(() => Math.max(...values)).toThrow(RangeError);
    expect(maxOf(values)).toBe(976);
  });
});
