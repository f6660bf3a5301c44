/**
 * Metrics CSVs, against files real Lightning and Keras CSVLoggers wrote (fixtures/frameworks/files,
 * see its README) and what each framework handed its loggers, dumped by the Python side.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonValue } from '../../../src/parsers/json.js';
import { looksLikeMetricsCsv, parseDelimited, parseMetricsCsv } from '../../../src/parsers/frameworks/csv-logger.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILES = `${ROOT}fixtures/frameworks/files/`;
const read = (name: string) => readFileSync(FILES + name, 'utf8');
const LIGHTNING = 'lightning/lightning_logs/version_0/metrics.csv';
const KERAS = 'keras/training.csv';

describe('parseMetricsCsv on a real Lightning CSVLogger file', () => {
  const expected = parseJsonValue(read('lightning.expected.json')) as { rows: Array<{ step: number; metrics: Record<string, number> }> };
  const run = parseMetricsCsv(read(LIGHTNING));

  it('gives one record per logging call, as logged (CSVLogger adds the step column)', () => {
    expect(run.warnings).toEqual([]);
    expect(run.records.map((r) => r.values)).toEqual(expected.rows.map((row) => ({ ...row.metrics, step: row.step })));
  });

  it('keeps train and val rows that share a step apart, blank cells absent', () => {
    const atStep3 = run.records.filter((r) => r.values.step === 3).map((r) => Object.keys(r.values).sort());
    expect(atStep3).toEqual([
      ['epoch', 'step', 'train_loss_step'],
      ['epoch', 'step', 'val_acc', 'val_loss'],
      ['epoch', 'step', 'train_loss_epoch'],
    ]);
  });

  it('numbers each record by its line (header is line 1, CRLF endings)', () => {
    expect(read(LIGHTNING)).toContain('\r\n');
    expect(run.records.map((r) => r.line)).toEqual(run.records.map((_, i) => i + 2));
  });
});

describe('parseMetricsCsv on a real Keras CSVLogger file', () => {
  const expected = parseJsonValue(read('keras.expected.json')) as { rows: Array<{ epoch: number; logs: Record<string, number> }> };
  const run = parseMetricsCsv(read(KERAS));

  it('gives one record per epoch equal to the logs Keras passed, NA cells absent', () => {
    expect(run.warnings).toEqual([]);
    expect(run.records.map((r) => r.values)).toEqual(expected.rows.map((row) => ({ epoch: row.epoch, ...row.logs })));
    expect(read(KERAS)).toMatch(/,NA,NA\r\n/);
  });

  it('keeps the column order Keras wrote: epoch, then the sorted keys', () => {
    expect(Object.keys(run.records[1]!.values)).toEqual(['epoch', 'accuracy', 'loss', 'val_accuracy', 'val_loss']);
  });
});

describe('parseMetricsCsv on written-by-hand and hostile input', () => {
  it('reads non-finite spellings as numbers and other cells as strings', () => {
    const run = parseMetricsCsv('step,a,b,c,d,e,f,g\n1,nan,inf,-inf,NaN,Infinity,adam,1e-05\n');
    const v = run.records[0]!.values;
    expect(v.a).toBeNaN();
    expect(v.d).toBeNaN();
    expect([v.b, v.c, v.e, v.f, v.g]).toEqual([Infinity, -Infinity, Infinity, 'adam', 1e-5]);
  });

  it('warns about a row with the wrong cell count, naming its line, and reads the rest', () => {
    const run = parseMetricsCsv('epoch,step,loss\n0,0,0.5\n0,1\n0,2,0.4,9\n0,3,0.3');
    expect(run.records.map((r) => r.values.step)).toEqual([0, 3]);
    expect(run.warnings).toEqual([
      { line: 3, message: '2 cells, header has 3; row skipped' },
      { line: 4, message: '4 cells, header has 3; row skipped' },
    ]);
  });

  it('has no records for a header alone, and warns on an empty file', () => {
    expect(parseMetricsCsv('epoch,step,loss\r\n')).toEqual({ records: [], warnings: [] });
    expect(parseMetricsCsv('')).toEqual({ records: [], warnings: [{ message: 'empty file' }] });
    expect(parseMetricsCsv('\n\n').records).toEqual([]);
  });

  it('keeps a __proto__ column as a plain key', () => {
    const run = parseMetricsCsv('step,__proto__,constructor\n1,{"x":1},2\n');
    const values = run.records[0]!.values;
    expect(Object.keys(values)).toEqual(['step', '__proto__', 'constructor']);
    expect(values.__proto__).toBe('{"x":1}');
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });

  it('reads quoted cells with commas, quotes and newlines, counting lines right after them', () => {
    const run = parseMetricsCsv('epoch,note,loss\n0,"a, ""b""\nc",0.5\n1,plain,0.4\n');
    expect(run.records).toEqual([
      { values: { epoch: 0, note: 'a, "b"\nc', loss: 0.5 }, line: 2 },
      { values: { epoch: 1, note: 'plain', loss: 0.4 }, line: 4 },
    ]);
  });

  it('drops an unterminated quoted cell at the end with a warning', () => {
    const run = parseMetricsCsv('epoch,loss\n0,0.5\n1,"0.4\n');
    expect(run.records).toHaveLength(1);
    expect(run.warnings).toEqual([{ line: 3, message: 'unterminated quoted cell; row skipped' }]);
  });

  it('skips an unnamed column and says which; a repeated name keeps the later column', () => {
    const run = parseMetricsCsv(',epoch,loss,loss\n0,0,0.5,0.6\n');
    expect(run.records[0]!.values).toEqual({ epoch: 0, loss: 0.6 });
    expect(run.warnings.map((w) => w.message)).toEqual(['column 1 has no name; skipped', 'column "loss" appears twice; the later one is read']);
  });

  it('reads tab- and semicolon-separated files', () => {
    expect(parseMetricsCsv('epoch\tloss\n0\t0.5\n').records[0]!.values).toEqual({ epoch: 0, loss: 0.5 });
    expect(parseMetricsCsv('epoch;loss\n0;0.5\n').records[0]!.values).toEqual({ epoch: 0, loss: 0.5 });
  });

  it('reads any table Python\'s csv writer could write back to the same cells', () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('a,b', 'x"y', 'line\nbreak', 'cr\rlf', ' '));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { maxLength: 8 }), (rows) => {
        // csv.QUOTE_MINIMAL: quote a cell holding the delimiter, a quote or a line end, and a lone
        // empty cell on a row so the row is not mistaken for a blank line.
        const quote = (c: string, alone: boolean) => (/[",\r\n]/.test(c) || (alone && c === '') ? `"${c.replaceAll('"', '""')}"` : c);
        const text = ['a,b,c', ...rows.map((r) => r.map((c) => quote(c, false)).join(','))].join('\r\n') + '\r\n';
        const parsed = parseDelimited(text, ',');
        expect(parsed.warnings).toEqual([]);
        expect(parsed.rows.slice(1).map((r) => r.cells)).toEqual(rows);
      }),
    );
  });
});

describe('looksLikeMetricsCsv', () => {
  const head = (path: string) => readFileSync(ROOT + path, 'utf8').slice(0, 4096);

  it('takes the real Lightning and Keras files', () => {
    expect(looksLikeMetricsCsv('metrics.csv', head(`fixtures/frameworks/files/${LIGHTNING}`))).toBe(true);
    expect(looksLikeMetricsCsv('training.csv', head(`fixtures/frameworks/files/${KERAS}`))).toBe(true);
    // Keras' own docs call the file training.log.
    expect(looksLikeMetricsCsv('training.log', head(`fixtures/frameworks/files/${KERAS}`))).toBe(true);
  });

  it.each(['fixtures/kubeflow/confusion_matrix.csv', 'fixtures/kubeflow/roc.csv', 'fixtures/roc/scores.csv', 'fixtures/matrix/samples.csv'])(
    'leaves %s (not a metrics CSV) alone',
    (path) => {
      expect(looksLikeMetricsCsv(path, head(path))).toBe(false);
    },
  );

  it.each([
    ['metrics.json', 'epoch,loss\n0,1\n'],
    ['run.log', '{"epoch": 0, "loss": 1}\n'],
    ['run.log', 'step,loss\n0,1\n'],
    ['m.csv', 'epoch\n0\n'],
    ['m.csv', 'epoch,loss\n0,1,2\n'],
    ['m.csv', '0,1\n1,2\n'],
    ['m.csv', 'epoch,nan\n'],
  ])('rejects %s holding %j', (name, text) => {
    expect(looksLikeMetricsCsv(name, text)).toBe(false);
  });

  it('ignores a last line the head cut short', () => {
    expect(looksLikeMetricsCsv('m.csv', 'epoch,step,loss\n0,0,0.5\n0,1,0.')).toBe(true);
    expect(looksLikeMetricsCsv('m.csv', 'epoch,step,loss\n0,0')).toBe(true);
  });
});
