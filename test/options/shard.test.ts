import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a, inputsOfShard, listHash, parseShard, shardOf } from '../../src/options/shard.js';

describe('--shard i/N', () => {
  it('parses i/N with 0 <= i < N, and says what is wrong otherwise', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard(' 0 / 1 ')).toEqual({ index: 0, count: 1 });
    expect(() => parseShard('3/3')).toThrow('--shard 3/3: i must be below N (shards are numbered 0 to 2)');
    expect(() => parseShard('0/0')).toThrow('--shard 0/0: N must be at least 1');
    expect(() => parseShard('-1/3')).toThrow("--shard: expected i/N with whole numbers, 0 <= i < N (e.g. 0/4), got '-1/3'");
    expect(() => parseShard('1')).toThrow(/expected i\/N/);
  });

  it('hashes names with 32-bit FNV-1a over UTF-8', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('puts every input in exactly one shard, whatever the order or the other names', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.string(), { maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (inputs, count) => {
      const shards = Array.from({ length: count }, (_, index) => inputsOfShard(inputs, { index, count }));
      expect(shards.flat().sort()).toEqual([...inputs].sort());
      for (const input of inputs) expect(inputsOfShard([...inputs].reverse(), { index: shardOf(input, count), count })).toContain(input);
    }));
  });

  it('tells input lists apart', () => {
    expect(listHash(['a', 'b'])).toBe(listHash(['a', 'b']));
    expect(listHash(['a', 'b'])).not.toBe(listHash(['b', 'a']));
    expect(listHash(['ab'])).not.toBe(listHash(['a', 'b']));
  });
});
