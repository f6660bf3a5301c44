/**
 * Issue 15, item 17: no line is dropped for its timestamp prefix. A leap second is read (as the
 * last millisecond of its minute), a tab separates as a space does, and a head shaped like a
 * prefix whose time does not exist is removed and said, so the record after it is still read,
 * timed when read. Every path must agree: the byte reader and the text reader, and the line
 * reader's full grammar, its picked-keys path (sort, gate) and extract's copying path.
 */
import { describe, expect, it } from 'vitest';
import { classifyLine, splitTimestampPrefix } from '../../src/parsers/line.js';
import { TimestampReader } from '../../src/parsers/fast/timestamp-bytes.js';
import { JsonLineWriter } from '../../src/parsers/fast/canonical.js';
import { LineReader, type ReadOptions } from '../../src/parsers/source.js';
import type { Diagnostic, MetadataRecord } from '../../src/core/types.js';

const READ_TIME = Date.parse('2030-01-01T00:00:00Z');

interface Case {
  line: string;
  /** The prefix's time as an ISO string, or 'read' when the record is timed when read (the prefix is not a time). */
  time: string | 'read';
  /** Whether a warning names the line. */
  warned: boolean;
}

const CASES: Case[] = [
  { line: '2016-12-31T23:59:60Z {"a": 4}', time: '2016-12-31T23:59:59.999Z', warned: false },
  { line: '2016-12-31T23:59:60.5Z {"a": 4}', time: '2016-12-31T23:59:59.999Z', warned: false },
  { line: '2016-12-31T18:59:60-05:00 {"a": 4}', time: '2016-12-31T23:59:59.999Z', warned: false },
  { line: '2026-01-01T00:00:00Z\t{"a": 9}', time: '2026-01-01T00:00:00.000Z', warned: false },
  { line: '2026-01-01T24:00:00Z {"a": 11}', time: '2026-01-02T00:00:00.000Z', warned: false },
  { line: '2026-13-01T00:00:00Z {"a": 8}', time: 'read', warned: true },
  { line: '2026-01-32T00:00:00Z {"a": 10}', time: 'read', warned: true },
  { line: '2026-01-01T24:00:01Z {"a": 12}', time: 'read', warned: true },
  { line: '2026-01-01T25:00:00Z {"a": 12}', time: 'read', warned: true },
  { line: '2026-01-01T00:00:61Z {"a": 12}', time: 'read', warned: true },
  { line: '2026-13-01T00:00:00Z\t{"a": 8}', time: 'read', warned: true },
  { line: '2026-01-01T00:00:00 {"a": 13}', time: 'read', warned: true },
  { line: '2026-01-01 00:00:00+0200 {"a": 14}', time: 'read', warned: true },
];

function expectedTime(c: Case): string {
  return c.time === 'read' ? new Date(READ_TIME).toISOString() : c.time;
}

/** Reads one line through a LineReader with these options; the records and diagnostics it gave. */
function readLine(line: string, options: ReadOptions): { records: MetadataRecord[]; diagnostics: Diagnostic[] } {
  const records: MetadataRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const reader = new LineReader('logs/t.log', { record: (r) => records.push(r), diagnostic: (d) => diagnostics.push(d) }, { now: () => READ_TIME, ...options });
  reader.push(Buffer.from(`${line}\n`));
  reader.end();
  return { records, diagnostics };
}

describe('timestamp prefixes that are not plain (issue 15, item 17)', () => {
  it.each(CASES)('$line: the byte reader and the text reader agree', (c) => {
    const bytes = new TimestampReader();
    const text = new TimestampReader();
    const buffer = Buffer.from(`x${c.line}`);
    const byBytes = bytes.readAt(buffer, 1, buffer.length);
    const byText = text.read(c.line);
    expect(byBytes).toBe(c.time !== 'read');
    expect(byText).toBe(byBytes);
    if (byBytes) {
      expect(new Date(bytes.time).toISOString()).toBe(c.time);
      expect(text.time).toBe(bytes.time);
      expect(text.length).toBe(bytes.length);
      expect(c.line.slice(bytes.length)).toMatch(/^\{/);
    } else {
      // Not a time, but its length is known, so the record after it can be read.
      expect(bytes.malformed).toBeGreaterThan(0);
      expect(text.malformed).toBe(bytes.malformed);
      expect(c.line.slice(bytes.malformed)).toMatch(/^\{/);
    }
    const split = splitTimestampPrefix(c.line);
    expect(split === undefined).toBe(c.time === 'read');
  });

  it.each(CASES)('$line: the grammar reads the record, and says so when the prefix is not a time', (c) => {
    const classified = classifyLine(c.line);
    expect(classified.objects).toEqual([{ a: JSON.parse(c.line.slice(c.line.indexOf('{'))).a }]);
    if (c.time === 'read') {
      expect(classified.prefixTime).toBeUndefined();
      expect(classified.badPrefix).toBe(c.line.slice(0, c.line.indexOf('{') - 1));
    } else {
      expect(new Date(classified.prefixTime as number).toISOString()).toBe(c.time);
      expect(classified.badPrefix).toBeUndefined();
    }
  });

  it.each(CASES)('$line: the full grammar, the picked-keys path and extract\'s copy give one record, one time', (c) => {
    const value = JSON.parse(c.line.slice(c.line.indexOf('{'))).a as number;
    const warnings = c.warned ? [{ source: 'logs/t.log', line: 1, message: `'${c.line.slice(0, c.line.indexOf('{') - 1)}' is not a valid RFC 3339 time; the record is read without it, timed when read` }] : [];
    for (const options of [{}, { keys: new Set(['a']) }, { dialects: new Set(['python'] as const) }, { loose: true }] as ReadOptions[]) {
      const { records, diagnostics } = readLine(c.line, options);
      expect(records.map((r) => ({ values: r.values, time: r.time, line: r.line })), JSON.stringify(options)).toEqual([{ values: { a: value }, time: expectedTime(c), line: 1 }]);
      expect(diagnostics).toEqual(warnings);
    }
    const writer = new JsonLineWriter('none');
    const { records, diagnostics } = readLine(c.line, { jsonLines: writer });
    const copied = writer.take().toString();
    const all = [...records.map((r) => ({ ...r.values, _time: r.time })), ...copied.split('\n').filter(Boolean).map((l) => JSON.parse(l) as object)];
    expect(all).toEqual([{ a: value, _time: expectedTime(c) }]);
    expect(diagnostics).toEqual(warnings);
  });

  it('leaves a line shaped like a prefix but holding no record alone, and reads digits that are no date as before', () => {
    expect(readLine('2026-13-01T00:00:00Z starting epoch 3', {}).diagnostics).toEqual([]);
    expect(readLine('100%|██████████| 10/10 {"a": 1}', { dialects: new Set() }).records).toEqual([]);
    // A remembered malformed head does not leak into the next line.
    const reader = new TimestampReader();
    reader.read('2026-13-01T00:00:00Z {"a": 1}');
    expect(reader.malformed).toBe(21);
    expect(classifyLine('{"a": 2}', {}, reader).badPrefix).toBeUndefined();
    expect(classifyLine('7 {"a": 2}', {}, reader)).toEqual({ objects: [], rejected: [] });
  });
});
