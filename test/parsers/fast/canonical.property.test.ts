/**
 * `vizmeta extract` copies clean lines straight from the input (src/parsers/fast/canonical.ts). On
 * fuzzed logs in random chunks its output must be, byte for byte, what the plain definition
 * prints: every record the full grammar finds, as JSON.stringify (or the --nan style) prints the
 * parsed values with `_time` (and `_source`, or `_source` and `_line`) added, in every SourceFields
 * mode: none (one input), source (several inputs), source+line (--with-source).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runExtract, type ExtractOptions } from '../../../src/commands/extract.js';
import type { CommandIO } from '../../../src/core/io.js';
import { JsonLineWriter, type SourceFields } from '../../../src/parsers/fast/canonical.js';
import { toJsonLine, type NonFiniteStyle } from '../../../src/render/json.js';
import type { JsonValue, MetadataRecord } from '../../../src/core/types.js';
import { anyLine, NOW, plainRead } from '../../helpers/log-lines.js';
import { brokenLine } from './broken-lines.js';
import { pythonDumps } from '../../helpers/python-json.js';

const MODES: readonly SourceFields[] = ['none', 'source', 'source+line'];

function referenceLine(record: MetadataRecord, fields: SourceFields, nan: NonFiniteStyle): string {
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(record.values)) {
    Object.defineProperty(out, key, { value: record.values[key], writable: true, enumerable: true, configurable: true });
  }
  out['_time'] = record.time;
  if (fields !== 'none') out['_source'] = '-';
  if (fields === 'source+line') out['_line'] = record.line;
  return toJsonLine(out, nan);
}

/** A second input that holds no records: with it, stdin is one of several inputs and gets `_source` alone. */
let emptyLog = '';
beforeAll(() => {
  emptyLog = join(mkdtempSync(join(tmpdir(), 'vizmeta-canonical-')), 'empty.log');
  writeFileSync(emptyLog, '');
});
afterAll(() => rmSync(join(emptyLog, '..'), { recursive: true, force: true }));

/** extract over stdin fed in `chunks`, with the options that give each mode. */
async function extract(chunks: Buffer[], fields: SourceFields, nan: NonFiniteStyle): Promise<string> {
  const written: Buffer[] = [];
  const sink = (into?: Buffer[]) => new Writable({
    write(chunk: Buffer, _encoding, done) {
      into?.push(Buffer.from(chunk));
      done();
    },
  });
  const io: CommandIO = {
    stdin: Readable.from(chunks),
    stdout: sink(written),
    stderr: sink(),
    stdinIsTTY: false,
    stdoutIsTTY: false,
    columns: 80,
    rows: 24,
    env: {},
    cwd: process.cwd(),
  };
  const options: ExtractOptions = { format: 'json', withSource: fields === 'source+line', nan };
  await runExtract(fields === 'source' ? ['-', emptyLog] : ['-'], options, io);
  return Buffer.concat(written).toString('utf8');
}

function cutInto(input: Buffer, cuts: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.min(c, input.length)))].sort((a, b) => a - b)) {
    chunks.push(input.subarray(from, cut));
    from = cut;
  }
  chunks.push(input.subarray(from));
  return chunks.filter((chunk) => chunk.length > 0);
}

/** Lines the writer copies, and the near misses it must hand back: the usual Python prints of records. */
const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.constantFrom(0, -0, 1, 0.5, 1e-7, 1e21, 1e16, 123456789012345680000, 0.1 + 0.2, 2 ** 53 + 2),
);
const spelling = fc.oneof(
  number.map((x) => String(x)),
  fc.constantFrom('1.0', '0.50', '-0', '-0.0', '1e5', '1E-7', '2.5e+3', '0.10000000000000001', '1e400', '-1e400', '00', '1.', '.5', '+1', '0x10', '12345678901234567890'),
);
const value = fc.oneof(
  spelling,
  fc.constantFrom('"text"', '"a\\"b"', '"tab\\there"', '"\\u00e9"', '"\\/"', '"caf\u00e9"', 'true', 'false', 'null', 'NaN', 'Infinity', '-Infinity', '[]', '{}', '[1, 2.50, "x"]', '{"b": 1, "a": [true, null]}', '{"a": 1, "a": 2}', '{"1": 1, "a": 2}'),
);
const name = fc.constantFrom('accuracy', 'loss', 'step', '_time', '_source', '_line', 'vh_metadata', '__proto__', '10', 'a b', 'q"uote', 'x\\ty', '');
const pythonLine = fc
  .tuple(fc.array(fc.tuple(name, value), { maxLength: 6 }), fc.constantFrom([', ', ': '], [',', ':'], [' ,\t', ' : ']), fc.nat(20))
  .map(([entries, [comma, colon], roll]) => {
    const body = entries.map(([key, text]) => `${JSON.stringify(key)}${colon}${text}`).join(comma);
    const line = `{${body}}`;
    if (roll === 0) return `2026-11-22T10:00:01.5Z ${line}`;
    if (roll === 1) return `2026-11-22T10:00:01.123456+02:00 ${line}`;
    if (roll === 2) return ` ${line}`;
    if (roll === 3) return `${line}\r`;
    return line;
  });
const logLine = fc.oneof({ weight: 3, arbitrary: pythonLine }, { weight: 2, arbitrary: anyLine }, { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 5 }), number).map((object) => pythonDumps(object)) });

describe('extract copies clean lines exactly as parsing and printing would print them', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('on fuzzed logs in random chunks, with every option', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(logLine, { maxLength: 8 }), fc.array(fc.nat(400), { maxLength: 3 }), fc.constantFrom(...MODES), fc.constantFrom<NonFiniteStyle>('null', 'string', 'python'), async (lines, cuts, fields, nan) => {
        const input = Buffer.from(lines.join('\n'));
        const want = plainRead(input).records.map((record) => `${referenceLine(record, fields, nan)}\n`).join('');
        expect(await extract(cutInto(input, cuts), fields, nan)).toBe(want);
      }),
      { numRuns: 3000 },
    );
  });

  it('on lines with one bracket swapped or one separator dropped or doubled', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(brokenLine, { minLength: 1, maxLength: 4 }), fc.constantFrom(...MODES), async (lines, fields) => {
        const input = Buffer.from(lines.join('\n'));
        const want = plainRead(input).records.map((record) => `${referenceLine(record, fields, 'null')}\n`).join('');
        expect(await extract([input], fields, 'null')).toBe(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('on every fixture, cut anywhere', async () => {
    const files = readdirSync('fixtures', { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const input = readFileSync(file);
      for (const fields of MODES) {
        const want = plainRead(input).records.map((record) => `${referenceLine(record, fields, 'null')}\n`).join('');
        const cuts = [Math.floor(input.length / 3), Math.floor((2 * input.length) / 3)];
        expect(await extract(cutInto(input, cuts), fields, 'null'), `${file} (${fields})`).toBe(want);
      }
    }
  });

  it('copies a Python record without parsing it, and hands back what it cannot copy', () => {
    // A tiny buffer: every write must make room first.
    const writer = new JsonLineWriter('none', 4);
    const line = Buffer.from('{"epoch": 1, "step": 10, "accuracy": 0.013348490371002166, "loss": 2.3169202775607762, "tags": ["a", "b"], "x": {}}');
    expect(writer.writeLine(line, 0, line.length, 'T', '-', 1)).toBe(true);
    expect(writer.take().toString()).toBe('{"epoch":1,"step":10,"accuracy":0.013348490371002166,"loss":2.3169202775607762,"tags":["a","b"],"x":{},"_time":"T"}\n');
    for (const text of ['{"a": NaN}', '{"a": 1, "a": 2}', '{"2": 1}', '{"_time": "x"}', '{"a": "\\u0041"}', '{"a": "é"}', '{"a": 1e400}', '{"a": 1} ']) {
      const bytes = Buffer.from(text);
      expect(writer.writeLine(bytes, 0, bytes.length, 'T', '-', 1)).toBe(false);
      expect(writer.length).toBe(0);
    }
    // Numbers printed longer than written, in a line that fills the buffer to the last byte.
    const spelled = Buffer.from('{"a": 1.50, "b": 1e20, "c": -0, "d": 0.10000000000000001, "e": 1E21, "f": 5e-324}');
    expect(writer.writeLine(spelled, 0, spelled.length, 'T', '-', 1)).toBe(true);
    expect(writer.take().toString()).toBe(`${JSON.stringify({ ...JSON.parse(spelled.toString()), _time: 'T' })}\n`);
  });

  it('adds the tail each mode asks for, and hands back a line holding a key the tail writes', () => {
    const line = Buffer.from('{"a": 1, "_line": 9}');
    const source = Buffer.from('{"_source": "x"}');
    const tails: Record<SourceFields, string> = {
      none: '{"a":1,"_line":9,"_time":"T"}\n',
      source: '{"a":1,"_line":9,"_time":"T","_source":"logs/a.log"}\n',
      'source+line': '',
    };
    for (const fields of MODES) {
      const writer = new JsonLineWriter(fields, 4);
      // `_line` is plain data unless the tail writes it; `_source` unless the tail writes that.
      expect(writer.writeLine(line, 0, line.length, 'T', 'logs/a.log', 3)).toBe(fields !== 'source+line');
      expect(writer.take().toString()).toBe(tails[fields]);
      expect(writer.writeLine(source, 0, source.length, 'T', 'logs/a.log', 3)).toBe(fields === 'none');
      writer.take();
    }
    const both = new JsonLineWriter('source+line');
    const plain = Buffer.from('{"a": 1}');
    expect(both.writeLine(plain, 0, plain.length, 'T', 'logs/a.log', 3)).toBe(true);
    expect(both.writeLine(plain, 0, plain.length, 'T', 'logs/"b".log', 4)).toBe(true);
    expect(both.take().toString()).toBe('{"a":1,"_time":"T","_source":"logs/a.log","_line":3}\n{"a":1,"_time":"T","_source":"logs/\\"b\\".log","_line":4}\n');
  });
});
