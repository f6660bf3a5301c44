/**
 * Every fast path against the plain parser, on fuzzed input:
 *  - parseCleanLine (JSON.parse on a clean line) against classifyLine, the full grammar;
 *  - LineReader (byte-level dismissal, clean-line fast path) against a plain reader that decodes
 *    every line holding a `{` and hands it to classifyLine;
 *  - LineReader with `keys` (the byte scanner of src/parsers/partial.ts) against the full parse
 *    restricted to those keys;
 *  - tooDeep (depth from the parsed value) against nestingDepth (depth from the text).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, MAX_DEPTH, nestingDepth, parseJsonObject } from '../src/parsers/json.js';
import { classifyLine, parseCleanLine, tooDeep } from '../src/parsers/line.js';
import { flattenValues, forEachLeaf, toRecord } from '../src/parsers/metadata.js';
import { numberValue, restrictKeys, topLevelKeysFor } from '../src/parsers/partial.js';
import { LineReader, type ReadOptions } from '../src/source.js';
import { comparable as normalise, pythonDumps as dumps } from './helpers/python-json.js';
import type { Diagnostic, JsonObject, JsonValue, MetadataRecord } from '../src/types.js';

const RUNS = 10_000;
const NOW = Date.parse('2026-11-23T12:00:00.000Z');



const KEYS = ['accuracy', 'loss', 'step', 'epoch', 'val', 'val.loss', '_time', 'vh_metadata', '__proto__', 'constructor', '10', '2', 'naïve', 'a\u009bb', '\ufffd'];
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) });
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.1, 1e21, 1e-7, 123456789012345680000));
const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('2017-04-04T15:03:39.321000', 'soon', '\x1b[31mred', 'a\u009bb', '"q"\\', 'NaN'));
const leaf = fc.oneof(number, text, fc.boolean(), fc.constant(null));
const tree = fc.letrec<{ value: JsonValue; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, leaf, fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
}));

/** Lines near the interesting boundaries: valid records in several spellings, and the ways they break. */
const recordLine = fc
  .tuple(tree.object, fc.constantFrom<[string, string]>([', ', ': '], [',', ':'], [' ,\t', ' : '], [',  ', ':']), fc.nat(100))
  .map(([object, [comma, colon], roll]) => {
    const line = dumps(object, comma, colon);
    if (roll < 55) return line;
    if (roll < 60) return `{"vh_metadata": ${line}}`;
    if (roll < 64) return `2026-11-22T10:00:01.5Z ${line}`;
    if (roll < 67) return `\x1b[32m${line}\x1b[0m`;
    if (roll < 70) return `  ${line}\t`;
    if (roll < 73) return `${line}\r`;
    if (roll < 75) return `progress 3%\r${line}`;
    if (roll < 78) return line.replace(/"/g, (q, at: number) => (at % 7 === 1 ? '\\u0022' : q));
    if (roll < 81) return line.slice(0, Math.max(1, line.length - 1 - (roll % 4)));
    if (roll < 84) return `${line.slice(0, -1)}, "accuracy": ${roll % 2 ? 'NaN' : '0.5'}}`;
    if (roll < 87) return `${line}${line}`;
    if (roll < 89) return `INFO:root:${line}`;
    if (roll < 91) return line.replace(/\d/, 'x');
    if (roll < 93) return `{"accuracy": 1, "accuracy": 2, "loss": {"a": [1, {"b": ${line}}]}}`;
    if (roll < 95) return `${'{"val": '.repeat(MAX_DEPTH - 2 + (roll % 4))}${line}${'}'.repeat(MAX_DEPTH - 2 + (roll % 4))}`;
    return line.replace(/: /, ':\u00a0');
  });
const anyLine = fc.oneof({ weight: 6, arbitrary: recordLine }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => `{${s}}`) });

/** The plain reader: split at \n, drop one trailing \r, decode every line with a `{`, classify it. */
function plainRead(input: Buffer, options: ReadOptions = {}): { records: MetadataRecord[]; diagnostics: Diagnostic[] } {
  const records: MetadataRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const readTime = new Date(NOW).toISOString();
  let bytes = input;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const last = end === -1;
    if (last) end = bytes.length;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 0x0d) stop--;
    if (bytes.subarray(start, end).indexOf(0x7b) !== -1) {
      const classified = classifyLine(bytes.toString('utf8', start, stop), options);
      for (const object of classified.objects) {
        const record = toRecord(object, 'x', line, classified.prefixTime, readTime);
        if (options.keys) record.values = restrictKeys(record.values, options.keys);
        records.push(record);
      }
      for (const reason of classified.rejected) diagnostics.push({ source: 'x', line, message: `looks like metadata but is ${reason}, skipped` });
    }
    line++;
    start = end + 1;
  }
  return { records, diagnostics };
}

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
  it('classifyLine on one plain segment says what the original JSON.parse-first rule said', () => {
    const plain = anyLine.filter((line) => !/[\r\x1b\x9b]/.test(line) && !/^\d/.test(line));
    fc.assert(
      fc.property(plain, (line) => {
        const got = classifyLine(line);
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

  it('numberValue converts JSON number tokens exactly as Number does', () => {
    const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));
    const token = fc
      .tuple(fc.boolean(), fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 20)).map(([a, b]) => a + b)), fc.option(digits(1, 25)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))))
      .map(([minus, whole, fraction, exponent]) => `${minus ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}${exponent === null ? '' : exponent.join('')}`);
    const printed = fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x));
    fc.assert(
      fc.property(fc.oneof(token, printed), fc.nat(3), (text, pad) => {
        const bytes = Buffer.from(`${' '.repeat(pad)}${text},`);
        expect(Object.is(numberValue(bytes, pad, pad + text.length), Number(text))).toBe(true);
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
