import { describe, expect, it } from 'vitest';
import type { MetadataRecord } from '../../src/core/types.js';
import { CsvRecords, recordJsonLine, recordObject, type SourceFields } from '../../src/render/extract.js';
import { toJsonLine } from '../../src/render/json.js';

const record = (values: MetadataRecord['values'], line = 1, source = 'a.log'): MetadataRecord => ({ values, time: '2026-01-01T00:00:00.000Z', source, line });
const FIELDS: readonly SourceFields[] = ['none', 'source', 'source+line'];

describe('extract output', () => {
  it('writes a record as one JSON line, _time (and _source, _line) after its keys', () => {
    expect(recordJsonLine(record({ loss: 0.5 }), 'none', 'null')).toBe('{"loss":0.5,"_time":"2026-01-01T00:00:00.000Z"}');
    expect(recordJsonLine(record({ loss: 0.5 }), 'source', 'null')).toBe('{"loss":0.5,"_time":"2026-01-01T00:00:00.000Z","_source":"a.log"}');
    expect(recordJsonLine(record({}), 'source+line', 'null')).toBe('{"_time":"2026-01-01T00:00:00.000Z","_source":"a.log","_line":1}');
    expect(recordJsonLine(record({ loss: Number.NaN }), 'none', 'python')).toBe('{"loss":NaN,"_time":"2026-01-01T00:00:00.000Z"}');
    expect(recordJsonLine(record({ loss: Number.NaN }), 'source', 'string')).toBe('{"loss":"NaN","_time":"2026-01-01T00:00:00.000Z","_source":"a.log"}');
  });

  it('splices the tail in only where it writes what the copy would', () => {
    for (const values of [{ a: 1 }, {}, { _time: 'x', a: 1 }, { _line: 3 }, { _source: 'x', a: 1 }, { a: 1, _line: 3, _source: 'x' }, { ['__proto__']: 1 }] as Array<MetadataRecord['values']>) {
      for (const fields of FIELDS) {
        expect(recordJsonLine(record(values), fields, 'null')).toBe(toJsonLine(recordObject(record(values), fields), 'null'));
      }
    }
    // A logged `_source` keeps its place and is overwritten; a logged `_line` is plain data unless _line is added.
    expect(recordJsonLine(record({ _source: 'x', _line: 3, a: 1 }, 7), 'source', 'null')).toBe('{"_source":"a.log","_line":3,"a":1,"_time":"2026-01-01T00:00:00.000Z"}');
    expect(recordJsonLine(record({ _source: 'x', _line: 3, a: 1 }, 7), 'source+line', 'null')).toBe('{"_source":"a.log","_line":7,"a":1,"_time":"2026-01-01T00:00:00.000Z"}');
  });

  it('writes CSV with the union of keys, nested keys dotted, _time last', () => {
    const csv = new CsvRecords('none');
    expect([...csv.lines()]).toEqual([]);
    csv.add(record({ a: 1, val: { loss: 2 } }));
    csv.add(record({ b: [1, 2], a: null }));
    expect([...csv.lines()]).toEqual(['a,val.loss,b,_time', '1,2,,2026-01-01T00:00:00.000Z', ',,"[1,2]",2026-01-01T00:00:00.000Z']);
  });

  it('writes CSV from several inputs with _source (and _line) after _time, keys from every input', () => {
    const source = new CsvRecords('source');
    source.add(record({ step: 1, loss: 0.5 }, 3, 'logs/run-1.log'));
    source.add(record({ step: 1, acc: 0.9 }, 2, 'logs/run-2.log'));
    expect([...source.lines()]).toEqual(['step,loss,acc,_time,_source', '1,0.5,,2026-01-01T00:00:00.000Z,logs/run-1.log', '1,,0.9,2026-01-01T00:00:00.000Z,logs/run-2.log']);
    const both = new CsvRecords('source+line');
    both.add(record({ step: 1 }, 3, 'logs/run-1.log'));
    both.add(record({ step: 1 }, 2, '-'));
    expect([...both.lines()]).toEqual(['step,_time,_source,_line', '1,2026-01-01T00:00:00.000Z,logs/run-1.log,3', "1,2026-01-01T00:00:00.000Z,'-,2"]);
  });
});
