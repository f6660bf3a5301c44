/**
 * The timestamp fast paths remember the last second they read or wrote; whatever order lines come
 * in, they must give what the plain definitions give: the RFC 3339 prefix as the regular
 * expression and Date.parse define it, and Date#toISOString.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitTimestampPrefix } from '../../src/parsers/line.js';
import { IsoTimes } from '../../src/parsers/metadata.js';
import { TimestampReader } from '../../src/parsers/fast/timestamp-bytes.js';

/** One reader for the whole file, as one input's reader: what it remembers carries from line to line. */
const reader = new TimestampReader();
function readTimestampPrefix(line: string): { time: number; length: number } | undefined {
  return reader.read(line) ? { time: reader.time, length: reader.length } : undefined;
}

/**
 * The prefix rule written plainly: the definition the fast reader must match. A space or a tab
 * ends it; a leap second (`:60`) is the last millisecond of its minute (issue 15, item 17).
 */
const PREFIX = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})[ \t]/;
function plainPrefix(line: string): { time: number; length: number } | undefined {
  const m = PREFIX.exec(line);
  if (!m) return undefined;
  const leap = m[3] === '60';
  const fraction = leap ? '999' : (m[4] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[5] === 'z' ? 'Z' : m[5];
  const time = Date.parse(`${m[1]}T${m[2]}:${leap ? '59' : m[3]}.${fraction}${zone}`);
  return Number.isNaN(time) ? undefined : { time, length: m[0].length };
}

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((d) => d.join(''));
const twoDigits = fc.oneof(fc.integer({ min: 0, max: 61 }).map((n) => String(n).padStart(2, '0')), digits(2));
/** Prefixes near the valid form: real ones, out-of-range fields, wrong separators, cut short. */
const prefixLike = fc
  .record({
    year: fc.oneof(fc.constantFrom('2026', '1970', '0000', '9999'), digits(4)),
    month: twoDigits,
    day: twoDigits,
    separator: fc.constantFrom('T', 't', ' ', 'x'),
    hour: fc.oneof(twoDigits, fc.constant('24')),
    minute: twoDigits,
    second: twoDigits,
    fraction: fc.option(fc.oneof(digits(1), digits(3), digits(9), digits(40), fc.constant(''))),
    zone: fc.oneof(fc.constantFrom('Z', 'z', '+02:00', '-05:30', '+14:00', '+0200', 'UTC', ''), fc.tuple(fc.constantFrom('+', '-'), twoDigits, twoDigits).map(([sign, h, m]) => `${sign}${h}:${m}`)),
    after: fc.constantFrom(' {"a": 1}', ' x', '', '{"a": 1}', '  ', '\t{"a": 1}'),
  })
  .map((p) => `${p.year}-${p.month}-${p.day}${p.separator}${p.hour}:${p.minute}:${p.second}${p.fraction === null ? '' : `.${p.fraction}`}${p.zone}${p.after}`);
/** Lines of a real log: one second, many lines, in order. */
const sameSecond = fc.tuple(fc.integer({ min: 0, max: 59 }), fc.array(digits(9), { minLength: 1, maxLength: 5 }))
  .chain(([second, fractions]) => fc.constant(fractions.map((f) => `2026-11-22T10:00:${String(second).padStart(2, '0')}.${f}Z {"a": 1}`)));
/** Lines of a few days of one month and year, in any order: a remembered date must be the whole date. */
const fewDays = fc.tuple(fc.constantFrom('2026-11-', '2026-12-', '2027-01-'), fc.integer({ min: 10, max: 29 }), fc.integer({ min: 0, max: 23 }), digits(2))
  .map(([month, day, hour, minute]) => `${month}${day}T${String(hour).padStart(2, '0')}:${minute}:07.25Z {"a": 1}`);
const mangled = fc.tuple(prefixLike, fc.nat(40), fc.oneof(fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 2 }), fc.constantFrom('\u0131', '\uff11', '\u0660'))).map(([line, at, insert]) => line.slice(0, at) + insert + line.slice(at));

describe('readTimestampPrefix', () => {
  it('reads what the regular expression and Date.parse read, in any order of lines', () => {
    fc.assert(fc.property(fc.array(fc.oneof(prefixLike, mangled, sameSecond.map((lines) => lines[0] as string)), { minLength: 1, maxLength: 20 }), (lines) => {
      for (const line of lines) expect(readTimestampPrefix(line)).toEqual(plainPrefix(line));
    }), { numRuns: 3000 });
    fc.assert(fc.property(fc.array(fewDays, { minLength: 2, maxLength: 20 }), (lines) => {
      for (const line of lines) expect(readTimestampPrefix(line)).toEqual(plainPrefix(line));
    }), { numRuns: 500 });
    fc.assert(fc.property(sameSecond, (lines) => {
      for (const line of lines) expect(readTimestampPrefix(line)).toEqual(plainPrefix(line));
    }), { numRuns: 500 });
  });

  it('reads the same from the bytes of a line as from its text, never past the line', () => {
    fc.assert(fc.property(fc.array(fc.oneof(prefixLike, mangled), { minLength: 1, maxLength: 10 }), fc.nat(60), (lines, cut) => {
      for (const line of lines) {
        const text = line.slice(0, Math.max(0, line.length - cut));
        // The line's bytes sit between other bytes: a digit or a space read past its end would show.
        const bytes = Buffer.concat([Buffer.from('9 '), Buffer.from(text, 'utf8'), Buffer.from(' 1Z {')]);
        const found = reader.readAt(bytes, 2, bytes.length - 5);
        expect(found ? { time: reader.time, length: reader.length } : undefined).toEqual(plainPrefix(Buffer.from(text, 'utf8').toString('latin1')));
      }
    }), { numRuns: 3000 });
  });

  it('does not let a remembered second leak into a line with another zone or second', () => {
    expect(readTimestampPrefix('2026-11-22T10:00:00.5Z x')?.time).toBe(Date.parse('2026-11-22T10:00:00.500Z'));
    expect(readTimestampPrefix('2026-11-22T10:00:00.5+01:00 x')?.time).toBe(Date.parse('2026-11-22T09:00:00.500Z'));
    expect(readTimestampPrefix('2026-11-22T10:00:00+01:00 x')?.time).toBe(Date.parse('2026-11-22T09:00:00Z'));
    expect(readTimestampPrefix('2026-11-22T10:00:01Z x')?.time).toBe(Date.parse('2026-11-22T10:00:01Z'));
    expect(readTimestampPrefix('2026-13-22T10:00:01Z x')).toBeUndefined();
    // Date.parse refuses offset minutes past 59, and 24:00:00 with milliseconds (found in review).
    for (const line of ['2026-11-22T10:00:01+05:99 {"a": 1}', '2026-11-22T10:00:01.5+00:60 {"a": 1}', '2026-11-22T10:00:01-01:75 {"a": 1}', '2026-11-22T24:00:00.5Z {"a": 1}', '2026-11-22 24:00:00.120+01:00 {"a": 1}']) {
      expect(readTimestampPrefix(line)).toBeUndefined();
    }
    expect(readTimestampPrefix('2026-11-22T24:00:00.0009Z x')?.time).toBe(Date.parse('2026-11-23T00:00:00Z'));
    expect(readTimestampPrefix('2026-11-22T10:00:01Z x')?.length).toBe(21);
    expect(splitTimestampPrefix('2026-11-22t10:00:01.123456z {"a": 1}')).toEqual({ time: Date.parse('2026-11-22T10:00:01.123Z'), rest: '{"a": 1}' });
  });

  it('keeps what it remembers to itself: two readers read their own days', () => {
    const other = new TimestampReader();
    expect(readTimestampPrefix('2026-11-22T10:00:00Z x')?.time).toBe(Date.parse('2026-11-22T10:00:00Z'));
    expect(other.read('2026-11-23T10:00:00Z x') && other.time).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(readTimestampPrefix('2026-11-22T11:00:00Z x')?.time).toBe(Date.parse('2026-11-22T11:00:00Z'));
    expect(other.read('2026-11-23T11:00:00Z x') && other.time).toBe(Date.parse('2026-11-23T11:00:00Z'));
  });
});

describe('IsoTimes', () => {
  it('formats exactly as Date#toISOString, whatever came before', () => {
    const times = new IsoTimes();
    const isoTime = (ms: number): string => times.format(ms);
    const ms = fc.oneof(fc.integer({ min: -8.64e15, max: 8.64e15 }), fc.integer({ min: 1795000000000, max: 1795000005000 }), fc.integer({ min: -2000, max: 2000 }));
    fc.assert(fc.property(fc.array(ms, { minLength: 1, maxLength: 20 }), (list) => {
      for (const t of list) expect(isoTime(t)).toBe(new Date(t).toISOString());
    }), { numRuns: 3000 });
  });
});
