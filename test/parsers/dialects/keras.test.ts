/**
 * The Keras progress dialect against real Keras 3 output (captured from model.fit on torch, with
 * History saved beside it), Keras 2 output rebuilt from Keras 2's Progbar source, look-alikes that
 * must stay unread, and a property over Progbar's own formatting.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../../../src/core/types.js';
import { KerasProgress, mayBeKerasLine, readKerasLine } from '../../../src/parsers/dialects/keras.js';
import { parseJsonValue } from '../../../src/parsers/json.js';
import { ROOT } from '../../helpers/run-cli.js';

const DIR = join(ROOT, 'fixtures/dialects');

/** Lines as the reader splits them: at `\n`, one trailing `\r` dropped, a last line without `\n` kept. */
function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** Feeds every line the hot path would let through (mayBeKerasLine), then end(). */
function read(lines: string[], options: { ansi?: 'keep' | 'strip'; gate?: boolean } = {}): JsonObject[] {
  const keras = new KerasProgress();
  const records: JsonObject[] = [];
  for (const raw of lines) {
    const line = options.ansi === 'strip' ? stripAnsi(raw) : raw;
    if (options.gate !== false && !mayBeKerasLine(line)) {
      // A skipped line still ends the wait of a held-back record: the caller says so with an empty line.
      records.push(...keras.line(''));
      continue;
    }
    records.push(...keras.line(line));
  }
  records.push(...keras.end());
  return records;
}

function readFixture(name: string, options?: { ansi?: 'keep' | 'strip'; gate?: boolean }): JsonObject[] {
  return read(linesOf(readFileSync(join(DIR, name), 'utf8')), options);
}

interface Expected {
  epochs: JsonObject[];
  evaluate?: JsonObject;
}

function expectedOf(name: string): Expected {
  // Python's json.dump writes NaN and Infinity; the project's own parser reads them.
  return parseJsonValue(readFileSync(join(DIR, name), 'utf8')) as unknown as Expected;
}

/** Whether `printed` is `exact` as Progbar prints it: `%.4f` above 1e-3, else `%.4e`. */
function samePrinted(printed: JsonValue | undefined, exact: JsonValue | undefined): boolean {
  if (typeof printed !== 'number' || typeof exact !== 'number') return false;
  if (Number.isNaN(exact)) return Number.isNaN(printed);
  if (!Number.isFinite(exact)) return printed === exact;
  if (Math.abs(exact) > 1e-3) return Math.abs(printed - exact) <= 0.5e-4 + 1e-12;
  return exact === 0 ? printed === 0 : Math.abs(printed - exact) <= Math.abs(exact) * 0.5e-4;
}

function expectMatches(records: JsonObject[], expected: Expected, label: string): void {
  const wanted = [...expected.epochs, ...(expected.evaluate ? [expected.evaluate] : [])];
  expect(records.length, label).toBe(wanted.length);
  records.forEach((record, i) => {
    const want = wanted[i] as JsonObject;
    expect(Object.keys(record).sort(), `${label} record ${i}`).toEqual(Object.keys(want).sort());
    expect(record.epoch, `${label} record ${i} epoch`).toBe(want.epoch);
    for (const [key, value] of Object.entries(want)) {
      if (key === 'epoch') continue;
      expect(samePrinted(record[key], value), `${label} record ${i} ${key}: printed ${String(record[key])}, History ${String(value)}`).toBe(true);
    }
  });
}

describe('KerasProgress on captured and rebuilt output', () => {
  // Each log beside the History (or, for Keras 2, the logs) that produced it. Epoch records come
  // first, then evaluate()'s record, which has no epoch; predict() makes none.
  const cases: Array<[string, string]> = [
    ['keras3-verbose1-pipe.log', 'real Keras 3, verbose=1 into a pipe: still \\b/\\r redraws and colours'],
    ['keras3-verbose1-tty.log', 'real Keras 3, verbose=1 under a pty: \\r\\n line ends'],
    ['keras3-verbose2.log', 'real Keras 3, verbose=2'],
    ['keras3-verbose2-tty.log', 'real Keras 3, verbose=2 under a pty'],
    ['keras3-verbose1-nondynamic.log', 'real Keras 3 with the dynamic display off, as on Windows into a pipe'],
    ['keras3-unknown-total.log', 'real Keras 3 on a loader without a length: N/Unknown in epoch 1'],
    ['keras3-one-epoch.log', 'real Keras 3, epochs=1: no Epoch header, so no epoch key'],
    ['keras3-odd-values.log', 'real Keras 3 metrics at inf, nan, 0, negative and below 1e-3'],
    ['keras3-callback-json.log', 'real Keras 3 with a callback printing JSON after a batch redraw'],
    ['keras2-verbose1-tty.log', 'Keras 2 (tf-keras) verbose=1, rebuilt: ETA redraws, evaluate() after'],
    ['keras2-verbose2.log', 'Keras 2 (tf-keras 2.15) verbose=2, rebuilt: /epoch and /step after the metrics'],
    ['keras22-verbose1-pipe.log', 'standalone Keras 2.2 verbose=1 into a pipe, rebuilt: a line per redraw'],
    ['keras22-verbose2.log', 'standalone Keras 2.2 verbose=2, rebuilt: no step count'],
  ];
  for (const [name, what] of cases) {
    it(`${name}: ${what}`, () => {
      const expected = expectedOf(name.replace(/\.log$/, '.expected.json'));
      expectMatches(readFixture(name), expected, `${name} raw`);
      expectMatches(readFixture(name, { ansi: 'strip' }), expected, `${name} ANSI stripped first`);
      expectMatches(readFixture(name, { gate: false }), expected, `${name} every line fed`);
    });
  }

  it('keeps the printed order of keys, epoch first', () => {
    const [first] = readFixture('keras3-verbose1-pipe.log');
    expect(Object.keys(first ?? {})).toEqual(['epoch', 'accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const [keras2] = readFixture('keras2-verbose2.log');
    expect(Object.keys(keras2 ?? {})).toEqual(['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']);
  });

  it('reads the bundled Keras 2 log (fixtures/keras.log) to the numbers its JSON lines print', () => {
    // That log prints a JSON line per epoch beside the bar: the bar's final lines must agree with it.
    const text = readFileSync(join(ROOT, 'fixtures/keras.log'), 'utf8');
    const json = linesOf(text)
      .map((line) => line.slice(line.lastIndexOf('\r') + 1))
      .filter((line) => line.startsWith('{"epoch"'))
      .map((line) => JSON.parse(line) as JsonObject);
    const records = read(linesOf(text)).filter((record) => record.epoch !== undefined);
    expect(json.length).toBe(20);
    expectMatches(records, { epochs: json }, 'keras.log');
  });
});

describe('one line at a time', () => {
  function feed(...lines: string[]): JsonObject[] {
    return read(lines, { gate: false });
  }

  it('reads the verbose=2 line of the issue, and drops the units', () => {
    expect(feed('Epoch 1/10', '1875/1875 - 4s - loss: 1.7754 - accuracy: 0.3172 - val_loss: 1.8254 - val_accuracy: 0.2972')).toEqual([
      { epoch: 1, loss: 1.7754, accuracy: 0.3172, val_loss: 1.8254, val_accuracy: 0.2972 },
    ]);
  });

  it('applies \\b and \\r redraws: only the final one counts', () => {
    const w = '  1/469 [..............................] - ETA: 1:05 - loss: 2.3000'.length;
    const line = `\r  1/469 [..............................] - ETA: 1:05 - loss: 2.3000${'\b'.repeat(w)}\r469/469 [==============================] - 4s 2ms/step - loss: 0.3000 - val_loss: 0.2500`;
    expect(feed('Epoch 3/5', line)).toEqual([{ epoch: 3, loss: 0.3, val_loss: 0.25 }]);
  });

  it('takes the last Keras segment of a line, past a segment someone else wrote after it', () => {
    const final = '469/469 [==============================] - 4s 2ms/step - loss: 0.3000';
    expect(feed('Epoch 4/5', `\r 12/469 [>.............................] - ETA: 3s - loss: 0.9000\r${final}\r{"epoch": 4}`)).toEqual([{ epoch: 4, loss: 0.3 }]);
    // Keras 3's last batch redraw looks final; it is not, unless it ends the line.
    const redraw = '8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 60ms/step - loss: 0.6464';
    expect(feed('Epoch 1/2', `\r${redraw}\r{"epoch": 1}`)).toEqual([]);
    expect(feed('Epoch 1/2', `\r${redraw}\r    \r`)).toEqual([{ epoch: 1, loss: 0.6464 }]);
  });

  it('applies a \\b inside a segment as a terminal does', () => {
    expect(feed('Epoch 1/2', '\r1/1 - 0s - 1ms/step - loss: 0.9\b5000')).toEqual([{ epoch: 1, loss: 0.5 }]);
  });

  it('reads Python float spellings', () => {
    expect(feed('Epoch 2/2', '10/10 - 1s - 5ms/step - a: nan - b: inf - c: -inf - d: 1.2000e-05 - e: -1.5000 - f: 0.0000e+00 - g: 3')).toEqual([
      { epoch: 2, a: NaN, b: Infinity, c: -Infinity, d: 1.2e-5, e: -1.5, f: 0, g: 3 },
    ]);
  });

  it('makes evaluate() a record without epoch, predict() nothing, and uses a header once', () => {
    expect(feed('Epoch 3/3', '8/8 - 0s - 45ms/step - loss: 0.3405', '2/2 - 0s - 34ms/step - loss: 0.3507', '2/2 - 0s - 9ms/step')).toEqual([
      { epoch: 3, loss: 0.3405 },
      { loss: 0.3507 },
    ]);
  });

  it('keeps a metric named __proto__ as data', () => {
    const [record] = feed('Epoch 1/2', '1/1 - 0s - 1ms/step - __proto__: 0.5000');
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record ?? {})).toEqual(['epoch', '__proto__']);
  });

  const lookAlikes: Array<[string, string]> = [
    ['Epoch 1: val_accuracy improved from -inf to 0.95170, saving model to ckpt.h5', 'ModelCheckpoint'],
    ['Epoch 0: 100%|██████████| 50/50 [00:01<00:00, 38.2it/s, train_loss=0.52]', 'Lightning tqdm bar'],
    ['10/10 [00:00<00:00, 448.34it/s]', 'tqdm counter'],
    ['11490434/11490434 [==============================] - 0s 0us/step', 'a download bar: no metrics'],
    ['469/469 - loss: 0.3000', 'no time: not Progbar'],
    ['469/469 [==============================] - 4s 2ms/step - loss: 0.3000{"epoch": 1}', 'JSON glued to the bar'],
    ['469/469 [==============================] - 4s 2ms/step - loss: 0.3000 Traceback', 'text glued to a value'],
    ['469/469 [==============================] - 4s 2ms/step - loss: 1,5', 'not a Python float'],
    ['469/469 [==============================] - ETA: 0s - loss: 0.3000', 'a redraw with ETA'],
    ['468/469 [=============================>] - 4s 2ms/step - loss: 0.3000', 'not at its total'],
    ['2026/11/22 10:00:01 loss: 0.5', 'a date'],
    [' - 4s - loss: 0.5000', 'the count-less Keras 2.2 line with no header before it'],
    ['{"epoch": 1, "loss": 0.5}', 'a JSON line'],
    ['loss: 0.5', 'a bare metric'],
  ];
  for (const [line, what] of lookAlikes) {
    it(`reads nothing from ${what}`, () => {
      expect(feed(line)).toEqual([]);
    });
  }

  it('holds a Keras 3 bar from a display that is not dynamic until the next line says it was the last', () => {
    const keras = new KerasProgress();
    expect(keras.line('Epoch 1/2')).toEqual([]);
    expect(keras.line('8/8 ━━━━━━━━━━━━━━━━━━━━ 0s 60ms/step - loss: 0.6464')).toEqual([]);
    expect(keras.line('8/8 ━━━━━━━━━━━━━━━━━━━━ 1s 75ms/step - loss: 0.6464 - val_loss: 0.5304')).toEqual([]);
    expect(keras.line('Epoch 2/2')).toEqual([{ epoch: 1, loss: 0.6464, val_loss: 0.5304 }]);
    expect(keras.line('8/8 ━━━━━━━━━━━━━━━━━━━━ 1s 75ms/step - loss: 0.4394 - val_loss: 0.4184')).toEqual([]);
    expect(keras.end()).toEqual([{ epoch: 2, loss: 0.4394, val_loss: 0.4184 }]);
    expect(keras.end()).toEqual([]);
  });
});

describe('mayBeKerasLine', () => {
  const yes = ['Epoch 1/3', '\r\x1b[1m1/8\x1b[0m ━━', '\r      1/Unknown 0s', '\b\b\b\r469/469 [===', ' - 4s - loss: 0.5', '  1/469 [....'];
  const no = ['{"a": 1}', 'loss: 0.5', 'Training: 100%|', '\r 10%|#', 'INFO:root:{"a": 1}', '', '   ', '12 steps', '-1/2', 'Epochs 1/3', 'Epoch 3: val_accuracy improved', 'Epoch 0:  20%|██', 'Epoch /3'];
  for (const line of yes) it(`lets ${JSON.stringify(line)} through`, () => expect(mayBeKerasLine(line)).toBe(true));
  for (const line of no) it(`skips ${JSON.stringify(line)}`, () => expect(mayBeKerasLine(line)).toBe(false));

  it('lets every line through that yields a record, in every fixture', () => {
    for (const name of ['keras3-verbose1-pipe.log', 'keras3-unknown-total.log', 'keras2-verbose1-tty.log', 'keras22-verbose1-pipe.log', 'keras22-verbose2.log']) {
      const lines = linesOf(readFileSync(join(DIR, name), 'utf8'));
      expect(read(lines, { gate: true }), name).toEqual(read(lines, { gate: false }));
    }
  });
});

describe('Progbar formatting, read back', () => {
  // Python's `%.4f` above 1e-3 and `%.4e` below (abs for verbose=1), as keras.utils.Progbar prints.
  function pyFormat(value: number): string {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    if (Math.abs(value) > 1e-3) return value.toFixed(4);
    const [mantissa, exponent = '0'] = value.toExponential(4).split('e');
    const e = Number(exponent);
    return `${mantissa ?? ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }

  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
  const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(NaN, Infinity, -Infinity, 0, 1e-5, -2e-4));
  const metrics = fc.uniqueArray(fc.tuple(name, value), { minLength: 1, maxLength: 6, selector: ([key]) => key });

  it('gives each epoch its metrics, as printed, through redraws in both Keras versions', () => {
    fc.assert(
      fc.property(metrics, fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 99 }), fc.boolean(), fc.integer({ min: 0, max: 4 }), (pairs, total, epoch, keras3, redraws) => {
        const info = pairs.map(([key, v]) => ` - ${key}: ${pyFormat(v)}`).join('');
        const count = (n: number) => `${String(n).padStart(String(total).length)}/${total}`;
        const bar = (n: number) => (keras3 ? `\x1b[1m${count(n)}\x1b[0m \x1b[32m${'━'.repeat(Math.floor((20 * n) / total))}\x1b[0m\x1b[37m${'━'.repeat(20 - Math.floor((20 * n) / total))}\x1b[0m` : `${count(n)} [${'='.repeat(Math.floor((30 * n) / total))}${'.'.repeat(30 - Math.floor((30 * n) / total))}]`);
        let line = '';
        let previous = 0;
        for (let k = 1; k <= redraws; k++) {
          const n = Math.max(1, Math.floor((k * total) / (redraws + 1)));
          const text = keras3 ? `${bar(n)} \x1b[1m3s\x1b[0m 12ms/step${info}` : `${bar(n)} - ETA: 3s${info}`;
          line += `${'\b'.repeat(previous)}\r${text}`;
          previous = stripAnsi(text).length;
        }
        // Progbar pads a redraw shorter than the one before with spaces.
        const final = `${bar(total)}${keras3 ? ' \x1b[1m4s\x1b[0m 2ms/step' : ' - 4s 2ms/step'}${info}`;
        line += `${'\b'.repeat(previous)}\r${final}${' '.repeat(Math.max(0, previous - stripAnsi(final).length))}`;
        const want: JsonObject = { epoch };
        for (const [key, v] of pairs) want[key] = Number(pyFormat(v).replace('inf', 'Infinity').replace('nan', 'NaN'));
        expect(read([`Epoch ${epoch}/99`, line])).toEqual([want]);
      }),
      { numRuns: 300 },
    );
  });

  it('reads what it accepts as a Keras line without throwing on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('1', '/', ' ', '-', ':', 'a', 's', '\b', '\r', '━', '[', ']', '=', '.', 'e', 'n') }), (text) => {
        const keras = new KerasProgress();
        keras.line('Epoch 1/1');
        for (const record of keras.line(text)) for (const v of Object.values(record)) expect(typeof v).toBe('number');
        // What reads as a Keras line gets past the cheap predicate.
        if (readKerasLine(text) !== undefined) expect(mayBeKerasLine(text)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
