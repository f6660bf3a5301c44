import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/core/format.js';

describe('formatCount', () => {
  it.each([0, 7, 999, 1000, 12345, 1234567, -1234567, 10_000_000_000, Number.MAX_SAFE_INTEGER])('%d as en-US writes it', (n) => {
    expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
  });

  it('leaves what is not a whole safe number as String does', () => {
    expect(formatCount(1.5)).toBe('1.5');
    expect(formatCount(Number.NaN)).toBe('NaN');
  });
});
