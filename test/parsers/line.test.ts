import { describe, expect, it } from 'vitest';
import { classifyLine, parseCleanLine, splitTimestampPrefix } from '../../src/parsers/line.js';
import { parseJsonObject, MAX_DEPTH } from '../../src/parsers/json.js';

const objects = (line: string, loose = false) => classifyLine(line, { loose }).objects;

describe('line grammar', () => {
  it('takes a line that is one JSON object', () => {
    expect(objects('{"step": 200, "accuracy": 0.926}')).toEqual([{ step: 200, accuracy: 0.926 }]);
  });

  it('allows surrounding whitespace', () => {
    expect(objects('   {"a": 1}\t ')).toEqual([{ a: 1 }]);
  });

  it('ignores lines without an object', () => {
    expect(objects('Epoch 1/10')).toEqual([]);
    expect(objects('')).toEqual([]);
  });

  it('does not take top-level arrays or scalars', () => {
    expect(objects('[1, 2, 3]')).toEqual([]);
    expect(objects('42')).toEqual([]);
    expect(objects('"text"')).toEqual([]);
    expect(objects('[{"a": 1}]')).toEqual([]);
  });

  it('does not take an object preceded by unknown text unless loose', () => {
    expect(objects('note: {"a": 1}')).toEqual([]);
    expect(objects('note: {"a": 1}', true)).toEqual([{ a: 1 }]);
  });

  it('reads a logging prefix by default, and not with --dialect json', () => {
    expect(objects('INFO:root:{"a": 1}')).toEqual([{ a: 1 }]);
    expect(classifyLine('INFO:root:{"a": 1}', { dialects: new Set(['json']) }).objects).toEqual([]);
  });

  it('loose mode takes the first valid object and skips broken braces', () => {
    expect(objects('x {oops} then {"b": 2} and {"c": 3}', true)).toEqual([{ b: 2 }]);
  });

  it('does not take an object followed by other text', () => {
    expect(objects('{"a": 1} trailing')).toEqual([]);
  });

  it('accepts Python NaN, Infinity and -Infinity', () => {
    const [record] = objects('{"a": NaN, "b": Infinity, "c": -Infinity, "d": [NaN]}');
    expect(record?.['a']).toBeNaN();
    expect(record?.['b']).toBe(Infinity);
    expect(record?.['c']).toBe(-Infinity);
    expect((record?.['d'] as number[])[0]).toBeNaN();
  });

  it('does not mistake NaN inside a string', () => {
    expect(objects('{"note": "NaN Infinity"}')).toEqual([{ note: 'NaN Infinity' }]);
  });

  it('strips ANSI escapes before deciding', () => {
    expect(objects('\x1b[32m{"a": 1}\x1b[0m')).toEqual([{ a: 1 }]);
    expect(objects('\x1b]0;title\x07{"a": 2}')).toEqual([{ a: 2 }]);
  });

  it('splits bare carriage returns into segments as a terminal redraws them', () => {
    expect(objects('  3%|▎ | 3/100\r  4%|▍ | 4/100\r{"step": 4}')).toEqual([{ step: 4 }]);
    expect(objects('{"a": 1}\r{"b": 2}')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(objects('{"a": 1}\rprogress 5%')).toEqual([{ a: 1 }]);
  });

  it('a carriage return inside an object splits it, so it is not metadata', () => {
    expect(objects('{"a":\r 1}')).toEqual([]);
    expect(parseCleanLine('{"a":\r 1}')).toBeUndefined();
  });

  it('drops a trailing carriage return (CRLF)', () => {
    expect(objects('{"a": 1}\r')).toEqual([{ a: 1 }]);
  });

  it('removes an RFC 3339 timestamp prefix and keeps it as the time', () => {
    const result = classifyLine('2026-11-22T10:00:01.123456789Z {"a": 1}');
    expect(result.objects).toEqual([{ a: 1 }]);
    expect(new Date(result.prefixTime!).toISOString()).toBe('2026-11-22T10:00:01.123Z');
  });

  it('reads timestamp prefixes with offsets and without fractions', () => {
    expect(splitTimestampPrefix('2026-11-22T12:00:00+02:00 x')?.time).toBe(Date.parse('2026-11-22T10:00:00Z'));
    expect(splitTimestampPrefix('2026-11-22T10:00:00Z x')?.rest).toBe('x');
    expect(splitTimestampPrefix('2026-11-22 is a date')).toBeUndefined();
    expect(splitTimestampPrefix('2026-11-22T10:00:00Z')).toBeUndefined();
  });

  it('handles ANSI colour around a timestamped line', () => {
    const result = classifyLine('2026-11-22T10:00:01Z \x1b[1m{"a": 1}\x1b[0m');
    expect(result.objects).toEqual([{ a: 1 }]);
    expect(result.prefixTime).toBe(Date.parse('2026-11-22T10:00:01Z'));
  });

  it('keeps nested objects', () => {
    expect(objects('{"val": {"loss": 0.3, "acc": {"top1": 0.9}}}')).toEqual([{ val: { loss: 0.3, acc: { top1: 0.9 } } }]);
  });

  it('keeps __proto__ and constructor as plain data', () => {
    for (const line of ['{"__proto__": {"polluted": 1}, "constructor": 2}', '{"__proto__": {"polluted": NaN}, "constructor": 2}']) {
      const [record] = objects(line);
      expect(Object.keys(record!)).toEqual(['__proto__', 'constructor']);
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
  });

  it('reports text that starts like a JSON object but is broken', () => {
    const result = classifyLine('{"loss": 0.5');
    expect(result.objects).toEqual([]);
    expect(result.rejected[0]).toMatch(/not valid JSON \(unexpected end of input at column 13\)/);
  });

  it('stays quiet about Python dict prints and brace text', () => {
    expect(classifyLine("{'loss': 0.5}").rejected).toEqual([]);
    expect(classifyLine('{not json}').rejected).toEqual([]);
  });

  it('rejects nesting deeper than the limit without throwing', () => {
    const deep = '{"a":'.repeat(MAX_DEPTH + 5) + '1' + '}'.repeat(MAX_DEPTH + 5);
    const result = classifyLine(deep);
    expect(result.objects).toEqual([]);
    expect(result.rejected[0]).toMatch(/nested deeper/);
    const veryDeep = '{"a":'.repeat(10_000) + 'NaN' + '}'.repeat(10_000);
    expect(classifyLine(veryDeep).rejected[0]).toMatch(/nested deeper/);
  });

  it('keeps the last of duplicate keys, as JSON.parse does, on both paths', () => {
    expect(objects('{"a": 1, "a": 2}')).toEqual([{ a: 2 }]);
    expect(parseJsonObject('{"a": 1, "a": NaN}')['a']).toBeNaN();
  });

  it('reads 1e400 as Infinity', () => {
    expect(objects('{"x": 1e400, "y": -1e400}')).toEqual([{ x: Infinity, y: -Infinity }]);
  });
});

describe('fallback JSON parser', () => {
  it('matches JSON.parse on valid JSON', () => {
    const text = '{"a": [1, -2.5e3, 0, true, false, null, "x\\"y\\u00e9\\n"], "b": {"c": {}}, "d": []}';
    expect(parseJsonObject(text)).toEqual(JSON.parse(text));
  });

  it.each([
    ['{"a": 01}', /leading zero/],
    ['{"a": 1.}', /no digits after the point/],
    ['{"a": 1e}', /exponent/],
    ['{a: 1}', /quoted key/],
    ['{"a" 1}', /':'/],
    ['{"a": 1,}', /quoted key/],
    ['{"a": "x\u0001"}', /control character/],
    ['{"a": nan}', /unexpected token/],
    ['{"a": @}', /unexpected character/],
    ['{"a": 1} x', /after the object/],
  ])('rejects %s', (text, reason) => {
    expect(() => parseJsonObject(text)).toThrow(reason);
  });
});
