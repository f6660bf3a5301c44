/**
 * Every bundled fixture yields exactly the number of metadata records its generator
 * meant to write (fixtures/expected.json, counted by the generator's own reference reader of the
 * JSON grammar), under `--dialect json` and under --loose; the other dialects add exactly the
 * records listed in DIALECT_EXTRAS; and the specific things each fixture exists to exercise come out right.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../src/parsers/source.js';
import type { Diagnostic, MetadataRecord } from '../../src/core/types.js';
import { ROOT } from '../helpers/run-cli.js';
import { wideLog } from '../../scripts/make-fixtures.mjs';
import type { Dialect } from '../../src/parsers/dialects/dialects.js';

const JSON_ONLY: ReadonlySet<Dialect> = new Set(['json']);

const expected = JSON.parse(readFileSync(join(ROOT, 'fixtures/expected.json'), 'utf8')) as Record<string, { default: number; loose: number; generated?: boolean }>;

/**
 * Records the dialects besides JSON add, by fixture (checked by hand against the files):
 * tqdm.log has one Python dict print, `{'lr': 0.01, 'momentum': 0.9}`, and `INFO:root:{"a": 1}`,
 * Python logging's prefix. keras.log adds none: its
 * Keras progress bars are only progress, since the job prints each epoch's metadata as JSON itself.
 */
const DIALECT_EXTRAS: Record<string, number> = { 'tqdm.log': 2 };

function read(bytes: Buffer, loose: boolean, dialects: ReadonlySet<Dialect> | 'all' = JSON_ONLY) {
  const records: MetadataRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const reader = new LineReader('f', { record: (r) => records.push(r), diagnostic: (d) => diagnostics.push(d) }, { loose, now: () => 0, ...(dialects === 'all' ? {} : { dialects }) });
  // Odd chunk sizes, so lines straddle chunk boundaries as they do in a pipe.
  for (let i = 0; i < bytes.length; i += 4093) reader.push(bytes.subarray(i, i + 4093));
  reader.end();
  return { records, diagnostics };
}

function bytesOf(name: string, generated?: boolean): Buffer {
  if (generated && name === 'malformed/wide.log') return Buffer.from(wideLog());
  return readFileSync(join(ROOT, 'fixtures', name));
}

describe('fixtures', () => {
  it.each(Object.entries(expected))('%s has the expected record count', (name, counts) => {
    const bytes = bytesOf(name, counts.generated);
    expect(read(bytes, false).records).toHaveLength(counts.default);
    expect(read(bytes, true).records).toHaveLength(counts.loose);
    expect(read(bytes, false, 'all').records).toHaveLength(counts.default + (DIALECT_EXTRAS[name] ?? 0));
  });

  it('timestamps.log: the prefix becomes _time, and an own _time wins', () => {
    const { records } = read(bytesOf('timestamps.log'), false);
    expect(records.every((r) => r.time.startsWith('2026-11-22T'))).toBe(true);
    expect(records.some((r) => r.time === '2026-11-22T09:00:00.500Z')).toBe(true);
    expect(records.every((r) => !Object.hasOwn(r.values, '_time'))).toBe(true);
  });

  it('nan.log: Python NaN and Infinity are numbers, vh_metadata is unwrapped, __proto__ stays data', () => {
    const { records } = read(bytesOf('nan.log'), false);
    const numbers = records.flatMap((r) => Object.values(r.values)).filter((v): v is number => typeof v === 'number');
    expect(numbers.some(Number.isNaN)).toBe(true);
    expect(numbers.includes(Infinity)).toBe(true);
    expect(records.some((r) => Object.keys(r.values).includes('vh_metadata'))).toBe(false);
    expect(records.some((r) => Object.hasOwn(r.values, '__proto__'))).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('truncated.log and deep.log warn with the line instead of losing data silently', () => {
    expect(read(bytesOf('malformed/truncated.log'), false).diagnostics.length).toBeGreaterThan(0);
    const deep = read(bytesOf('malformed/deep.log'), false).diagnostics;
    expect(deep).toHaveLength(1);
    expect(deep[0]!.message).toMatch(/nested deeper than 100 levels/);
  });
});
