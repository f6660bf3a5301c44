/**
 * Every fast path against the plain parser, on fuzzed input:
 *  - parseCleanLine (JSON.parse on a clean line) against classifyLine, the full grammar;
 *  - LineReader (byte-level dismissal, clean-line fast path) against a plain reader that decodes
 *    every line holding a `{` and hands it to classifyLine;
 *  - LineReader with `keys` (the byte scanner of src/parsers/fast/partial.ts) against the full parse
 *    restricted to those keys;
 *  - tooDeep (depth from the parsed value) against nestingDepth (depth from the text).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, MAX_DEPTH, nestingDepth, parseJsonObject } from '../../../src/parsers/json.js';
import { classifyLine, parseCleanLine, tooDeep } from '../../../src/parsers/line.js';
import { flattenValues, forEachLeaf } from '../../../src/parsers/metadata.js';
import { topLevelKeysFor } from '../../../src/parsers/fast/partial.js';
import { DecimalReader } from '../../../src/parsers/fast/decimal.js';
import { LineReader, type ReadOptions } from '../../../src/parsers/source.js';
import { anyLine, KEYS, NOW, plainRead, tree } from '../../helpers/log-lines.js';
import { brokenLine } from './broken-lines.js';
import { comparable as normalise, pythonDumps as dumps } from '../../helpers/python-json.js';
import type { Diagnostic, MetadataRecord } from '../../../src/core/types.js';

const RUNS = 10_000;

function fastRead(input: Buffer, cuts: number[], options: ReadOptions = {}): { records: MetadataRecord[]; diagnostics: Diagnostic[] } {
  const records: MetadataRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const reader = new LineReader('x', { record: (r) => records.push(r), diagnostic: (d) => diagnostics.push(d) }, { ...options, now: () => NOW });
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.min(c, input.length)))].sort((a, b) => a - b)) {
    reader.push(input.subarray(from, cut));
    from = cut;
  }
  reader.push(input.subarray(from));
  reader.end();
  return { records, diagnostics };
}

const comparable = (result: { records: MetadataRecord[]; diagnostics: Diagnostic[] }) => ({
  records: result.records.map((r) => [r.line, r.time, normalise(r.values), Object.getPrototypeOf(r.values) === Object.prototype]),
  diagnostics: result.diagnostics,
});

/**
 * The whole-segment rule as first written: JSON.parse, a depth check on the text, then the
 * NaN-aware parser for what JSON.parse rejects. classifyLine now skips JSON.parse for Python's
 * NaN tokens and for Python dict prints; it must still say exactly this.
 */
function referenceSegment(segment: string): { objects: unknown[]; rejected: string[] } {
  const body = segment.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  if (body.charCodeAt(0) !== 0x7b) return { objects: [], rejected: [] };
  try {
    const value = JSON.parse(body) as unknown;
    if (body.length > 2 * MAX_DEPTH && nestingDepth(body) > MAX_DEPTH) return { objects: [], rejected: [`nested deeper than ${MAX_DEPTH} levels`] };
    return { objects: [value], rejected: [] };
  } catch {
    // fall through to the NaN-aware parser
  }
  try {
    return { objects: [parseJsonObject(body)], rejected: [] };
  } catch (error) {
    if (body.charCodeAt(1) !== 0x22 && !/^\{\s*"/.test(body)) return { objects: [], rejected: [] };
    const start = segment.length - segment.replace(/^[ \t\n\v\f\r]+/, '').length;
    return { objects: [], rejected: [`not valid JSON (${(error as JsonSyntaxError).message} at column ${start + (error as JsonSyntaxError).offset + 1})`] };
  }
}

describe('fast paths agree with the plain parser', () => {
  it('classifyLine on one plain segment says what the original JSON.parse-first rule said (--dialect json)', () => {
    const plain = anyLine.filter((line) => !/[\r\x1b\x9b]/.test(line) && !/^\d/.test(line));
    fc.assert(
      fc.property(plain, (line) => {
        const got = classifyLine(line, { dialects: new Set(['json']) });
        const want = referenceSegment(line);
        expect({ objects: got.objects.map(normalise), rejected: got.rejected }).toEqual({ objects: want.objects.map(normalise), rejected: want.rejected });
      }),
      { numRuns: RUNS },
    );
  });

  it('parseCleanLine returns what classifyLine finds, or defers', () => {
    fc.assert(
      fc.property(anyLine, (line) => {
        const fast = parseCleanLine(line);
        if (fast === undefined) return;
        const full = classifyLine(line);
        expect(full.rejected).toEqual([]);
        expect(full.objects.map(normalise)).toEqual([normalise(fast)]);
      }),
      { numRuns: RUNS },
    );
  });

  it('a NaN inside a string does not change the depth rule at its edge', () => {
    for (const depth of [MAX_DEPTH, MAX_DEPTH + 1, MAX_DEPTH + 2]) {
      for (const inner of ['{}', '[]', '1', 'NaN']) {
        // The outer object, depth - 2 nested ones, and the inner value: `{}` or `[]` makes it `depth` deep.
        const line = `{"note": "NaN", "a": ${'{"a": '.repeat(depth - 2)}${inner}${'}'.repeat(depth - 2)}}`;
        const got = classifyLine(line);
        const want = referenceSegment(line);
        expect({ objects: got.objects.map(normalise), rejected: got.rejected }).toEqual({ objects: want.objects.map(normalise), rejected: want.rejected });
      }
    }
  });

  it('LineReader reads what a plain line-by-line reader reads, in any chunking', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 6 }), fc.array(fc.nat(600), { maxLength: 3 }), fc.boolean(), (lines, cuts, loose) => {
        const input = Buffer.from(lines.join('\n'));
        expect(comparable(fastRead(input, cuts, { loose }))).toEqual(comparable(plainRead(input, { loose })));
      }),
      { numRuns: RUNS },
    );
  });

  it('with keys, records are the full records restricted to those keys', () => {
    const keySets = fc.oneof(
      fc.constantFrom(['accuracy'], ['accuracy', 'step', 'epoch'], ['val.loss'], ['_time'], ['__proto__', 'constructor'], ['10', '2'], ['naïve'], ['\ufffd'], ['vh_metadata'], [] as string[]),
      fc.array(fc.constantFrom(...KEYS), { maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 6 }), keySets, fc.array(fc.nat(600), { maxLength: 2 }), fc.boolean(), (lines, names, cuts, loose) => {
        const keys = topLevelKeysFor(names);
        const input = Buffer.from(lines.join('\n'));
        expect(comparable(fastRead(input, cuts, { keys, loose }))).toEqual(comparable(plainRead(input, { keys, loose })));
      }),
      { numRuns: RUNS },
    );
  });

  it('with keys and --dialect json, where no prefix or bar hides a second record, records are the full records restricted to those keys', () => {
    const dialects = new Set(['json'] as const);
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 6 }), fc.array(fc.constantFrom(...KEYS), { maxLength: 3 }), fc.array(fc.nat(600), { maxLength: 2 }), (lines, names, cuts) => {
        const keys = topLevelKeysFor(names);
        const input = Buffer.from(lines.join('\n'));
        expect(comparable(fastRead(input, cuts, { keys, dialects }))).toEqual(comparable(plainRead(input, { keys, dialects })));
      }),
      { numRuns: 3000 },
    );
  });

  it('with keys, a line with one bracket swapped or one separator dropped or doubled is read as the grammar reads it', () => {
    fc.assert(
      fc.property(fc.array(brokenLine, { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom(...KEYS), { maxLength: 3 }), (lines, names) => {
        const keys = topLevelKeysFor(names);
        const input = Buffer.from(lines.join('\n'));
        expect(comparable(fastRead(input, [], { keys }))).toEqual(comparable(plainRead(input, { keys })));
      }),
      { numRuns: 3000 },
    );
  });

  it('tooDeep agrees with the text nesting depth', () => {
    const nested = fc.tuple(fc.nat(MAX_DEPTH + 5), fc.nat(MAX_DEPTH + 5), tree.value).map(([objects, arrays, inner]) => {
      let line = dumps(inner);
      for (let i = 0; i < arrays; i++) line = `[${line}, 1]`;
      for (let i = 0; i < objects; i++) line = `{"k${i % 3}": ${line}, "s": "{[{["}`;
      return `{"a": ${line}}`;
    });
    fc.assert(
      fc.property(nested, (line) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          return;
        }
        expect(tooDeep(value, line)).toBe(nestingDepth(line) > MAX_DEPTH);
      }),
      { numRuns: 2000 },
    );
  });

  it('DecimalReader converts JSON number tokens exactly as Number does', () => {
    const decimals = new DecimalReader();
    const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const token = fc
      .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 20)).map(([a, b]) => a + b)), fc.option(digits(1, 25)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))))
      .map(([minus, whole, fraction, exponent]) => `${minus ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`);
    const printed = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x));
    fc.assert(
      fc.property(fc.oneof(token, printed), fc.nat(3), (text, pad) => {
        const bytes = Buffer.from(`${' '.repeat(pad)}${text},`);
        expect(Object.is(decimals.value(bytes, pad, pad + text.length), Number(text))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('forEachLeaf visits exactly what flattenValues holds, in order', () => {
    fc.assert(
      fc.property(tree.object, (object) => {
        const visited: Array<[string, unknown]> = [];
        forEachLeaf(object, (name, value) => visited.push([name, normalise(value)]));
        expect(visited).toEqual([...flattenValues(object)].map(([name, value]) => [name, normalise(value)]));
      }),
      { numRuns: RUNS },
    );
    const visited: string[] = [];
    forEachLeaf(JSON.parse('{"a.b": 1, "a": {"b": 2}, "c": [1]}'), (name) => visited.push(name));
    expect(visited).toEqual(['a.b', 'c']);
  });

  it('topLevelKeysFor keeps every dotted prefix', () => {
    expect([...topLevelKeysFor(['val.loss.top1', 'accuracy'])]).toEqual(['val.loss.top1', 'val', 'val.loss', 'accuracy']);
  });
});
