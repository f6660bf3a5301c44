import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyLine, parseCleanLine } from '../../src/parsers/line.js';
import { LineReader } from '../../src/parsers/source.js';
import type { JsonObject, JsonValue, MetadataRecord } from '../../src/core/types.js';
import { pythonDumps } from '../helpers/python-json.js';


const number = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity), fc.integer());
const leaf = fc.oneof(number, fc.string(), fc.boolean(), fc.constant(null));
const jsonValue = fc.letrec<{ value: JsonValue; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('value'), { maxLength: 4 }), tie('object')),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', '_time')), tie('value'), { maxKeys: 5 }),
}));

/**
 * A comparable form: NaN and ±Infinity spelled out, key order kept (as [key, value] pairs).
 * Structural, so a string "NaN" stays a string (a textual replace turned `"NaN"` into `""NaN""`).
 */
function normalise(value: unknown): unknown {
  // -0 prints as 0 (JSON.stringify), so it reads back as 0: the two count as equal here.
  if (typeof value === 'number') return Number.isFinite(value) ? value + 0 : `number:${String(value)}`;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(normalise);
  return Object.keys(value).map((key) => [key, normalise((value as Record<string, unknown>)[key])]);
}

describe('grammar properties', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.boolean(), (text, loose) => {
        const result = classifyLine(text, { loose });
        expect(Array.isArray(result.objects)).toBe(true);
      }),
      { numRuns: 10_000 },
    );
  });

  it('never throws on arbitrary bytes, in any chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, cut) => {
        const reader = new LineReader('x', { record: () => {}, diagnostic: () => {} }, { maxLineBytes: 64 });
        const buffer = Buffer.from(bytes);
        reader.push(buffer.subarray(0, cut));
        reader.push(buffer.subarray(cut));
        reader.end();
      }),
      { numRuns: 10_000 },
    );
  });

  it('random objects printed as Python prints them come back equal', () => {
    fc.assert(
      fc.property(jsonValue.object, (object) => {
        const line = pythonDumps(object);
        const [parsed, ...rest] = classifyLine(line).objects;
        expect(rest).toEqual([]);
        expect(normalise(parsed)).toEqual(normalise(object));
        expect(Object.keys(parsed!)).toEqual(Object.keys(object));
      }),
      { numRuns: 10_000 },
    );
  });

  it('the fast path agrees with the full grammar', () => {
    const line = fc.oneof(jsonValue.object.map(pythonDumps), fc.string({ maxLength: 60 }).map((s) => `{${s}}`), fc.string({ maxLength: 80 }));
    fc.assert(
      fc.property(line, (text) => {
        const fast = parseCleanLine(text);
        if (fast !== undefined) expect(normalise(fast)).toEqual(normalise(classifyLine(text).objects[0]));
      }),
      { numRuns: 10_000 },
    );
  });

  it('records do not depend on how the input is chunked', () => {
    const lineArb = fc.oneof(jsonValue.object.map(pythonDumps), fc.string({ maxLength: 30 }), fc.constant('\r\n'), fc.constant('{"a": 1}\r{"b": 2}'));
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 10 }), fc.array(fc.nat(400), { maxLength: 4 }), (lines, cuts) => {
        const text = Buffer.from(lines.join('\n'));
        const read = (parts: Buffer[]) => {
          const records: MetadataRecord[] = [];
          const reader = new LineReader('x', { record: (r) => records.push(r), diagnostic: () => {} }, { now: () => 0 });
          for (const part of parts) reader.push(part);
          reader.end();
          return records.map((r) => [r.line, normalise(r.values)]);
        };
        const points = [...new Set(cuts.map((c) => Math.min(c, text.length)))].sort((a, b) => a - b);
        const parts: Buffer[] = [];
        let from = 0;
        for (const p of points) { parts.push(text.subarray(from, p)); from = p; }
        parts.push(text.subarray(from));
        expect(read(parts)).toEqual(read([text]));
      }),
      { numRuns: 10_000 },
    );
  });
});
