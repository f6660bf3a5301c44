import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineReader, readStream, readStreamCounted, wholeFile } from '../../src/parsers/source.js';
import { getPath, parseIsoTime, toRecord, flattenValues } from '../../src/parsers/metadata.js';
import type { Diagnostic, MetadataRecord } from '../../src/core/types.js';

const NOW = Date.parse('2026-11-23T12:00:00.000Z');

function collect(chunks: Array<string | Buffer>, options: { maxLineBytes?: number; loose?: boolean } = {}) {
  const records: MetadataRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const reader = new LineReader('log', { record: (r) => records.push(r), diagnostic: (d) => diagnostics.push(d) }, { ...options, now: () => NOW });
  for (const chunk of chunks) reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  reader.end();
  return { records, diagnostics, lines: reader.lines };
}

describe('LineReader', () => {
  it('numbers lines from 1 and skips lines without a brace', () => {
    const { records, lines } = collect(['epoch 1\n{"a": 1}\nplain\n{"a": 2}\n']);
    expect(records.map((r) => [r.line, r.values])).toEqual([[2, { a: 1 }], [4, { a: 2 }]]);
    expect(lines).toBe(4);
  });

  it('joins lines split across chunks, whatever the split', () => {
    const text = 'x\n{"step": 1, "loss": NaN}\r\n\x1b[0m{"step": 2}\nlast {\n{"step": 3}';
    const whole = collect([text]).records;
    for (let cut = 0; cut <= text.length; cut++) {
      const parts = collect([text.slice(0, cut), text.slice(cut)]).records;
      expect(parts.map((r) => [r.line, r.values])).toEqual(whole.map((r) => [r.line, r.values]));
    }
    expect(whole.map((r) => r.line)).toEqual([2, 3, 5]);
  });

  it('reads a last line without a newline', () => {
    expect(collect(['{"a": 1}\n{"a": 2}']).records.map((r) => r.values)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('ignores a UTF-8 byte order mark at the start only', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const { records } = collect([Buffer.concat([bom, Buffer.from('{"a": 1}\n')])]);
    expect(records.map((r) => r.values)).toEqual([{ a: 1 }]);
  });

  it('reads Windows line endings', () => {
    expect(collect(['{"a": 1}\r\nplain\r\n{"b": 2}\r\n']).records.map((r) => r.values)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('reads the valohai-utils form: a blank line before each object', () => {
    expect(collect(['\n{"myint": 123}\n\n{"myint": 124, "myfloat": 0.5435}\n']).records.map((r) => r.values)).toEqual([
      { myint: 123 },
      { myint: 124, myfloat: 0.5435 },
    ]);
  });

  it('skips a line over the limit with a warning naming the line, and goes on', () => {
    const long = '{"x": "' + 'a'.repeat(100) + '"}';
    for (const chunks of [[`{"a": 1}\n${long}\n{"a": 2}\n`], ['{"a": 1}\n', long.slice(0, 30), long.slice(30, 90), long.slice(90) + '\n{"a": 2}\n']]) {
      const { records, diagnostics } = collect(chunks, { maxLineBytes: 64 });
      expect(records.map((r) => [r.line, r.values])).toEqual([[1, { a: 1 }], [3, { a: 2 }]]);
      expect(diagnostics).toEqual([{ source: 'log', line: 2, message: 'line longer than 64 bytes, skipped' }]);
    }
  });

  it('skips an endless last line over the limit', () => {
    const { records, diagnostics } = collect(['{"a": 1}\n', 'z'.repeat(50), 'z'.repeat(50)], { maxLineBytes: 64 });
    expect(records).toHaveLength(1);
    expect(diagnostics.map((d) => d.line)).toEqual([2]);
  });

  it('warns about broken metadata-looking lines with their line number', () => {
    const { diagnostics } = collect(['ok\n{"loss": 0.5\n']);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.line).toBe(2);
    expect(diagnostics[0]!.message).toMatch(/looks like metadata but is not valid JSON/);
  });

  it('reads a stream', async () => {
    const records: MetadataRecord[] = [];
    const lines = await readStream(Readable.from([Buffer.from('{"a"'), Buffer.from(': 1}\n')]), '-', { record: (r) => records.push(r), diagnostic: () => {} });
    expect(records.map((r) => [r.source, r.values])).toEqual([['-', { a: 1 }]]);
    expect(lines).toBe(1);
  });
});

describe('wholeFile (a small log read in one call)', () => {
  it('gives the reader the whole file, as a stream would, with its last line', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vizmeta-whole-')), 'small.log');
    writeFileSync(path, 'epoch 1\n{"a": 1}\n{"a": 2}');
    const records: MetadataRecord[] = [];
    const count = await readStreamCounted(wholeFile(path), path, { record: (r) => records.push(r), diagnostic: () => {} }, { smallInput: true });
    expect(records.map((r) => [r.line, r.values])).toEqual([[2, { a: 1 }], [3, { a: 2 }]]);
    expect(count).toEqual({ lines: 3, records: 2 });
  });

  it("reports a read error to the reader's caller, as a stream would", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'vizmeta-whole-')), 'gone.log');
    await expect(readStreamCounted(wholeFile(missing), missing, { record: () => {}, diagnostic: () => {} })).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('_time', () => {
  it('is the moment of reading when nothing else says', () => {
    expect(collect(['{"a": 1}\n']).records[0]!.time).toBe('2026-11-23T12:00:00.000Z');
  });

  it('comes from the timestamp prefix', () => {
    expect(collect(['2026-11-22T10:00:01.5Z {"a": 1}\n']).records[0]!.time).toBe('2026-11-22T10:00:01.500Z');
  });

  it("is the object's own _time when present, read as UTC without a zone, and removed from the values", () => {
    const [record] = collect(['2026-11-22T10:00:01Z {"a": 1, "_time": "2017-04-04T15:03:39.321000"}\n']).records;
    expect(record!.time).toBe('2017-04-04T15:03:39.321Z');
    expect(record!.values).toEqual({ a: 1 });
  });

  it('falls back when the own _time is not a time', () => {
    expect(toRecord({ _time: 'soon' }, 's', 1, undefined, 'READ').time).toBe('READ');
  });

  it('reads ISO forms', () => {
    expect(parseIsoTime('2017-04-04T15:03:39.321000')).toBe(Date.parse('2017-04-04T15:03:39.321Z'));
    expect(parseIsoTime('2017-04-04T15:03:39+0200')).toBe(Date.parse('2017-04-04T13:03:39Z'));
    expect(parseIsoTime('2017-04-04 15:03')).toBe(Date.parse('2017-04-04T15:03:00Z'));
    expect(parseIsoTime('yesterday')).toBeUndefined();
  });
});

describe('records', () => {
  it('unwraps vh_metadata only when it is the only key', () => {
    expect(toRecord({ vh_metadata: { latency: 3 } }, 's', 1, undefined, 't').values).toEqual({ latency: 3 });
    expect(toRecord({ vh_metadata: { latency: 3 }, other: 1 }, 's', 1, undefined, 't').values).toEqual({ vh_metadata: { latency: 3 }, other: 1 });
  });

  it('resolves dotted paths, flat dotted keys first, own properties only', () => {
    const values = JSON.parse('{"val": {"loss": 0.3, "a.b": 2}, "val.acc": 0.9, "__proto__": {"x": 1}}');
    expect(getPath(values, 'val.loss')).toBe(0.3);
    expect(getPath(values, 'val.acc')).toBe(0.9);
    expect(getPath(values, 'val.a.b')).toBe(2);
    expect(getPath(values, '__proto__.x')).toBe(1);
    expect(getPath(values, 'constructor')).toBeUndefined();
    expect(getPath(values, 'val.constructor')).toBeUndefined();
    expect(getPath(values, 'toString')).toBeUndefined();
    expect(getPath(values, 'val.loss.more')).toBeUndefined();
  });

  it('flattens nested objects into dotted keys in order', () => {
    expect([...flattenValues({ step: 1, val: { loss: 2, acc: 3 }, cm: [[1]] }).keys()]).toEqual(['step', 'val.loss', 'val.acc', 'cm']);
  });
});

describe('LineReader: a line that never ends (issue 15, item 13)', () => {
  const feed = (reader: LineReader, bytes: number, piece = 4096): void => {
    const chunk = Buffer.alloc(piece, 'x');
    for (let sent = 0; sent < bytes; sent += piece) reader.push(chunk);
  };

  it('with maxSkippedLineBytes, stops with an InputError naming file and line once the skipped line passes it', () => {
    const diagnostics: Diagnostic[] = [];
    const reader = new LineReader('logs/zero', { record: () => {}, diagnostic: (d) => diagnostics.push(d) }, { maxLineBytes: 1024, maxSkippedLineBytes: 64 * 1024 });
    reader.push(Buffer.from('{"a": 1}\n'));
    expect(() => feed(reader, 128 * 1024)).toThrow('logs/zero:2: a line with no newline in 64 KiB (the limit is 1 KiB): not a log, stopped reading');
    expect(diagnostics.map((d) => d.message)).toEqual(['line longer than 1 KiB, skipped']);
  });

  it('skips a long line that ends before the bound, and without the option skips any long line, as before', () => {
    for (const options of [{ maxLineBytes: 1024, maxSkippedLineBytes: 64 * 1024 }, { maxLineBytes: 1024 }]) {
      const records: MetadataRecord[] = [];
      const reader = new LineReader('log', { record: (r) => records.push(r), diagnostic: () => {} }, options);
      feed(reader, options.maxSkippedLineBytes === undefined ? 256 * 1024 : 60 * 1024);
      reader.push(Buffer.from('\n{"a": 2}\n'));
      reader.end();
      expect(records.map((r) => r.values)).toEqual([{ a: 2 }]);
    }
  });
});
