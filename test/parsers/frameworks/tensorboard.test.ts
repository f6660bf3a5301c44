import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32c } from '@aws-crypto/crc32c';
import { create, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TensorBoardReader,
  float32Number,
  isTensorBoardFileName,
  looksLikeTensorBoard,
  readTensorBoardEvents,
} from '../../../src/parsers/frameworks/tensorboard.js';
import type { TensorBoardBatch } from '../../../src/parsers/frameworks/tensorboard.js';
import { EventSchema } from '../../../src/parsers/frameworks/tensorboard-proto/gen/tensorboard/compat/proto/event_pb.js';
import { DataClass } from '../../../src/parsers/frameworks/tensorboard-proto/gen/tensorboard/compat/proto/summary_pb.js';
import type {
  SummaryMetadataSchema,
  Summary_ValueSchema,
} from '../../../src/parsers/frameworks/tensorboard-proto/gen/tensorboard/compat/proto/summary_pb.js';
import type { TensorProtoSchema } from '../../../src/parsers/frameworks/tensorboard-proto/gen/tensorboard/compat/proto/tensor_pb.js';
import { DataType } from '../../../src/parsers/frameworks/tensorboard-proto/gen/tensorboard/compat/proto/types_pb.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/frameworks/tensorboard');

// ---- Writing event files, independently of the reader's own framing code ----

/** TFRecord's mask, written out from the TensorFlow record format description. */
function mask(crc: number): number {
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 2 ** 32;
}

function frame(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length + 4);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, mask(crc32c(out.subarray(0, 8))), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, mask(crc32c(data)), true);
  return out;
}

type EventInit = MessageInitShape<typeof EventSchema>;
type ValueInit = MessageInitShape<typeof Summary_ValueSchema>;

function eventBytes(init: EventInit): Uint8Array {
  return toBinary(EventSchema, create(EventSchema, init));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** An event file: a file_version event, then the given events; also each frame's offset. */
function eventFile(events: EventInit[]): { bytes: Uint8Array; offsets: number[] } {
  const frames = [{ wallTime: 1700000000, what: { case: 'fileVersion', value: 'brain.Event:2' } } as EventInit, ...events]
    .map((e) => frame(eventBytes(e)));
  const offsets: number[] = [];
  let at = 0;
  for (const f of frames) { offsets.push(at); at += f.length; }
  return { bytes: concat(frames), offsets: offsets.slice(1) };
}

function summary(step: number, wallTime: number, values: ValueInit[]): EventInit {
  return { step: BigInt(step), wallTime, what: { case: 'summary', value: { value: values } } };
}

function simple(tag: string, v: number): ValueInit {
  return { tag, value: { case: 'simpleValue', value: v } };
}

const SCALARS_META = { pluginData: { pluginName: 'scalars' } };

function tensor(
  tag: string,
  t: MessageInitShape<typeof TensorProtoSchema>,
  metadata?: MessageInitShape<typeof SummaryMetadataSchema>,
): ValueInit {
  return { tag, metadata, value: { case: 'tensor', value: t } };
}

function le(kind: 'f32' | 'f64' | 'i64', v: number): Uint8Array {
  const b = new Uint8Array(kind === 'f32' ? 4 : 8);
  const view = new DataView(b.buffer);
  if (kind === 'f32') view.setFloat32(0, v, true);
  else if (kind === 'f64') view.setFloat64(0, v, true);
  else view.setBigInt64(0, BigInt(v), true);
  return b;
}

/** Records as plain data, for comparing reads. */
function plain(batch: TensorBoardBatch): unknown {
  return { records: batch.records.map((r) => ({ ...r, values: { ...r.values } })), warnings: batch.warnings };
}

// ---- Synthetic files ----

describe('readTensorBoardEvents', () => {
  it('reads simple_value scalars, one record per Event, with step and time', () => {
    const { bytes, offsets } = eventFile([
      summary(3, 1700000001.5, [simple('train/loss', 0.1), simple('train/acc', 0.75)]),
      summary(3, 1700000002.25, [simple('train/loss', 0.2)]), // same step: a record of its own
    ]);
    const { records, warnings } = readTensorBoardEvents(bytes);
    expect(warnings).toEqual([]);
    expect(records).toEqual([
      { values: { step: 3, 'train/loss': 0.1, 'train/acc': 0.75 }, time: '2023-11-14T22:13:21.500Z', offset: offsets[0] },
      { values: { step: 3, 'train/loss': 0.2 }, time: '2023-11-14T22:13:22.250Z', offset: offsets[1] },
    ]);
    expect(Object.keys(records[0]!.values)).toEqual(['step', 'train/loss', 'train/acc']);
  });

  it('gives float32 values as the shortest decimal that reads back as the same float32', () => {
    const { bytes } = eventFile([summary(0, 1, [simple('a', 0.1), simple('b', 1 / 3), simple('c', 123456789), simple('d', NaN), simple('e', -Infinity)])]);
    const v = readTensorBoardEvents(bytes).records[0]!.values;
    expect(v).toEqual({ step: 0, a: 0.1, b: 0.33333334, c: 123456790, d: NaN, e: -Infinity });
    expect(Math.fround(v.b as number)).toBe(Math.fround(1 / 3));
  });

  it('reads TF2 scalar tensors of each encoding, remembering the plugin from the first value of a tag', () => {
    const { bytes, offsets } = eventFile([
      summary(1, 10, [
        tensor('f32/content', { dtype: DataType.DT_FLOAT, tensorContent: le('f32', 0.1) }, SCALARS_META),
        tensor('f32/val', { dtype: DataType.DT_FLOAT, floatVal: [2.5] }, SCALARS_META),
        tensor('f64/content', { dtype: DataType.DT_DOUBLE, tensorContent: le('f64', 0.1) }, SCALARS_META),
        tensor('f64/val', { dtype: DataType.DT_DOUBLE, doubleVal: [1 / 3] }, SCALARS_META),
        tensor('i64/content', { dtype: DataType.DT_INT64, tensorContent: le('i64', -5) }, SCALARS_META),
        tensor('i64/val', { dtype: DataType.DT_INT64, int64Val: [10n ** 15n] }, SCALARS_META),
        tensor('i32', { dtype: DataType.DT_INT32, intVal: [-7] }, SCALARS_META),
        tensor('half', { dtype: DataType.DT_HALF, halfVal: [0x3c00 | 0x200] }, SCALARS_META), // 1.5
        tensor('bf16', { dtype: DataType.DT_BFLOAT16, halfVal: [0x3fc0] }, SCALARS_META), // 1.5
        tensor('zero', { dtype: DataType.DT_FLOAT }, SCALARS_META), // no value written: 0
        tensor('by-class', { dtype: DataType.DT_FLOAT, floatVal: [4] }, { dataClass: DataClass.SCALAR }),
        tensor('rank1', { dtype: DataType.DT_FLOAT, floatVal: [3], tensorShape: { dim: [{ size: 1n }] } }, SCALARS_META),
      ]),
      // Later values of the same tags without metadata, as TF1-era writers do.
      summary(2, 11, [
        tensor('f32/content', { dtype: DataType.DT_FLOAT, tensorContent: le('f32', 0.2) }),
        tensor('f64/val', { dtype: DataType.DT_DOUBLE, doubleVal: [0.2] }),
      ]),
    ]);
    const { records, warnings } = readTensorBoardEvents(bytes);
    expect(warnings).toEqual([]);
    expect(records.map((r) => r.values)).toEqual([
      {
        step: 1, 'f32/content': 0.1, 'f32/val': 2.5, 'f64/content': 0.1, 'f64/val': 1 / 3, 'i64/content': -5,
        'i64/val': 1e15, i32: -7, half: 1.5, bf16: 1.5, zero: 0, 'by-class': 4, rank1: 3,
      },
      { step: 2, 'f32/content': 0.2, 'f64/val': 0.2 },
    ]);
    expect(records.map((r) => r.offset)).toEqual(offsets);
  });

  it('skips histograms, images, audio, text and tensors of other plugins', () => {
    const { bytes } = eventFile([
      summary(1, 10, [
        { tag: 'h', value: { case: 'histo', value: { min: 0, max: 1, num: 2, bucketLimit: [1], bucket: [2] } } },
        { tag: 'img', value: { case: 'image', value: { height: 1, width: 1, colorspace: 1, encodedImageString: new Uint8Array([1]) } } },
        simple('loss', 0.5),
        { tag: 'snd', value: { case: 'audio', value: { sampleRate: 8000 } } },
        tensor('txt', { dtype: DataType.DT_STRING, stringVal: [new TextEncoder().encode('hi')] }, { pluginData: { pluginName: 'text' } }),
        tensor('hist2', { dtype: DataType.DT_FLOAT, floatVal: [1] }, { pluginData: { pluginName: 'histograms' } }),
        tensor('unknown', { dtype: DataType.DT_FLOAT, floatVal: [1] }), // no metadata ever: not known to be a scalar
      ]),
      summary(2, 11, [{ tag: 'h', value: { case: 'histo', value: { num: 1 } } }]), // no scalar: no record
      { step: 3n, wallTime: 12, what: { case: 'sessionLog', value: { status: 1 } } },
    ]);
    const { records, warnings } = readTensorBoardEvents(bytes);
    expect(warnings).toEqual([]);
    expect(records.map((r) => r.values)).toEqual([{ step: 1, loss: 0.5 }]);
  });

  it('keeps a tag first seen under another plugin out, even if a later value says scalars', () => {
    const { bytes } = eventFile([
      summary(1, 1, [tensor('x', { dtype: DataType.DT_FLOAT, floatVal: [1] }, { pluginData: { pluginName: 'custom' } })]),
      summary(2, 2, [tensor('x', { dtype: DataType.DT_FLOAT, floatVal: [2] }, SCALARS_META)]),
    ]);
    expect(readTensorBoardEvents(bytes).records).toEqual([]);
  });

  it('warns once per tag about scalars tensors it cannot read', () => {
    const { bytes, offsets } = eventFile([
      summary(1, 1, [tensor('s', { dtype: DataType.DT_STRING, stringVal: [new Uint8Array([1])] }, SCALARS_META), simple('ok', 1)]),
      summary(2, 2, [tensor('s', { dtype: DataType.DT_STRING, stringVal: [new Uint8Array([1])] })]),
      summary(3, 3, [tensor('v', { dtype: DataType.DT_FLOAT, floatVal: [1, 2], tensorShape: { dim: [{ size: 2n }] } }, SCALARS_META)]),
    ]);
    const { records, warnings } = readTensorBoardEvents(bytes);
    expect(records.map((r) => r.values)).toEqual([{ step: 1, ok: 1 }]);
    expect(warnings).toEqual([
      { offset: offsets[0], message: `tag 's' at offset ${offsets[0]}: unsupported scalars dtype DT_STRING; its values are skipped` },
      { offset: offsets[2], message: `tag 'v' at offset ${offsets[2]}: scalars tensor has 2 elements, not 1; its values are skipped` },
    ]);
  });

  it('stores tags such as __proto__ as own data and keeps a tag named step from overwriting the step', () => {
    const { bytes } = eventFile([summary(5, 1, [simple('__proto__', 1), simple('step', 99)])]);
    const { records, warnings } = readTensorBoardEvents(bytes);
    const values = records[0]!.values;
    expect(Object.getOwnPropertyNames(values)).toEqual(['step', '__proto__']);
    expect(values.step).toBe(5);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining("tag 'step'")]);
  });

  it('skips a record whose data checksum fails and keeps the records around it', () => {
    const { bytes, offsets } = eventFile([summary(1, 1, [simple('a', 1)]), summary(2, 2, [simple('a', 2)]), summary(3, 3, [simple('a', 3)])]);
    const bad = bytes.slice();
    bad[offsets[1]! + 12 + 3]! ^= 0x40; // a byte inside the second record's data
    const { records, warnings } = readTensorBoardEvents(bad);
    expect(records.map((r) => r.values.a)).toEqual([1, 3]);
    expect(warnings).toEqual([{ offset: offsets[1], message: `corrupt record at offset ${offsets[1]}: data checksum mismatch; record skipped` }]);
  });

  it('searches past a corrupt frame header for the next valid record', () => {
    const { bytes, offsets } = eventFile([summary(1, 1, [simple('a', 1)]), summary(2, 2, [simple('a', 2)]), summary(3, 3, [simple('a', 3)])]);
    const bad = bytes.slice();
    bad[offsets[1]! + 9]! ^= 0xff; // the second record's length checksum
    const { records, warnings } = readTensorBoardEvents(bad);
    expect(records.map((r) => r.values.a)).toEqual([1, 3]);
    expect(warnings).toEqual([
      { offset: offsets[1], message: `corrupt record at offset ${offsets[1]}: bad length checksum; skipping to the next valid record` },
      { offset: offsets[2], message: `resumed at offset ${offsets[2]} after skipping ${offsets[2]! - offsets[1]!} corrupt bytes` },
    ]);
  });

  it('keeps the records before corruption that runs to the end of the file', () => {
    const { bytes, offsets } = eventFile([summary(1, 1, [simple('a', 1)]), summary(2, 2, [simple('a', 2)])]);
    const bad = concat([bytes.subarray(0, offsets[1]), new Uint8Array(40).fill(0xab)]);
    const { records, warnings } = readTensorBoardEvents(bad);
    expect(records.map((r) => r.values.a)).toEqual([1]);
    expect(warnings).toEqual([{ offset: offsets[1], message: expect.stringContaining('bad length checksum') }]);
  });

  it('treats a frame with a good checksum but no Event inside as corrupt', () => {
    const { bytes } = eventFile([summary(1, 1, [simple('a', 1)])]);
    const junk = frame(new Uint8Array([0x0a, 0xff])); // a length-delimited field running past the end
    const { records, warnings } = readTensorBoardEvents(concat([bytes, junk, frame(eventBytes(summary(2, 2, [simple('a', 2)])))]));
    expect(records.map((r) => r.values.a)).toEqual([1, 2]);
    expect(warnings).toEqual([{ offset: bytes.length, message: expect.stringMatching(new RegExp(`^corrupt record at offset ${bytes.length}: not an Event`)) }]);
  });

  it('warns once about a truncated last record and keeps the ones before it', () => {
    const { bytes, offsets } = eventFile([summary(1, 1, [simple('a', 1)]), summary(2, 2, [simple('a', 2)])]);
    for (const cut of [offsets[1]! + 5, offsets[1]! + 12, bytes.length - 1]) {
      const { records, warnings } = readTensorBoardEvents(bytes.subarray(0, cut));
      expect(records.map((r) => r.values.a)).toEqual([1]);
      expect(warnings).toEqual([{ offset: offsets[1], message: `truncated record at offset ${offsets[1]} (file still being written?)` }]);
    }
    expect(readTensorBoardEvents(new Uint8Array(0))).toEqual({ records: [], warnings: [] });
  });

  it('reports a wall time that is no time and uses the epoch', () => {
    const { bytes } = eventFile([summary(1, Number.MAX_VALUE, [simple('a', 1)]), summary(2, NaN, [simple('a', 2)])]);
    const { records, warnings } = readTensorBoardEvents(bytes);
    expect(records.map((r) => r.time)).toEqual(['1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z']);
    expect(warnings).toHaveLength(1);
  });
});

describe('TensorBoardReader', () => {
  it('waits for the rest of a record while a file is being written', () => {
    const { bytes, offsets } = eventFile([summary(1, 1, [simple('a', 1)]), summary(2, 2, [simple('a', 2)])]);
    const reader = new TensorBoardReader();
    const first = reader.push(bytes.subarray(0, offsets[1]! + 20));
    expect(first.records.map((r) => r.values.a)).toEqual([1]);
    expect(first.warnings).toEqual([]);
    expect(reader.pendingBytes).toBe(20);
    const second = reader.push(bytes.subarray(offsets[1]! + 20));
    expect(second.records.map((r) => ({ a: r.values.a, offset: r.offset }))).toEqual([{ a: 2, offset: offsets[1] }]);
    expect(reader.end()).toEqual({ records: [], warnings: [] });
    expect(() => reader.push(new Uint8Array(1))).toThrow();
  });

  it('gives the same records and warnings however the bytes are split', () => {
    const { bytes, offsets } = eventFile([
      summary(1, 1, [simple('a', 1)]),
      summary(2, 2, [tensor('t', { dtype: DataType.DT_FLOAT, floatVal: [2] }, SCALARS_META)]),
      summary(3, 3, [simple('a', 3)]),
      summary(4, 4, [tensor('t', { dtype: DataType.DT_FLOAT, floatVal: [4] })]),
      summary(5, 5, [simple('a', 5)]),
    ]);
    const variants = [bytes, bytes.slice(), bytes.slice(), bytes.subarray(0, bytes.length - 3)];
    variants[1]![offsets[1]! + 14]! ^= 1; // data checksum
    variants[2]![offsets[2]! + 2]! ^= 1; // length checksum
    fc.assert(
      fc.property(fc.constantFrom(...variants), fc.array(fc.nat(), { maxLength: 8 }), (file, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (file.length + 1)))].sort((x, y) => x - y);
        const reader = new TensorBoardReader();
        const got: TensorBoardBatch = { records: [], warnings: [] };
        let prev = 0;
        for (const p of [...points, file.length]) {
          const b = reader.push(file.subarray(prev, p));
          got.records.push(...b.records); got.warnings.push(...b.warnings);
          prev = p;
        }
        const last = reader.end();
        got.records.push(...last.records); got.warnings.push(...last.warnings);
        expect(plain(got)).toEqual(plain(readTensorBoardEvents(file)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('float32Number', () => {
  it('is the shortest decimal that reads back as the same float32', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const x = Math.fround(f);
        const y = float32Number(x);
        expect(Math.fround(y)).toBe(x);
        if (x !== 0) {
          // Significant digits of y's own shortest form: "-1.25e-7" -> 3, "0.001" -> 1, "120" -> 2.
          const digits = String(y).replace(/e.*$/, '').replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
          if (digits > 1) expect(Math.fround(Number(x.toPrecision(digits - 1)))).not.toBe(x);
        }
      }),
    );
    expect(float32Number(Math.fround(0.1))).toBe(0.1);
    expect(Object.is(float32Number(-0), -0)).toBe(true);
  });
});

describe('isTensorBoardFileName and looksLikeTensorBoard', () => {
  it('matches event file names only', () => {
    expect(isTensorBoardFileName('events.out.tfevents.1700000000.host.123.0.v2')).toBe(true);
    expect(isTensorBoardFileName('runs/exp1/events.out.tfevents.1700000000.host')).toBe(true);
    expect(isTensorBoardFileName('C:\\runs\\events.out.tfevents.1')).toBe(true);
    expect(isTensorBoardFileName('events.out.tfevents.')).toBe(false);
    expect(isTensorBoardFileName('events.out.tfevents')).toBe(false);
    expect(isTensorBoardFileName('events.out.tfevents.1/metrics.jsonl')).toBe(false);
    expect(isTensorBoardFileName('my.events.out.tfevents.1')).toBe(false);
  });

  it('recognises an event file by its first frame', () => {
    const { bytes } = eventFile([summary(1, 1, [simple('a', 1)])]);
    expect(looksLikeTensorBoard(bytes)).toBe(true);
    expect(looksLikeTensorBoard(bytes.subarray(0, 12))).toBe(true);
    expect(looksLikeTensorBoard(bytes.subarray(0, 11))).toBe(false);
    expect(looksLikeTensorBoard(new TextEncoder().encode('{"loss": 0.5, "step": 1}\n{"loss": 0.4}\n'))).toBe(false);
    const bad = bytes.slice();
    bad[14]! ^= 1;
    expect(looksLikeTensorBoard(bad)).toBe(false);
  });
});

// ---- Files written by real Python writers (see the fixtures' README) ----

interface Expected {
  file: string;
  scalars: Array<{ tag: string; step: number; wall_time: number; value: number; dtype: string }>;
}

const expectations = readdirSync(FIXTURES).filter((n) => n.endsWith('.expected.json')).sort();

describe('event files written by Python writers', () => {
  it('has the fixtures', () => {
    expect(expectations).toEqual(
      ['keras-train', 'keras-validation', 'tensorboard-writer', 'tensorboardx', 'tf1', 'tf2', 'torch'].map((n) => `${n}.expected.json`),
    );
  });

  it.each(expectations)('%s: the scalars TensorBoard reads, as numbers that match', (name) => {
    const expected = JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Expected;
    expect(isTensorBoardFileName(expected.file)).toBe(true);
    const bytes = new Uint8Array(readFileSync(join(FIXTURES, expected.file)));
    expect(looksLikeTensorBoard(bytes.subarray(0, 64))).toBe(true);
    const { records, warnings } = readTensorBoardEvents(bytes);
    expect(warnings).toEqual([]);
    const got = records.flatMap((r) =>
      Object.entries(r.values).filter(([k]) => k !== 'step').map(([tag, value]) => ({ tag, step: r.values.step, time: r.time, value })),
    );
    expect(got.map((g) => [g.tag, g.step, g.time])).toEqual(
      expected.scalars.map((s) => [s.tag, s.step, new Date(Math.round(s.wall_time * 1000)).toISOString()]),
    );
    got.forEach((g, i) => {
      const want = expected.scalars[i]!;
      if (want.dtype === 'simple_value' || want.dtype === 'float32') {
        // TensorBoard's reader shows the float32 widened; we give its shortest decimal.
        expect(Math.fround(g.value as number)).toBe(Math.fround(want.value));
        expect(g.value).toBe(float32Number(Math.fround(want.value)));
      } else {
        expect(g.value).toBe(want.value);
      }
    });
  });

  it('gives the values the writers were handed, where float32 holds them', () => {
    const read = (dir: string): TensorBoardBatch => {
      const expected = JSON.parse(readFileSync(join(FIXTURES, `${dir}.expected.json`), 'utf8')) as Expected;
      return readTensorBoardEvents(new Uint8Array(readFileSync(join(FIXTURES, expected.file))));
    };
    const x = read('tensorboardx').records.map((r) => r.values);
    expect(x.filter((v) => 'train/acc' in v).map((v) => v['train/acc'])).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(x.filter((v) => 'train/loss' in v).map((v) => [v.step, v['train/loss']])).toEqual([[0, 1], [1, 0.5], [2, 0.33333334], [3, 0.25], [4, 0.2], [4, 0.125]]);
    expect(x.find((v) => 'titled' in v)).toEqual({ step: 0, titled: 42 });
    const torch = read('torch').records.map((r) => r.values);
    expect(torch.filter((v) => 'lr' in v).map((v) => v.lr)).toEqual([0.001, 0.002, 0.003]);
    expect(torch.filter((v) => 'val/exact' in v).map((v) => v['val/exact'])).toEqual([0.1, 1.1, 2.1]); // float64: exact
    const tf2 = read('tf2').records.map((r) => r.values);
    expect(tf2.filter((v) => 'raw/i64' in v).map((v) => v['raw/i64'])).toEqual([1e15, 1e15 + 1, 1e15 + 2]);
    expect(tf2.filter((v) => 'raw/f64' in v).map((v) => v['raw/f64'])).toEqual([0, 0.1, 0.2]);
    expect(tf2.filter((v) => 'acc' in v).map((v) => v.acc)).toEqual([0, 0.3, 0.6]);
    const tf1 = read('tf1').records.map((r) => r.values);
    expect(tf1).toEqual([{ step: 0, loss: 0.7, double: 1.4 }, { step: 1, loss: 1.7, double: 3.4 }, { step: 2, loss: 2.7, double: 5.4 }]);
  });
});
