/**
 * Review: the arithmetic timestamp-prefix reader must accept exactly what the plain definition
 * (the RFC 3339 regular expression, then Date.parse of `date T clock .mmm zone`) accepts.
 * Date.parse rejects a zone offset whose minutes exceed 59 and a 24:00:00 clock with nonzero
 * milliseconds; the fast reader took both as prefixes and gave them a _time.
 */
import { describe, expect, it } from 'vitest';
import { readTimestampPrefix, splitTimestampPrefix } from '../src/parsers/line.js';

const PREFIX = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2}) /;
function plainPrefix(line: string): { time: number; length: number } | undefined {
  const m = PREFIX.exec(line);
  if (!m) return undefined;
  const fraction = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  const zone = m[4] === 'z' ? 'Z' : m[4];
  const time = Date.parse(`${m[1]}T${m[2]}.${fraction}${zone}`);
  return Number.isNaN(time) ? undefined : { time, length: m[0].length };
}

describe('review: timestamp prefixes Date.parse rejects', () => {
  it('an offset with 60 or more minutes is no prefix', () => {
    for (const line of ['2026-11-22T10:00:01+05:99 {"a": 1}', '2026-11-22T10:00:01.5+00:60 {"a": 1}', '2026-11-22T10:00:01-01:75 {"a": 1}']) {
      expect(plainPrefix(line)).toBeUndefined();
      expect(readTimestampPrefix(line)).toEqual(plainPrefix(line));
      expect(splitTimestampPrefix(line)).toBeUndefined();
    }
  });

  it('24:00:00 with nonzero milliseconds is no prefix (24:00:00.000 still is)', () => {
    for (const line of ['2026-11-22T24:00:00.5Z {"a": 1}', '2026-11-22 24:00:00.120+01:00 {"a": 1}', '2026-11-22T24:00:00.001z {"a": 1}', '2026-11-22T24:00:00Z {"a": 1}', '2026-11-22T24:00:00.0009Z {"a": 1}']) {
      expect(readTimestampPrefix(line)).toEqual(plainPrefix(line));
    }
  });
});
