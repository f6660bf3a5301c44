import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getPath, normalizeKey, parseKeyGroups, parseKeyList, STEP_KEYS, stepKeyOf, stepOf } from '../../src/core/keys.js';
import type { JsonObject } from '../../src/core/types.js';

describe('key vocabulary', () => {
  it('drops Valohai\'s metadata. prefix, but not from a key that is only the prefix', () => {
    expect(normalizeKey(' metadata.val.loss ')).toBe('val.loss');
    expect(normalizeKey('metadata.')).toBe('metadata.');
    expect(parseKeyList(['a,metadata.b', 'a , c,'])).toEqual(['a', 'b', 'c']);
  });

  it('finds flat dotted keys first, then nested paths, never a prototype', () => {
    const values: JsonObject = JSON.parse('{"val.loss": 1, "val": {"loss": 2, "acc": 3}, "__proto__": {"x": 4}}');
    expect(getPath(values, 'val.loss')).toBe(1);
    expect(getPath(values, 'val.acc')).toBe(3);
    expect(getPath(values, '__proto__.x')).toBe(4);
    expect(getPath(values, 'constructor')).toBeUndefined();
  });

  it('stepOf, written out for speed, takes the first finite own STEP_KEYS number, as stepKeyOf names it', () => {
    const entry = fc.oneof(fc.constant(undefined), fc.double(), fc.string(), fc.constant(null));
    fc.assert(fc.property(fc.tuple(...STEP_KEYS.map(() => entry)), fc.integer({ min: 1 }), (entries, ordinal) => {
      const values: JsonObject = {};
      STEP_KEYS.forEach((key, i) => { if (entries[i] !== undefined) values[key] = entries[i] as JsonObject[string]; });
      const key = stepKeyOf(values);
      expect(stepOf(values, ordinal)).toBe(key === undefined ? ordinal : values[key]);
    }));
  });
});

describe('parseKeyGroups', () => {
  it('puts keys joined by + on one chart, each name normalised', () => {
    expect(parseKeyGroups(['loss+metadata.val_loss', 'accuracy', ' a + b +', '+'])).toEqual([['loss', 'val_loss'], ['accuracy'], ['a', 'b']]);
  });
});
