import { describe, expect, it } from 'vitest';
import { numberFromText } from '../../src/core/numbers.js';

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
