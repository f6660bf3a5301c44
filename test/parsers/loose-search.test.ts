/**
 * Issue 15, item 16: `--loose` finds the first JSON object of a line in time linear in the line.
 * Before, each `{` of a line of repeated `{"a":` was parsed again, MAX_DEPTH levels deep: 1 MB
 * took 19 s, 16 MiB would take 5 minutes. findFirstObject must still find exactly what trying
 * every `{` in turn finds: a property test holds it to that naive search.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findFirstObject, MAX_DEPTH, nestingDepth, parseObjectAt } from '../../src/parsers/json.js';
import type { JsonObject } from '../../src/core/types.js';
import { classifyLine } from '../../src/parsers/line.js';
import { bestTime } from '../helpers/limits.js';

/** The search as it was: parse at every `{` in turn. */
function naive(text: string): JsonObject | null {
  let from = text.indexOf('{');
  while (from !== -1) {
    try {
      return parseObjectAt(text, from).value;
    } catch {
      from = text.indexOf('{', from + 1);
    }
  }
  return null;
}

const TOKENS = ['{', '}', '[', ']', ':', ',', '"', '"a"', '"{"', '"{}"', '" {"', '1', '-2.5e3', 'true', 'NaN', '-Infinity', ' ', 'x', '\\"', '{}', '{"a":', '{"b": 1}', '"\\\\"', '\t'];

describe('loose search for the first object (issue 15, item 16)', () => {
  it('finds what parsing at every { in turn finds', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }), (parts) => {
      const text = parts.join('');
      expect(findFirstObject(text)).toEqual(naive(text));
    }), { numRuns: 3000 });
  });

  it('agrees on objects near and past the depth limit', () => {
    fc.assert(fc.property(fc.integer({ min: MAX_DEPTH - 3, max: MAX_DEPTH + 3 }), fc.integer({ min: 0, max: MAX_DEPTH + 3 }), fc.array(fc.constantFrom(...TOKENS), { maxLength: 8 }), (open, close, tail) => {
      const text = `x ${'{"a":'.repeat(open)}{}${'}'.repeat(close)}${tail.join('')}`;
      expect(findFirstObject(text)).toEqual(naive(text));
    }), { numRuns: 400 });
    const deep = `${'{"a":'.repeat(MAX_DEPTH)}1${'}'.repeat(MAX_DEPTH)}`;
    expect(findFirstObject(`{"z": ${deep}`)).toEqual(naive(`{"z": ${deep}`));
    expect(findFirstObject(`{"z": ${deep}}`)).toEqual(naive(`{"z": ${deep}}`));
  });

  it('takes time linear in the line: a line of repeated {"a": is scanned once, not once per {', () => {
    const line = `x ${'{"a":'.repeat(50_000)}`; // 250 KB
    expect(classifyLine(line, { loose: true }).objects).toEqual([]);
    const search = bestTime(() => classifyLine(line, { loose: true }));
    // A linear reference over the same text, measured here: the nesting counter reads every byte once.
    const reference = bestTime(() => { for (let i = 0; i < 10; i++) nestingDepth(line); }) / 10;
    expect(search / Math.max(reference, 0.05), `search ${search.toFixed(1)} ms, one linear pass ${reference.toFixed(2)} ms`).toBeLessThan(200);
  }, 120_000);
});
