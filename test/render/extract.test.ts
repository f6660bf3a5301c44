import { describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../../src/core/types.js';
import { CsvRecords, recordJsonLine, recordObject } from '../../src/render/extract.js';
import { toJsonLine } from '../../src/render/json.js';

const record = (values: MetadataRecord['values'], line = 1): MetadataRecord => ({ values, time: '2026-01-01T00:00:00.000Z', source: 'a.log', line });

describe('extract output', () => {
  it('writes a record as one JSON line, _time (and _source, _line) after its keys', () => {
    expect(recordJsonLine(record({ loss: 0.5 }), false, 'null')).toBe('{"loss":0.5,"_time":"2026-01-01T00:00:00.000Z"}');
    expect(recordJsonLine(record({}), true, 'null')).toBe('{"_time":"2026-01-01T00:00:00.000Z","_source":"a.log","_line":1}');
    expect(recordJsonLine(record({ loss: Number.NaN }), false, 'python')).toBe('{"loss":NaN,"_time":"2026-01-01T00:00:00.000Z"}');
  });

  it('splices the tail in only where it writes what the copy would', () => {
    for (const values of [{ a: 1 }, { _time: 'x', a: 1 }, { _line: 3 }, { ['__proto__']: 1 }] as Array<MetadataRecord['values']>) {
      for (const withSource of [false, true]) {
        expect(recordJsonLine(record(values), withSource, 'null')).toBe(toJsonLine(recordObject(record(values), withSource), 'null'));
      }
    }
  });

  it('writes CSV with the union of keys, nested keys dotted, _time last', () => {
    const csv = new CsvRecords(false);
    expect([...csv.lines()]).toEqual([]);
    csv.add(record({ a: 1, val: { loss: 2 } }));
    csv.add(record({ b: [1, 2], a: null }));
    expect([...csv.lines()]).toEqual(['a,val.loss,b,_time', '1,2,,2026-01-01T00:00:00.000Z', ',,"[1,2]",2026-01-01T00:00:00.000Z']);
  });
});
