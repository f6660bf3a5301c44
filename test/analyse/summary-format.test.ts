import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeExecution, decodeExecutionLine, encodeExecution, headerLine, looksLikeSummary, parseHeader, SUMMARY_VERSION } from '../../src/analyse/summary-format.js';
import { SummaryBuilder } from '../../src/analyse/summary.js';
import { Series } from '../../src/analyse/series.js';
import type { JsonObject, JsonValue } from '../../src/core/types.js';

function summaryOf(rows: JsonObject[]) {
  const builder = new SummaryBuilder('logs/a.log', { moments: true, history: 'all', makeHistory: () => new Series(256) });
  rows.forEach((values, i) => builder.add({ values, time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), source: 'logs/a.log', line: i + 1 }));
  builder.diagnostic({ source: 'logs/a.log', line: 2, message: 'line longer than 16 MiB, skipped' });
  return builder.finish(rows.length + 1);
}

describe('summary file format', () => {
  it('writes a versioned header that is recognised by its first bytes', () => {
    const header = headerLine('vizmeta 9.9.9');
    expect(JSON.parse(header)).toMatchObject({ format: 'vizmeta-summary', version: SUMMARY_VERSION, generator: 'vizmeta 9.9.9' });
    expect(looksLikeSummary(header.slice(0, 64))).toBe(true);
    expect(looksLikeSummary('{"format": "other"}')).toBe(false);
    expect(looksLikeSummary('{"step": 1, "format": "vizmeta-summary"}')).toBe(false);
  });

  it('gives back every execution as it was, NaN, ±Infinity and odd logged values included', () => {
    const odd: JsonValue[] = [Number.NaN, Infinity, -Infinity, { $vzs: 'NaN' }, { $vzs: { $vzs: 1 } }, [1, Number.NaN, { a: -Infinity }], 'NaN', { ['__proto__']: 1 } as unknown as JsonValue];
    const rows: JsonObject[] = [{ step: 1, loss: Number.NaN, x: odd }, { step: 2, loss: Infinity, acc: '0.5' }, { step: 3, loss: -Infinity, acc: 0.75, w: odd[4] as JsonValue }];
    const summary = summaryOf(rows);
    const back = decodeExecution(encodeExecution(summary), 'a.vzs', 2);
    expect(back).toEqual(summary);
    expect(Object.getPrototypeOf(back.keys.get('x')?.latest)).toBe(Array.prototype);
    expect(decodeExecutionLine(encodeExecution(summary, 7), 'a.vzs', 2).position).toBe(7);
  });

  it('round-trips any logged values', () => {
    fc.assert(fc.property(fc.array(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>), { minLength: 1, maxLength: 5 }), (rows) => {
      const summary = summaryOf(rows);
      expect(decodeExecution(encodeExecution(summary), 'a.vzs', 2)).toEqual(summary);
    }), { numRuns: 100 });
  });

  it('refuses a newer version, naming the file and both versions', () => {
    expect(() => parseHeader('{"format":"vizmeta-summary","version":2,"generator":"vizmeta 9.0.0"}', 'parts/a.vzs'))
      .toThrow('parts/a.vzs: summary format version 2 (written by vizmeta 9.0.0) is newer than this vizmeta reads (version 1); upgrade vizmeta to read it');
    expect(() => parseHeader('{"format":"vizmeta-summary","version":"one"}', 'a.vzs')).toThrow('a.vzs:1: corrupt summary file: version "one" is not a format version');
    expect(() => parseHeader('{"format":"vizmeta-summary","version":1,"quantiles":{"relativeAccuracy":0.05,"binLimit":2048,"exact":256}}', 'a.vzs')).toThrow(/quantile sketch/);
  });

  it('names file and line of a corrupt line', () => {
    expect(() => decodeExecution('{"execution": "a.log", "kind": "log"', 'a.vzs', 5)).toThrow(/^a\.vzs:5: corrupt summary file: not a JSON line/);
    expect(() => decodeExecution('{"execution": "a.log", "kind": "log", "keys": [], "diagnostics": [], "violations": [], "records": -1}', 'a.vzs', 3)).toThrow('a.vzs:3: corrupt summary file: records: expected a count, got -1');
    const good = JSON.parse(encodeExecution(summaryOf([{ loss: 1 }]))) as { keys: Array<[string, Record<string, unknown>]> };
    (good.keys[0] as [string, Record<string, unknown>])[1].min = 'low';
    expect(() => decodeExecution(JSON.stringify(good), 'a.vzs', 9)).toThrow('a.vzs:9: corrupt summary file: min: expected a number, got "low"');
  });
});
