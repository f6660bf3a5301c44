/**
 * Fuzzed training-log lines shared by the property tests, and the plain reader they are checked
 * against: split at \n, drop one trailing \r, decode every line with a `{` and hand it to the
 * full grammar (classifyLine), then toRecord.
 */
import fc from 'fast-check';
import { MAX_DEPTH } from '../../src/parsers/json.js';
import { classifyLine, splitTimestampPrefix } from '../../src/parsers/line.js';
import { toRecord } from '../../src/parsers/metadata.js';
import { restrictKeys } from '../../src/parsers/fast/partial.js';
import type { ReadOptions } from '../../src/parsers/source.js';
import type { Diagnostic, JsonObject, JsonValue, MetadataRecord } from '../../src/core/types.js';
import { pythonDumps as dumps } from './python-json.js';
import { KerasProgress, mayBeKerasLine } from '../../src/parsers/dialects/keras.js';
import { CriJoiner, splitKnownPrefix } from '../../src/parsers/dialects/prefixes.js';

/** The clock the readers are given: records without a time of their own get this one. */
export const NOW = Date.parse('2026-11-23T12:00:00.000Z');

export const KEYS = ['accuracy', 'loss', 'step', 'epoch', 'val', 'val.loss', '_time', 'vh_metadata', '__proto__', 'constructor', '10', '2', 'naïve', 'a\u009bb', '\ufffd'];
const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) });
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(NaN, Infinity, -Infinity, -0, 0.1, 1e21, 1e-7, 123456789012345680000));
const text = fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('2017-04-04T15:03:39.321000', 'soon', '\x1b[31mred', 'a\u009bb', '"q"\\', 'NaN'));
const leaf = fc.oneof(number, text, fc.boolean(), fc.constant(null));
export const tree = fc.letrec<{ value: JsonValue; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, leaf, leaf, fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
}));

/** Lines near the interesting boundaries: valid records in several spellings, and the ways they break. */
export const recordLine = fc
  .tuple(tree.object, fc.constantFrom<[string, string]>([', ', ': '], [',', ':'], [' ,\t', ' : '], [',  ', ':']), fc.nat(100))
  .map(([object, [comma, colon], roll]) => {
    const line = dumps(object, comma, colon);
    if (roll < 55) return line;
    if (roll < 60) return `{"vh_metadata": ${line}}`;
    if (roll < 64) return `2026-11-22T10:00:01.5Z ${line}`;
    if (roll < 67) return `\x1b[32m${line}\x1b[0m`;
    if (roll < 70) return `  ${line}\t`;
    if (roll < 73) return `${line}\r`;
    if (roll < 75) return `progress 3%\r${line}`;
    if (roll < 78) return line.replace(/"/g, (q, at: number) => (at % 7 === 1 ? '\\u0022' : q));
    if (roll < 81) return line.slice(0, Math.max(1, line.length - 1 - (roll % 4)));
    if (roll < 84) return `${line.slice(0, -1)}, "accuracy": ${roll % 2 ? 'NaN' : '0.5'}}`;
    if (roll < 87) return `${line}${line}`;
    if (roll < 89) return `INFO:root:${line}`;
    if (roll < 91) return line.replace(/\d/, 'x');
    if (roll < 93) return `{"accuracy": 1, "accuracy": 2, "loss": {"a": [1, {"b": ${line}}]}}`;
    if (roll < 95) return `${'{"val": '.repeat(MAX_DEPTH - 2 + (roll % 4))}${line}${'}'.repeat(MAX_DEPTH - 2 + (roll % 4))}`;
    if (roll < 96) return line.replace(/: /, ':\u00a0');
    // The prefix and bar dialects, and their look-alikes.
    return [
      `[rank${roll % 4}]: ${line}`, `[pod/train-7f/main] ${line}`, `trainer-1  | ${line}`, `2026-11-22 10:00:01,123 - INFO - ${line}`,
      `WARNING:torch.distributed:${line}`, `Epoch 0: 100%|██████████| 50/50 [00:01<00:00, train_loss=0.52]${line}`, `config = ${line}`,
      `2026-11-22T10:00:01.5Z stdout F ${line}`, `2026-11-22T10:00:01.5Z stdout P ${line.slice(0, 5)}\n2026-11-22T10:00:02Z stdout F ${line.slice(5)}`,
      `note | ${line}`, `[x] ${line}`, `7/8 ━━━━━━━━━━━━━━━━━━━━ 0s 40ms/step - loss: 0.6705${line}`,
    ][(roll + line.length) % 12] as string;
  });
/**
 * Lines the grammar strips or splits before reading: records wrapped in colour codes or other
 * escape sequences, and progress bars redrawn with \r before, between or after records.
 */
const escape = fc.constantFrom('\x1b[0m', '\x1b[32m', '\x1b[1;32m', '\x1b[m', '\x1b[?25l', '\x1b[2K', '\x1b]0;title\x07', '\x1b(B', '\x1b7', '\u009b31m', '\x1b[', '\x1b');
const bar = fc.constantFrom('Epoch 1:  40%|████      | 400/1000 [00:04<00:06, 98.1it/s, loss=0.5]', 'step 3/10', '', '  ', '\t', '{name}', 'x {"a": 1}', '2026-11-22T10:00:01Z {"a": 1}', '\x0b');
export const decoratedLine = fc
  .tuple(recordLine, fc.array(escape, { maxLength: 2 }), fc.array(escape, { maxLength: 2 }), fc.array(fc.oneof(bar, recordLine), { maxLength: 3 }), fc.nat(4), fc.constantFrom('', ' ', '\t', '\x0b', '\f '))
  .map(([line, before, after, segments, at, pad]) => {
    const parts = [...segments];
    parts.splice(Math.min(at, parts.length), 0, `${pad}${line}${pad}`);
    return `${before.join('')}${parts.join('\r')}${after.join('')}`;
  });
/** Keras progress output and its look-alikes, alone or behind a timestamp (a saved log). */
const kerasLine = fc.tuple(fc.constantFrom(
  'Epoch 1/3', 'Epoch 2/3', '8/8 - 0s - 42ms/step - accuracy: 0.5703 - loss: 0.6890', '1875/1875 [==============================] - 4s 2ms/step - loss: 0.3 - val_loss: 0.4',
  '\r\x1b[1m1/8\x1b[0m \x1b[32m━━\x1b[0m 0s 5ms/step - loss: 0.78\b\b\b\r\x1b[1m8/8\x1b[0m \x1b[32m━━━━\x1b[0m 0s 3ms/step - loss: 0.6890 - val_loss: 0.6156',
  '  1/469 [..............................] - ETA: 21s - loss: 0.03', 'Epoch 3: val_accuracy improved', '11490434/11490434 [==============================] - 0s 0us/step', ' - 4s - loss: 0.5',
), fc.boolean()).map(([line, stamped]) => (stamped ? `2026-11-22T10:00:0${line.length % 10}.5Z ${line}` : line));

export const anyLine = fc.oneof({ weight: 6, arbitrary: recordLine }, { weight: 2, arbitrary: decoratedLine }, { weight: 1, arbitrary: kerasLine }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => `{${s}}`) });

/** The plain reader: split at \n, drop one trailing \r, decode every line with a `{`, classify it. */
export function plainRead(input: Buffer, options: ReadOptions = {}): { records: MetadataRecord[]; diagnostics: Diagnostic[] } {
  const records: MetadataRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const readTime = new Date(NOW).toISOString();
  let bytes = input;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  let start = 0;
  let line = 1;
  const keras = options.dialects !== undefined && !options.dialects.has('keras') ? undefined : new KerasProgress();
  const kerasRecord = (values: MetadataRecord['values'], at: number, time?: number): MetadataRecord => {
    const record: MetadataRecord = { values, time: time === undefined ? readTime : new Date(time).toISOString(), source: 'x', line: at };
    if (options.keys) record.values = restrictKeys(record.values, options.keys);
    return record;
  };
  let ownMetadata = false;
  const criJoiner = options.dialects !== undefined && !options.dialects.has('prefix') ? undefined : new CriJoiner();
  const held: MetadataRecord[] = [];
  const release = (): void => {
    if (!ownMetadata) records.push(...held);
    held.length = 0;
  };
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    const last = end === -1;
    if (last) end = bytes.length;
    let stop = end;
    if (stop > start && bytes[stop - 1] === 0x0d) stop--;
    // Kubernetes node lines: `P` pieces joined with their stream's `F` line, then read as one line.
    let text: string | undefined = bytes.toString('utf8', start, stop);
    let outerTime: number | undefined;
    const cri = criJoiner !== undefined ? splitKnownPrefix(text) : undefined;
    if (cri?.kind === 'cri' && /^\d/.test(text)) {
      text = criJoiner!.push(cri.stream ?? 'stdout', cri.partial === true, cri.rest);
      outerTime = cri.time;
    } else if (text.indexOf('{') === -1) {
      text = undefined;
    }
    if (text !== undefined && text.indexOf('{') !== -1) {
      const classified = classifyLine(text, options);
      if (classified.prefixTime === undefined && outerTime !== undefined) classified.prefixTime = outerTime;
      if (classified.objects.length > 0) {
        ownMetadata = true;
        held.length = 0;
      }
      for (const object of classified.objects) {
        const record = toRecord(object, 'x', line, classified.prefixTime, readTime);
        if (options.keys) record.values = restrictKeys(record.values, options.keys);
        records.push(record);
      }
      for (const reason of classified.rejected) diagnostics.push({ source: 'x', line, message: `looks like metadata but is ${reason}, skipped` });
    } else if (keras !== undefined && bytes.subarray(start, end).indexOf(0x7b) === -1) {
      // The one stateful dialect: Keras progress, decided on the text (the reader decides on bytes).
      // Its epoch records wait for the next header and are dropped once the job prints its own metadata.
      let text = bytes.toString('utf8', start, end);
      let time: number | undefined;
      const stamp = mayBeKerasLine(text) ? undefined : splitTimestampPrefix(text);
      if (stamp !== undefined) {
        text = stamp.rest;
        time = stamp.time;
      }
      if (mayBeKerasLine(text)) {
        const headers = keras.headers;
        const found = keras.line(text);
        if (keras.headers !== headers) release();
        for (const values of found) if (!ownMetadata) held.push(kerasRecord(values, line, time));
      }
    }
    line++;
    start = end + 1;
  }
  if (keras !== undefined) {
    for (const values of keras.end()) if (!ownMetadata) held.push(kerasRecord(values, Math.max(1, line - 1)));
    release();
  }
  return { records, diagnostics };
}

