/**
 * What real frameworks print, read back by the line reader with its default dialects, compared
 * with the numbers each framework itself computed (fixtures/frameworks/logs/*.truth.json, written
 * by the training scripts in test/children/frameworks/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader, type ReadOptions } from '../../src/parsers/source.js';
import { mayBeKerasLine } from '../../src/parsers/dialects/keras.js';
import { mayBeKerasAt } from '../../src/parsers/fast/keras-bytes.js';
import type { JsonObject, MetadataRecord } from '../../src/core/types.js';
import { ROOT } from '../helpers/run-cli.js';

const LOGS = join(ROOT, 'fixtures/frameworks/logs');

function readLog(name: string, options: ReadOptions = {}, chunk = 4093): MetadataRecord[] {
  const bytes = readFileSync(join(LOGS, name));
  const records: MetadataRecord[] = [];
  const reader = new LineReader(name, { record: (r) => records.push(r), diagnostic: () => undefined }, { now: () => 0, ...options });
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.subarray(i, i + chunk));
  reader.end();
  return records;
}

function truth<T>(name: string): T {
  return JSON.parse(readFileSync(join(LOGS, name), 'utf8')) as T;
}

/** Each number in `printed` is the framework's value as printed (rounded): within `tolerance`, relative. */
function expectClose(printed: JsonObject, exact: JsonObject, tolerance: number): void {
  for (const [key, value] of Object.entries(printed)) {
    const want = exact[key];
    expect(typeof want, key).toBe('number');
    expect(Math.abs((value as number) - (want as number)), key).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want as number)));
  }
}

describe('Keras 3 model.fit output', () => {
  type KerasTruth = { epochs: JsonObject[] };
  for (const name of ['keras3-verbose1.pipe', 'keras3-verbose1.tty', 'keras3-verbose1.tty-split.stdout', 'keras3-verbose2.pipe', 'keras3-verbose2.tty']) {
    it(`${name}: one record per epoch, with History's values to the 4 printed decimals`, () => {
      const records = readLog(`${name}.log`);
      const expected = truth<KerasTruth>(`${name.replace('.stdout', '')}.truth.json`).epochs;
      expect(records.map((r) => r.values['epoch'])).toEqual(expected.map((e) => e['epoch']));
      records.forEach((record, i) => {
        expect(Object.keys(record.values).sort()).toEqual(Object.keys(expected[i]!).sort());
        expectClose(record.values, expected[i]!, 5e-5);
      });
    });
  }

  it('reads the same records in any chunking', () => {
    const whole = readLog('keras3-verbose1.pipe.log', {}, 1 << 30).map((r) => r.values);
    for (const chunk of [1, 7, 64, 1000]) expect(readLog('keras3-verbose1.pipe.log', {}, chunk).map((r) => r.values)).toEqual(whole);
  });

  it('reads none with --dialect json (Valohai parity)', () => {
    expect(readLog('keras3-verbose1.pipe.log', { dialects: new Set(['json']) })).toEqual([]);
  });

  it('does not chart an epoch twice when the job prints its own metadata too', () => {
    const log = [
      'Epoch 1/2',
      '8/8 - 0s - 42ms/step - accuracy: 0.5703 - loss: 0.6890',
      '{"epoch": 1, "accuracy": 0.5703125, "loss": 0.6890184879302979}',
      'Epoch 2/2',
      '8/8 - 0s - 42ms/step - accuracy: 0.7773 - loss: 0.5056',
      '{"epoch": 2, "accuracy": 0.77734375, "loss": 0.5055918097496033}',
      '',
    ].join('\n');
    const records: MetadataRecord[] = [];
    const reader = new LineReader('-', { record: (r) => records.push(r), diagnostic: () => undefined });
    reader.push(Buffer.from(log));
    reader.end();
    expect(records.map((r) => r.values['loss'])).toEqual([0.6890184879302979, 0.5055918097496033]);
  });
});

describe('Keras epochs while the job runs', () => {
  it("an epoch's record is delivered when the next epoch's header arrives, not held to the end", () => {
    const records: MetadataRecord[] = [];
    const reader = new LineReader('-', { record: (r) => records.push(r), diagnostic: () => undefined });
    reader.push(Buffer.from('Epoch 1/3\n8/8 - 0s - 42ms/step - loss: 0.6890\n'));
    expect(records).toHaveLength(0);
    reader.push(Buffer.from('Epoch 2/3\n'));
    expect(records.map((r) => r.values)).toEqual([{ epoch: 1, loss: 0.689 }]);
    // The job starts printing its own metadata: Keras bars from then on are progress only.
    reader.push(Buffer.from('8/8 - 0s - 42ms/step - loss: 0.5\n{"epoch": 2, "loss": 0.5}\nEpoch 3/3\n8/8 - 0s - 42ms/step - loss: 0.4\n'));
    reader.end();
    expect(records.map((r) => r.values)).toEqual([{ epoch: 1, loss: 0.689 }, { epoch: 2, loss: 0.5 }]);
  });
});

describe('Hugging Face Trainer output (Transformers 5: values as strings)', () => {
  type HfTruth = { log_history: JsonObject[] };
  for (const name of ['hf-trainer.pipe', 'hf-trainer-notqdm.pipe', 'hf-trainer.tty-split.stdout']) {
    it(`${name}: every logged dict, numbers to the 4 significant digits printed`, () => {
      const records = readLog(`${name}.log`);
      const expected = truth<HfTruth>(`${name.replace('.stdout', '')}.truth.json`).log_history;
      expect(records).toHaveLength(expected.length);
      records.forEach((record, i) => {
        // The Trainer prints its log's keys in order, less `step` (and the final `total_flos`).
        const { step: _step, total_flos: _flos, ...logged } = expected[i]!;
        expect(Object.keys(record.values)).toEqual(Object.keys(logged));
        expectClose(record.values, logged, 1e-3);
      });
    });
  }
});

describe('the byte test that lets the reader skip lines', () => {
  it('is never true where the text test is false, and true for every Keras line the fixtures hold', () => {
    for (const name of ['keras3-verbose1.pipe.log', 'keras3-verbose2.pipe.log', 'keras3-verbose1.tty.log']) {
      const lines = readFileSync(join(LOGS, name), 'utf8').split('\n');
      const kerasLines = lines.filter((line) => /\d+\/\d+ /.test(line) || /^Epoch \d+\//.test(line));
      expect(kerasLines.length).toBeGreaterThan(2);
      for (const line of kerasLines) expect(mayBeKerasAt(Buffer.from(line), 0, Buffer.byteLength(line)), line.slice(0, 60)).toBe(true);
    }
    const piece = fc.constantFrom('\r', '\b', ' ', '\x1b[1m', '\x1b[0m', 'Epoch ', '3', '12', '/', ': ', '- ', '━', 'x', '{');
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')), (text) => {
      const bytes = Buffer.from(text);
      if (mayBeKerasAt(bytes, 0, bytes.length)) expect(mayBeKerasLine(text)).toBe(true);
    }), { numRuns: 5000 });
  });
});
