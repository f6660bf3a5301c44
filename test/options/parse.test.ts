import { describe, expect, it } from 'vitest';
import { collect, collectKeys, parseNumber, parseWholeNumber } from '../../src/options/parse.js';

describe('flag value parsers', () => {
  it('collects repeated flags in order', () => {
    expect(collect('b', collect('a', undefined))).toEqual(['a', 'b']);
  });

  it('reads whole numbers written in digits, at least the least', () => {
    expect(parseWholeNumber('--top')('3')).toBe(3);
    expect(parseWholeNumber('--height', 2)(' 12 ')).toBe(12);
    expect(() => parseWholeNumber('--top')('0')).toThrow("--top: expected a positive whole number, got '0'");
    expect(() => parseWholeNumber('--height', 2)('1')).toThrow("--height: expected a whole number >= 2, got '1'");
    for (const text of ['1e1', '0x10', '2.5', '-1', '', ' ']) expect(() => parseWholeNumber('--width', 0)(text)).toThrow('--width');
  });

  it('reads numbers that pass a test', () => {
    expect(parseNumber('--min-delta', 'a number')('-0.5')).toBe(-0.5);
    expect(() => parseNumber('--min-delta', 'a number')('x')).toThrow("--min-delta: expected a number, got 'x'");
  });

  it('reads --keys as every command does: split, trimmed, metadata. dropped, each once', () => {
    expect(collectKeys('metadata.loss, acc', collectKeys('loss', undefined))).toEqual(['loss', 'acc']);
    expect(() => collectKeys(' , ', undefined)).toThrow("--keys: expected key names separated by commas, got ' , '");
  });
});
