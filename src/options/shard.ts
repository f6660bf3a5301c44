/**
 * `--shard i/N`: a stable share of the inputs, so N workers given the same list split it without
 * talking to each other (issue 17). An input belongs to shard `fnv1a(name) mod N`, its name as
 * given on the command line (after the shell's globbing): the same name lands in the same shard on
 * every machine, whatever the order of the list or the other names in it.
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors.js';

export interface Shard {
  /** 0 ≤ index < count. */
  index: number;
  count: number;
}

/** Parses `i/N`, both whole numbers, 0 ≤ i < N. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (match === null) throw new UsageError(`--shard: expected i/N with whole numbers, 0 <= i < N (e.g. 0/4), got '${text}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || !Number.isSafeInteger(count)) throw new UsageError(`--shard ${text}: N must be at least 1`);
  if (index >= count) throw new UsageError(`--shard ${text}: i must be below N (shards are numbered 0 to ${count - 1})`);
  return { index, count };
}

/** 32-bit FNV-1a of the name's UTF-8 bytes. */
export function fnv1a(name: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard an input belongs to among `count`. */
export function shardOf(name: string, count: number): number {
  return fnv1a(name) % count;
}

/** The inputs of one shard, in their order. */
export function inputsOfShard(inputs: readonly string[], shard: Shard): string[] {
  return inputs.filter((input) => shardOf(input, shard.count) === shard.index);
}

/** A short hash of the whole input list, in order: parts of one list carry the same. */
export function listHash(inputs: readonly string[]): string {
  const hash = createHash('sha1');
  for (const input of inputs) hash.update(input).update('\0');
  return hash.digest('base64url').slice(0, 16);
}
