/**
 * CsvRecordStream (issue 15, item 15: `roc` reads a CSV as it arrives) gives exactly the records
 * of parseCsvRecords, whatever the pieces the text arrives in.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords, type CsvRecord } from '../../src/formats/confusion.js';
import { CsvRecordStream } from '../../src/formats/csv-stream.js';

function streamed(text: string, cuts: number[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  const stream = new CsvRecordStream((record) => records.push(record));
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    stream.push(text.slice(from, Math.max(from, cut)));
    from = Math.max(from, cut);
  }
  stream.push(text.slice(from));
  stream.end();
  return records;
}

function outcome(work: () => CsvRecord[]): CsvRecord[] | string {
  try {
    return work();
  } catch (error) {
    return (error as Error).message;
  }
}

const PIECES = ['a', 'b1', ',', '"', '""', '"x,y"', '\n', '\r', '\r\n', ' ', '\ufeff', '0.5', '=1', 'é'];

describe('CsvRecordStream', () => {
  it('equals parseCsvRecords for any text cut anywhere', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.array(fc.nat(200), { maxLength: 6 }), (parts, cuts) => {
      const text = parts.join('');
      expect(outcome(() => streamed(text, cuts))).toEqual(outcome(() => parseCsvRecords(text)));
    }), { numRuns: 3000 });
  });

  it('keeps one record in memory, and refuses one longer than its limit', () => {
    const records: CsvRecord[] = [];
    const stream = new CsvRecordStream((record) => records.push(record), 10);
    stream.push('a,b\n1,2');
    expect(records).toEqual([{ cells: ['a', 'b'], line: 1 }]);
    expect(() => stream.push('3456789012')).toThrow('CSV line 2: a record longer than 10 characters (the --max-line-bytes limit)');
  });
});
